package dev.earlywarning.reliability;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Holds a running job's next checkpoint open on demand, without touching the job's own
 * operators: a small pipeline added next to them blocks in its snapshot while the test holds it,
 * so the checkpoint is certainly in progress for as long as the test needs (the job's own tasks
 * take and acknowledge their snapshots meanwhile; the checkpoint completes, and the sinks commit,
 * only after the release). The MiniCluster runs in the test's JVM, so static state reaches the
 * task.
 */
final class CheckpointHolder {

    private static final Duration LONGEST_HOLD = Duration.ofMinutes(2);
    private static final Map<String, Hold> HOLDS = new ConcurrentHashMap<>();

    private static final class Hold {
        volatile boolean armed;
        final Semaphore holding = new Semaphore(0);
        final Semaphore released = new Semaphore(0);
    }

    private CheckpointHolder() {}

    /** The operators to add to a job whose checkpoints {@link #holdNext} may hold as {@code id}. */
    static Consumer<StreamExecutionEnvironment> into(String id) {
        HOLDS.putIfAbsent(id, new Hold());
        return env -> env.fromSource(new DataGeneratorSource<>(index -> index, Long.MAX_VALUE,
                                RateLimiterStrategy.perSecond(20), Types.LONG),
                        WatermarkStrategy.noWatermarks(), "checkpoint holder " + id)
                .uid("checkpoint-holder").setParallelism(1)
                .map(new Holding(id)).uid("checkpoint-holder-map").setParallelism(1)
                .sinkTo(new DiscardingSink<>()).uid("checkpoint-holder-sink").setParallelism(1);
    }

    /** Returns once a checkpoint of the job is in progress and held open until {@link #release}. */
    static void holdNext(String id, Duration timeout) throws InterruptedException {
        Hold hold = HOLDS.get(id);
        hold.armed = true;
        if (!hold.holding.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            hold.armed = false;
            throw new AssertionError("no checkpoint of " + id + " reached the holder within "
                    + timeout + ": is the job running and checkpointing?");
        }
    }

    static void release(String id) {
        HOLDS.get(id).released.release();
    }

    /** Passes records through; blocks the snapshot of an armed checkpoint until released. */
    private static final class Holding
            implements MapFunction<Long, Long>, CheckpointedFunction {
        private static final long serialVersionUID = 1L;
        private final String id;

        Holding(String id) {
            this.id = id;
        }

        @Override
        public Long map(Long value) {
            return value;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) throws InterruptedException {
            Hold hold = HOLDS.get(id);
            if (hold != null && hold.armed) {
                hold.armed = false;
                hold.holding.release();
                hold.released.tryAcquire(LONGEST_HOLD.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {}
    }
}
