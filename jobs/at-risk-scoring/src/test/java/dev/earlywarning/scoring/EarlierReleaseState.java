package dev.earlywarning.scoring;

import dev.earlywarning.schema.TimelineEntry;
import java.util.List;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;

/**
 * Keyed state as releases before {@link RiskStateSerializer} wrote it: the customer's {@link
 * RiskState} under the same state name, stored by Flink's POJO serializer, and their timeline log
 * stored by Flink's Avro serializer.
 */
final class EarlierReleaseState {

    private EarlierReleaseState() {}

    static RiskState customerWithOpenAlert(long at) {
        RiskState state = RiskState.fresh(at);
        state.intensity[Signal.COMPLAINT.ordinal()] = 3.0;
        state.intensity[Signal.TRANSFER.ordinal()] = 1.5;
        state.addEvidence(Signal.COMPLAINT, "e0", "complaint about the refund");
        state.alertId = "alert-of-an-earlier-release";
        state.alertRevision = 3;
        state.alertedScore = 0.8;
        state.alertedSignals = 1 << Signal.COMPLAINT.ordinal();
        state.customerName = "Grace Hopper";
        state.firstSeen("e0");
        return state;
    }

    /** A snapshot of an operator holding {@code state} for {@code customerId} and nothing else. */
    static OperatorSubtaskState savepointOf(String customerId, RiskState state, boolean rocksDb)
            throws Exception {
        return savepointOf(customerId, state, List.of(), rocksDb);
    }

    /** The same with {@code timeline} (oldest first) in the customer's log, if any. */
    static OperatorSubtaskState savepointOf(String customerId, RiskState state,
            List<TimelineEntry> timeline, boolean rocksDb) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, String, Void> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new Writer(state, timeline)), id -> id,
                        Types.STRING)) {
            if (rocksDb) {
                harness.setStateBackend(new EmbeddedRocksDBStateBackend());
            }
            harness.open();
            harness.processElement(customerId, 0);
            return harness.snapshot(1, 1);
        }
    }

    private static final class Writer extends KeyedProcessFunction<String, String, Void> {
        private static final ValueStateDescriptor<RiskState> POJO_RISK =
                new ValueStateDescriptor<>("risk", TypeInformation.of(RiskState.class));
        private static final ListStateDescriptor<TimelineEntry> AVRO_TIMELINE =
                new ListStateDescriptor<>("timeline-log", new AvroTypeInfo<>(TimelineEntry.class));
        private final transient RiskState state;
        private final transient List<TimelineEntry> timeline;

        Writer(RiskState state, List<TimelineEntry> timeline) {
            this.state = state;
            this.timeline = timeline;
        }

        @Override
        public void processElement(String customerId, Context context, Collector<Void> out)
                throws Exception {
            ValueState<RiskState> risk = getRuntimeContext().getState(POJO_RISK);
            risk.update(state);
            if (!timeline.isEmpty()) {
                getRuntimeContext().getListState(AVRO_TIMELINE).addAll(timeline);
            }
        }
    }
}
