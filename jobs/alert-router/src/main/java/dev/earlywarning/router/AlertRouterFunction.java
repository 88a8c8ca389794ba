package dev.earlywarning.router;

import dev.earlywarning.common.config.ConfigException;
import dev.earlywarning.common.kafka.AvroCodec;
import dev.earlywarning.common.kafka.DeadLetterReason;
import dev.earlywarning.common.kafka.DeadLetters;
import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.common.metrics.EwsMetrics;
import dev.earlywarning.common.time.EventTime;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertAck;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.Audience;
import dev.earlywarning.schema.ControlCommand;
import dev.earlywarning.schema.InteractionEvent;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
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
 * <p>This class keeps time and state ({@link RouterStores}); the decisions are {@link ItemRouting}'s
 * (the responder item) and {@link OutreachRouting}'s, one {@link RouterRound} per timer call.
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

    private final RouterConfig startConfig;
    private final long allowedLatenessMillis;
    private final String alertsTopic;
    private final String acksTopic;
    private final String interactionsTopic;
    private final String controlTopic;

    private transient RouterStores stores;
    private transient ItemRouting items;
    private transient OutreachRouting outreach;
    private transient RouterConfig config;
    private transient String appliedOverrides;
    private transient RouterControl.SilenceCache silences;
    private transient CounterDataPoint lateRecords;
    private transient CounterDataPoint invalidControl;
    private transient DistributionDataPoint latency;
    private transient AvroCodec<Alert> alertCodec;
    private transient AvroCodec<AlertAck> ackCodec;
    private transient AvroCodec<InteractionEvent> interactionCodec;
    private transient AvroCodec<ControlCommand> controlCodec;

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
        stores = new RouterStores(getRuntimeContext(), startConfig.stateRetention());
        ItemSeverity severity = new ItemSeverity(stores);
        outreach = new OutreachRouting(stores, severity);
        items = new ItemRouting(stores, severity, outreach);
        config = startConfig;
        silences = new RouterControl.SilenceCache();
        Suppression.exportAll();
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
        RoutingState state = stores.routing.value();
        state = state == null ? RoutingState.fresh() : state;
        if (in.alert != null) {
            Alert alert = in.alert;
            Integer seen = stores.seenRevisions.get(alert.getAlertId());
            if (seen != null && alert.getRevision() <= seen) {
                Suppression.DUPLICATE.count();
                return;
            }
            stores.seenRevisions.put(alert.getAlertId(), alert.getRevision());
            // Each revision waits on its own: it belongs to the window of its own trigger time.
            stores.pending.put(pendingKey(alert), in);
            state.flushAt = Math.min(state.flushAt, Grouping.windowEnd(at, config.groupWait()));
            state.lastActivityAt = maxTime(state.lastActivityAt, at);
        } else {
            String key = in.inboxKey();
            if (stores.inbox.contains(key)) {
                return;
            }
            stores.inbox.put(key, in);
            state.inboxAt = Math.min(state.inboxAt, at);
            if (in.ack != null) {
                state.lastActivityAt = maxTime(state.lastActivityAt, at);
            }
        }
        schedule(state, ctx.timerService());
        stores.routing.update(state);
    }

    // ---------------------------------------------------------------- event time: decide in order

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        RoutingState state = stores.routing.value();
        if (state == null) {
            return;
        }
        refreshConfig(ctx);
        RouterRound round = new RouterRound(ctx.getCurrentKey(), config, out,
                record -> ctx.output(OUTREACH, record),
                () -> silences.current(ctx.getBroadcastState(RouterControl.STATE)), latency);
        state.timerAt = RoutingState.NONE;
        advance(round, state, timestamp);
        if (cleanupAt(state) <= timestamp && cleanUp(round, state, timestamp)) {
            return;
        }
        if (!state.hasItem() && state.lastActivityAt == RoutingState.NONE
                && state.flushAt == RoutingState.NONE && state.inboxAt == RoutingState.NONE) {
            // Only contacts were ever seen, and none found an item: nothing to remember.
            clearAll();
            return;
        }
        schedule(state, ctx.timerService());
        stores.routing.update(state);
    }

    /** Works through everything due up to {@code until}, earliest first. */
    private void advance(RouterRound round, RoutingState state, long until) throws Exception {
        while (true) {
            long due = state.nextDue(RoutingState.NONE);
            if (due > until) {
                return;
            }
            round.triggerIngestedAt = Long.MIN_VALUE;
            // At equal times: alerts decided first, then what responders and customers did, then
            // the deadlines, so an acknowledgement at the very deadline still counts.
            if (state.flushAt == due) {
                flush(round, state, due);
            } else if (state.inboxAt == due) {
                processInbox(round, state, due);
            } else if (state.holdUntil == due) {
                items.endFlapHolds(round, state, due);
            } else if (state.ackDeadlineAt == due) {
                items.escalate(round, state, due);
            } else {
                items.loopNotClosed(round, state, due);
            }
        }
    }

    /** Decides the alert records whose group window ends at {@code at}. */
    private void flush(RouterRound round, RoutingState state, long at) throws Exception {
        List<RouterInput> due = new ArrayList<>();
        long nextFlush = RoutingState.NONE;
        for (Map.Entry<String, RouterInput> entry : stores.pending.entries()) {
            long triggeredAt = entry.getValue().eventTime();
            if (Grouping.inWindow(triggeredAt, at, config.groupWait())) {
                due.add(entry.getValue());
            } else {
                nextFlush = Math.min(nextFlush, Grouping.windowEnd(triggeredAt, config.groupWait()));
            }
        }
        state.flushAt = nextFlush;
        due.sort(Comparator.comparing((RouterInput in) -> in.alert, Grouping.BY_TRIGGER));
        List<Alert> outreachRecords = new ArrayList<>();
        for (RouterInput in : due) {
            stores.pending.remove(pendingKey(in.alert));
            if (round.triggerIngestedAt == Long.MIN_VALUE) {
                round.triggerIngestedAt = in.ingestedAt;
            }
            if (in.alert.getAudience() == Audience.OUTREACH) {
                outreachRecords.add(in.alert);
            } else {
                items.route(round, state, in.alert, at);
            }
        }
        // Responder alerts first: one in the same window inhibits outreach that came with it.
        for (Alert alert : outreachRecords) {
            outreach.route(round, state, alert, at);
        }
        items.settle(round, state, at);
    }

    private void processInbox(RouterRound round, RoutingState state, long at) throws Exception {
        List<RouterInput> due = new ArrayList<>();
        long next = RoutingState.NONE;
        for (RouterInput in : stores.inbox.values()) {
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
            stores.inbox.remove(in.inboxKey());
            round.triggerIngestedAt = in.ingestedAt;
            if (!state.hasItem() && concernsPending(in)) {
                deferToGroupWindowEnd(state, in);
            } else if (in.ack != null) {
                items.acknowledge(round, state, in.ack, at);
            } else {
                items.contacted(round, state, in.contact, at);
            }
        }
    }

    /**
     * Whether an acknowledgement or contact belongs to an item whose group window is still open:
     * it acknowledges one of the waiting alerts, or it is a contact after a waiting responder alert.
     */
    private boolean concernsPending(RouterInput in) throws Exception {
        if (in.ack != null) {
            for (RouterInput waiting : stores.pending.values()) {
                if (waiting.alert.getAlertId().equals(in.ack.getAlertId())) {
                    return true;
                }
            }
            return false;
        }
        for (RouterInput waiting : stores.pending.values()) {
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
        stores.inbox.put(deferred.inboxKey(), deferred);
        state.inboxAt = Math.min(state.inboxAt, state.flushAt);
    }

    private static String pendingKey(Alert alert) {
        return alert.getAlertId() + "#" + alert.getRevision();
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
    private boolean cleanUp(RouterRound round, RoutingState state, long at) throws Exception {
        if (state.hasItem()) {
            items.end(round, state, at, ItemRouting.EXPIRED);
        }
        if (cleanupAt(state) > at || state.flushAt != RoutingState.NONE
                || state.inboxAt != RoutingState.NONE) {
            return false;
        }
        clearAll();
        return true;
    }

    /** Forgets the customer; called from their timer, so no other timer is pending. */
    private void clearAll() throws Exception {
        for (OutreachRecord record : stores.outreach.values()) {
            if (record.delivered) {
                RouterRound.queueGauge("outreach", record.severity).dec();
            }
        }
        stores.clear();
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

    private static long maxTime(long current, long at) {
        return current == RoutingState.NONE ? at : Math.max(current, at);
    }
}
