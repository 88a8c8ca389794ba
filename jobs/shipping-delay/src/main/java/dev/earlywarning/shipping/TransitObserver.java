package dev.earlywarning.shipping;

import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.schema.ShipmentEvent;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Measures each order's transit (the key is the order id) for the lane statistics: from SHIPPED to
 * DELIVERED, and the median gap between its scans. Only orders seen shipped count, so a transit
 * time is never measured from the middle of a journey.
 *
 * <p>This is a small second per-order state next to the prediction's, and deliberately so: the
 * lane statistics must be upstream of the prediction (Flink has no cycles), and measuring here,
 * from the raw shipment stream, keeps it that way. Its state ends with delivery or cancellation,
 * or on an event-time timer {@code max-age} after shipping for orders that never end.
 */
class TransitObserver extends KeyedProcessFunction<String, Ingested<ShipmentEvent>,
        LaneObservation> {

    private static final long serialVersionUID = 1L;

    private final Duration maxAge;
    private transient ValueState<TransitState> transit;

    TransitObserver(Duration maxAge) {
        this.maxAge = maxAge;
    }

    @Override
    public void open(OpenContext openContext) {
        transit = getRuntimeContext().getState(new ValueStateDescriptor<>("transit",
                TypeInformation.of(TransitState.class)));
    }

    @Override
    public void processElement(Ingested<ShipmentEvent> in, Context ctx,
            Collector<LaneObservation> out) throws Exception {
        ShipmentEvent event = in.value;
        long at = event.getOccurredAt().toEpochMilli();
        TransitState state = transit.value();
        switch (event.getType()) {
            case SHIPPED -> {
                if (state == null) {
                    transit.update(new TransitState(Lanes.of(event), at));
                    ctx.timerService().registerEventTimeTimer(at + maxAge.toMillis());
                }
            }
            case SCANNED -> {
                // A redelivered or out-of-order scan would add a gap of zero or less.
                if (state != null && at > state.lastScanAt) {
                    state.addGap(at - state.lastScanAt);
                    state.lastScanAt = at;
                    transit.update(state);
                }
            }
            case DELIVERED -> {
                if (state != null && at > state.shippedAt) {
                    long lastLeg = state.lastScanAt > state.shippedAt
                            ? at - state.lastScanAt : ShipmentState.NONE;
                    out.collect(new LaneObservation(state.lane, at - state.shippedAt,
                            state.medianGap(), lastLeg, at));
                }
                end(state, ctx);
            }
            case CANCELLED -> end(state, ctx);
            // The last mile and carrier exceptions are not line-haul scans.
            default -> { }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LaneObservation> out) {
        transit.clear();
    }

    private void end(TransitState state, Context ctx) {
        if (state != null) {
            ctx.timerService().deleteEventTimeTimer(state.shippedAt + maxAge.toMillis());
        }
        transit.clear();
    }
}
