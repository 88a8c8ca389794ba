package dev.earlywarning.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.common.engine.LocalEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded engine settings are accepted by Flink and run a keyed job on RocksDB. */
class LocalFlinkITCase {

    @TempDir
    Path dir;

    @Test
    void engineSettingsAreTheContractOnesAndAKeyedJobRunsWithThem() throws Exception {
        LocalFlink.Options options = new LocalFlink.Options(dir, 2, Duration.ofMillis(200));
        Configuration conf = LocalFlink.configuration(options);
        assertThat(conf.toMap()).containsEntry("state.backend.type", "rocksdb")
                .containsEntry("pipeline.object-reuse", "true")
                .containsEntry("pipeline.generic-types", "false")
                .containsEntry("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());

        assertThat(keyedSums(options)).contains(9L, 12L);
    }

    @Test
    void theLowLatencyModesChangelogBackendRunsAKeyedJobWithWhatThisModuleShips()
            throws Exception {
        LocalFlink.Options options = new LocalFlink.Options(dir, 2, Duration.ofMillis(200),
                LocalEngine.lowLatency(dir.resolve("changelog")));
        assertThat(LocalFlink.configuration(options).toMap())
                .containsEntry("state.changelog.enabled", "true")
                .containsEntry("state.changelog.storage", "filesystem");

        assertThat(keyedSums(options)).contains(9L, 12L);
    }

    /** Running sums of 1..6 by parity, with keyed state in the engine {@code options} set up. */
    private static List<Long> keyedSums(LocalFlink.Options options) throws Exception {
        StreamExecutionEnvironment env = LocalFlink.environment(options);
        return env.fromData(1L, 2L, 3L, 4L, 5L, 6L)
                .keyBy(value -> value % 2)
                .reduce(Long::sum)
                .executeAndCollect(6);
    }
}
