package dev.earlywarning.cli;

import dev.earlywarning.cli.local.LocalFlink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Engine options of a job on the embedded MiniCluster: shared by {@code run} and {@code demo}. */
public final class FlinkOptions {

    @Option(names = "--parallelism", defaultValue = "2",
            description = "Parallelism of the job (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--checkpoint-interval", defaultValue = "2s", paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Checkpoint interval; alerts become visible to read_committed readers"
                    + " when a checkpoint completes (default: ${DEFAULT-VALUE}).")
    Duration checkpointInterval;

    LocalFlink.Options options(Path dataDir, String jobName) {
        return new LocalFlink.Options(dataDir.resolve("flink").resolve(jobName), parallelism,
                checkpointInterval);
    }

    String describe() {
        return String.format(Locale.ROOT, "parallelism %d, RocksDB, checkpoints every %s",
                parallelism, human(checkpointInterval));
    }

    /** 2s, 1m30s, 0.5s. */
    static String human(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
