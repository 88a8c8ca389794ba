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
 * <p>Timing a restart into a checkpoint: checkpoints of these jobs take milliseconds, far less
 * than a broker restart, so a {@link CheckpointHolder} added next to the jobs' own operators
 * holds one open while the broker goes down and comes back; the job's tasks snapshot (the sinks
 * flush) before the outage and the transactions commit after it. The checkpoint statistics then
 * confirm that the held checkpoint had not finished when the broker was down.
 */
class BrokerRestartITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private static final long SEED = Long.getLong("ews.reliability.seed", 20260105L);
    private static final int RESTARTS = 2;
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
                Map.of(), (name, launch) -> launch.restartingOnFailure()
                        .with(CheckpointHolder.into("restarted-" + name)));
        jobs.awaitCheckpointedSince(probe, System.currentTimeMillis(), TIMEOUT);
        List<String> restarts = new ArrayList<>();
        int hits = 0;
        int from = 0;
        for (int restart = 0; restart < RESTARTS; restart++) {
            // A chunk in flight, so that the checkpoint has data to flush and commit.
            int to = from + (size - from) / 3;
            traffic.write(kafka, topics, from, to);
            from = to;
            String job = restart % 2 == 0 ? CallbackSlaJob.NAME : AtRiskScoringJob.NAME;
            boolean kill = restart % 2 == 1;
            long stopping = System.nanoTime();
            Hit hit = restartDuringCheckpoint(probe, jobs.id(job), "restarted-" + job, kill);
            long restarted = System.nanoTime();
            jobs.awaitCaughtUp(TIMEOUT);
            boolean inCheckpoint = hit.inCheckpoint();
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
        assertThat(hits).as("broker restarts inside a checkpoint in progress")
                .isEqualTo(RESTARTS);
    }

    /**
     * The checkpoint held open while the broker restarted, and whether the checkpoint statistics
     * still showed it unfinished once the broker was back (read before the release: a bounded
     * history may have dropped it by the end of the run).
     */
    private record Hit(long checkpoint, boolean inCheckpoint) {}

    /**
     * Holds a checkpoint of {@code job} open, stops the broker (cleanly, or with SIGKILL), starts
     * it again on the same port and data directory, then lets the checkpoint go on.
     */
    private static Hit restartDuringCheckpoint(ClusterProbe probe, JobID job, String holder,
            boolean kill) throws Exception {
        CheckpointHolder.holdNext(holder, TIMEOUT);
        try {
            OptionalLong inProgress = OptionalLong.empty();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (inProgress.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the held checkpoint of " + job
                            + " is not in the checkpoint statistics");
                }
                inProgress = probe.youngCheckpointInProgress(job, TIMEOUT);
            }
            int port = URI.create("//" + broker.bootstrap()).getPort();
            if (kill) {
                broker.handle().destroyForcibly();
            }
            broker.close();
            long downAt = System.currentTimeMillis();
            broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.in(brokerDir).port(port),
                    QUIET);
            return new Hit(inProgress.getAsLong(),
                    probe.unfinishedAt(job, inProgress.getAsLong(), downAt));
        } finally {
            CheckpointHolder.release(holder);
        }
    }
}
