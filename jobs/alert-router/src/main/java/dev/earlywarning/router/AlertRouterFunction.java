package dev.earlywarning.router;

import dev.earlywarning.common.config.ConfigException;
import dev.earlywarning.common.kafka.AvroCodec;
import dev.earlywarning.common.kafka.DeadLetterReason;
import dev.earlywarning.common.kafka.DeadLetters;
import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.common.metrics.EwsMetrics;
import dev.earlywarning.common.time.EventTime;
import dev.earlywarning.schema.AckAction;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertAck;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.Audience;
import dev.earlywarning.schema.ControlCommand;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.Severity;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Routes every detector's alerts for one customer (the key) to the responder queue (main output)
 * and the outreach queue ({@link #OUTREACH} side output), and follows each responder item until
 * the loop with the customer is closed.
 *
 * <p><b>Decisions</b>, in the order a record meets them: a redelivered or stale (alertId,
 * revision) is dropped ({@code duplicate}); records wait for their {@link Grouping group window};
 * a new responder alert matching a {@link Silence} is dropped ({@code silenced}), otherwise it
 * joins the customer's one open item (members keyed by condition, so UPDATED and RESOLVED replace
 * rather than add) and a {@link FlapDetector flapping} resolve is held ({@code flapping}); new
 * outreach is silenced, held behind a HIGH or CRITICAL item ({@link Inhibition}, {@code
 * inhibited}), refused over the {@link FatigueBudget} ({@code over_budget}), or sent. An item not
 * acknowledged by its severity's deadline is re-emitted as {@code ALERT_UNACKNOWLEDGED} one level
 * up ({@link EscalationPolicy}); an acknowledgement (of the item, any grouped alert or an
 * escalation) stops that at once and starts the follow-through: an outbound contact or connected
 * callback ({@link Contacts}) closes the loop, the deadline passing emits {@code LOOP_NOT_CLOSED},
 * and a RESOLVED acknowledgement without any contact is recorded as resolved without contact.
 *
 * <p><b>Time</b>: event time throughout, and nothing is decided on arrival. Alerts wait in
 * {@code pending} until their group window ends; acknowledgements and contacts wait in
 * {@code inbox} until the watermark reaches their own time; one timer per customer then works
 * through everything due (group windows, inbox, flap holds, ack deadlines, follow-through) in
 * event-time order. So an acknowledgement always beats an escalation due after it, a contact read
 * from another topic before the alert still counts, and the output depends on the records' times,
 * not on which topic happened to be read first. Records later than the allowed lateness go to the
 * dead-letter topic with reason {@code late}; within it they still count, but a decision already
 * made (an escalation already sent) is not taken back.
 *
 * <p><b>State</b>: a small {@link RoutingState} plus map state for pending alerts, the inbox, the
 * item's members, flap histories, held outreach, the outreach queue's records and the
 * (alertId, revision) tombstones. The item's part is cleared the moment the item ends (loop
 * closed or not, resolved at source, resolved without contact); the rest once the customer has
 * been quiet for {@code state-retention} and the last outreach has left the budget period, by
 * the same timer. Map states also carry a TTL as a backstop.
 */
class AlertRouterFunction extends KeyedBroadcastProcessFunction<String, RouterInput,
        Ingested<ControlCommand>, Alert> {

    private static final long serialVersionUID = 1L;
    /** Coarse clean-up checks: at most one timer move per customer per hour of activity. */
    private static final long CLEANUP_GRANULARITY = Duration.ofHours(1).toMillis();

    static final OutputTag<Alert> OUTREACH =
            new OutputTag<>("outreach-queue", new AvroTypeInfo<>(Alert.class));

    static final ValueStateDescriptor<RoutingState> ROUTING =
            new ValueStateDescriptor<>("routing", TypeInformation.of(RoutingState.class));

    /** Reasons of {@code ews_router_suppressed_total}. */
    enum Suppression {
        DUPLICATE, SILENCED, INHIBITED, OVER_BUDGET, FLAPPING;

        String label() {
            return name().toLowerCase();
        }
    }

    static final String CLOSED = "CLOSED";
    static final String NOT_CLOSED = "NOT_CLOSED";
    static final String RESOLVED_WITHOUT_CONTACT = "RESOLVED_WITHOUT_CONTACT";
    static final String RESOLVED_AT_SOURCE = "RESOLVED_AT_SOURCE";
    static final String EXPIRED = "EXPIRED";

    private final RouterConfig startConfig;
    private final long allowedLatenessMillis;
    private final String alertsTopic;
    private final String acksTopic;
    private final String interactionsTopic;
    private final String controlTopic;

    private transient ValueState<RoutingState> routing;
    private transient MapState<String, RouterInput> pending;
    private transient MapState<String, RouterInput> inbox;
    private transient MapState<String, Alert> members;
    private transient MapState<String, FlapHistory> flaps;
    private transient MapState<String, Alert> held;
    private transient MapState<String, OutreachRecord> outreach;
    private transient MapState<String, Integer> seenRevisions;

    private transient RouterConfig config;
    private transient String appliedOverrides;
    private transient RouterControl.SilenceCache silences;
    private transient Map<Suppression, CounterDataPoint> suppressed;
    private transient CounterDataPoint loopsClosed;
    private transient CounterDataPoint loopsNotClosed;
    private transient CounterDataPoint loopsResolvedWithoutContact;
    private transient CounterDataPoint lateRecords;
    private transient CounterDataPoint invalidControl;
    private transient DistributionDataPoint latency;
    private transient AvroCodec<Alert> alertCodec;
    private transient AvroCodec<AlertAck> ackCodec;
    private transient AvroCodec<InteractionEvent> interactionCodec;
    private transient AvroCodec<ControlCommand> controlCodec;

    /** Per call: where records go, and the wall-clock entry time of the record that caused them. */
    private transient ReadOnlyContext ctx;
    private transient Collector<Alert> out;
    private transient String customerId;
    private transient long triggerIngestedAt;

    AlertRouterFunction(RouterConfig config, Duration allowedLateness, String alertsTopic,
            String acksTopic, String interactionsTopic, String controlTopic) {
        this.startConfig = config;
        this.allowedLatenessMillis = allowedLateness.toMillis();
        this.alertsTopic = alertsTopic;
        this.acksTopic = acksTopic;
        this.interactionsTopic = interactionsTopic;
        this.controlTopic = controlTopic;
    }

    @Override
    public void open(OpenContext openContext) {
        // Belt and braces: the clean-up timer clears every map; the TTL bounds them regardless.
        StateTtlConfig ttl = StateTtlConfig.newBuilder(startConfig.stateRetention().multipliedBy(2))
                .cleanupInRocksdbCompactFilter(1000).build();
        routing = getRuntimeContext().getState(ROUTING);
        pending = mapState("pending-alerts", RouterInput.TYPE, ttl);
        inbox = mapState("inbox", RouterInput.TYPE, ttl);
        members = mapState("item-members", new AvroTypeInfo<>(Alert.class), ttl);
        flaps = mapState("flap-histories", TypeInformation.of(FlapHistory.class), ttl);
        held = mapState("held-outreach", new AvroTypeInfo<>(Alert.class), ttl);
        outreach = mapState("outreach-records", TypeInformation.of(OutreachRecord.class), ttl);
        seenRevisions = mapState("seen-revisions", Types.INT, ttl);

        config = startConfig;
        silences = new RouterControl.SilenceCache();
        suppressed = new EnumMap<>(Suppression.class);
        for (Suppression reason : Suppression.values()) {
            suppressed.put(reason, EwsMetrics.ROUTER_SUPPRESSED.labelValues(reason.label()));
        }
        loopsClosed = EwsMetrics.LOOPS.labelValues("closed");
        loopsNotClosed = EwsMetrics.LOOPS.labelValues("not_closed");
        loopsResolvedWithoutContact = EwsMetrics.LOOPS.labelValues("resolved_without_contact");
        lateRecords = EwsMetrics.DEAD_LETTERS.labelValues(AlertRouterJob.NAME,
                DeadLetterReason.LATE.label());
        invalidControl = EwsMetrics.DEAD_LETTERS.labelValues(AlertRouterJob.NAME,
                DeadLetterReason.INVALID_CONTROL.label());
        latency = EwsMetrics.ALERT_LATENCY.labelValues(AlertRouterJob.NAME);
        alertCodec = new AvroCodec<>(Alert.class);
        ackCodec = new AvroCodec<>(AlertAck.class);
        interactionCodec = new AvroCodec<>(InteractionEvent.class);
        controlCodec = new AvroCodec<>(ControlCommand.class);
    }

    private <V> MapState<String, V> mapState(String name, TypeInformation<V> type,
            StateTtlConfig ttl) {
        MapStateDescriptor<String, V> descriptor = new MapStateDescriptor<>(name, Types.STRING, type);
        descriptor.enableTimeToLive(ttl);
        return getRuntimeContext().getMapState(descriptor);
    }

    // ---------------------------------------------------------------- arrival: store, never decide

    @Override
    public void processElement(RouterInput in, ReadOnlyContext ctx, Collector<Alert> out)
            throws Exception {
        long at = in.eventTime();
        if (EventTime.isTooLate(at, ctx.timerService().currentWatermark(), allowedLatenessMillis)) {
            deadLetterLate(in, ctx);
            return;
        }
        refreshConfig(ctx);
        RoutingState state = routing.value();
        state = state == null ? RoutingState.fresh() : state;
        if (in.alert != null) {
            Alert alert = in.alert;
            Integer seen = seenRevisions.get(alert.getAlertId());
            if (seen != null && alert.getRevision() <= seen) {
                suppressed.get(Suppression.DUPLICATE).inc();
                return;
            }
            seenRevisions.put(alert.getAlertId(), alert.getRevision());
            // Each revision waits on its own: it belongs to the window of its own trigger time.
            pending.put(pendingKey(alert), in);
            state.flushAt = Math.min(state.flushAt, Grouping.windowEnd(at, config.groupWait()));
            state.lastActivityAt = maxTime(state.lastActivityAt, at);
        } else {
            String key = in.inboxKey();
            if (inbox.contains(key)) {
                return;
            }
            inbox.put(key, in);
            state.inboxAt = Math.min(state.inboxAt, at);
            if (in.ack != null) {
                state.lastActivityAt = maxTime(state.lastActivityAt, at);
            }
        }
        schedule(state, ctx.timerService());
        routing.update(state);
    }

    // ---------------------------------------------------------------- event time: decide in order

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        RoutingState state = routing.value();
        if (state == null) {
            return;
        }
        refreshConfig(ctx);
        this.ctx = ctx;
        this.out = out;
        this.customerId = ctx.getCurrentKey();
        state.timerAt = RoutingState.NONE;
        try {
            advance(state, timestamp);
            if (cleanupAt(state) <= timestamp && cleanUp(state, timestamp)) {
                return;
            }
            if (!state.hasItem() && state.lastActivityAt == RoutingState.NONE
                    && state.flushAt == RoutingState.NONE && state.inboxAt == RoutingState.NONE) {
                // Only contacts were ever seen, and none found an item: nothing to remember.
                clearAll(state);
                return;
            }
            schedule(state, ctx.timerService());
            routing.update(state);
        } finally {
            this.ctx = null;
            this.out = null;
        }
    }

    /** Works through everything due up to {@code until}, earliest first. */
    private void advance(RoutingState state, long until) throws Exception {
        while (true) {
            long due = state.nextDue(RoutingState.NONE);
            if (due > until) {
                return;
            }
            triggerIngestedAt = Long.MIN_VALUE;
            // At equal times: alerts decided first, then what responders and customers did, then
            // the deadlines, so an acknowledgement at the very deadline still counts.
            if (state.flushAt == due) {
                flush(state, due);
            } else if (state.inboxAt == due) {
                processInbox(state, due);
            } else if (state.holdUntil == due) {
                endFlapHolds(state, due);
            } else if (state.ackDeadlineAt == due) {
                escalate(state, due);
            } else {
                loopNotClosed(state, due);
            }
        }
    }

    /** Decides the alert records whose group window ends at {@code at}. */
    private void flush(RoutingState state, long at) throws Exception {
        List<RouterInput> due = new ArrayList<>();
        long nextFlush = RoutingState.NONE;
        for (Map.Entry<String, RouterInput> entry : pending.entries()) {
            long triggeredAt = entry.getValue().eventTime();
            if (Grouping.inWindow(triggeredAt, at, config.groupWait())) {
                due.add(entry.getValue());
            } else {
                nextFlush = Math.min(nextFlush, Grouping.windowEnd(triggeredAt, config.groupWait()));
            }
        }
        state.flushAt = nextFlush;
        due.sort(Comparator.comparing((RouterInput in) -> in.alert, Grouping.BY_TRIGGER));
        List<Silence> active = silences.current(ctx.getBroadcastState(RouterControl.STATE));
        List<Alert> outreachRecords = new ArrayList<>();
        for (RouterInput in : due) {
            pending.remove(pendingKey(in.alert));
            if (triggerIngestedAt == Long.MIN_VALUE) {
                triggerIngestedAt = in.ingestedAt;
            }
            if (in.alert.getAudience() == Audience.OUTREACH) {
                outreachRecords.add(in.alert);
            } else {
                routeResponder(state, in.alert, at, active);
            }
        }
        // Responder alerts first: one in the same window inhibits outreach that came with it.
        for (Alert alert : outreachRecords) {
            routeOutreach(state, alert, at, active);
        }
        settleItem(state, at);
    }

    private void routeResponder(RoutingState state, Alert alert, long at, List<Silence> active)
            throws Exception {
        String key = Grouping.memberKey(alert);
        Alert member = members.get(key);
        FlapHistory flap = flaps.get(key);
        boolean sameAlert = member != null && member.getAlertId().equals(alert.getAlertId());
        long triggeredAt = alert.getTriggeredAt().toEpochMilli();
        long window = config.flapWindow().toMillis();

        if (alert.getStatus() == AlertStatus.RESOLVED) {
            if (!sameAlert || member.getStatus() == AlertStatus.RESOLVED) {
                return;
            }
            members.put(key, alert);
            if (flap != null && FlapDetector.isFlapping(flap, triggeredAt,
                    config.flapThreshold(), window)) {
                FlapDetector.hold(flap, Math.max(triggeredAt, at), window);
                flaps.put(key, flap);
                state.holdUntil = Math.min(state.holdUntil, flap.holdUntil);
                suppressed.get(Suppression.FLAPPING).inc();
            } else {
                state.changed = true;
            }
            return;
        }
        if (sameAlert) {
            state.changed |= Grouping.materialChange(member, alert);
            members.put(key, alert);
            return;
        }
        boolean heldOpen = member != null && flap != null && flap.held();
        boolean memberOpen = member != null && member.getStatus() != AlertStatus.RESOLVED;
        if (!heldOpen && !memberOpen && Silence.firstMatch(active, alert) != null) {
            suppressed.get(Suppression.SILENCED).inc();
            return;
        }
        flap = flap == null ? FlapHistory.fresh() : flap;
        FlapDetector.recordOpen(flap, triggeredAt, window);
        if (heldOpen) {
            // The condition came back while its resolve was held: count it, do not re-notify.
            FlapDetector.absorbReopen(flap);
            recomputeHold(state);
            suppressed.get(Suppression.FLAPPING).inc();
        } else {
            state.changed = true;
        }
        flaps.put(key, flap);
        if (!state.hasItem()) {
            state.openItem(EscalationPolicy.itemId(alert.getCustomerId(), alert.getAlertId()),
                    triggeredAt);
        }
        state.addGroupedId(alert.getAlertId());
        members.put(key, alert);
        if (heldOpen) {
            recomputeHold(state);
        }
    }

    private void routeOutreach(RoutingState state, Alert alert, long at, List<Silence> active)
            throws Exception {
        String id = alert.getAlertId();
        OutreachRecord record = outreach.get(id);
        if (record != null) {
            if (record.delivered) {
                // Revisions of a sent outreach follow it: an update or a retraction is no new contact.
                emitOutreach(alert, alert.getStatus(), record.revision + 1, at, false, record);
            } else if (alert.getStatus() == AlertStatus.RESOLVED) {
                outreach.remove(id);
            }
            return;
        }
        if (held.contains(id)) {
            if (alert.getStatus() == AlertStatus.RESOLVED) {
                held.remove(id);
                state.changed = true;
            } else {
                held.put(id, alert);
            }
            return;
        }
        if (alert.getStatus() != AlertStatus.RESOLVED) {
            decideOutreach(state, alert, at, active, false);
        }
    }

    /** A new outreach contact: silenced, held, over budget or sent. */
    private void decideOutreach(RoutingState state, Alert alert, long at, List<Silence> active,
            boolean released) throws Exception {
        if (Silence.firstMatch(active, alert) != null) {
            suppressed.get(Suppression.SILENCED).inc();
            return;
        }
        if (!released && Inhibition.inhibits(currentSeverity(state, at), config.inhibitFrom())) {
            held.put(alert.getAlertId(), alert);
            state.changed = true;
            suppressed.get(Suppression.INHIBITED).inc();
            return;
        }
        long period = config.outreachBudgetPeriod().toMillis();
        if (!FatigueBudget.allows(state.outreachSentAt, at, config.outreachBudget(), period)) {
            outreach.put(alert.getAlertId(), OutreachRecord.overBudget(alert.getSeverity().ordinal()));
            suppressed.get(Suppression.OVER_BUDGET).inc();
            return;
        }
        state.outreachSentAt = FatigueBudget.record(state.outreachSentAt, at, period);
        emitOutreach(alert, AlertStatus.OPEN, 0, at, released, null);
    }

    private void emitOutreach(Alert source, AlertStatus status, int revision, long at,
            boolean released, OutreachRecord previous) throws Exception {
        Alert record = ResponderItems.outreach(source, status, revision, at, released);
        ctx.output(OUTREACH, record);
        counted(record);
        if (previous != null) {
            queueGauge("outreach", previous.severity).dec();
        }
        if (status == AlertStatus.RESOLVED) {
            outreach.remove(source.getAlertId());
        } else {
            outreach.put(source.getAlertId(),
                    OutreachRecord.delivered(revision, source.getSeverity().ordinal()));
            queueGauge("outreach", source.getSeverity().ordinal()).inc();
        }
    }

    /** After the members changed: OPEN, UPDATED or RESOLVED for the item, or nothing. */
    private void settleItem(RoutingState state, long at) throws Exception {
        if (!state.hasItem()) {
            return;
        }
        Severity severity = openSeverity(state, at);
        if (severity == null) {
            if (!state.acknowledged()) {
                // Resolved at the source before anyone took it on (never sent if still grouping).
                endItem(state, at, RESOLVED_AT_SOURCE);
            }
            // Acknowledged: the follow-through still decides the loop.
            return;
        }
        if (!state.itemEmitted()) {
            state.itemOpenedAt = at;
            if (!state.acknowledged()) {
                state.ackDeadlineAt = EscalationPolicy.deadline(at, severity, 0, config);
            }
            emitItem(state, AlertStatus.OPEN, at, null, severity);
        } else if (state.changed || severity.ordinal() != state.itemSeverity) {
            if (!state.acknowledged() && severity.ordinal() > state.itemSeverity) {
                state.ackDeadlineAt = EscalationPolicy.tightened(state.ackDeadlineAt, at, severity,
                        state.escalationLevel, config);
            }
            emitItem(state, AlertStatus.UPDATED, at, null, severity);
        }
        state.changed = false;
    }

    private void processInbox(RoutingState state, long at) throws Exception {
        List<RouterInput> due = new ArrayList<>();
        long next = RoutingState.NONE;
        for (RouterInput in : inbox.values()) {
            long time = in.eventTime();
            if (time <= at) {
                due.add(in);
            } else {
                next = Math.min(next, time);
            }
        }
        state.inboxAt = next;
        // Contacts before acknowledgements of the same instant: either order closes the loop.
        due.sort(Comparator.comparingLong(RouterInput::eventTime)
                .thenComparing(in -> in.ack != null)
                .thenComparing(RouterInput::inboxKey));
        for (RouterInput in : due) {
            inbox.remove(in.inboxKey());
            triggerIngestedAt = in.ingestedAt;
            if (!state.hasItem() && concernsPending(in)) {
                deferToGroupWindowEnd(state, in);
            } else if (in.ack != null) {
                acknowledge(state, in.ack, at);
            } else {
                contacted(state, in.contact, at);
            }
        }
    }

    /**
     * Whether an acknowledgement or contact belongs to an item whose group window is still open:
     * it acknowledges one of the waiting alerts, or it is a contact after a waiting responder alert.
     */
    private boolean concernsPending(RouterInput in) throws Exception {
        if (in.ack != null) {
            for (RouterInput waiting : pending.values()) {
                if (waiting.alert.getAlertId().equals(in.ack.getAlertId())) {
                    return true;
                }
            }
            return false;
        }
        for (RouterInput waiting : pending.values()) {
            if (waiting.alert.getAudience() == Audience.RESPONDER
                    && waiting.alert.getStatus() != AlertStatus.RESOLVED
                    && waiting.eventTime() <= in.eventTime()) {
                return true;
            }
        }
        return false;
    }

    /** Applies the record right after the item opens at the end of its group window. */
    private void deferToGroupWindowEnd(RoutingState state, RouterInput in) throws Exception {
        java.time.Instant opens = java.time.Instant.ofEpochMilli(state.flushAt);
        RouterInput deferred = new RouterInput();
        deferred.partition = in.partition;
        deferred.offset = in.offset;
        deferred.ingestedAt = in.ingestedAt;
        if (in.ack != null) {
            deferred.ack = AlertAck.newBuilder(in.ack).setOccurredAt(opens).build();
        } else {
            deferred.contact = InteractionEvent.newBuilder(in.contact).setOccurredAt(opens).build();
        }
        inbox.put(deferred.inboxKey(), deferred);
        state.inboxAt = Math.min(state.inboxAt, state.flushAt);
    }

    private void acknowledge(RoutingState state, AlertAck ack, long at) throws Exception {
        if (!state.hasItem() || !concernsItem(state, ack.getAlertId())) {
            return;
        }
        if (ack.getAction() == AckAction.SNOOZED) {
            if (!state.acknowledged() && state.ackDeadlineAt != RoutingState.NONE) {
                state.ackDeadlineAt = Math.max(state.ackDeadlineAt,
                        at + config.snooze().toMillis());
            }
            return;
        }
        boolean first = !state.acknowledged();
        if (first) {
            state.ackedAt = at;
            state.ackedBy = ack.getResponder();
            state.ackDeadlineAt = RoutingState.NONE;
            state.followThroughAt = at + config.followThrough().toMillis();
            EwsMetrics.TIME_TO_ACK.observe(secondsSince(state.itemOpenedAt, at));
            endEscalation(state, at, "acknowledged");
        }
        if (state.contactAt != RoutingState.NONE) {
            closeLoop(state, at);
        } else if (ack.getAction() == AckAction.RESOLVED) {
            loopsResolvedWithoutContact.inc();
            endItem(state, at, RESOLVED_WITHOUT_CONTACT);
        } else if (first && state.itemEmitted()) {
            emitItem(state, AlertStatus.UPDATED, at, null, itemSeverity(state, at));
        }
    }

    private void contacted(RoutingState state, InteractionEvent contact, long at)
            throws Exception {
        if (!state.hasItem() || at < state.itemFirstTriggeredAt) {
            return;
        }
        if (state.contactAt == RoutingState.NONE) {
            state.contactAt = at;
            state.contactEventId = contact.getEventId();
        }
        if (state.acknowledged()) {
            closeLoop(state, at);
        }
    }

    private void closeLoop(RoutingState state, long at) throws Exception {
        loopsClosed.inc();
        EwsMetrics.TIME_TO_CLOSE_LOOP.observe(secondsSince(state.itemOpenedAt, state.contactAt));
        endItem(state, at, CLOSED);
    }

    private void escalate(RoutingState state, long at) throws Exception {
        endEscalation(state, at, "superseded by level " + (state.escalationLevel + 1));
        state.escalationLevel++;
        Severity severity = itemSeverity(state, at);
        state.ackDeadlineAt = EscalationPolicy.deadline(at, severity, state.escalationLevel, config);
        Alert escalation = ResponderItems.escalation(itemRecord(state, AlertStatus.UPDATED, 0, at,
                null, severity), state.escalationLevel, at, state.ackDeadlineAt, config);
        out.collect(escalation);
        counted(escalation);
        EwsMetrics.ESCALATIONS.labelValues(String.valueOf(state.escalationLevel)).inc();
    }

    /** The current escalation record is superseded or answered: it leaves the queue. */
    private void endEscalation(RoutingState state, long at, String why) throws Exception {
        if (state.escalationLevel > 0 && state.itemEmitted()) {
            Alert ended = ResponderItems.escalationEnded(itemRecord(state, AlertStatus.UPDATED, 0,
                    at, null, itemSeverity(state, at)), state.escalationLevel, at, why, config);
            out.collect(ended);
            counted(ended);
        }
    }

    private void loopNotClosed(RoutingState state, long at) throws Exception {
        state.followThroughAt = RoutingState.NONE;
        Alert item = itemRecord(state, AlertStatus.UPDATED, 0, at, NOT_CLOSED,
                itemSeverity(state, at));
        Alert loop = ResponderItems.loopNotClosed(item, at, config);
        out.collect(loop);
        counted(loop);
        loopsNotClosed.inc();
        endItem(state, at, NOT_CLOSED);
    }

    private void endFlapHolds(RoutingState state, long at) throws Exception {
        for (Map.Entry<String, Alert> member : members.entries()) {
            FlapHistory flap = flaps.get(member.getKey());
            if (flap != null && flap.holdUntil <= at) {
                flap.holdUntil = RoutingState.NONE;
                flaps.put(member.getKey(), flap);
                state.changed = true;
            }
        }
        recomputeHold(state);
        settleItem(state, at);
    }

    /**
     * The item's last record (when it was ever sent), the end of its escalation, and the release
     * of the outreach it held back; then the item's state is gone.
     */
    private void endItem(RoutingState state, long at, String outcome) throws Exception {
        if (state.itemEmitted()) {
            if (!state.acknowledged()) {
                endEscalation(state, at, outcome.toLowerCase());
            }
            emitItem(state, AlertStatus.RESOLVED, at, outcome, itemSeverity(state, at));
            queueGauge("responder", state.itemSeverity).dec();
        }
        List<Alert> toRelease = Grouping.sorted(iterable(held.values()), Grouping.BY_TRIGGER);
        held.clear();
        for (Map.Entry<String, Alert> member : members.entries()) {
            FlapHistory flap = flaps.get(member.getKey());
            if (flap != null && (flap.held() || flap.flapCount > 0)) {
                flap.holdUntil = RoutingState.NONE;
                flap.flapCount = 0;
                flaps.put(member.getKey(), flap);
            }
        }
        members.clear();
        List<String> forgotten = new ArrayList<>();
        for (Map.Entry<String, FlapHistory> flap : flaps.entries()) {
            if (FlapDetector.forgettable(flap.getValue(), at, config.flapWindow().toMillis())) {
                forgotten.add(flap.getKey());
            }
        }
        for (String key : forgotten) {
            flaps.remove(key);
        }
        state.clearItem();
        List<Silence> active = silences.current(ctx.getBroadcastState(RouterControl.STATE));
        for (Alert alert : toRelease) {
            if (Inhibition.stillRelevant(alert, at, config.outreachMaxHold())) {
                decideOutreach(state, alert, at, active, true);
            }
        }
    }

    private void emitItem(RoutingState state, AlertStatus status, long at, String outcome,
            Severity severity) throws Exception {
        int revision = status == AlertStatus.OPEN ? 0 : state.itemRevision + 1;
        Alert record = itemRecord(state, status, revision, at, outcome, severity);
        out.collect(record);
        counted(record);
        state.itemRevision = revision;
        if (status != AlertStatus.RESOLVED && severity.ordinal() != state.itemSeverity) {
            if (state.itemSeverity >= 0) {
                queueGauge("responder", state.itemSeverity).dec();
            }
            queueGauge("responder", severity.ordinal()).inc();
            state.itemSeverity = severity.ordinal();
        }
    }

    private Alert itemRecord(RoutingState state, AlertStatus status, int revision, long at,
            String outcome, Severity severity) throws Exception {
        List<Alert> all = Grouping.sorted(iterable(members.values()), Grouping.BY_SEVERITY);
        List<Alert> open = new ArrayList<>();
        int flapCount = 0;
        for (Alert member : all) {
            FlapHistory flap = flaps.get(Grouping.memberKey(member));
            flapCount += flap == null ? 0 : flap.flapCount;
            if (isOpen(member, flap)) {
                open.add(member);
            }
        }
        // A resolved record still shows what it was about; an open one only what is still open.
        List<Alert> shown = status == AlertStatus.RESOLVED || open.isEmpty() ? all : open;
        List<Alert> heldOutreach = Grouping.sorted(iterable(held.values()), Grouping.BY_TRIGGER);
        return ResponderItems.item(new ResponderItems.Item(customerId, state, shown,
                heldOutreach, flapCount, severity), status, revision, at, outcome, config);
    }

    /** Max severity of the open members, or null when none is open. */
    private Severity openSeverity(RoutingState state, long at) throws Exception {
        List<Alert> open = new ArrayList<>();
        for (Map.Entry<String, Alert> member : members.entries()) {
            if (isOpen(member.getValue(), flaps.get(member.getKey()))) {
                open.add(member.getValue());
            }
        }
        return Grouping.maxSeverity(open);
    }

    /** The item's severity for inhibition: its open members', or as last sent while it awaits the loop. */
    private Severity currentSeverity(RoutingState state, long at) throws Exception {
        if (!state.hasItem()) {
            return null;
        }
        Severity open = openSeverity(state, at);
        return open != null ? open
                : state.itemSeverity >= 0 ? Severity.values()[state.itemSeverity] : null;
    }

    private Severity itemSeverity(RoutingState state, long at) throws Exception {
        Severity severity = currentSeverity(state, at);
        return severity != null ? severity
                : Grouping.maxSeverity(Grouping.sorted(iterable(members.values()), Grouping.BY_TRIGGER));
    }

    private static String pendingKey(Alert alert) {
        return alert.getAlertId() + "#" + alert.getRevision();
    }

    private static boolean isOpen(Alert member, FlapHistory flap) {
        return member.getStatus() != AlertStatus.RESOLVED || (flap != null && flap.held());
    }

    private void recomputeHold(RoutingState state) throws Exception {
        long hold = RoutingState.NONE;
        for (String key : members.keys()) {
            FlapHistory flap = flaps.get(key);
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

    // ---------------------------------------------------------------- clean-up and timers

    private long cleanupAt(RoutingState state) {
        if (state.hasItem() && (state.ackDeadlineAt != RoutingState.NONE
                || state.followThroughAt != RoutingState.NONE
                || state.holdUntil != RoutingState.NONE)) {
            // An item waiting for a deadline is not idle, however long the deadline.
            return RoutingState.NONE;
        }
        long quietUntil = state.lastActivityAt == RoutingState.NONE ? Long.MIN_VALUE
                : state.lastActivityAt + config.stateRetention().toMillis();
        long budgetUntil = FatigueBudget.forgettableAt(state.outreachSentAt,
                config.outreachBudgetPeriod().toMillis());
        long until = Math.max(quietUntil, budgetUntil == RoutingState.NONE ? Long.MIN_VALUE
                : budgetUntil);
        if (until == Long.MIN_VALUE) {
            return RoutingState.NONE;
        }
        return (Math.floorDiv(until, CLEANUP_GRANULARITY) + 1) * CLEANUP_GRANULARITY;
    }

    /** Ends an idle item and forgets the customer; true when all state is gone. */
    private boolean cleanUp(RoutingState state, long at) throws Exception {
        if (state.hasItem()) {
            endItem(state, at, EXPIRED);
        }
        if (cleanupAt(state) > at || state.flushAt != RoutingState.NONE
                || state.inboxAt != RoutingState.NONE) {
            return false;
        }
        clearAll(state);
        return true;
    }

    private void clearAll(RoutingState state) throws Exception {
        for (OutreachRecord record : outreach.values()) {
            if (record.delivered) {
                queueGauge("outreach", record.severity).dec();
            }
        }
        if (state.timerAt != RoutingState.NONE) {
            ctx.timerService().deleteEventTimeTimer(state.timerAt);
        }
        routing.clear();
        pending.clear();
        inbox.clear();
        members.clear();
        flaps.clear();
        held.clear();
        outreach.clear();
        seenRevisions.clear();
    }

    /** One timer per customer, at the earliest of everything due and the clean-up check. */
    private void schedule(RoutingState state, TimerService timers) {
        long next = state.nextDue(cleanupAt(state));
        if (next != state.timerAt) {
            if (state.timerAt != RoutingState.NONE) {
                timers.deleteEventTimeTimer(state.timerAt);
            }
            if (next != RoutingState.NONE) {
                timers.registerEventTimeTimer(next);
            }
            state.timerAt = next;
        }
    }

    // ---------------------------------------------------------------- control

    @Override
    public void processBroadcastElement(Ingested<ControlCommand> in, Context ctx,
            Collector<Alert> out) throws Exception {
        ControlCommand command = in.value;
        if (!RouterControl.concernsRouter(command)) {
            return;
        }
        try {
            RouterControl.apply(command, startConfig, ctx.getBroadcastState(RouterControl.STATE));
        } catch (ConfigException e) {
            if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() != 0) {
                // Every instance rejects the command; one of them reports it.
                return;
            }
            invalidControl.inc();
            ctx.output(DeadLetters.TAG, DeadLetters.build(AlertRouterJob.NAME, controlTopic,
                    in.partition, in.offset, command.getJob(),
                    DeadLetterReason.INVALID_CONTROL.describe(command.getCommandId() + ": "
                            + e.getMessage()), controlCodec.encode(command)));
        }
    }

    private void refreshConfig(ReadOnlyContext ctx) throws Exception {
        String overrides = ctx.getBroadcastState(RouterControl.STATE).get(RouterControl.CONFIG_KEY);
        if (overrides == null ? appliedOverrides != null : !overrides.equals(appliedOverrides)) {
            config = overrides == null ? startConfig
                    : startConfig.with(RouterControl.overrides(
                            ctx.getBroadcastState(RouterControl.STATE)));
            appliedOverrides = overrides;
        }
    }

    // ---------------------------------------------------------------- small helpers

    private void deadLetterLate(RouterInput in, ReadOnlyContext ctx) {
        lateRecords.inc();
        String topic;
        byte[] payload;
        if (in.alert != null) {
            topic = alertsTopic;
            payload = alertCodec.encode(in.alert);
        } else if (in.ack != null) {
            topic = acksTopic;
            payload = ackCodec.encode(in.ack);
        } else {
            topic = interactionsTopic;
            payload = interactionCodec.encode(in.contact);
        }
        ctx.output(DeadLetters.TAG, DeadLetters.build(AlertRouterJob.NAME, topic, in.partition,
                in.offset, in.customerId(), DeadLetterReason.LATE.describe("event time "
                        + java.time.Instant.ofEpochMilli(in.eventTime())
                        + " is behind the watermark by more than "
                        + Duration.ofMillis(allowedLatenessMillis)), payload));
    }

    private void counted(Alert record) {
        EwsMetrics.ALERTS.labelValues(AlertRouterJob.NAME, record.getKind().name(),
                record.getSeverity().name()).inc();
        if (triggerIngestedAt != Long.MIN_VALUE) {
            latency.observe((System.currentTimeMillis() - triggerIngestedAt) / 1000.0);
        }
    }

    private static io.prometheus.metrics.core.datapoints.GaugeDataPoint queueGauge(String queue,
            int severity) {
        return EwsMetrics.QUEUE_ITEMS.labelValues(queue, Severity.values()[severity].name());
    }

    private static double secondsSince(long from, long to) {
        return from == RoutingState.NONE ? 0 : Math.max(0, to - from) / 1000.0;
    }

    private static long maxTime(long current, long at) {
        return current == RoutingState.NONE ? at : Math.max(current, at);
    }

    private static <T> List<T> iterable(Iterable<T> values) {
        List<T> list = new ArrayList<>();
        values.forEach(list::add);
        return list;
    }
}
