package dev.earlywarning.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.kafka.AvroCodec;
import dev.earlywarning.common.testing.JobRunner;
import dev.earlywarning.common.testing.KafkaTestCluster;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.ControlCommand;
import dev.earlywarning.schema.DeadLetter;
import dev.earlywarning.schema.InteractionEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The scoring job end to end: real broker, Avro on the wire, RocksDB, exactly-once sinks. */
class AtRiskScoringITCase {

    @RegisterExtension
    static final KafkaTestCluster KAFKA = new KafkaTestCluster();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Instant START = Instant.parse("2026-01-05T08:00:00Z");
    private static final int CUSTOMERS = 40;

    @TempDir
    Path temp;

    @Test
    void scoresJourneysAndDeadLettersBadRecordsWithoutRestarting() throws Exception {
        Topics topics = KAFKA.freshTopics("scoring");
        List<InteractionEvent> events = CustomerJourneys.generate(CUSTOMERS, START);
        AvroCodec<InteractionEvent> codec = new AvroCodec<>(InteractionEvent.class);
        Random random = new Random(7);
        int bad = 0;
        for (int i = 0; i < events.size(); i++) {
            InteractionEvent event = events.get(i);
            KAFKA.produce(topics.interactions(), event.getCustomerId(), event);
            if (i % 10 == 0) {
                // A redelivery: must not count twice.
                KAFKA.produce(topics.interactions(), event.getCustomerId(), event);
            }
            if (i % 25 == 0) {
                byte[] garbage = new byte[1 + random.nextInt(60)];
                random.nextBytes(garbage);
                KAFKA.produceRaw(topics.interactions(), "garbage", garbage);
                byte[] truncated = codec.encode(event);
                KAFKA.produceRaw(topics.interactions(), event.getCustomerId(),
                        java.util.Arrays.copyOf(truncated, truncated.length / 2));
                KAFKA.produce(topics.interactions(), event.getCustomerId(),
                        InteractionEvent.newBuilder(event).setEventId("neg-" + i).setWaitSeconds(-5).build());
                bad += 3;
            }
        }
        KAFKA.produce(topics.control(), AtRiskScoringJob.NAME, ControlCommand.newBuilder()
                .setCommandId("bad-1").setJob(AtRiskScoringJob.NAME).setKind("SET_CONFIG")
                .setPayload("{\"raise-threshold\": 7}").setOccurredAt(START).build());

        JobClient job = JobRunner.runBounded(AtRiskScoringJob::wire, AtRiskScoringJob.NAME,
                KAFKA.settingsFor(topics, "it-scoring"),
                temp.resolve("checkpoints"));
        job.getJobExecutionResult().get();
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.FINISHED);

        List<Alert> alerts = KAFKA.readCommittedUntilQuiet(topics.alerts(), Alert.class,
                Duration.ofSeconds(2), Duration.ofSeconds(30));
        Map<String, List<AlertStatus>> statusesByCustomer = alerts.stream().collect(
                Collectors.groupingBy(Alert::getCustomerId,
                        Collectors.mapping(Alert::getStatus, Collectors.toList())));

        for (int i = 0; i < CUSTOMERS; i++) {
            List<AlertStatus> statuses = statusesByCustomer.getOrDefault("cust-" + i, List.of());
            switch (i % 4) {
                case 0 -> assertThat(statuses).as("bounced cust-%d", i).containsExactly(
                        AlertStatus.OPEN, AlertStatus.UPDATED, AlertStatus.RESOLVED,
                        AlertStatus.OPEN, AlertStatus.RESOLVED);
                case 1, 2 -> assertThat(statuses).as("cust-%d", i)
                        .startsWith(AlertStatus.OPEN).endsWith(AlertStatus.RESOLVED);
                default -> assertThat(statuses).as("fine cust-%d", i).isEmpty();
            }
        }
        assertThat(alerts).filteredOn(a -> a.getCustomerId().equals("cust-1")).first()
                .satisfies(a -> assertThat(a.getReasons()).extracting(r -> r.getSignal())
                        .contains("DETRACTOR_SURVEY"));
        assertThat(alerts).extracting(a -> a.getAlertId() + "#" + a.getRevision())
                .doesNotHaveDuplicates();

        List<DeadLetter> deadLetters = KAFKA.readCommittedUntilQuiet(topics.deadLetter(),
                DeadLetter.class, Duration.ofSeconds(2), Duration.ofSeconds(30));
        assertThat(deadLetters).hasSize(bad + 1);
        Map<String, Long> byReason = deadLetters.stream().collect(Collectors.groupingBy(
                d -> d.getReason().substring(0, d.getReason().indexOf(':')), Collectors.counting()));
        assertThat(byReason).containsEntry("invalid", (long) bad / 3)
                .containsEntry("invalid-control", 1L)
                .containsKey("undecodable");
        assertThat(deadLetters).allSatisfy(d -> {
            assertThat(d.getPayload().remaining()).isPositive();
            assertThat(d.getJob()).isEqualTo(AtRiskScoringJob.NAME);
        });
    }

    @Test
    void restoringFromASavepointMidStreamEmitsTheSameAlertsAsAnUninterruptedRun() throws Exception {
        List<InteractionEvent> events = CustomerJourneys.generate(CUSTOMERS, START);
        int half = events.size() / 2;

        Topics reference = KAFKA.freshTopics("reference");
        events.forEach(e -> KAFKA.produce(reference.interactions(), e.getCustomerId(), e));
        JobClient uninterrupted = JobRunner.runUnbounded(AtRiskScoringJob::wire, AtRiskScoringJob.NAME,
                KAFKA.settingsFor(reference, "it-reference"), temp.resolve("ref"), null);
        List<Alert> expected = awaitAlerts(reference.alerts());
        uninterrupted.cancel().get();

        Topics restored = KAFKA.freshTopics("restored");
        Map<String, String> settings = KAFKA.settingsFor(restored, "it-restored");
        events.subList(0, half).forEach(e -> KAFKA.produce(restored.interactions(), e.getCustomerId(), e));
        JobClient first = JobRunner.runUnbounded(AtRiskScoringJob::wire, AtRiskScoringJob.NAME,
                settings, temp.resolve("first"), null);
        List<Alert> beforeStop = awaitAlerts(restored.alerts());
        assertThat(beforeStop).as("the first half already alerts").isNotEmpty();
        assertThat(first.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        String savepoint = first.stopWithSavepoint(false, temp.resolve("savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get();

        events.subList(half, events.size())
                .forEach(e -> KAFKA.produce(restored.interactions(), e.getCustomerId(), e));
        JobClient second = JobRunner.runUnbounded(AtRiskScoringJob::wire, AtRiskScoringJob.NAME,
                settings, temp.resolve("second"), savepoint);
        KAFKA.readCommitted(restored.alerts(), Alert.class, expected.size(), Duration.ofSeconds(60));
        // Anything extra (a duplicate) would arrive within a few more checkpoints.
        List<Alert> actual = KAFKA.readCommittedUntilQuiet(restored.alerts(), Alert.class,
                Duration.ofSeconds(3), Duration.ofSeconds(30));
        second.cancel().get();

        assertThat(comparable(actual)).containsExactlyInAnyOrderElementsOf(comparable(expected));
        assertThat(expected).hasSizeGreaterThan(CUSTOMERS / 2);
    }

    /** Waits for the job's first committed alerts, then until no more arrive for a while. */
    private static List<Alert> awaitAlerts(String topic) {
        assertThat(KAFKA.readCommitted(topic, Alert.class, 1, Duration.ofSeconds(60)))
                .as("alerts on %s", topic).isNotEmpty();
        return KAFKA.readCommittedUntilQuiet(topic, Alert.class, Duration.ofSeconds(3),
                Duration.ofSeconds(60));
    }

    /** What must match between runs: everything but the wall-clock emission time. */
    private static List<String> comparable(List<Alert> alerts) {
        return alerts.stream()
                .map(a -> Alert.newBuilder(a).setEmittedAt(Instant.EPOCH).build().toString())
                .toList();
    }
}
