package dev.earlywarning.dashboards;

import dev.earlywarning.common.engine.LocalEngine;
import dev.earlywarning.common.testing.KafkaTestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DashboardsITCase {

    private static final Path SCRATCH = scratch();
    private static final Configuration ENGINE = engine();

    @RegisterExtension
    @Order(1)
    static final KafkaTestCluster KAFKA = new KafkaTestCluster();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setConfiguration(ENGINE)
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(3).build());

    private static ObservedRun run;
    private static String metrics;

    @BeforeAll
    static void runTheJobs() throws Exception {
        run = new ObservedRun(KAFKA);
        long start = System.nanoTime();
        run.play(ENGINE);
        metrics = run.scrape();
        Files.writeString(Path.of("target", "observed-metrics.txt"), metrics);
        System.out.println("played in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    @AfterAll
    static void stop() {
        if (run != null) {
            run.close();
        }
    }

    @Test
    void dump() {
        System.out.println(metrics.length());
    }

    private static Path scratch() {
        try {
            return Files.createTempDirectory("ews-dashboards");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Configuration engine() {
        Configuration conf = LocalEngine.configuration(SCRATCH.resolve("checkpoints"),
                Duration.ofMillis(500));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "disable");
        return conf;
    }
}
