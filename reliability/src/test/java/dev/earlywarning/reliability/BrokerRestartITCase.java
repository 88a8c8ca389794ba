package dev.earlywarning.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.cli.local.LocalKafkaBroker;
import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.testing.KafkaTestClient;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.scoring.AtRiskScoringJob;
import dev.earlywarning.sla.CallbackSlaJob;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away while the callback-sla and scoring jobs run, in the middle of a
 * checkpoint, and comes back on the same port with the same data: a real broker in its own JVM,
 * stopped cleanly once and killed ({@code SIGKILL}) once. The committed alerts must be those of
 * a run without restarts, none twice.
 *
 * <p>Timing a restart into a checkpoint: the test polls the job's checkpoint statistics until one
 * triggered less than 20 ms ago is in progress and stops the broker at once; afterwards it checks
 * in the same statistics that this checkpoint had not finished when the broker was down (it
 * failed, or completed later). Checkpoints of these jobs take tens of milliseconds and a poll a
 * few, so a kill usually hits; a clean stop takes seconds, and hits only when the checkpoint
 * waits for the broker. A miss is retried with another restart (up to five); the hits are printed
 * and must be at least one. Forcing long checkpoints instead (slow state) would change the jobs
 * under test.
 */
class BrokerRestartITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private static final long SEED = Long.getLong("ews.reliability.seed", 20260105L);
    private static final int MIN_RESTARTS = 2;
    private static final int MAX_RESTARTS = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    static Path brokerDir;

    private static LocalKafkaBroker broker;
    private static KafkaTestClient kafka;

    @TempDir
    Path temp;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.in(brokerDir).port(0), QUIET);
        kafka = new KafkaTestClient(broker.bootstrap());
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void restartingTheBrokerDuringCheckpointsLosesAndDuplicatesNoAlert(
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        Traffic traffic = Traffic.generate(SEED, 150, 200);
        int size = traffic.sends().size();

        Topics reference = kafka.freshTopics("steady");
        traffic.write(kafka, reference, 0, size);
        BothJobs steady = BothJobs.start(kafka, reference, "steady", temp.resolve("steady"));
        steady.finish(traffic, TIMEOUT);
        List<Alert> expected = steady.alerts(TIMEOUT);
        steady.cancel();

        ClusterProbe probe = new ClusterProbe(cluster);
        Topics topics = kafka.freshTopics("restarted");
        BothJobs jobs = BothJobs.start(kafka, topics, "restarted", temp.resolve("restarted"),
                Map.of(), (name, launch) -> launch.restartingOnFailure());
        jobs.awaitCheckpointedSince(probe, System.currentTimeMillis(), TIMEOUT);
        List<String> restarts = new ArrayList<>();
        int hits = 0;
        int from = 0;
        for (int restart = 0; restart < MAX_RESTARTS && (restart < MIN_RESTARTS || hits == 0);
                restart++) {
            // A chunk in flight, so that the checkpoint has data to flush and commit.
            int to = from + (size - from) / 3;
            traffic.write(kafka, topics, from, to);
            from = to;
            String job = restart % 2 == 0 ? CallbackSlaJob.NAME : AtRiskScoringJob.NAME;
            boolean kill = restart % 2 == 1;
            long stopping = System.nanoTime();
            Hit hit = restartDuringCheckpoint(probe, jobs.id(job), kill);
            long restarted = System.nanoTime();
            jobs.awaitCaughtUp(TIMEOUT);
            boolean inCheckpoint = probe.unfinishedAt(jobs.id(job), hit.checkpoint(), hit.downAt());
            hits += inCheckpoint ? 1 : 0;
            restarts.add(String.format("%s during checkpoint %d of %s%s, back in %.1f s, jobs"
                            + " caught up %.1f s later", kill ? "killed" : "stopped",
                    hit.checkpoint(), job, inCheckpoint ? "" : " (it finished first: a miss)",
                    (restarted - stopping) / 1e9, (System.nanoTime() - restarted) / 1e9));
        }
        traffic.write(kafka, topics, from, size);
        jobs.finish(traffic, TIMEOUT);
        List<Alert> actual = jobs.alerts(TIMEOUT);
        long jobRestarts = probe.restarts(jobs.id(CallbackSlaJob.NAME))
                + probe.restarts(jobs.id(AtRiskScoringJob.NAME));
        jobs.cancel();

        System.out.printf("BROKER: seed %d, %d broker restarts on port %d (%s), %d of them inside"
                        + " a checkpoint, %,d alerts compared %s, %d lost, %d duplicated, %d job"
                        + " restarts%n", SEED, restarts.size(), URI.create("//" + broker.bootstrap())
                        .getPort(), String.join("; ", restarts), hits, expected.size(),
                AlertComparison.byKind(expected), AlertComparison.lost(expected, actual).size(),
                AlertComparison.duplicates(actual).size(), jobRestarts);
        AlertComparison.assertSame(expected, actual);
        assertThat(hits).as("broker restarts that hit a checkpoint in progress").isPositive();
    }

    /** The checkpoint in progress when the broker went down, and when it was fully down. */
    private record Hit(long checkpoint, long downAt) {}

    /**
     * Waits for a checkpoint of {@code job} to be in progress, then stops the broker (cleanly, or
     * with SIGKILL) and starts it again on the same port and data directory.
     */
    private static Hit restartDuringCheckpoint(ClusterProbe probe, JobID job, boolean kill)
            throws Exception {
        OptionalLong inProgress = OptionalLong.empty();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (inProgress.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no checkpoint of " + job + " started within " + TIMEOUT);
            }
            inProgress = probe.youngCheckpointInProgress(job, Duration.ofMillis(20));
        }
        int port = URI.create("//" + broker.bootstrap()).getPort();
        if (kill) {
            broker.handle().destroyForcibly();
        }
        broker.close();
        long downAt = System.currentTimeMillis();
        broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.in(brokerDir).port(port), QUIET);
        return new Hit(inProgress.getAsLong(), downAt);
    }
}
