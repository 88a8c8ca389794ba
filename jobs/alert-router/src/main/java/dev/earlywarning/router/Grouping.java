package dev.earlywarning.router;

import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.Reason;
import dev.earlywarning.schema.Severity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which alert records go out together, like Alertmanager's group_wait: the first record waiting
 * for a customer opens a window of {@code group-wait} in event time, and every record triggered
 * before the window ends is decided with it. A record triggered at or after the end opens the next
 * window, whenever it happens to arrive, so the groups depend on the records' times only.
 */
final class Grouping {

    /** Order of decision within a group: by trigger time, then revision, then id. */
    static final Comparator<Alert> BY_TRIGGER = Comparator
            .comparing((Alert a) -> a.getTriggeredAt().toEpochMilli())
            .thenComparingInt(Alert::getRevision)
            .thenComparing(Alert::getAlertId);

    /** Order of members in an item: most severe first, then oldest. */
    static final Comparator<Alert> BY_SEVERITY = Comparator
            .comparing((Alert a) -> a.getSeverity().ordinal()).reversed()
            .thenComparing(BY_TRIGGER);

    private Grouping() {}

    /** When the window opened by a record triggered at {@code triggeredAt} closes. */
    static long windowEnd(long triggeredAt, Duration groupWait) {
        return triggeredAt + groupWait.toMillis();
    }

    /** Whether a record triggered at {@code triggeredAt} belongs to the window closing at {@code end}. */
    static boolean inWindow(long triggeredAt, long end, Duration groupWait) {
        // A zero wait still has to take the records of its own instant, or nothing would ever leave.
        return groupWait.isZero() ? triggeredAt <= end : triggeredAt < end;
    }

    /** The members of an item are keyed by condition, so a reopen under a new id replaces the old. */
    static String memberKey(Alert alert) {
        String dedupKey = alert.getDedupKey();
        return dedupKey == null || dedupKey.isBlank() ? alert.getAlertId() : dedupKey;
    }

    /** Whether replacing {@code before} by {@code after} is worth telling the responder. */
    static boolean materialChange(Alert before, Alert after) {
        if (after.getSeverity().ordinal() > before.getSeverity().ordinal()
                || before.getStatus() == AlertStatus.RESOLVED) {
            return true;
        }
        Set<String> known = before.getReasons().stream().map(Reason::getSignal)
                .collect(Collectors.toSet());
        return after.getReasons().stream().anyMatch(r -> !known.contains(r.getSignal()));
    }

    static Severity maxSeverity(Collection<Alert> alerts) {
        Severity max = null;
        for (Alert alert : alerts) {
            if (max == null || alert.getSeverity().ordinal() > max.ordinal()) {
                max = alert.getSeverity();
            }
        }
        return max;
    }

    static List<Alert> sorted(Collection<Alert> alerts, Comparator<Alert> order) {
        List<Alert> list = new ArrayList<>(alerts);
        list.sort(order);
        return list;
    }
}
