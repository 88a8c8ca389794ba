package dev.earlywarning.cli;

import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.AlertStatus;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the demo has seen so far, for its status line: the detectors' alerts by kind, and what
 * the router made of them (items, escalations, loops closed and not).
 */
final class DemoTally {

    private final Map<AlertKind, Long> alertsByKind = new EnumMap<>(AlertKind.class);
    private long items;
    private long escalations;
    private long loopsClosed;
    private long loopsNotClosed;
    private long gestures;
    private long deadLetters;

    /** A detector's alert on ews.alerts: only new ones count. */
    void alert(Alert alert) {
        if (alert.getStatus() == AlertStatus.OPEN) {
            alertsByKind.merge(alert.getKind(), 1L, Long::sum);
        }
    }

    void responderItem(Alert item) {
        if (item.getStatus() == AlertStatus.OPEN) {
            switch (item.getKind()) {
                case ALERT_UNACKNOWLEDGED -> escalations++;
                case LOOP_NOT_CLOSED -> loopsNotClosed++;
                default -> items++;
            }
        } else if (item.getStatus() == AlertStatus.RESOLVED
                && "CLOSED".equals(item.getAttributes().get("loopOutcome"))) {
            loopsClosed++;
        }
    }

    void outreachItem(Alert item) {
        if (item.getStatus() == AlertStatus.OPEN && item.getGesture() != null) {
            gestures++;
        }
    }

    void deadLetter() {
        deadLetters++;
    }

    long escalations() {
        return escalations;
    }

    /** {@code alerts at-risk 12 due-soon 3 | queue 9 items, 2 escalated, 1 closed, ...}. */
    String summary() {
        StringBuilder kinds = new StringBuilder();
        alertsByKind.forEach((kind, count) -> kinds.append(' ').append(shortName(kind))
                .append(' ').append(count));
        return String.format(Locale.ROOT, "alerts%s | queue %d items, %d escalated, %d loops"
                        + " closed, %d not | %d gestures | %d dead letters",
                kinds.length() == 0 ? " 0" : kinds, items, escalations, loopsClosed,
                loopsNotClosed, gestures, deadLetters);
    }

    static String shortName(AlertKind kind) {
        return switch (kind) {
            case AT_RISK_CUSTOMER -> "at-risk";
            case CALLBACK_DUE_SOON -> "due-soon";
            case CALLBACK_BREACHED -> "breached";
            case FOLLOW_UP_OVERDUE -> "follow-up";
            case SHIPPING_DELAY_PREDICTED -> "delay";
            case ALERT_UNACKNOWLEDGED -> "unacked";
            case LOOP_NOT_CLOSED -> "loop-open";
        };
    }
}
