package dev.earlywarning.scoring;

import static dev.earlywarning.scoring.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.Direction;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import dev.earlywarning.schema.Reason;
import dev.earlywarning.schema.SurveyKind;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each signal, alone, is detected and explained with its evidence (through the operator). */
class SignalsTest {

    /** Any signal at all opens an alert, so the alert shows what was detected. */
    private static final Map<String, String> SENSITIVE =
            Map.of("raise-threshold", "0.05", "clear-threshold", "0.01");

    static Stream<Arguments> signals() {
        return Stream.of(
                Arguments.of(Signal.REPEAT_CONTACT, List.of(
                        contact("e1", 0, Channel.PHONE, "K1"), contact("e2", 30, Channel.PHONE, "K1")), "e2"),
                Arguments.of(Signal.CHANNEL_HOP, List.of(
                        contact("e1", 0, Channel.CHAT, "K1"), contact("e2", 60, Channel.EMAIL, "K1")
                                .setType(InteractionType.MESSAGE)), "e2"),
                Arguments.of(Signal.TRANSFER, List.of(
                        event("e1", "c1", 0, Channel.PHONE, InteractionType.TRANSFER)), "e1"),
                Arguments.of(Signal.ESCALATION, List.of(
                        event("e1", "c1", 0, Channel.CHAT, InteractionType.ESCALATION)), "e1"),
                Arguments.of(Signal.LONG_WAIT, List.of(
                        contact("e1", 0, Channel.PHONE, null).setWaitSeconds(900)), "e1"),
                Arguments.of(Signal.DROPPED_CALL, List.of(
                        event("e1", "c1", 0, Channel.PHONE, InteractionType.DISCONNECTED)), "e1"),
                Arguments.of(Signal.ABANDONED, List.of(
                        event("e1", "c1", 0, Channel.PHONE, InteractionType.ABANDONED)
                                .setWaitSeconds(600)), "e1"),
                Arguments.of(Signal.SELF_SERVICE_FAILED, List.of(
                        event("e1", "c1", 0, Channel.SELF_SERVICE, InteractionType.SELF_SERVICE_FAILED),
                        contact("e2", 20, Channel.PHONE, null)), "e1"),
                Arguments.of(Signal.DETRACTOR_SURVEY, List.of(
                        survey("e1", 0, SurveyKind.NPS, 3)), "e1"),
                Arguments.of(Signal.COMPLAINT, List.of(
                        event("e1", "c1", 0, Channel.EMAIL, InteractionType.COMPLAINT)
                                .setText("Parcel I never ordered")), "e1"),
                Arguments.of(Signal.NEGATIVE_SENTIMENT, List.of(
                        event("e1", "c1", 0, Channel.CHAT, InteractionType.MESSAGE).setSentiment(-0.8f)), "e1"),
                Arguments.of(Signal.CHURN_INTENT, List.of(
                        event("e1", "c1", 0, Channel.CHAT, InteractionType.MESSAGE)
                                .setText("I want to close my account today")), "e1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signals")
    void signalIsDetectedAndExplainedWithEvidence(Signal signal, List<InteractionEvent.Builder> events,
            String evidence) throws Exception {
        try (ScoringHarness harness = ScoringHarness.withSettings(SENSITIVE)) {
            harness.send(events.toArray(InteractionEvent.Builder[]::new));

            List<Alert> alerts = harness.alerts();
            assertThat(alerts).isNotEmpty();
            Reason reason = reasonOf(alerts.get(alerts.size() - 1), signal);
            assertThat(reason.getEvidenceEventIds()).contains(evidence);
            assertThat(reason.getContribution()).isPositive();
            assertThat(reason.getDetail()).isNotBlank();
        }
    }

    @Test
    void disconnectByTheCustomerIsNotADroppedCall() throws Exception {
        try (ScoringHarness harness = ScoringHarness.withSettings(SENSITIVE)) {
            harness.send(event("e1", "c1", 0, Channel.PHONE, InteractionType.DISCONNECTED)
                    .setAttributes(Map.of("disconnectedBy", "CUSTOMER")));
            assertThat(harness.alerts()).isEmpty();
        }
    }

    @Test
    void promoterSurveyIsNoDetractor() throws Exception {
        try (ScoringHarness harness = ScoringHarness.withSettings(SENSITIVE)) {
            harness.send(survey("e1", 0, SurveyKind.NPS, 9), survey("e2", 5, SurveyKind.CSAT, 3));
            assertThat(harness.alerts()).isEmpty();
        }
    }

    @Test
    void selfServiceFailureFollowedUpOutsideTheWindowIsNoSignal() throws Exception {
        try (ScoringHarness harness = ScoringHarness.withSettings(SENSITIVE)) {
            harness.send(event("e1", "c1", 0, Channel.SELF_SERVICE, InteractionType.SELF_SERVICE_FAILED),
                    contact("e2", 180, Channel.PHONE, null));
            assertThat(harness.alerts()).isEmpty();
        }
    }

    @Test
    void contactsAboutDifferentCasesOutsideTheRepeatWindowAreNoRepeat() throws Exception {
        try (ScoringHarness harness = ScoringHarness.withSettings(SENSITIVE)) {
            harness.send(contact("e1", 0, Channel.PHONE, "K1"),
                    contact("e2", 60 * 24 * 4, Channel.CHAT, "K2"));
            assertThat(harness.alerts()).isEmpty();
        }
    }

    @Test
    void outboundTextWithChurnWordsIsNotTheCustomersIntent() throws Exception {
        try (ScoringHarness harness = ScoringHarness.withSettings(SENSITIVE)) {
            harness.send(event("e1", "c1", 0, Channel.EMAIL, InteractionType.OUTBOUND_CONTACT)
                    .setDirection(Direction.OUTBOUND).setText("How to cancel an order"));
            assertThat(harness.alerts()).isEmpty();
        }
    }

    @Test
    void toneIsWrittenWithOneDecimalAsTheFormatPatternWould() {
        for (int hundredths = -300; hundredths <= 300; hundredths++) {
            float tone = hundredths / 100f;
            assertThat(SignalDetector.oneDecimal(tone)).as("%s", tone)
                    .isEqualTo(String.format(java.util.Locale.ROOT, "%.1f", tone));
        }
    }

    static InteractionEvent.Builder contact(String id, int minute, Channel channel, String caseId) {
        return event(id, "c1", minute, channel, InteractionType.CONTACT_STARTED).setCaseId(caseId);
    }

    static InteractionEvent.Builder survey(String id, int minute, SurveyKind kind, int score) {
        return event(id, "c1", minute, Channel.SURVEY, InteractionType.SURVEY_RESPONSE)
                .setSurveyKind(kind).setSurveyScore(score).setText("Nobody listened to me");
    }

    static Reason reasonOf(Alert alert, Signal signal) {
        return alert.getReasons().stream().filter(r -> r.getSignal().equals(signal.name()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(signal + " not in " + alert.getReasons()));
    }
}
