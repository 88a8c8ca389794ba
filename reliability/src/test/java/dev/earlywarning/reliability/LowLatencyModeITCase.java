package dev.earlywarning.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.engine.LocalEngine;
import dev.earlywarning.common.testing.Interactions;
import dev.earlywarning.common.testing.JobRunner;
import dev.earlywarning.common.testing.KafkaTestCluster;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.InteractionType;
import dev.earlywarning.schema.SurveyKind;
import dev.earlywarning.scoring.AtRiskScoringJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The at-least-once low-latency mode: jobs with {@code delivery=at-least-once} on a cluster with
 * the engine settings of {@link LocalEngine#lowLatency} (Flink's changelog state backend,
 * levelled compaction, 5 ms network buffers). An alert leaves before the checkpoint that covers
 * it; through failures every alert of an exactly-once run arrives, nothing else does, and what a
 * restart repeats is the same alert with the same id.
 */
class LowLatencyModeITCase {

    /** The changelog's storage is the TaskManagers': it is set on the cluster, not the job. */
    private static final Path CHANGELOG = Path.of("target", "low-latency-changelog")
            .toAbsolutePath();

    @RegisterExtension
    static final KafkaTestCluster KAFKA = new KafkaTestCluster();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(2).setNumberSlotsPerTaskManager(2)
                    .setConfiguration(FailureInjector.restartingWholeJobs(
                            LocalEngine.lowLatency(CHANGELOG))).build());

    private static final long SEED = Long.getLong("ews.reliability.seed", 20260105L);
    private static final Duration RECOVERY = Duration.ofSeconds(120);
    private static final String AT_LEAST_ONCE = JobConfig.Delivery.AT_LEAST_ONCE.label();

    @TempDir
    Path temp;

    @Test
    void anAlertIsReadableBeforeAnyCheckpointCompletes(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        Topics topics = KAFKA.freshTopics("low-latency-early");
        JobClient job = JobRunner.launch(AtRiskScoringJob::wire, AtRiskScoringJob.NAME,
                        KAFKA.settingsFor(topics, "it-low-latency-early"), temp.resolve("early"))
                .set("delivery", AT_LEAST_ONCE).checkpointEvery(Duration.ofHours(1)).start();

        KAFKA.produce(topics.interactions(), "furious-1", Interactions.event("survey-1",
                "furious-1").type(InteractionType.SURVEY_RESPONSE).survey(SurveyKind.CSAT, 1)
                .build());
        List<Alert> alerts = KAFKA.readCommitted(topics.alerts(), Alert.class, 1,
                Duration.ofSeconds(60));

        assertThat(alerts).as("alerts of a detractor survey, read_committed").singleElement()
                .satisfies(alert -> {
                    assertThat(alert.getKind()).isEqualTo(AlertKind.AT_RISK_CUSTOMER);
                    assertThat(alert.getCustomerId()).isEqualTo("furious-1");
                });
        // Exactly once, the alert would wait for a checkpoint: none has completed in this job.
        assertThat(cluster.getExecutionGraph(job.getJobID()).get().getCheckpointStatsSnapshot()
                .getCounts().getNumberOfCompletedCheckpoints()).isZero();
        job.cancel().get();
    }

    @Test
    void failuresLoseNoAlertAndWhatTheyRepeatIsTheSameAlert(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        Traffic traffic = Traffic.generate(SEED, 150, 200);
        int half = traffic.sends().size() / 2;
        ClusterProbe probe = new ClusterProbe(cluster);

        List<Alert> reference = run("low-latency-reference", traffic, half, probe, null, null)
                .alerts();
        TaskManagers taskManagers = new TaskManagers(cluster, 2, new Random(SEED));
        Run run = run("low-latency-faulty", traffic, half, probe, taskManagers, reference);
        List<Alert> faulty = run.alerts();

        long repeated = faulty.size() - faulty.stream().map(AlertComparison::key).distinct().count();
        System.out.printf("LOW LATENCY: %,d alerts of the exactly-once reference run %s, %d lost"
                        + " at least once through a task manager kill and a job failure, %d"
                        + " published again; %d changelog files%n", reference.size(),
                AlertComparison.byKind(reference), AlertComparison.lost(reference, faulty).size(),
                repeated, run.changelogFiles());
        AlertComparison.assertAtLeastOnce(reference, faulty);
        assertThat(AlertComparison.count(reference, AlertKind.CALLBACK_BREACHED))
                .as("breaches in the input").isPositive();
        assertThat(AlertComparison.count(reference, AlertKind.AT_RISK_CUSTOMER))
                .as("at-risk alerts in the input").isPositive();
        assertThat(run.changelogFiles()).as("files of the scoring job's changelog under "
                + CHANGELOG).isPositive();
    }

    /** What a run published, and how many files the scoring job's changelog held at its end. */
    private record Run(List<Alert> alerts, long changelogFiles) {}

    /**
     * Both jobs over the input, in two halves: exactly once without {@code taskManagers}; at least
     * once with them, one killed after the first half and a job failed after the second, each
     * while the jobs read it.
     *
     * <p>Exactly once, the markers of {@link BothJobs#finish} prove that every alert is committed.
     * At least once, they prove only that the input was read: alerts of the timers that the last
     * watermark fires are sent on their own, after the markers. So the at-least-once run's alerts
     * are read until they hold every alert of {@code expected} (or the time is up), then once more
     * after a quiet second, for any the run should not have.
     */
    private Run run(String label, Traffic traffic, int half, ClusterProbe probe,
            TaskManagers taskManagers, List<Alert> expected) throws Exception {
        Topics topics = KAFKA.freshTopics(label);
        boolean faulty = taskManagers != null;
        BothJobs jobs = BothJobs.start(KAFKA.client(), topics, label, temp.resolve(label),
                Map.of(), (name, launch) -> faulty ? launch.set("delivery", AT_LEAST_ONCE)
                        .restartingOnFailure().with(FailureInjector.into(label + name)) : launch);
        jobs.awaitCheckpointedSince(probe, System.currentTimeMillis(), RECOVERY);
        traffic.write(KAFKA.client(), topics, 0, half);
        if (faulty) {
            long killedAt = System.currentTimeMillis();
            taskManagers.killOneAndReplace();
            jobs.awaitCheckpointedSince(probe, killedAt, RECOVERY);
        }
        traffic.write(KAFKA.client(), topics, half, traffic.sends().size());
        if (faulty) {
            long failedAt = System.currentTimeMillis();
            FailureInjector.fail(label + AtRiskScoringJob.NAME, RECOVERY);
            jobs.awaitCheckpointedSince(probe, failedAt, RECOVERY);
        }
        jobs.finish(traffic, RECOVERY);
        List<Alert> alerts = jobs.alerts(RECOVERY);
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        while (expected != null && !AlertComparison.lost(expected, alerts).isEmpty()
                && System.nanoTime() < deadline) {
            alerts = jobs.alerts(RECOVERY);
        }
        if (faulty) {
            long restarts = 0;
            for (String job : jobs.names()) {
                restarts += probe.restarts(jobs.id(job));
            }
            assertThat(restarts).as("restarts caused by the faults").isGreaterThanOrEqualTo(2);
        }
        // Flink's file-system changelog keeps its files under the job's id.
        long files = changelogFiles(CHANGELOG.resolve(jobs.id(AtRiskScoringJob.NAME).toHexString()));
        jobs.cancel();
        return new Run(alerts, files);
    }

    private static long changelogFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
