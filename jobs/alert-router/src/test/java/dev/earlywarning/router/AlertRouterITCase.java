package dev.earlywarning.router;

import static dev.earlywarning.router.TestAlerts.ack;
import static dev.earlywarning.router.TestAlerts.outboundCall;
import static dev.earlywarning.router.TestAlerts.outreach;
import static dev.earlywarning.router.TestAlerts.responder;
import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.testing.Interactions;
import dev.earlywarning.common.testing.JobRunner;
import dev.earlywarning.common.testing.KafkaTestCluster;
import dev.earlywarning.schema.AckAction;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertAck;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.DeadLetter;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import dev.earlywarning.schema.Severity;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The router end to end: real broker, Avro on the wire, RocksDB, exactly-once to both queues. */
class AlertRouterITCase {

    @RegisterExtension
    static final KafkaTestCluster KAFKA = new KafkaTestCluster();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Instant START = Instant.parse("2026-01-05T08:00:00Z");

    @TempDir
    Path temp;

    @Test
    void routesAlertsOfSeveralKindsFollowsAcksAndContactsAndWritesBothQueuesOnce()
            throws Exception {
        Topics topics = KAFKA.freshTopics("router");
        // c1: two alerts grouped into one item, outreach held behind it, acknowledged, called back.
        Alert risk = responder("a1", "c1", AlertKind.AT_RISK_CUSTOMER, Severity.HIGH, at(0)).build();
        Alert breach = responder("a2", "c1", AlertKind.CALLBACK_BREACHED, Severity.CRITICAL, at(10))
                .build();
        Alert heldVoucher = outreach("o1", "c1", at(20)).build();
        // c2: outreach with nothing holding it back. c3: never acknowledged. c4: acknowledged only.
        Alert freeVoucher = outreach("o2", "c2", at(0)).build();
        Alert overdue = responder("a3", "c3", AlertKind.FOLLOW_UP_OVERDUE, Severity.WARNING, at(0))
                .build();
        Alert forgotten = responder("a4", "c4", AlertKind.SHIPPING_DELAY_PREDICTED, Severity.HIGH,
                at(5)).build();
        for (Alert alert : List.of(risk, breach, heldVoucher, freeVoucher, overdue, forgotten, risk)) {
            KAFKA.produce(topics.alerts(), alert.getCustomerId(), alert);
        }
        KAFKA.produceRaw(topics.alerts(), "c9", new byte[] {1, 2, 3});
        for (AlertAck ack : List.of(ack("a2", "c1", AckAction.ACKNOWLEDGED, at(300)),
                ack("a4", "c4", AckAction.ACKNOWLEDGED, at(120)))) {
            KAFKA.produce(topics.alertAcks(), ack.getCustomerId(), ack);
        }
        for (InteractionEvent event : List.of(
                Interactions.event("in-1", "c4").type(InteractionType.COMPLAINT).at(at(600)).build(),
                outboundCall("call-1", "c1", at(1200)))) {
            KAFKA.produce(topics.interactions(), event.getCustomerId(), event);
        }

        JobClient job = JobRunner.runBounded(AlertRouterJob::wire, AlertRouterJob.NAME,
                KAFKA.settingsFor(topics, "it-router"),
                temp.resolve("checkpoints"));
        job.getJobExecutionResult().get();
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.FINISHED);

        List<Alert> responderQueue = KAFKA.readCommittedUntilQuiet(topics.responderQueue(),
                Alert.class, Duration.ofSeconds(2), Duration.ofSeconds(30));
        List<Alert> outreachQueue = KAFKA.readCommittedUntilQuiet(topics.outreachQueue(),
                Alert.class, Duration.ofSeconds(2), Duration.ofSeconds(30));
        Map<String, List<String>> byCustomer = responderQueue.stream().collect(Collectors.groupingBy(
                Alert::getCustomerId, Collectors.mapping(AlertRouterITCase::describe,
                        Collectors.toList())));

        assertThat(byCustomer.get("c1")).containsExactly("CALLBACK_BREACHED OPEN",
                "CALLBACK_BREACHED UPDATED", "CALLBACK_BREACHED RESOLVED CLOSED");
        assertThat(responderQueue).filteredOn(a -> a.getCustomerId().equals("c1")).first()
                .satisfies(item -> assertThat(item.getAttributes())
                        .containsEntry("groupedAlertIds", "a1,a2")
                        .containsEntry("inhibitedOutreach", "o1"));
        assertThat(byCustomer.get("c3")).containsExactly("FOLLOW_UP_OVERDUE OPEN",
                "ALERT_UNACKNOWLEDGED OPEN 1", "ALERT_UNACKNOWLEDGED RESOLVED 1",
                "ALERT_UNACKNOWLEDGED OPEN 2", "ALERT_UNACKNOWLEDGED RESOLVED 2",
                "ALERT_UNACKNOWLEDGED OPEN 3", "ALERT_UNACKNOWLEDGED RESOLVED 3",
                "FOLLOW_UP_OVERDUE RESOLVED EXPIRED");
        assertThat(byCustomer.get("c4")).containsExactly("SHIPPING_DELAY_PREDICTED OPEN",
                "SHIPPING_DELAY_PREDICTED UPDATED", "LOOP_NOT_CLOSED OPEN",
                "SHIPPING_DELAY_PREDICTED RESOLVED NOT_CLOSED");
        assertThat(byCustomer).doesNotContainKey("c2");

        assertThat(outreachQueue).extracting(a -> a.getCustomerId() + " " + a.getAlertId() + " "
                + a.getStatus() + " " + a.getAttributes().getOrDefault("releasedAfterInhibition", "-"))
                .containsExactlyInAnyOrder("c2 o2 OPEN -", "c1 o1 OPEN true");
        for (List<Alert> queue : List.of(responderQueue, outreachQueue)) {
            assertThat(queue).extracting(a -> a.getAlertId() + "#" + a.getRevision())
                    .doesNotHaveDuplicates();
            assertThat(queue).allSatisfy(a ->
                    assertThat(a.getSourceJob()).isEqualTo(AlertRouterJob.NAME));
        }

        List<DeadLetter> deadLetters = KAFKA.readCommittedUntilQuiet(topics.deadLetter(),
                DeadLetter.class, Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertThat(deadLetters).singleElement().satisfies(letter -> {
            assertThat(letter.getReason()).startsWith("undecodable");
            assertThat(letter.getSourceTopic()).isEqualTo(topics.alerts());
        });
    }

    private static Instant at(int seconds) {
        return START.plusSeconds(seconds);
    }

    private static String describe(Alert alert) {
        String text = alert.getKind() + " " + alert.getStatus();
        if (alert.getKind() == AlertKind.ALERT_UNACKNOWLEDGED) {
            text += " " + alert.getEscalationLevel();
        }
        String outcome = alert.getAttributes().get("loopOutcome");
        return outcome == null || alert.getKind() == AlertKind.LOOP_NOT_CLOSED ? text
                : text + " " + outcome;
    }
}
