package dev.earlywarning.scoring;

import static dev.earlywarning.scoring.Events.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.InteractionType;
import dev.earlywarning.schema.Reason;
import dev.earlywarning.schema.Severity;
import dev.earlywarning.schema.TimelineEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The callback-sla job's breaches raise the at-risk score; a withdrawn breach takes it back. */
class BrokenPromisesTest {

    @Test
    void aBreachRaisesTheScoreWithTheCommitmentAsEvidence() throws Exception {
        try (ScoringHarness harness = new ScoringHarness(ScoringConfig.defaults())) {
            harness.send(Events.event("e1", "c1", 0, Channel.PHONE, InteractionType.DISCONNECTED));
            assertThat(harness.alerts()).isEmpty();

            harness.sendBreach(breach("b-1", 0, AlertStatus.OPEN, 30));
            Alert alert = harness.alerts().get(0);
            Reason reason = SignalsTest.reasonOf(alert, Signal.BROKEN_PROMISE);
            assertThat(reason.getDetail()).contains("promised callback missed (cm-1)")
                    .contains("two unanswered attempts");
            assertThat(reason.getEvidenceEventIds()).containsExactly("b-1#0");
            assertThat(alert.getTimeline()).extracting(TimelineEntry::getType)
                    .containsExactly("CALLBACK_BREACHED", "DISCONNECTED");
        }
    }

    @Test
    void aRedeliveredOrUpdatedBreachCountsOnce() throws Exception {
        try (ScoringHarness once = new ScoringHarness(ScoringConfig.defaults());
                ScoringHarness repeated = new ScoringHarness(ScoringConfig.defaults())) {
            once.sendBreach(breach("b-1", 0, AlertStatus.OPEN, 30));
            repeated.sendBreach(breach("b-1", 0, AlertStatus.OPEN, 30))
                    .sendBreach(breach("b-1", 0, AlertStatus.OPEN, 30))
                    .sendBreach(breach("b-1", 1, AlertStatus.UPDATED, 31));
            assertThat(RiskScoringOperatorTest.withoutEmissionTime(repeated.alerts()))
                    .isEqualTo(RiskScoringOperatorTest.withoutEmissionTime(once.alerts()));
        }
    }

    @Test
    void aWithdrawnBreachTakesBackItsContribution() throws Exception {
        try (ScoringHarness harness = ScoringHarness.withSettings(
                Map.of("raise-threshold", "0.5", "clear-threshold", "0.2"))) {
            harness.sendBreach(breach("b-1", 0, AlertStatus.OPEN, 30));
            assertThat(harness.alerts()).extracting(Alert::getStatus).containsExactly(AlertStatus.OPEN);

            harness.sendBreach(breach("b-1", 1, AlertStatus.RESOLVED, 40));
            assertThat(harness.alerts()).extracting(Alert::getStatus)
                    .containsExactly(AlertStatus.OPEN, AlertStatus.RESOLVED);
            assertThat(harness.alerts().get(1).getScore()).isZero();
        }
    }

    static Alert breach(String alertId, int revision, AlertStatus status, int minute) {
        return Alert.newBuilder()
                .setAlertId(alertId).setRevision(revision).setDedupKey("CALLBACK_BREACHED:cm-1")
                .setKind(AlertKind.CALLBACK_BREACHED).setSeverity(Severity.HIGH).setStatus(status)
                .setCustomerId("c1").setCommitmentId("cm-1")
                .setTriggeredAt(at(minute)).setEmittedAt(at(minute)).setDueBy(at(30))
                .setReasons(List.of(Reason.newBuilder().setSignal("CALLBACK_BREACHED")
                        .setContribution(1).setDetail("promised 09:30, two unanswered attempts")
                        .build()))
                .setSourceJob("callback-sla").build();
    }
}
