package dev.earlywarning.common.testing;

import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.engine.LocalEngine;
import dev.earlywarning.common.job.JobWiring;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs a real job, wired exactly as in production (Kafka in and out, RocksDB, exactly-once), on
 * the test's MiniCluster at parallelism 2 with checkpoints every 500 ms and restarts disabled: a
 * failure, bad input included, fails the run instead of hiding in a restart.
 */
public final class JobRunner {

    private JobRunner() {}

    /** Reads what is in the topics now and finishes; the end of input fires every timer. */
    public static JobClient runBounded(JobWiring job, String name, Map<String, String> settings,
            Path checkpoints) throws Exception {
        Map<String, String> bounded = new HashMap<>(settings);
        bounded.put("stop-at-latest", "true");
        return start(job, name, bounded, checkpoints, null);
    }

    /** Runs until stopped, optionally restored from a savepoint. */
    public static JobClient runUnbounded(JobWiring job, String name, Map<String, String> settings,
            Path checkpoints, String savepoint) throws Exception {
        return start(job, name, settings, checkpoints, savepoint);
    }

    private static JobClient start(JobWiring job, String name, Map<String, String> settings,
            Path checkpoints, String savepoint) throws Exception {
        Configuration conf = LocalEngine.configuration(checkpoints, Duration.ofMillis(500));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "disable");
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        job.wire(env, Settings.of(settings));
        return env.executeAsync(name);
    }
}
