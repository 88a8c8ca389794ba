package dev.earlywarning.router;

import dev.earlywarning.common.AlertIds;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.Severity;

/**
 * Priorities, acknowledgement deadlines and escalation levels. A responder item gets priority P1
 * (CRITICAL) to P4 (INFO); each escalation level raises it by one, down to P1. An item not
 * acknowledged within its severity's {@code ack-deadline.<severity>} is escalated one level, up to
 * {@code max-escalation-level}; from {@code supervisor-level} on it is routed to supervisors.
 * Escalation and loop records have ids derived from the item and the level, so a replay yields
 * the same ids.
 */
final class EscalationPolicy {

    static final String RESPONDERS = "responders";
    static final String SUPERVISORS = "supervisors";

    private EscalationPolicy() {}

    static String priority(Severity severity, int level) {
        int base = Severity.CRITICAL.ordinal() - severity.ordinal() + 1;
        return "P" + Math.max(1, base - level);
    }

    static String routeTo(int level, RouterConfig config) {
        return level >= config.supervisorLevel() ? SUPERVISORS : RESPONDERS;
    }

    /** The acknowledgement deadline of an item at {@code level} whose clock starts at {@code from}. */
    static long deadline(long from, Severity severity, int level, RouterConfig config) {
        return level >= config.maxEscalationLevel() ? RoutingState.NONE
                : from + config.ackDeadline(severity).toMillis();
    }

    /** A more severe update can only bring the deadline closer, never push it away. */
    static long tightened(long current, long now, Severity severity, int level,
            RouterConfig config) {
        return current == RoutingState.NONE ? current
                : Math.min(current, deadline(now, severity, level, config));
    }

    static String escalationId(String itemId, int level) {
        return AlertIds.of(AlertKind.ALERT_UNACKNOWLEDGED.name(), itemId, String.valueOf(level));
    }

    static String loopId(String itemId, int level) {
        return AlertIds.of(AlertKind.LOOP_NOT_CLOSED.name(), itemId, String.valueOf(level));
    }

    static String itemId(String customerId, String firstAlertId) {
        return AlertIds.of("RESPONDER_ITEM", customerId, firstAlertId);
    }
}
