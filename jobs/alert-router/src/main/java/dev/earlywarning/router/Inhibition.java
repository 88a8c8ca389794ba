package dev.earlywarning.router;

import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.Severity;
import java.time.Duration;

/**
 * Inhibition: nobody should get a voucher email while a supervisor handles their complaint. While
 * the customer's responder item is open at {@code inhibit-from} severity or above (HIGH by
 * default), new outreach is held and attached to the item instead of being sent. When the item
 * ends, each held outreach is released if it is still relevant: not resolved at its source, not
 * past its own {@code dueBy}, and not held longer than {@code outreach-max-hold}.
 */
final class Inhibition {

    private Inhibition() {}

    static boolean inhibits(Severity itemSeverity, Severity inhibitFrom) {
        return itemSeverity != null && itemSeverity.ordinal() >= inhibitFrom.ordinal();
    }

    static boolean stillRelevant(Alert held, long at, Duration maxHold) {
        return held.getStatus() != AlertStatus.RESOLVED
                && (held.getDueBy() == null || held.getDueBy().toEpochMilli() > at)
                && at - held.getTriggeredAt().toEpochMilli() <= maxHold.toMillis();
    }
}
