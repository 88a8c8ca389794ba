package dev.earlywarning.reliability;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Fails a running job on demand, from the test, without touching the job's own operators: a
 * small source added next to them ticks a few times a second and throws once when armed. The
 * MiniCluster runs in the test's JVM, so a static flag reaches the task. With the full-restart
 * failover strategy the whole job goes back to its last checkpoint, as after any task failure.
 */
final class FailureInjector {

    private static final Map<String, AtomicBoolean> ARMED = new ConcurrentHashMap<>();

    private FailureInjector() {}

    /** The operators to add to a job, failing it whenever {@link #fail(String)} names {@code id}. */
    static Consumer<StreamExecutionEnvironment> into(String id) {
        ARMED.putIfAbsent(id, new AtomicBoolean());
        return env -> env.fromSource(new DataGeneratorSource<>(tick(id), Long.MAX_VALUE,
                                RateLimiterStrategy.perSecond(20), Types.LONG),
                        WatermarkStrategy.noWatermarks(), "failure injector " + id)
                .uid("failure-injector").setParallelism(1)
                .sinkTo(new DiscardingSink<>()).uid("failure-injector-sink").setParallelism(1);
    }

    /**
     * {@code conf} for the MiniCluster of jobs with injectors: the injector is a region of its
     * own, so without the full-restart strategy only it would restart.
     */
    static Configuration restartingWholeJobs(Configuration conf) {
        conf.set(JobManagerOptions.EXECUTION_FAILOVER_STRATEGY, "full");
        return conf;
    }

    /** Arms the injector of {@code id} and returns once its task has thrown. */
    static void fail(String id, Duration timeout) throws InterruptedException {
        AtomicBoolean armed = ARMED.get(id);
        armed.set(true);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (armed.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the failure injector of " + id + " did not run within "
                        + timeout + ": is the job running?");
            }
            Thread.sleep(10);
        }
    }

    private static GeneratorFunction<Long, Long> tick(String id) {
        return index -> {
            if (ARMED.get(id).compareAndSet(true, false)) {
                throw new InjectedFailure(id);
            }
            return index;
        };
    }

    /** What the injector throws, named so that it is recognisable in the job's exception history. */
    static final class InjectedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFailure(String id) {
            super("failure injected into " + id);
        }
    }
}
