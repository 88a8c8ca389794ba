package dev.earlywarning.router;

import dev.earlywarning.common.metrics.EwsMetrics;
import dev.earlywarning.schema.AckAction;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertAck;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.Severity;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The customer's one responder item, from its first alert to the closed loop: alerts join it as
 * members (a {@link FlapDetector flapping} resolve is held), it is sent OPEN, UPDATED and RESOLVED,
 * escalated while unacknowledged ({@link EscalationPolicy}), and after an acknowledgement it ends
 * when a contact closes the loop, when the follow-through deadline passes, or when a RESOLVED
 * acknowledgement says there was nothing to do. Ending it releases the outreach it held back.
 */
final class ItemRouting {

    static final String CLOSED = "CLOSED";
    static final String NOT_CLOSED = "NOT_CLOSED";
    static final String RESOLVED_WITHOUT_CONTACT = "RESOLVED_WITHOUT_CONTACT";
    static final String RESOLVED_AT_SOURCE = "RESOLVED_AT_SOURCE";
    static final String EXPIRED = "EXPIRED";

    private final RouterStores stores;
    private final ItemSeverity severity;
    private final OutreachRouting outreach;
    private final CounterDataPoint loopsClosed = EwsMetrics.LOOPS.labelValues("closed");
    private final CounterDataPoint loopsNotClosed = EwsMetrics.LOOPS.labelValues("not_closed");
    private final CounterDataPoint loopsResolvedWithoutContact =
            EwsMetrics.LOOPS.labelValues("resolved_without_contact");

    ItemRouting(RouterStores stores, ItemSeverity severity, OutreachRouting outreach) {
        this.stores = stores;
        this.severity = severity;
        this.outreach = outreach;
    }

    /** A responder alert whose group window ended at {@code at}: joins, updates or leaves it. */
    void route(RouterRound round, RoutingState state, Alert alert, long at) throws Exception {
        RouterConfig config = round.config;
        String key = Grouping.memberKey(alert);
        Alert member = stores.members.get(key);
        FlapHistory flap = stores.flaps.get(key);
        boolean sameAlert = member != null && member.getAlertId().equals(alert.getAlertId());
        long triggeredAt = alert.getTriggeredAt().toEpochMilli();
        long window = config.flapWindow().toMillis();

        if (alert.getStatus() == AlertStatus.RESOLVED) {
            if (!sameAlert || member.getStatus() == AlertStatus.RESOLVED) {
                return;
            }
            stores.members.put(key, alert);
            if (flap != null && FlapDetector.isFlapping(flap, triggeredAt,
                    config.flapThreshold(), window)) {
                FlapDetector.hold(flap, Math.max(triggeredAt, at), window);
                stores.flaps.put(key, flap);
                state.holdUntil = Math.min(state.holdUntil, flap.holdUntil);
                Suppression.FLAPPING.count();
            } else {
                state.changed = true;
            }
            return;
        }
        if (sameAlert) {
            state.changed |= Grouping.materialChange(member, alert);
            stores.members.put(key, alert);
            return;
        }
        boolean heldOpen = member != null && flap != null && flap.held();
        boolean memberOpen = member != null && member.getStatus() != AlertStatus.RESOLVED;
        if (!heldOpen && !memberOpen && Silence.firstMatch(round.activeSilences(), alert) != null) {
            Suppression.SILENCED.count();
            return;
        }
        flap = flap == null ? FlapHistory.fresh() : flap;
        FlapDetector.recordOpen(flap, triggeredAt, window);
        if (heldOpen) {
            // The condition came back while its resolve was held: count it, do not re-notify.
            FlapDetector.absorbReopen(flap);
            recomputeHold(state);
            Suppression.FLAPPING.count();
        } else {
            state.changed = true;
        }
        stores.flaps.put(key, flap);
        if (!state.hasItem()) {
            state.openItem(EscalationPolicy.itemId(alert.getCustomerId(), alert.getAlertId()),
                    triggeredAt);
        }
        state.addGroupedId(alert.getAlertId());
        stores.members.put(key, alert);
        if (heldOpen) {
            recomputeHold(state);
        }
    }

    /** After the members changed: OPEN, UPDATED or RESOLVED for the item, or nothing. */
    void settle(RouterRound round, RoutingState state, long at) throws Exception {
        if (!state.hasItem()) {
            return;
        }
        Severity open = severity.ofOpenMembers();
        if (open == null) {
            if (!state.acknowledged()) {
                // Resolved at the source before anyone took it on (never sent if still grouping).
                end(round, state, at, RESOLVED_AT_SOURCE);
            }
            // Acknowledged: the follow-through still decides the loop.
            return;
        }
        if (!state.itemEmitted()) {
            state.itemOpenedAt = at;
            if (!state.acknowledged()) {
                state.ackDeadlineAt = EscalationPolicy.deadline(at, open, 0, round.config);
            }
            emit(round, state, AlertStatus.OPEN, at, null, open);
        } else if (state.changed || open.ordinal() != state.itemSeverity) {
            if (!state.acknowledged() && open.ordinal() > state.itemSeverity) {
                state.ackDeadlineAt = EscalationPolicy.tightened(state.ackDeadlineAt, at, open,
                        state.escalationLevel, round.config);
            }
            emit(round, state, AlertStatus.UPDATED, at, null, open);
        }
        state.changed = false;
    }

    void acknowledge(RouterRound round, RoutingState state, AlertAck ack, long at)
            throws Exception {
        if (!state.hasItem() || !concernsItem(state, ack.getAlertId())) {
            return;
        }
        if (ack.getAction() == AckAction.SNOOZED) {
            if (!state.acknowledged() && state.ackDeadlineAt != RoutingState.NONE) {
                state.ackDeadlineAt = Math.max(state.ackDeadlineAt,
                        at + round.config.snooze().toMillis());
            }
            return;
        }
        boolean first = !state.acknowledged();
        if (first) {
            state.ackedAt = at;
            state.ackedBy = ack.getResponder();
            state.ackDeadlineAt = RoutingState.NONE;
            state.followThroughAt = at + round.config.followThrough().toMillis();
            EwsMetrics.TIME_TO_ACK.observe(secondsSince(state.itemOpenedAt, at));
            endEscalation(round, state, at, "acknowledged");
        }
        if (state.contactAt != RoutingState.NONE) {
            closeLoop(round, state, at);
        } else if (ack.getAction() == AckAction.RESOLVED) {
            loopsResolvedWithoutContact.inc();
            end(round, state, at, RESOLVED_WITHOUT_CONTACT);
        } else if (first && state.itemEmitted()) {
            emit(round, state, AlertStatus.UPDATED, at, null, severity.ofItem(state));
        }
    }

    void contacted(RouterRound round, RoutingState state, InteractionEvent contact, long at)
            throws Exception {
        if (!state.hasItem() || at < state.itemFirstTriggeredAt) {
            return;
        }
        if (state.contactAt == RoutingState.NONE) {
            state.contactAt = at;
            state.contactEventId = contact.getEventId();
        }
        if (state.acknowledged()) {
            closeLoop(round, state, at);
        }
    }

    /** The acknowledgement deadline passed: the item goes one level up. */
    void escalate(RouterRound round, RoutingState state, long at) throws Exception {
        endEscalation(round, state, at, "superseded by level " + (state.escalationLevel + 1));
        state.escalationLevel++;
        Severity current = severity.ofItem(state);
        state.ackDeadlineAt = EscalationPolicy.deadline(at, current, state.escalationLevel,
                round.config);
        round.toResponders(ResponderItems.escalation(record(round, state, AlertStatus.UPDATED, 0,
                at, null, current), state.escalationLevel, at, state.ackDeadlineAt, round.config));
        EwsMetrics.ESCALATIONS.labelValues(String.valueOf(state.escalationLevel)).inc();
    }

    /** The follow-through deadline passed without a contact. */
    void loopNotClosed(RouterRound round, RoutingState state, long at) throws Exception {
        state.followThroughAt = RoutingState.NONE;
        Alert item = record(round, state, AlertStatus.UPDATED, 0, at, NOT_CLOSED,
                severity.ofItem(state));
        round.toResponders(ResponderItems.loopNotClosed(item, at, round.config));
        loopsNotClosed.inc();
        end(round, state, at, NOT_CLOSED);
    }

    /** Held resolves whose hold is over count as resolved now. */
    void endFlapHolds(RouterRound round, RoutingState state, long at) throws Exception {
        for (Map.Entry<String, Alert> member : stores.members.entries()) {
            FlapHistory flap = stores.flaps.get(member.getKey());
            if (flap != null && flap.holdUntil <= at) {
                flap.holdUntil = RoutingState.NONE;
                stores.flaps.put(member.getKey(), flap);
                state.changed = true;
            }
        }
        recomputeHold(state);
        settle(round, state, at);
    }

    /**
     * The item's last record (when it was ever sent), the end of its escalation, and the release
     * of the outreach it held back; then the item's state is gone.
     */
    void end(RouterRound round, RoutingState state, long at, String outcome) throws Exception {
        if (state.itemEmitted()) {
            if (!state.acknowledged()) {
                endEscalation(round, state, at, outcome.toLowerCase());
            }
            emit(round, state, AlertStatus.RESOLVED, at, outcome, severity.ofItem(state));
            RouterRound.queueGauge("responder", state.itemSeverity).dec();
        }
        List<Alert> toRelease = Grouping.sorted(ItemSeverity.list(stores.held.values()),
                Grouping.BY_TRIGGER);
        stores.held.clear();
        for (Map.Entry<String, Alert> member : stores.members.entries()) {
            FlapHistory flap = stores.flaps.get(member.getKey());
            if (flap != null && (flap.held() || flap.flapCount > 0)) {
                flap.holdUntil = RoutingState.NONE;
                flap.flapCount = 0;
                stores.flaps.put(member.getKey(), flap);
            }
        }
        stores.members.clear();
        List<String> forgotten = new ArrayList<>();
        for (Map.Entry<String, FlapHistory> flap : stores.flaps.entries()) {
            if (FlapDetector.forgettable(flap.getValue(), at,
                    round.config.flapWindow().toMillis())) {
                forgotten.add(flap.getKey());
            }
        }
        for (String key : forgotten) {
            stores.flaps.remove(key);
        }
        state.clearItem();
        outreach.release(round, state, toRelease, at);
    }

    private void closeLoop(RouterRound round, RoutingState state, long at) throws Exception {
        loopsClosed.inc();
        EwsMetrics.TIME_TO_CLOSE_LOOP.observe(secondsSince(state.itemOpenedAt, state.contactAt));
        end(round, state, at, CLOSED);
    }

    /** The current escalation record is superseded or answered: it leaves the queue. */
    private void endEscalation(RouterRound round, RoutingState state, long at, String why)
            throws Exception {
        if (state.escalationLevel > 0 && state.itemEmitted()) {
            round.toResponders(ResponderItems.escalationEnded(record(round, state,
                    AlertStatus.UPDATED, 0, at, null, severity.ofItem(state)),
                    state.escalationLevel, at, why, round.config));
        }
    }

    private void emit(RouterRound round, RoutingState state, AlertStatus status, long at,
            String outcome, Severity current) throws Exception {
        int revision = status == AlertStatus.OPEN ? 0 : state.itemRevision + 1;
        round.toResponders(record(round, state, status, revision, at, outcome, current));
        state.itemRevision = revision;
        if (status != AlertStatus.RESOLVED && current.ordinal() != state.itemSeverity) {
            if (state.itemSeverity >= 0) {
                RouterRound.queueGauge("responder", state.itemSeverity).dec();
            }
            RouterRound.queueGauge("responder", current.ordinal()).inc();
            state.itemSeverity = current.ordinal();
        }
    }

    private Alert record(RouterRound round, RoutingState state, AlertStatus status, int revision,
            long at, String outcome, Severity current) throws Exception {
        List<Alert> all = Grouping.sorted(ItemSeverity.list(stores.members.values()),
                Grouping.BY_SEVERITY);
        List<Alert> open = new ArrayList<>();
        int flapCount = 0;
        for (Alert member : all) {
            FlapHistory flap = stores.flaps.get(Grouping.memberKey(member));
            flapCount += flap == null ? 0 : flap.flapCount;
            if (ItemSeverity.isOpen(member, flap)) {
                open.add(member);
            }
        }
        // A resolved record still shows what it was about; an open one only what is still open.
        List<Alert> shown = status == AlertStatus.RESOLVED || open.isEmpty() ? all : open;
        List<Alert> heldOutreach = Grouping.sorted(ItemSeverity.list(stores.held.values()),
                Grouping.BY_TRIGGER);
        return ResponderItems.item(new ResponderItems.Item(round.customerId, state, shown,
                heldOutreach, flapCount, current), status, revision, at, outcome, round.config);
    }

    private void recomputeHold(RoutingState state) throws Exception {
        long hold = RoutingState.NONE;
        for (String key : stores.members.keys()) {
            FlapHistory flap = stores.flaps.get(key);
            if (flap != null) {
                hold = Math.min(hold, flap.holdUntil);
            }
        }
        state.holdUntil = hold;
    }

    /** An acknowledgement may name the item, any alert grouped into it, or one of its escalations. */
    private static boolean concernsItem(RoutingState state, String alertId) {
        if (alertId.equals(state.itemId) || Arrays.asList(state.groupedAlertIds).contains(alertId)) {
            return true;
        }
        for (int level = 1; level <= state.escalationLevel; level++) {
            if (alertId.equals(EscalationPolicy.escalationId(state.itemId, level))) {
                return true;
            }
        }
        return false;
    }

    private static double secondsSince(long from, long to) {
        return from == RoutingState.NONE ? 0 : Math.max(0, to - from) / 1000.0;
    }
}
