package dev.earlywarning.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.testing.KafkaTestCluster;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rescaling through savepoints: the callback-sla and scoring jobs run at parallelism 2 on the
 * first third of the input, stop with a savepoint, resume at parallelism 1 on the second third,
 * stop again and resume at 2 on the rest. Keyed state, timers of pending deadlines and Kafka
 * offsets are redistributed each time; the alerts must be those of one uninterrupted run.
 */
class RescaleITCase {

    @RegisterExtension
    static final KafkaTestCluster KAFKA = new KafkaTestCluster();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private static final long SEED = Long.getLong("ews.reliability.seed", 20260105L);
    private static final int[] PARALLELISM = {2, 1, 2};
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path temp;

    @Test
    void rescalingTwoOneTwoThroughSavepointsChangesNoAlert() throws Exception {
        Traffic traffic = Traffic.generate(SEED, 150, 200);
        int size = traffic.sends().size();
        int[] cuts = {size / 3, 2 * size / 3, size};

        Topics reference = KAFKA.freshTopics("uninterrupted");
        traffic.write(KAFKA.client(), reference, 0, size);
        BothJobs uninterrupted = BothJobs.start(KAFKA.client(), reference, "uninterrupted",
                temp.resolve("uninterrupted"));
        uninterrupted.finish(traffic, TIMEOUT);
        List<Alert> expected = uninterrupted.alerts(TIMEOUT);
        uninterrupted.cancel();

        Topics topics = KAFKA.freshTopics("rescaled");
        Map<String, String> savepoints = Map.of();
        BothJobs jobs = null;
        int from = 0;
        long pending = 0;
        for (int stage = 0; stage < cuts.length; stage++) {
            traffic.write(KAFKA.client(), topics, from, cuts[stage]);
            from = cuts[stage];
            int parallelism = PARALLELISM[stage];
            jobs = BothJobs.start(KAFKA.client(), topics, "rescaled",
                    temp.resolve("stage-" + stage), savepoints,
                    (name, launch) -> launch.parallelism(parallelism));
            if (stage == cuts.length - 1) {
                break;
            }
            jobs.awaitCaughtUp(TIMEOUT);
            savepoints = jobs.stopWithSavepoints(temp.resolve("stage-" + stage));
            pending += traffic.pendingDeadlinesAfter(cuts[stage]);
        }
        jobs.finish(traffic, TIMEOUT);
        List<Alert> actual = jobs.alerts(TIMEOUT);
        jobs.cancel();

        System.out.printf("RESCALE: seed %d, parallelism 2 -> 1 -> 2 through 2 savepoints of both"
                        + " jobs, %,d deadlines pending at the savepoints, %,d alerts compared %s,"
                        + " %d lost, %d duplicated%n", SEED, pending, expected.size(),
                AlertComparison.byKind(expected), AlertComparison.lost(expected, actual).size(),
                AlertComparison.duplicates(actual).size());
        AlertComparison.assertSame(expected, actual);
        assertThat(AlertComparison.count(expected, AlertKind.CALLBACK_BREACHED)).isPositive();
        assertThat(AlertComparison.count(expected, AlertKind.AT_RISK_CUSTOMER)).isPositive();
        assertThat(pending).as("deadlines pending across the savepoints").isPositive();
    }
}
