package dev.earlywarning.router;

import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The severity of the customer's responder item, read from its members: what the item shows, what
 * inhibits outreach, and where escalation deadlines come from.
 */
final class ItemSeverity {

    private final RouterStores stores;

    ItemSeverity(RouterStores stores) {
        this.stores = stores;
    }

    /** Max severity of the open members, or null when none is open. */
    Severity ofOpenMembers() throws Exception {
        List<Alert> open = new ArrayList<>();
        for (Map.Entry<String, Alert> member : stores.members.entries()) {
            if (isOpen(member.getValue(), stores.flaps.get(member.getKey()))) {
                open.add(member.getValue());
            }
        }
        return Grouping.maxSeverity(open);
    }

    /** For inhibition: the open members', or as last sent while the item awaits the loop. */
    Severity current(RoutingState state) throws Exception {
        if (!state.hasItem()) {
            return null;
        }
        Severity open = ofOpenMembers();
        return open != null ? open
                : state.itemSeverity >= 0 ? Severity.values()[state.itemSeverity] : null;
    }

    /** As {@link #current}, else the highest of all members, resolved ones included. */
    Severity ofItem(RoutingState state) throws Exception {
        Severity severity = current(state);
        return severity != null ? severity
                : Grouping.maxSeverity(Grouping.sorted(list(stores.members.values()),
                        Grouping.BY_TRIGGER));
    }

    /** A resolved member still counts as open while its resolve is held (it is flapping). */
    static boolean isOpen(Alert member, FlapHistory flap) {
        return member.getStatus() != AlertStatus.RESOLVED || (flap != null && flap.held());
    }

    static <T> List<T> list(Iterable<T> values) {
        List<T> list = new ArrayList<>();
        values.forEach(list::add);
        return list;
    }
}
