package dev.earlywarning.cli;

import dev.earlywarning.cli.local.LocalFlink;
import dev.earlywarning.common.config.ConfigException;
import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.engine.LocalEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Option;

/** Engine options of a job on the embedded MiniCluster: shared by {@code run} and {@code demo}. */
public final class FlinkOptions {

    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(2);

    @Option(names = "--parallelism", defaultValue = "2",
            description = "Parallelism of the job (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Checkpoint interval; alerts become visible to read_committed readers"
                    + " when a checkpoint completes (default: 2s; 10s with --low-latency).")
    Duration checkpointInterval;

    @Option(names = "--low-latency",
            description = {"The at-least-once low-latency mode: sinks send alerts as they come"
                    + " (delivery=at-least-once; a restart may repeat an alert, with the same"
                    + " alertId), network buffers leave after 5 ms, Flink's changelog state"
                    + " backend (under DIR) and levelled compaction keep checkpoints from pausing"
                    + " the tasks, and the scoring job caches fewer customers."})
    boolean lowLatency;

    Duration checkpointInterval() {
        return checkpointInterval != null ? checkpointInterval
                : lowLatency ? LocalEngine.LOW_LATENCY_CHECKPOINT_INTERVAL : CHECKPOINT_INTERVAL;
    }

    /** The settings of every job: the low-latency mode's delivery, unless they contradict it. */
    Settings jobSettings(Settings settings) {
        if (!lowLatency) {
            return settings;
        }
        if (settings.has("delivery") && JobConfig.from("ews", settings).delivery()
                != JobConfig.Delivery.AT_LEAST_ONCE) {
            throw new ConfigException("--low-latency sends at least once; it cannot be combined"
                    + " with delivery=" + settings.string("delivery", ""));
        }
        Map<String, String> all = new LinkedHashMap<>(settings.asMap());
        all.put("delivery", JobConfig.Delivery.AT_LEAST_ONCE.label());
        return Settings.of(all);
    }

    /** Engine settings of a cluster (its jobs' included) with its data under {@code dataDir}. */
    Configuration engine(Path dataDir) {
        return lowLatency ? LocalEngine.lowLatency(dataDir.resolve("flink").resolve("changelog"))
                : new Configuration();
    }

    LocalFlink.Options options(Path dataDir, String jobName) {
        return new LocalFlink.Options(dataDir.resolve("flink").resolve(jobName), parallelism,
                checkpointInterval(), engine(dataDir));
    }

    String describe() {
        return String.format(Locale.ROOT, "parallelism %d, RocksDB, checkpoints every %s%s",
                parallelism, human(checkpointInterval()), lowLatency
                        ? ", low latency: at-least-once, changelog, 5 ms buffers" : "");
    }

    /** 2s, 1m30s, 0.5s. */
    static String human(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
