package dev.earlywarning.common.testing;

import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.engine.LocalEngine;
import dev.earlywarning.common.job.JobWiring;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs a real job, wired exactly as in production (Kafka in and out, RocksDB, exactly-once), on
 * the test's MiniCluster at parallelism 2 with checkpoints every 500 ms and restarts disabled: a
 * failure, bad input included, fails the run instead of hiding in a restart. Fault-injection
 * tests opt into restarts, another parallelism, checkpoint interval or setting, or extra operators
 * through {@link #launch}.
 */
public final class JobRunner {

    private JobRunner() {}

    /** Reads what is in the topics now and finishes; the end of input fires every timer. */
    public static JobClient runBounded(JobWiring job, String name, Map<String, String> settings,
            Path checkpoints) throws Exception {
        return launch(job, name, settings, checkpoints).bounded().start();
    }

    /** Runs until stopped, optionally restored from a savepoint. */
    public static JobClient runUnbounded(JobWiring job, String name, Map<String, String> settings,
            Path checkpoints, String savepoint) throws Exception {
        return launch(job, name, settings, checkpoints).fromSavepoint(savepoint).start();
    }

    /** A run to adjust before {@link Launch#start()}; unbounded, restarts disabled by default. */
    public static Launch launch(JobWiring job, String name, Map<String, String> settings,
            Path checkpoints) {
        return new Launch(job, name, settings, checkpoints);
    }

    /** The adjustable parts of a run. */
    public static final class Launch {
        private final JobWiring job;
        private final String name;
        private final Map<String, String> settings;
        private final Path checkpoints;
        private String savepoint;
        private int parallelism = 2;
        private Duration checkpointInterval = Duration.ofMillis(500);
        private boolean restarts;
        private Consumer<StreamExecutionEnvironment> extra = env -> { };

        private Launch(JobWiring job, String name, Map<String, String> settings, Path checkpoints) {
            this.job = job;
            this.name = name;
            this.settings = new HashMap<>(settings);
            this.checkpoints = checkpoints;
        }

        /** Finishes at the offsets that are the latest when it starts. */
        public Launch bounded() {
            settings.put("stop-at-latest", "true");
            return this;
        }

        /** Restores from {@code path}; null starts from scratch. */
        public Launch fromSavepoint(String path) {
            savepoint = path;
            return this;
        }

        public Launch parallelism(int newParallelism) {
            parallelism = newParallelism;
            return this;
        }

        /** A job setting of the test's, e.g. {@code delivery}. */
        public Launch set(String key, String value) {
            settings.put(key, value);
            return this;
        }

        public Launch checkpointEvery(Duration interval) {
            checkpointInterval = interval;
            return this;
        }

        /**
         * Recovers from any failure from the last checkpoint, as a production deployment does:
         * the whole job restarts (not only the failed region), after 200 ms, up to 100 times.
         */
        public Launch restartingOnFailure() {
            restarts = true;
            return this;
        }

        /** Adds operators of the test's own next to the job's, e.g. to inject a failure. */
        public Launch with(Consumer<StreamExecutionEnvironment> operators) {
            extra = extra.andThen(operators);
            return this;
        }

        public JobClient start() throws Exception {
            Configuration conf = LocalEngine.configuration(checkpoints, checkpointInterval);
            if (restarts) {
                conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 100);
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                        Duration.ofMillis(200));
                conf.set(JobManagerOptions.EXECUTION_FAILOVER_STRATEGY, "full");
            } else {
                conf.set(RestartStrategyOptions.RESTART_STRATEGY, "disable");
            }
            if (savepoint != null) {
                conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            }
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(parallelism);
            job.wire(env, Settings.of(settings));
            extra.accept(env);
            return env.executeAsync(name);
        }
    }
}
