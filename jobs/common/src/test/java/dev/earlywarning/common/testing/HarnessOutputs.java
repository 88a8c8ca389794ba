package dev.earlywarning.common.testing;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/** What operator harnesses hold, read the same way by every job's tests. */
public final class HarnessOutputs {

    private HarnessOutputs() {}

    /** The values emitted to {@code tag} so far, in order; empty when nothing was. */
    public static <T> List<T> sideOutput(AbstractStreamOperatorTestHarness<?> harness,
            OutputTag<T> tag) {
        List<T> values = new ArrayList<>();
        var side = harness.getSideOutput(tag);
        if (side != null) {
            side.forEach(record -> values.add(record.getValue()));
        }
        return values;
    }

    /**
     * Keyed state entries across all state of the operator. Works where the harness has no such
     * method (broadcast harnesses), on the heap backend that harnesses use.
     */
    public static int keyedStateEntries(AbstractStreamOperatorTestHarness<?> harness) {
        Object backend = ((AbstractStreamOperator<?>) harness.getOperator()).getKeyedStateBackend();
        return ((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }
}
