package dev.earlywarning.shipping;

import dev.earlywarning.common.AlertIds;
import dev.earlywarning.common.config.ConfigException;
import dev.earlywarning.common.config.RuntimeSettings;
import dev.earlywarning.common.kafka.AvroCodec;
import dev.earlywarning.common.kafka.DeadLetterReason;
import dev.earlywarning.common.kafka.DeadLetters;
import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.common.metrics.EwsMetrics;
import dev.earlywarning.common.state.Deduplicator;
import dev.earlywarning.common.time.EventTime;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.ControlCommand;
import dev.earlywarning.schema.DeadLetter;
import dev.earlywarning.schema.DisruptionEvent;
import dev.earlywarning.schema.Gesture;
import dev.earlywarning.schema.ShipmentEvent;
import dev.earlywarning.schema.ShipmentType;
import dev.earlywarning.shipping.DelayAlerts.Resolution;
import dev.earlywarning.shipping.DelayEstimator.Estimate;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Predicts, per order (the key), whether the parcel will miss its promise, and opens, updates or
 * withdraws the order's {@code SHIPPING_DELAY_PREDICTED} alert. The alert leaves as a
 * {@link GestureDecision}: the gesture the policy would give still has to pass the budget.
 *
 * <p>When: on every scan of the order; on every disruption, new, changed or cancelled, for each
 * order in transit whose path crosses its region ({@code applyToKeyedState} visits the orders of
 * this instance, and every instance receives the disruption); and on an event-time timer, every
 * {@code reevaluate-every} or when the parcel would count as stalled, whichever is first, until
 * the promise. An OPEN needs at least {@code min-lead-time} before the promise: later, the customer
 * knows already. An alert is withdrawn (RESOLVED, {@code back_on_time}) when the estimate is back
 * at or before the promise; between the promise and the tolerance it stays (hysteresis). A later
 * prediction after a withdrawal opens a new alert id ({@code AlertIds.of(kind, orderId, n)}); the
 * withdrawn gesture never reached the customer, so it is still one gesture per order.
 *
 * <p>Time: event time throughout. A scan evaluates at its own time; a timer at its timestamp; a
 * disruption at its issue time but without moving the stall clock, because the disruption feed
 * may run ahead of the shipments. Disruptions, lane estimates and control commands arrive on the
 * broadcast side in no fixed order relative to the scans, so a re-run can place an alert's
 * revision at a different scan; ids and the alerts for a given order of inputs are deterministic.
 *
 * <p>State: per order one {@link ShipmentState} and the recently seen event ids. Delivery or
 * cancellation shrinks it to a tombstone that is removed after {@code closed-retention}; an order
 * never closed is removed {@code max-age} after it was first seen. Broadcast state holds the
 * disruptions (expired ones and the excess over {@code max-disruptions} dropped on each new one),
 * the lane estimates (at most {@code max-lanes}, least recently updated dropped) and the control
 * overrides.
 *
 * <p>Outcomes: on delivery, an open alert counts as a true positive when the parcel came after
 * the promise, else as a false positive, with its lead time; a late parcel without an alert is a
 * false negative. Holdout alerts are labelled: their precision is the one no gesture (an EXPEDITE
 * in particular) has influenced.
 */
class DelayPredictionFunction extends KeyedBroadcastProcessFunction<String,
        Ingested<ShipmentEvent>, SideInput, GestureDecision> {

    private static final long serialVersionUID = 1L;
    private static final long NONE = ShipmentState.NONE;
    private static final long MINUTE = Duration.ofMinutes(1).toMillis();
    private static final double HOUR = Duration.ofHours(1).toMillis();

    static final ValueStateDescriptor<ShipmentState> SHIPMENT =
            new ValueStateDescriptor<>("shipment", TypeInformation.of(ShipmentState.class));
    static final MapStateDescriptor<String, DisruptionEvent> DISRUPTIONS = new MapStateDescriptor<>(
            "disruptions", Types.STRING, new AvroTypeInfo<>(DisruptionEvent.class));
    static final MapStateDescriptor<String, LaneEstimate> LANES = new MapStateDescriptor<>(
            "lanes", Types.STRING, TypeInformation.of(LaneEstimate.class));

    private final RuntimeSettings<ShippingConfig> settings;
    private final String shipmentsTopic;

    private transient ValueState<ShipmentState> shipment;
    private transient Deduplicator seenEvents;
    private transient ShippingConfig config;
    /** Live disruptions by region, rebuilt after each change of the broadcast state. */
    private transient Map<String, List<DisruptionEvent>> byRegion;
    private transient CounterDataPoint lateRecords;
    private transient Map<ShipmentType, CounterDataPoint> unmatched;
    private transient AvroCodec<ShipmentEvent> shipmentCodec;

    DelayPredictionFunction(ShippingConfig config, String shipmentsTopic, String controlTopic) {
        this.settings = new RuntimeSettings<>(ShippingDelayJob.NAME, controlTopic, config,
                ShippingControl::withOverrides, ShippingControl.STATE);
        this.shipmentsTopic = shipmentsTopic;
    }

    @Override
    public void open(OpenContext openContext) {
        shipment = getRuntimeContext().getState(SHIPMENT);
        seenEvents = new Deduplicator(getRuntimeContext(), "seen-shipment-event-ids",
                settings.start().maxAge());
        config = settings.start();
        lateRecords = EwsMetrics.DEAD_LETTERS.labelValues(ShippingDelayJob.NAME,
                DeadLetterReason.LATE.label());
        unmatched = new EnumMap<>(ShipmentType.class);
        for (ShipmentType type : ShipmentType.values()) {
            unmatched.put(type, EwsMetrics.SHIPMENT_EVENTS_UNMATCHED.labelValues(
                    ShippingDelayJob.NAME, type.name()));
        }
        shipmentCodec = new AvroCodec<>(ShipmentEvent.class);
    }

    @Override
    public void processElement(Ingested<ShipmentEvent> in, ReadOnlyContext ctx,
            Collector<GestureDecision> out) throws Exception {
        ShipmentEvent event = in.value;
        long at = event.getOccurredAt().toEpochMilli();
        config = settings.current(ctx.getBroadcastState(ShippingControl.STATE));
        if (EventTime.isTooLate(at, ctx.timerService().currentWatermark(),
                config.allowedLateness().toMillis())) {
            lateRecords.inc();
            ctx.output(DeadLetters.TAG, DeadLetters.build(ShippingDelayJob.NAME, shipmentsTopic,
                    in.partition, in.offset, event.getOrderId(),
                    DeadLetterReason.LATE.describe("occurredAt " + event.getOccurredAt()
                            + " is behind the watermark by more than " + config.allowedLateness()),
                    shipmentCodec.encode(event)));
            return;
        }
        if (!seenEvents.firstTime(event.getEventId())) {
            return;
        }
        ShipmentState s = shipment.value();
        if (s != null && s.closed) {
            // A straggler after delivery or cancellation: the order gets nothing more.
            return;
        }
        ShipmentType type = event.getType();
        if (s == null) {
            if (type != ShipmentType.SHIPPED) {
                unmatched.get(type).inc();
            }
            if (type == ShipmentType.DELIVERED || type == ShipmentType.CANCELLED) {
                seenEvents.clear();
                return;
            }
            // A lost SHIPPED must not blind the job: a scan carries all the estimate needs.
            s = ShipmentState.start(event);
        } else {
            s.apply(event);
        }

        String orderId = ctx.getCurrentKey();
        if (type == ShipmentType.DELIVERED) {
            recordOutcome(s, at);
            if (s.hasOpenAlert()) {
                resolve(orderId, s, null, at, event.getEventId(), Resolution.DELIVERED, false,
                        in.ingestedAt, out);
            }
            close(s, at, ctx.timerService());
            return;
        }
        if (type == ShipmentType.CANCELLED) {
            if (s.hasOpenAlert()) {
                resolve(orderId, s, null, at, event.getEventId(), Resolution.CANCELLED, true,
                        in.ingestedAt, out);
            }
            close(s, at, ctx.timerService());
            return;
        }
        LaneEstimate lane = ctx.getBroadcastState(LANES).get(s.lane);
        evaluate(orderId, s, at, at, event.getEventId(), in.ingestedAt,
                disruptionsByRegion(ctx.getBroadcastState(DISRUPTIONS)), lane, out);
        schedule(s, ctx.timerService(), at, lane);
        shipment.update(s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<GestureDecision> out)
            throws Exception {
        ShipmentState s = shipment.value();
        if (s == null) {
            return;
        }
        config = settings.current(ctx.getBroadcastState(ShippingControl.STATE));
        if (s.closed) {
            if (timestamp >= s.cleanupTimerAt) {
                clearAll();
            }
            return;
        }
        String orderId = ctx.getCurrentKey();
        if (timestamp == s.cleanupTimerAt) {
            if (s.hasOpenAlert()) {
                resolve(orderId, s, null, timestamp, null, Resolution.EXPIRED, false,
                        Long.MIN_VALUE, out);
            }
            if (s.evalTimerAt != NONE) {
                ctx.timerService().deleteEventTimeTimer(s.evalTimerAt);
            }
            clearAll();
            return;
        }
        if (timestamp == s.evalTimerAt) {
            s.evalTimerAt = NONE;
            LaneEstimate lane = ctx.getBroadcastState(LANES).get(s.lane);
            evaluate(orderId, s, timestamp, timestamp, "periodic", Long.MIN_VALUE,
                    disruptionsByRegion(ctx.getBroadcastState(DISRUPTIONS)), lane, out);
            schedule(s, ctx.timerService(), timestamp, lane);
            shipment.update(s);
        }
    }

    @Override
    public void processBroadcastElement(SideInput side, Context ctx,
            Collector<GestureDecision> out) throws Exception {
        if (side.command != null) {
            control(side, ctx);
        } else if (side.lane != null) {
            putLane(ctx.getBroadcastState(LANES), side.lane);
        } else if (side.disruption != null) {
            disruption(side, ctx, out);
        }
    }

    /**
     * Stores the disruption (a later issue of the same id replaces an earlier one, an older issue
     * arriving late is ignored) and re-evaluates every order in transit whose path crosses its
     * old or new region.
     */
    private void disruption(SideInput side, Context ctx, Collector<GestureDecision> out)
            throws Exception {
        DisruptionEvent d = side.disruption;
        BroadcastState<String, DisruptionEvent> known = ctx.getBroadcastState(DISRUPTIONS);
        DisruptionEvent previous = known.get(d.getDisruptionId());
        if (previous != null && previous.getIssuedAt().isAfter(d.getIssuedAt())) {
            return;
        }
        config = settings.current(ctx.getBroadcastState(ShippingControl.STATE));
        // Cancelled ones stay as tombstones, so a stale copy cannot bring them back.
        known.put(d.getDisruptionId(), d);
        purge(known, d.getIssuedAt().toEpochMilli());
        byRegion = null;

        Set<String> regions = new HashSet<>();
        regions.add(d.getRegionId());
        if (previous != null) {
            regions.add(previous.getRegionId());
        }
        Map<String, List<DisruptionEvent>> index = disruptionsByRegion(known);
        BroadcastState<String, LaneEstimate> lanes = ctx.getBroadcastState(LANES);
        long issuedAt = d.getIssuedAt().toEpochMilli();
        ctx.applyToKeyedState(SHIPMENT, (orderId, state) -> {
            ShipmentState s = state.value();
            if (s == null || s.closed || !s.pathTouches(regions)) {
                return;
            }
            evaluate(orderId, s, s.lastEvaluatedAt, Math.max(s.lastEvaluatedAt, issuedAt),
                    d.getDisruptionId(), side.ingestedAt, index, lanes.get(s.lane), out);
            state.update(s);
        });
    }

    /** OPEN, UPDATED, RESOLVED (back on time) or nothing, from a fresh estimate. */
    private void evaluate(String orderId, ShipmentState s, long clock, long triggeredAt,
            String trigger, long ingestedAt, Map<String, List<DisruptionEvent>> disruptions,
            LaneEstimate lane, Collector<GestureDecision> out) {
        Estimate estimate = DelayEstimator.estimate(s, disruptions, lane, config, clock);
        s.lastEvaluatedAt = Math.max(s.lastEvaluatedAt, clock);
        if (!s.hasOpenAlert()) {
            if (estimate.isLate(s.promisedBy, config)
                    && triggeredAt <= s.promisedBy - config.minLeadTime().toMillis()) {
                open(orderId, s, estimate, triggeredAt, trigger, ingestedAt, out);
            }
        } else if (estimate.arrival() <= s.promisedBy) {
            resolve(orderId, s, estimate, triggeredAt, trigger, Resolution.BACK_ON_TIME, true,
                    ingestedAt, out);
        } else if (Math.abs(estimate.arrival() - s.alertedArrival)
                >= config.updateDelta().toMillis()) {
            s.alertRevision++;
            s.alertedArrival = estimate.arrival();
            out.collect(decision(DelayAlerts.build(orderId, s, estimate, AlertStatus.UPDATED,
                    triggeredAt, trigger, null), null, s, false, ingestedAt));
        }
    }

    private void open(String orderId, ShipmentState s, Estimate estimate, long triggeredAt,
            String trigger, long ingestedAt, Collector<GestureDecision> out) {
        s.alertSeq++;
        s.alertId = AlertIds.of(DelayAlerts.KIND, orderId, String.valueOf(s.alertSeq));
        s.alertRevision = 0;
        s.alertOpenedAt = triggeredAt;
        s.alertedArrival = estimate.arrival();
        s.holdout = Holdout.isHeldOut(s.customerId, config.holdoutShare());
        s.budgetKey = s.currency + "|"
                + LocalDate.ofInstant(Instant.ofEpochMilli(triggeredAt), ZoneOffset.UTC);
        Gesture requested = null;
        if (!s.holdout) {
            GesturePolicy.Choice choice = config.gestures().choose(s.tier, s.orderValueCents,
                    Duration.ofMillis(estimate.delayMillis(s.promisedBy)));
            requested = Gesture.newBuilder().setKind(choice.kind())
                    .setAmountCents(choice.amountCents()).setCurrency(s.currency).build();
        }
        out.collect(decision(DelayAlerts.build(orderId, s, estimate, AlertStatus.OPEN,
                triggeredAt, trigger, null), requested, s, false, ingestedAt));
    }

    private void resolve(String orderId, ShipmentState s, Estimate estimate, long triggeredAt,
            String trigger, Resolution resolution, boolean withdraw, long ingestedAt,
            Collector<GestureDecision> out) {
        s.alertRevision++;
        out.collect(decision(DelayAlerts.build(orderId, s, estimate, AlertStatus.RESOLVED,
                triggeredAt, trigger, resolution), null, s, withdraw, ingestedAt));
        s.alertId = null;
        s.alertOpenedAt = NONE;
    }

    private GestureDecision decision(Alert alert, Gesture requested, ShipmentState s,
            boolean withdraw, long ingestedAt) {
        GestureDecision decision = new GestureDecision();
        decision.alert = alert;
        decision.requested = requested;
        decision.budgetKey = s.budgetKey;
        decision.budgetCents = config.budgetCents(s.currency);
        decision.withdraw = withdraw;
        decision.ingestedAt = ingestedAt;
        return decision;
    }

    private void recordOutcome(ShipmentState s, long deliveredAt) {
        boolean late = deliveredAt > s.promisedBy;
        if (s.hasOpenAlert()) {
            String outcome = late ? "true_positive" : "false_positive";
            EwsMetrics.DELAY_PREDICTIONS.labelValues(ShippingDelayJob.NAME, outcome,
                    String.valueOf(s.holdout)).inc();
            EwsMetrics.DELAY_LEAD_TIME.labelValues(ShippingDelayJob.NAME, outcome)
                    .observe((s.promisedBy - s.alertOpenedAt) / HOUR);
        } else if (late) {
            EwsMetrics.DELAY_PREDICTIONS.labelValues(ShippingDelayJob.NAME, "false_negative",
                    "false").inc();
        }
    }

    /** Shrinks the order to a tombstone until the closed-retention ends, or removes it now. */
    private void close(ShipmentState s, long at, TimerService timers) throws Exception {
        if (s.evalTimerAt != NONE) {
            timers.deleteEventTimeTimer(s.evalTimerAt);
        }
        if (s.cleanupTimerAt != NONE) {
            timers.deleteEventTimeTimer(s.cleanupTimerAt);
        }
        long retention = config.closedRetention().toMillis();
        if (retention == 0) {
            clearAll();
            return;
        }
        ShipmentState tombstone = ShipmentState.tombstone(at);
        tombstone.cleanupTimerAt = at + retention;
        timers.registerEventTimeTimer(tombstone.cleanupTimerAt);
        shipment.update(tombstone);
    }

    private void clearAll() {
        shipment.clear();
        seenEvents.clear();
    }

    /**
     * One clean-up timer at {@code max-age} and one evaluation timer: the next periodic check or
     * the moment the parcel would count as stalled, whichever is first, never past the promise.
     */
    private void schedule(ShipmentState s, TimerService timers, long clock, LaneEstimate lane) {
        long cleanupAt = s.firstSeenAt + settings.start().maxAge().toMillis();
        if (s.cleanupTimerAt != cleanupAt) {
            if (s.cleanupTimerAt != NONE) {
                timers.deleteEventTimeTimer(s.cleanupTimerAt);
            }
            timers.registerEventTimeTimer(cleanupAt);
            s.cleanupTimerAt = cleanupAt;
        }
        long scanGap = lane != null && lane.scanGapMillis != NONE ? lane.scanGapMillis
                : config.priorScanGap().toMillis();
        long next = clock + config.reevaluateEvery().toMillis();
        long stallAt = s.lastScanAt + (long) (config.stallFactor() * scanGap) + 1;
        if (stallAt > clock && !s.outForDelivery) {
            next = Math.min(next, stallAt);
        }
        // Minute granularity lets orders scanned together share timer firings.
        next = (Math.floorDiv(next, MINUTE) + 1) * MINUTE;
        if (next > s.promisedBy) {
            next = NONE;
        }
        if (next != s.evalTimerAt) {
            if (s.evalTimerAt != NONE) {
                timers.deleteEventTimeTimer(s.evalTimerAt);
            }
            if (next != NONE) {
                timers.registerEventTimeTimer(next);
            }
            s.evalTimerAt = next;
        }
    }

    private Map<String, List<DisruptionEvent>> disruptionsByRegion(
            ReadOnlyBroadcastState<String, DisruptionEvent> known) throws Exception {
        if (byRegion == null) {
            Map<String, List<DisruptionEvent>> index = new HashMap<>();
            for (Map.Entry<String, DisruptionEvent> entry : known.immutableEntries()) {
                if (!entry.getValue().getCancelled()) {
                    index.computeIfAbsent(entry.getValue().getRegionId(), r -> new ArrayList<>())
                            .add(entry.getValue());
                }
            }
            // Causes come out in id order whatever the order the state iterates in.
            index.values().forEach(list ->
                    list.sort(Comparator.comparing(DisruptionEvent::getDisruptionId)));
            byRegion = index;
        }
        return byRegion;
    }

    /**
     * Drops disruptions that ended more than the retention before {@code now}, then, over the
     * cap, those that end first. Every instance sees the same sequence and prunes alike.
     */
    private void purge(BroadcastState<String, DisruptionEvent> known, long now) throws Exception {
        long horizon = now - config.disruptionRetention().toMillis();
        List<DisruptionEvent> kept = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, DisruptionEvent> entry : known.entries()) {
            if (entry.getValue().getEndsAt().toEpochMilli() < horizon) {
                expired.add(entry.getKey());
            } else {
                kept.add(entry.getValue());
            }
        }
        if (kept.size() > config.maxDisruptions()) {
            kept.sort(Comparator.comparing(DisruptionEvent::getEndsAt)
                    .thenComparing(DisruptionEvent::getDisruptionId));
            kept.subList(0, kept.size() - config.maxDisruptions())
                    .forEach(d -> expired.add(d.getDisruptionId()));
        }
        for (String id : expired) {
            known.remove(id);
        }
    }

    private void putLane(BroadcastState<String, LaneEstimate> lanes, LaneEstimate estimate)
            throws Exception {
        boolean added = !lanes.contains(estimate.lane);
        lanes.put(estimate.lane, estimate);
        if (!added) {
            return;
        }
        int count = 0;
        LaneEstimate stalest = null;
        for (Map.Entry<String, LaneEstimate> entry : lanes.entries()) {
            count++;
            LaneEstimate lane = entry.getValue();
            if (stalest == null || lane.updatedAt < stalest.updatedAt
                    || (lane.updatedAt == stalest.updatedAt && lane.lane.compareTo(stalest.lane) < 0)) {
                stalest = lane;
            }
        }
        if (count > settings.start().maxLanes()) {
            lanes.remove(stalest.lane);
        }
    }

    private void control(SideInput side, Context ctx) throws Exception {
        DeadLetter refused = settings.apply(side.command, side.partition, side.offset,
                ctx.getBroadcastState(ShippingControl.STATE),
                getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0);
        if (refused != null) {
            ctx.output(DeadLetters.TAG, refused);
        }
    }
}
