package dev.earlywarning.shipping;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Learns what each lane (the key) normally takes, online, from its delivered orders: the median
 * and the scaled median absolute deviation of the last {@code lane.window} transit times, and the
 * medians of their scan gaps and last legs. Nothing is sent until {@code lane.min-samples} deliveries were seen
 * (the prediction uses the configured prior until then), and afterwards only a change of more than
 * 1% (5% for the spread), so the broadcast stays a trickle.
 *
 * <p>Why a keyed operator broadcast back rather than statistics inside each prediction instance:
 * an instance sees only the orders hashed to it, so per-instance statistics would learn p times
 * slower, disagree between instances and be redistributed arbitrarily on rescale. Keyed by lane,
 * each lane is learned once from all its deliveries, and every instance gets the same estimate.
 *
 * <p>State: one fixed-size {@link LaneWindow} per lane, expiring after {@code lane.retention}
 * without deliveries.
 */
class LaneStatsFunction extends KeyedProcessFunction<String, LaneObservation, LaneEstimate> {

    private static final long serialVersionUID = 1L;

    private final ShippingConfig config;
    private transient ValueState<LaneWindow> window;

    LaneStatsFunction(ShippingConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<LaneWindow> descriptor = new ValueStateDescriptor<>("lane-window",
                TypeInformation.of(LaneWindow.class));
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(config.laneRetention())
                .cleanupInRocksdbCompactFilter(1000).build());
        window = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(LaneObservation observation, Context ctx,
            Collector<LaneEstimate> out) throws Exception {
        LaneWindow w = window.value();
        if (w == null) {
            w = new LaneWindow(config.laneWindow());
        }
        w.add(observation);
        if (w.transitSamples() >= config.laneMinSamples()) {
            LaneEstimate estimate = w.estimate(ctx.getCurrentKey(), observation.deliveredAt);
            if (changed(w.emittedTransit, estimate.transitMillis, 0.01)
                    || changed(w.emittedSpread, estimate.transitSpreadMillis, 0.05)
                    || changed(w.emittedGap, estimate.scanGapMillis, 0.01)
                    || changed(w.emittedLastLeg, estimate.lastLegMillis, 0.01)) {
                w.emittedTransit = estimate.transitMillis;
                w.emittedSpread = estimate.transitSpreadMillis;
                w.emittedGap = estimate.scanGapMillis;
                w.emittedLastLeg = estimate.lastLegMillis;
                out.collect(estimate);
            }
        }
        window.update(w);
    }

    private static boolean changed(long before, long now, double relative) {
        if (before == ShipmentState.NONE || now == ShipmentState.NONE) {
            return before != now;
        }
        return Math.abs(now - before) > relative * Math.max(1, Math.abs(before));
    }
}
