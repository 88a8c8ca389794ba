package dev.earlywarning.router;

import dev.earlywarning.schema.AckAction;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertAck;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.Audience;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.Direction;
import dev.earlywarning.schema.Gesture;
import dev.earlywarning.schema.GestureKind;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import dev.earlywarning.schema.Reason;
import dev.earlywarning.schema.Severity;
import dev.earlywarning.schema.TimelineEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Alerts, acknowledgements and contacts for router tests, timed in seconds after {@link #T0}. */
final class TestAlerts {

    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    private TestAlerts() {}

    static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    static Instant minutes(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    /** An OPEN responder alert of a detector, with one reason and one timeline entry. */
    static Alert.Builder responder(String id, String customer, AlertKind kind, Severity severity,
            Instant triggeredAt) {
        return Alert.newBuilder()
                .setAlertId(id)
                .setRevision(0)
                .setDedupKey(kind + ":" + customer)
                .setKind(kind)
                .setSeverity(severity)
                .setStatus(AlertStatus.OPEN)
                .setCustomerId(customer)
                .setCustomerName("Ana Silva")
                .setCaseId("K-" + customer)
                .setTriggeredAt(triggeredAt)
                .setEmittedAt(triggeredAt)
                .setScore(0.7)
                .setReasons(List.of(Reason.newBuilder().setSignal(kind.name() + "_SIGNAL")
                        .setContribution(0.7).setDetail("evidence of " + id)
                        .setEvidenceEventIds(List.of("ev-" + id)).build()))
                .setTimeline(List.of(TimelineEntry.newBuilder().setAt(triggeredAt)
                        .setChannel(Channel.PHONE).setType("COMPLAINT").setSummary("about " + id)
                        .setEventId("ev-" + id).build()))
                .setSuggestedAction("Call back about " + id)
                .setAudience(Audience.RESPONDER)
                .setSourceJob("detector")
                .setEscalationLevel(0);
    }

    /** An OPEN outreach alert proposing a voucher, as the shipping-delay job writes them. */
    static Alert.Builder outreach(String id, String customer, Instant triggeredAt) {
        return responder(id, customer, AlertKind.SHIPPING_DELAY_PREDICTED, Severity.WARNING,
                triggeredAt)
                .setDedupKey("SHIPPING_DELAY_PREDICTED:" + id)
                .setAudience(Audience.OUTREACH)
                .setOrderId("order-" + id)
                .setSourceJob("shipping-delay")
                .setAttributes(Map.of("regionId", "NE"))
                .setGesture(Gesture.newBuilder().setKind(GestureKind.VOUCHER).setAmountCents(1500)
                        .setCurrency("EUR").setMessage("Sorry for the delay").build());
    }

    /** The next revision of {@code alert} with a new status, triggered at {@code at}. */
    static Alert.Builder revised(Alert.Builder alert, AlertStatus status, int revision, Instant at) {
        return Alert.newBuilder(alert.build()).setStatus(status).setRevision(revision)
                .setTriggeredAt(at);
    }

    static AlertAck ack(String alertId, String customer, AckAction action, Instant at) {
        return AlertAck.newBuilder().setAlertId(alertId).setCustomerId(customer)
                .setResponder("rita").setAction(action).setOccurredAt(at).build();
    }

    static InteractionEvent outboundCall(String eventId, String customer, Instant at) {
        return InteractionEvent.newBuilder().setEventId(eventId).setCustomerId(customer)
                .setChannel(Channel.PHONE).setType(InteractionType.OUTBOUND_CONTACT)
                .setDirection(Direction.OUTBOUND).setOccurredAt(at).build();
    }
}
