package dev.earlywarning.cli.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.Gesture;
import dev.earlywarning.schema.GestureKind;
import dev.earlywarning.schema.Reason;
import dev.earlywarning.schema.Severity;
import dev.earlywarning.schema.TimelineEntry;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertRendererTest {

    private final AlertRenderer renderer = new AlertRenderer(false, ZoneOffset.UTC);

    @Test
    void headerSaysHowBadWhoAndWhichCase() {
        assertThat(renderer.header(alert())).isEqualTo(
                "[HIGH] AT_RISK_CUSTOMER OPEN  Ana Silva (c-123)  score 0.82  case K-7");
    }

    @Test
    void headerFallsBackToTheCustomerIdAndLeavesOutWhatIsMissing() {
        Alert alert = Alert.newBuilder(alert()).setCustomerName(null).setScore(null).setCaseId(null)
                .setKind(AlertKind.CALLBACK_BREACHED).setSeverity(Severity.CRITICAL)
                .setCommitmentId("cb-9").build();
        assertThat(renderer.header(alert))
                .isEqualTo("[CRITICAL] CALLBACK_BREACHED OPEN  c-123  commitment cb-9");
    }

    @Test
    void bodyShowsReasonsTimelineNewestFirstAndTheSuggestedAction() {
        String text = renderer.render(alert());
        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).startsWith("[HIGH] AT_RISK_CUSTOMER OPEN");
        assertThat(lines.get(1)).contains("triggered 2025-03-04 10:15:00 Z by at-risk-scoring, alert a-1");
        assertThat(text).contains("  why:\n"
                + "    repeated-contact    55%  3 contacts in 2 h across CHAT, EMAIL, PHONE\n"
                + "    negative-sentiment  27%  sentiment fell to -0.85\n");
        int newest = text.indexOf("03-04 10:14  PHONE");
        int middle = text.indexOf("03-04 09:40  EMAIL");
        int oldest = text.indexOf("03-04 09:02  CHAT");
        assertThat(newest).isPositive().isLessThan(middle);
        assertThat(middle).isLessThan(oldest);
        assertThat(text).contains("ESCALATION          Escalated to a supervisor");
        assertThat(text).contains("  gesture: VOUCHER 15.00 EUR  \"Sorry for the trouble\"");
        assertThat(lines.get(lines.size() - 1))
                .isEqualTo("  -> Call Ana today; do not ask her to repeat the story");
        assertThat(text).doesNotContain("\u001b[");
    }

    @Test
    void longSummariesAreCutAndColorsOnlyWhenAsked() {
        Alert alert = Alert.newBuilder(alert()).setTimeline(List.of(new TimelineEntry(
                Instant.parse("2025-03-04T10:00:00Z"), Channel.EMAIL, "MESSAGE",
                "x".repeat(300), null))).build();
        assertThat(renderer.render(alert)).contains("x".repeat(93) + "...").doesNotContain("x".repeat(94));
        assertThat(new AlertRenderer(true, ZoneOffset.UTC).render(alert)).contains("\u001b[1;31m[HIGH]");
    }

    @Test
    void jsonIsOnePlainObjectPerLine() throws Exception {
        String json = renderer.json(alert());
        assertThat(json).doesNotContain("\n");
        JsonNode node = new ObjectMapper().readTree(json);
        assertThat(node.get("alertId").asText()).isEqualTo("a-1");
        assertThat(node.get("kind").asText()).isEqualTo("AT_RISK_CUSTOMER");
        assertThat(node.get("score").asDouble()).isEqualTo(0.82);
        assertThat(node.get("triggeredAt").asText()).isEqualTo("2025-03-04T10:15:00Z");
        assertThat(node.get("caseId").asText()).isEqualTo("K-7");
        assertThat(node.get("orderId").isNull()).isTrue();
        assertThat(node.get("reasons").get(0).get("signal").asText()).isEqualTo("repeated-contact");
        assertThat(node.get("timeline")).hasSize(3);
        assertThat(node.get("gesture").get("amountCents").asLong()).isEqualTo(1500);
    }

    static Alert alert() {
        return Alert.newBuilder()
                .setAlertId("a-1")
                .setDedupKey("c-123/at-risk")
                .setKind(AlertKind.AT_RISK_CUSTOMER)
                .setSeverity(Severity.HIGH)
                .setStatus(AlertStatus.OPEN)
                .setCustomerId("c-123")
                .setCustomerName("Ana Silva")
                .setCaseId("K-7")
                .setTriggeredAt(Instant.parse("2025-03-04T10:15:00Z"))
                .setEmittedAt(Instant.parse("2025-03-04T10:15:02Z"))
                .setScore(0.82)
                .setReasons(List.of(
                        new Reason("repeated-contact", 0.55, "3 contacts in 2 h across CHAT, EMAIL, PHONE",
                                List.of("e1", "e2", "e3")),
                        new Reason("negative-sentiment", 0.27, "sentiment fell to -0.85", List.of("e3"))))
                // deliberately not newest first: the renderer orders it
                .setTimeline(List.of(
                        new TimelineEntry(Instant.parse("2025-03-04T09:40:00Z"), Channel.EMAIL,
                                "ESCALATION", "Escalated to a supervisor", "e2"),
                        new TimelineEntry(Instant.parse("2025-03-04T10:14:00Z"), Channel.PHONE,
                                "MESSAGE", "Wants to cancel my account", "e3"),
                        new TimelineEntry(Instant.parse("2025-03-04T09:02:00Z"), Channel.CHAT,
                                "CONTACT_STARTED", "I received a package I never ordered", "e1")))
                .setSuggestedAction("Call Ana today; do not ask her to repeat the story")
                .setGesture(new Gesture(GestureKind.VOUCHER, 1500L, "EUR", "Sorry for the trouble"))
                .setSourceJob("at-risk-scoring")
                .build();
    }
}
