package dev.earlywarning.router;

import dev.earlywarning.common.kafka.RecordType;
import dev.earlywarning.common.kafka.RecordTypes;
import dev.earlywarning.schema.AckAction;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertAck;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Builds the {@code AlertAck} a responder sends (the {@code ews ack} command, a desktop button),
 * checked against the same contract rules the router applies on the way in, so that a bad ack is
 * refused where it is typed instead of becoming a dead letter later.
 *
 * <p>The router accepts an acknowledgement of a responder item by the item's alertId, by any
 * alert grouped into it, or by one of its {@code ALERT_UNACKNOWLEDGED} escalations.
 */
public final class Acks {

    /** How far ahead of the clock an ack may be dated, as the router's input validation allows. */
    static final Duration MAX_FUTURE_SKEW = Duration.ofDays(1);

    private Acks() {}

    /** Reads an action case-insensitively ({@code ack}, {@code acknowledged}, {@code resolve}, ...). */
    public static AckAction action(String text) {
        String normalized = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
        return switch (normalized) {
            case "ACK", "ACKNOWLEDGE", "ACKNOWLEDGED" -> AckAction.ACKNOWLEDGED;
            case "RESOLVE", "RESOLVED" -> AckAction.RESOLVED;
            case "SNOOZE", "SNOOZED" -> AckAction.SNOOZED;
            default -> throw new IllegalArgumentException("Unknown ack action '" + text
                    + "': expected one of " + List.of(AckAction.values()));
        };
    }

    /** An acknowledgement of {@code alertId}; throws with the broken rule if it is invalid. */
    public static AlertAck build(String alertId, String customerId, String responder,
            AckAction action, Instant occurredAt, String note) {
        if (action == null || occurredAt == null) {
            throw new IllegalArgumentException("An ack needs an action and a time");
        }
        AlertAck ack = AlertAck.newBuilder()
                .setAlertId(strip(alertId))
                .setCustomerId(strip(customerId))
                .setResponder(strip(responder))
                .setAction(action)
                .setOccurredAt(occurredAt)
                .setNote(note == null || note.isBlank() ? null : note.strip())
                .build();
        String problem = RecordTypes.ALERT_ACK.validator().problem(ack,
                new RecordType.Limits(System.currentTimeMillis(), MAX_FUTURE_SKEW.toMillis()));
        if (problem != null) {
            throw new IllegalArgumentException("Invalid ack: " + problem);
        }
        return ack;
    }

    /** An acknowledgement of a queue item, addressed to the item's customer. */
    public static AlertAck forAlert(Alert alert, String responder, AckAction action,
            Instant occurredAt, String note) {
        return build(alert.getAlertId(), alert.getCustomerId(), responder, action, occurredAt, note);
    }

    private static String strip(String value) {
        return value == null ? "" : value.strip();
    }
}
