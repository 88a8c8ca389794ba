package dev.earlywarning.common.state;

import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;

/**
 * Flink's keyed two-input process operator for a function that keeps its per-key state in a
 * {@link WriteBackCache}: the function writes every change before each checkpoint barrier, so the
 * checkpoint holds them all, and it gets the operator's key context, because writing back another
 * key's value needs one and no function context offers it.
 */
public final class WriteBackCoProcessOperator<K, IN1, IN2, OUT>
        extends KeyedCoProcessOperator<K, IN1, IN2, OUT> {

    private static final long serialVersionUID = 1L;

    /** What the function offers its operator. */
    public interface CachingFunction {

        /**
         * Called once the operator is open, before any record: {@code keys} switches the key of
         * the keyed state; {@code backendKeepsObjects} is true on the heap backend, which keeps the
         * very objects it is given (cached ones must then be copies).
         */
        void useKeyContext(KeyContext keys, boolean backendKeepsObjects);

        /** Writes every cached change to the keyed state. */
        void writeBack() throws Exception;
    }

    private WriteBackCoProcessOperator(KeyedCoProcessFunction<K, IN1, IN2, OUT> function) {
        super(function);
    }

    public static <K, IN1, IN2, OUT, F extends KeyedCoProcessFunction<K, IN1, IN2, OUT>
            & CachingFunction> WriteBackCoProcessOperator<K, IN1, IN2, OUT> of(F function) {
        return new WriteBackCoProcessOperator<>(function);
    }

    @Override
    public void open() throws Exception {
        super.open();
        caching().useKeyContext(this, !getKeyedStateBackend().isSafeToReuseKVState());
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        caching().writeBack();
    }

    private CachingFunction caching() {
        return (CachingFunction) userFunction;
    }
}
