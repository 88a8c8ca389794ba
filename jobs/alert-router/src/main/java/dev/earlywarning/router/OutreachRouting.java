package dev.earlywarning.router;

import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertStatus;
import java.util.List;

/**
 * The outreach queue's decisions for one customer: a new contact is silenced, held behind a
 * severe responder item ({@link Inhibition}), refused over the {@link FatigueBudget}, or sent;
 * revisions of a sent contact follow it, and a held one is released when the item ends.
 */
final class OutreachRouting {

    private final RouterStores stores;
    private final ItemSeverity severity;

    OutreachRouting(RouterStores stores, ItemSeverity severity) {
        this.stores = stores;
        this.severity = severity;
    }

    /** An outreach alert whose group window ended at {@code at}. */
    void route(RouterRound round, RoutingState state, Alert alert, long at) throws Exception {
        String id = alert.getAlertId();
        OutreachRecord record = stores.outreach.get(id);
        if (record != null) {
            if (record.delivered) {
                // Revisions of a sent outreach follow it: an update or a retraction is no new contact.
                emit(round, alert, alert.getStatus(), record.revision + 1, at, false, record);
            } else if (alert.getStatus() == AlertStatus.RESOLVED) {
                stores.outreach.remove(id);
            }
            return;
        }
        if (stores.held.contains(id)) {
            if (alert.getStatus() == AlertStatus.RESOLVED) {
                stores.held.remove(id);
                state.changed = true;
            } else {
                stores.held.put(id, alert);
            }
            return;
        }
        if (alert.getStatus() != AlertStatus.RESOLVED) {
            decide(round, state, alert, at, false);
        }
    }

    /** Outreach the ended item held back, oldest first, if it is still worth sending. */
    void release(RouterRound round, RoutingState state, List<Alert> held, long at)
            throws Exception {
        for (Alert alert : held) {
            if (Inhibition.stillRelevant(alert, at, round.config.outreachMaxHold())) {
                decide(round, state, alert, at, true);
            }
        }
    }

    /** A new outreach contact: silenced, held, over budget or sent. */
    private void decide(RouterRound round, RoutingState state, Alert alert, long at,
            boolean released) throws Exception {
        RouterConfig config = round.config;
        if (Silence.firstMatch(round.activeSilences(), alert) != null) {
            Suppression.SILENCED.count();
            return;
        }
        if (!released && Inhibition.inhibits(severity.current(state), config.inhibitFrom())) {
            stores.held.put(alert.getAlertId(), alert);
            state.changed = true;
            Suppression.INHIBITED.count();
            return;
        }
        long period = config.outreachBudgetPeriod().toMillis();
        if (!FatigueBudget.allows(state.outreachSentAt, at, config.outreachBudget(), period)) {
            stores.outreach.put(alert.getAlertId(),
                    OutreachRecord.overBudget(alert.getSeverity().ordinal()));
            Suppression.OVER_BUDGET.count();
            return;
        }
        state.outreachSentAt = FatigueBudget.record(state.outreachSentAt, at, period);
        emit(round, alert, AlertStatus.OPEN, 0, at, released, null);
    }

    private void emit(RouterRound round, Alert source, AlertStatus status, int revision, long at,
            boolean released, OutreachRecord previous) throws Exception {
        round.toOutreach(ResponderItems.outreach(source, status, revision, at, released));
        if (previous != null) {
            RouterRound.queueGauge("outreach", previous.severity).dec();
        }
        if (status == AlertStatus.RESOLVED) {
            stores.outreach.remove(source.getAlertId());
        } else {
            stores.outreach.put(source.getAlertId(),
                    OutreachRecord.delivered(revision, source.getSeverity().ordinal()));
            RouterRound.queueGauge("outreach", source.getSeverity().ordinal()).inc();
        }
    }
}
