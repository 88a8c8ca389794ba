package dev.earlywarning.sla;

import dev.earlywarning.common.AlertIds;
import dev.earlywarning.common.kafka.AvroCodec;
import dev.earlywarning.common.kafka.DeadLetterReason;
import dev.earlywarning.common.kafka.DeadLetters;
import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.common.metrics.EwsMetrics;
import dev.earlywarning.common.state.BoundedLog;
import dev.earlywarning.common.state.CacheMetrics;
import dev.earlywarning.common.state.Deduplicator;
import dev.earlywarning.common.state.RecentIds;
import dev.earlywarning.common.state.StoredKeyOrder;
import dev.earlywarning.common.state.TimelineEntrySerializer;
import dev.earlywarning.common.state.WriteBackCache;
import dev.earlywarning.common.state.WriteBackCoProcessOperator;
import dev.earlywarning.common.time.EventTime;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.CallbackEvent;
import dev.earlywarning.schema.CallbackType;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.TimelineEntry;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.util.Collector;

/**
 * Watches every commitment made to a customer (the key) and raises {@code CALLBACK_DUE_SOON}
 * before a deadline nobody has tried to meet yet, {@code CALLBACK_BREACHED} (or
 * {@code FOLLOW_UP_OVERDUE}) when it passes unkept, and RESOLVED revisions when an alert no longer
 * needs action or late evidence shows it was never due. Input 1 is cx.callbacks (explicit
 * commitments), input 2 cx.interactions (implicit commitments, calls that keep them, timeline).
 *
 * <p>Time: event time. What is decided about a moment depends only on the facts stamped up to it
 * ({@link CommitmentRules}), so arrival order and watermark timing change nothing but how soon
 * an alert comes out, and a deadline that fell while the job was down fires once after a restore.
 * Alert ids derive from the customer, the commitment and the promise that set the deadline.
 *
 * <p>State: per commitment its facts and emitted alerts, until the allowed lateness after it ended
 * (or the watch after an unanswered breach); per customer a small {@link CustomerState} (with the
 * ids of their most recent inputs, which recognise redeliveries) and their timeline as a
 * {@link BoundedLog} (one read per alert), until the customer has no commitment and has been
 * quiet for the timeline horizon. The customers in use are cached ({@link WriteBackCache}) and
 * written, with their timeline entries and their commitments changed since
 * ({@link CommitmentsInMemory}), before each checkpoint barrier and when evicted.
 * State written before the log and the ring (a ring of map slots, a set of seen ids with a TTL)
 * is converted when the customer is next loaded. Event-time timers at each moment a commitment
 * needs a look ({@link CommitmentIndex}), and one to clean up a customer who has none left.
 */
class CallbackSlaFunction extends KeyedCoProcessFunction<String, Ingested<CallbackEvent>,
        Ingested<InteractionEvent>, Alert>
        implements CheckpointedFunction, WriteBackCoProcessOperator.CachingFunction {

    private static final long serialVersionUID = 1L;
    /** Coarse customer clean-up: an interaction moves the timer at most once an hour. */
    private static final long CLEANUP_GRANULARITY = Duration.ofHours(1).toMillis();

    static final MapStateDescriptor<String, Commitment> COMMITMENTS = new MapStateDescriptor<>(
            "commitments", Types.STRING, TypeInformation.of(Commitment.class));
    static final ValueStateDescriptor<CustomerState> CUSTOMER =
            new ValueStateDescriptor<>("customer", CustomerStateSerializer.INSTANCE);
    private static final ListStateDescriptor<Long> OPEN_COUNT =
            new ListStateDescriptor<>("open-commitments", Types.LONG);
    /**
     * No TTL: the clean-up timer clears it with the customer, and the log bounds itself (a TTL
     * would wrap every entry and filter every list in each compaction).
     */
    static final ListStateDescriptor<TimelineEntry> TIMELINE =
            new ListStateDescriptor<>("timeline-log", TimelineEntrySerializer.INSTANCE);
    /** The set of seen ids that state written before the {@link CustomerState} ring keeps. */
    static final String SEEN_IDS = "seen-event-ids";

    private final SlaConfig config;
    private final int cachedCustomers;
    private final long allowedLateness;
    private final String callbacksTopic;
    private final String interactionsTopic;

    private transient MapState<String, Commitment> commitments;
    private transient CommitmentIndex index;
    private transient ValueState<CustomerState> customers;
    /** The customers in use; each written to {@link #customers} before a barrier or when evicted. */
    private transient WriteBackCache<String, CustomerState> cache;
    private transient CacheMetrics cacheMetrics;
    private transient KeyContext keys;
    /** Set on the heap backend only, which keeps the very objects it is given. */
    private transient CustomerStateSerializer customerCopier;
    private transient BoundedLog<TimelineEntry> timeline;
    /** The timeline as state written before it became a log holds it; read once per customer. */
    private transient MapState<Integer, TimelineEntry> timelineRing;
    private transient Deduplicator seenIdsOfOlderState;
    private transient ListState<Long> openCount;
    /** Open commitments in this instance's state; the gauge is per JVM, so each adds its own. */
    private transient long openHere;
    private transient GaugeDataPoint openGauge;
    private transient CounterDataPoint lateRecords;
    private transient CounterDataPoint invalidRecords;
    private transient DistributionDataPoint latency;
    private transient AvroCodec<CallbackEvent> callbackCodec;
    private transient AvroCodec<InteractionEvent> interactionCodec;

    CallbackSlaFunction(SlaConfig config, int cachedCustomers, Duration allowedLateness,
            String callbacksTopic, String interactionsTopic) {
        this.config = config;
        this.cachedCustomers = cachedCustomers;
        this.allowedLateness = allowedLateness.toMillis();
        this.callbacksTopic = callbacksTopic;
        this.interactionsTopic = interactionsTopic;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        openCount = context.getOperatorStateStore().getListState(OPEN_COUNT);
        openHere = 0;
        for (Long count : openCount.get()) {
            openHere += count;
        }
        openGauge = EwsMetrics.COMMITMENTS_OPEN.labelValues(CallbackSlaJob.NAME);
        openGauge.inc(openHere);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        openCount.update(List.of(openHere));
    }

    @Override
    public void open(OpenContext openContext) {
        commitments = getRuntimeContext().getMapState(COMMITMENTS);
        index = new CommitmentIndex(getRuntimeContext());
        customers = getRuntimeContext().getState(CUSTOMER);
        cache = new WriteBackCache<>(cachedCustomers, new CustomerStore())
                .flushingInOrder(new StoredKeyOrder(
                        getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks()));
        cacheMetrics = new CacheMetrics(CallbackSlaJob.NAME);
        timeline = new BoundedLog<>(getRuntimeContext().getListState(TIMELINE));
        timelineRing = getRuntimeContext().getMapState(timelineRingDescriptor(config));
        seenIdsOfOlderState = new Deduplicator(getRuntimeContext(), SEEN_IDS,
                config.timelineHorizon());
        lateRecords = EwsMetrics.DEAD_LETTERS.labelValues(CallbackSlaJob.NAME,
                DeadLetterReason.LATE.label());
        invalidRecords = EwsMetrics.DEAD_LETTERS.labelValues(CallbackSlaJob.NAME,
                DeadLetterReason.INVALID.label());
        latency = EwsMetrics.ALERT_LATENCY.labelValues(CallbackSlaJob.NAME);
        callbackCodec = new AvroCodec<>(CallbackEvent.class);
        interactionCodec = new AvroCodec<>(InteractionEvent.class);
    }

    @Override
    public void useKeyContext(KeyContext keys, boolean backendKeepsObjects) {
        this.keys = keys;
        customerCopier = backendKeepsObjects ? CustomerStateSerializer.INSTANCE : null;
    }

    /** Every change since the last checkpoint goes into the keyed state this checkpoint takes. */
    @Override
    public void writeBack() throws Exception {
        cache.flush();
        cacheMetrics.publish(cache);
    }

    /**
     * The ring of timeline slots that state written before the timeline log holds: declared as it
     * was (its TTL included, part of the stored type) so that such state restores and converts.
     */
    static MapStateDescriptor<Integer, TimelineEntry> timelineRingDescriptor(SlaConfig config) {
        MapStateDescriptor<Integer, TimelineEntry> descriptor = new MapStateDescriptor<>(
                "timeline", Types.INT, new AvroTypeInfo<>(TimelineEntry.class));
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(
                        config.timelineHorizon().multipliedBy(2).plus(config.watchAfterBreach()))
                .cleanupInRocksdbCompactFilter(1000).build());
        return descriptor;
    }

    @Override
    public void close() throws Exception {
        if (openGauge != null) {
            openGauge.dec(openHere);
        }
        super.close();
    }

    @Override
    public void processElement1(Ingested<CallbackEvent> in, Context ctx, Collector<Alert> out)
            throws Exception {
        CallbackEvent event = in.value;
        long at = event.getOccurredAt().toEpochMilli();
        long clock = ctx.timerService().currentWatermark();
        if (EventTime.isTooLate(at, clock, allowedLateness)) {
            deadLetter(ctx, DeadLetterReason.LATE, callbacksTopic, in.partition, in.offset,
                    event.getCustomerId(), "occurredAt " + event.getOccurredAt()
                            + " is behind the watermark by more than "
                            + Duration.ofMillis(allowedLateness), callbackCodec.encode(event));
            return;
        }
        CustomerState customer = load(ctx.getCurrentKey(), at);
        if (!firstSeen(customer, "callback:" + event.getEventId())) {
            return;
        }
        touch(ctx, customer, at);
        if (event.getCustomerName() != null) {
            customer.customerName = event.getCustomerName();
        }
        appendToTimeline(customer, SlaTimeline.entryOf(event));
        Batch batch = new Batch(event.getEventId(), in.ingestedAt);

        Commitment commitment = commitment(customer, event.getCommitmentId());
        String regionId = event.getRegionId() != null ? event.getRegionId()
                : commitment != null && commitment.region != null ? commitment.region
                : customer.regionId;
        BusinessCalendar calendar = config.calendar(regionId);
        byte[] payload = callbackCodec.encode(event);
        Fact fact;
        try {
            fact = Evidence.factOf(event, calendar, config);
        } catch (Evidence.Unusable unusable) {
            deadLetter(ctx, DeadLetterReason.INVALID, callbacksTopic, in.partition, in.offset,
                    event.getCustomerId(), unusable.getMessage(), payload);
            finish(ctx, customer, batch, out);
            return;
        }
        fact.payload = payload;
        fact.partition = in.partition;
        fact.offset = in.offset;
        if (commitment == null) {
            commitment = Commitment.create(event.getCommitmentId(), Commitment.Kind.CALLBACK);
            customer.added(commitment);
        }
        boolean wasPromised = commitment.isPromised();
        if (!commitment.add(fact) && !commitment.has(fact.eventId)) {
            deadLetter(ctx, DeadLetterReason.INVALID, callbacksTopic, in.partition, in.offset,
                    event.getCustomerId(), "commitment " + commitment.commitmentId + " already has "
                            + Commitment.MAX_FACTS + " events", payload);
        }
        String caseBefore = commitment.caseId;
        adopt(commitment, event, calendar);
        if (commitment.isScheduled()) {
            index.recased(commitment, caseBefore);
        }
        if (!wasPromised && commitment.isPromised()) {
            opened();
        }
        if (fact.kind == Fact.Kind.PROMISE) {
            applyRecentContacts(commitment, customer);
        }
        step(ctx, customer, commitment, clock, batch);
        finish(ctx, customer, batch, out);
    }

    @Override
    public void processElement2(Ingested<InteractionEvent> in, Context ctx, Collector<Alert> out)
            throws Exception {
        InteractionEvent event = in.value;
        long at = event.getOccurredAt().toEpochMilli();
        long clock = ctx.timerService().currentWatermark();
        if (EventTime.isTooLate(at, clock, allowedLateness)) {
            deadLetter(ctx, DeadLetterReason.LATE, interactionsTopic, in.partition, in.offset,
                    event.getCustomerId(), "occurredAt " + event.getOccurredAt()
                            + " is behind the watermark by more than "
                            + Duration.ofMillis(allowedLateness), interactionCodec.encode(event));
            return;
        }
        CustomerState customer = load(ctx.getCurrentKey(), at);
        if (!firstSeen(customer, "interaction:" + event.getEventId())) {
            return;
        }
        touch(ctx, customer, at);
        if (event.getCustomerName() != null) {
            customer.customerName = event.getCustomerName();
        }
        if (event.getRegionId() != null) {
            customer.regionId = event.getRegionId();
        }
        appendToTimeline(customer, SlaTimeline.entryOf(event));
        Batch batch = new Batch(event.getEventId(), in.ingestedAt);

        Contact contact = Evidence.contactOf(event);
        List<Commitment> touched = new ArrayList<>();
        if (contact != null) {
            customer.remember(contact, clock == Long.MIN_VALUE ? clock : clock - allowedLateness);
            countCommitmentsByKind(customer);
            if (customer.mayBeSteppedBy(contact.kind)) {
                for (Commitment commitment : coveredBy(customer, contact)) {
                    Fact first = commitment.firstPromise();
                    if (first != null && contact.at > first.at
                            && Evidence.covers(commitment, contact)) {
                        Fact fact = Evidence.factFor(commitment.kind, contact);
                        if (fact != null && commitment.add(fact)) {
                            touched.add(commitment);
                        }
                    }
                }
            }
        }
        BusinessCalendar calendar = config.calendar(customer.regionId);
        try {
            for (Evidence.Implicit implicit : Evidence.implicitOf(event, calendar, config)) {
                if (commitment(customer, implicit.commitmentId()) == null) {
                    touched.add(implicitCommitment(implicit, event, calendar, customer));
                }
            }
        } catch (Evidence.Unusable unusable) {
            deadLetter(ctx, DeadLetterReason.INVALID, interactionsTopic, in.partition, in.offset,
                    event.getCustomerId(), unusable.getMessage(), interactionCodec.encode(event));
        }
        for (Commitment commitment : touched) {
            step(ctx, customer, commitment, clock, batch);
        }
        finish(ctx, customer, batch, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out)
            throws Exception {
        CustomerState customer = cache.get(ctx.getCurrentKey());
        if (customer == null) {
            return;
        }
        indexCommitments(ctx, customer);
        if (timestamp == customer.timerAt) {
            customer.timerAt = CustomerState.NONE;
        }
        // Up to the timer's own time, not the watermark: when the watermark jumps (a backlog after
        // a restore), the timers between fire one by one in time order, each stepping its own
        // commitments, so a customer's alerts come out in event-time order however it advances.
        long clock = timestamp;
        Batch batch = new Batch(null, Long.MIN_VALUE);
        for (String commitmentId : index.takeDue(timestamp)) {
            Commitment commitment = commitment(customer, commitmentId);
            if (commitment != null) {
                step(ctx, customer, commitment, clock, batch);
            }
        }
        // At most zero: a count gone wrong must not re-arm this timer at its own time forever.
        if (customer.commitments <= 0
                && customer.lastEventAt + config.timelineHorizon().toMillis() <= clock) {
            if (customer.timerAt != CustomerState.NONE) {
                ctx.timerService().deleteEventTimeTimer(customer.timerAt);
            }
            flush(customer, batch, out);
            cache.remove(ctx.getCurrentKey());
            // The removals of the commitments that ended.
            writeCommitments(customer);
            customers.clear();
            // The index is empty: every commitment left it when it ended, and the ring of
            // timeline slots was converted on load. Clearing them anyway would cost two RocksDB
            // iterator seeks for each of millions of customers.
            if (customer.timelineStored > 0) {
                timeline.clear();
            }
            if (customer.seenIdsInSet) {
                seenIdsOfOlderState.clear();
            }
            return;
        }
        finish(ctx, customer, batch, out);
    }

    /**
     * Brings one commitment up to {@code clock}: emits what fell due, resolves what no longer
     * needs action, withdraws what late evidence disproves, and forgets it once it has ended.
     */
    private void step(Context ctx, CustomerState customer, Commitment commitment, long clock,
            Batch batch) throws Exception {
        if (!commitment.isPromised()) {
            long end = CommitmentRules.endAt(commitment, null, List.of(), config, allowedLateness);
            if (clock != Long.MIN_VALUE && clock >= end) {
                // No promise can arrive any more: these facts are about nothing we know.
                for (Fact fact : commitment.facts) {
                    deadLetter(ctx, DeadLetterReason.INVALID, callbacksTopic, fact.partition,
                            fact.offset, ctx.getCurrentKey(), recordName(fact)
                                    + " for unknown commitment " + commitment.commitmentId
                                    + ": no PROMISED within the allowed lateness", fact.payload);
                }
                forget(ctx, customer, commitment);
            } else {
                schedule(ctx, customer, commitment, end);
            }
            return;
        }
        CommitmentRules.Reading reading = CommitmentRules.read(commitment, config);
        if (!reading.invalidPromises().isEmpty()) {
            withdrawVanished(ctx.getCurrentKey(), customer, commitment, reading, batch);
            for (Fact invalid : reading.invalidPromises()) {
                deadLetter(ctx, DeadLetterReason.INVALID, callbacksTopic, invalid.partition,
                        invalid.offset, ctx.getCurrentKey(), invalid.detail + " at "
                                + Instant.ofEpochMilli(invalid.at) + " after commitment "
                                + commitment.commitmentId + " was already "
                                + (reading.fulfilled() ? "completed" : "cancelled"),
                        invalid.payload);
                commitment.remove(invalid);
            }
            reading = CommitmentRules.read(commitment, config);
        }
        List<CommitmentRules.Decision> decisions =
                CommitmentRules.decide(ctx.getCurrentKey(), commitment, reading, config);
        for (CommitmentRules.Decision decision : decisions) {
            SlaAlerts.Subject subject = subject(ctx.getCurrentKey(), customer, commitment, decision);
            FiredAlert fired = commitment.alert(decision.alertId());
            if (fired == null && decision.fires() && decision.fireAt() <= clock) {
                fired = new FiredAlert();
                fired.alertId = decision.alertId();
                fired.kind = decision.kind();
                fired.triggeredAt = decision.fireAt();
                commitment.addAlert(fired);
                batch.add(decision.fireAt(), subject, AlertStatus.OPEN, 0, null, null);
            }
            if (fired == null || fired.resolved) {
                continue;
            }
            if (!decision.fires()) {
                fired.resolved = true;
                fired.revision++;
                long at = decision.withdrawCause() != null ? decision.withdrawCause().at
                        : fired.triggeredAt;
                batch.add(at, subject, AlertStatus.RESOLVED, fired.revision,
                        decision.withdrawReason(), decision.withdrawCause());
            // An unanswered breach (NEVER) stays open even at the end of input (maximum watermark).
            } else if (decision.resolveAt() != CommitmentRules.NEVER
                    && decision.resolveAt() <= clock) {
                fired.resolved = true;
                fired.revision++;
                batch.add(decision.resolveAt(), subject, AlertStatus.RESOLVED, fired.revision,
                        decision.resolveReason(), decision.resolveCause());
            }
        }
        long end = CommitmentRules.endAt(commitment, reading, decisions, config, allowedLateness);
        if (clock != Long.MIN_VALUE && clock >= end) {
            EwsMetrics.COMMITMENTS_CLOSED.labelValues(CallbackSlaJob.NAME, commitment.region,
                    CommitmentRules.outcome(reading, decisions)).inc();
            openHere--;
            openGauge.dec();
            forget(ctx, customer, commitment);
            return;
        }
        schedule(ctx, customer, commitment, CommitmentRules.nextWake(decisions, end, clock));
    }

    /** Stores a commitment that needs another look at {@code wakeAt}, and files it there. */
    private void schedule(Context ctx, CustomerState customer, Commitment commitment, long wakeAt)
            throws Exception {
        boolean filed = commitment.isScheduled();
        long before = commitment.wakeAt;
        commitment.wakeAt = wakeAt;
        CommitmentsInMemory inMemory = inMemory(customer);
        if (inMemory == null) {
            commitments.put(commitment.commitmentId, commitment);
        } else {
            inMemory.put(commitment);
        }
        if (filed) {
            index.rescheduled(commitment, before, ctx.timerService(), customer.timerAt);
        } else {
            index.file(commitment, ctx.timerService());
        }
    }

    /**
     * Alerts of a cycle whose promise turned out to come after the commitment ended (a late
     * completion stamped earlier): the cycle no longer exists, so its alerts are withdrawn.
     */
    private void withdrawVanished(String customerId, CustomerState customer,
            Commitment commitment, CommitmentRules.Reading reading, Batch batch) {
        for (Fact invalid : reading.invalidPromises()) {
            CommitmentRules.Cycle cycle = new CommitmentRules.Cycle(invalid, invalid.at,
                    invalid.dueAt, invalid.dueAt + invalid.windowMillis, invalid.at,
                    CommitmentRules.NEVER, List.of(), 0);
            for (FiredAlert fired : commitment.alerts) {
                String id = AlertIds.of(fired.kind.name(), customerId,
                        commitment.commitmentId, invalid.eventId);
                if (fired.resolved || !fired.alertId.equals(id)) {
                    continue;
                }
                String reason = reading.fulfilled() ? "kept-late-evidence" : "cancelled-late-evidence";
                CommitmentRules.Decision gone = new CommitmentRules.Decision(fired.alertId,
                        fired.kind, cycle, false, fired.triggeredAt, CommitmentRules.NEVER, null,
                        null, reason, reading.terminal());
                fired.resolved = true;
                fired.revision++;
                batch.add(reading.terminalAt(), subject(customerId, customer, commitment, gone),
                        AlertStatus.RESOLVED, fired.revision, reason, reading.terminal());
            }
        }
    }

    private Commitment implicitCommitment(Evidence.Implicit implicit, InteractionEvent event,
            BusinessCalendar calendar, CustomerState customer) throws Exception {
        Commitment commitment = Commitment.create(implicit.commitmentId(), implicit.kind());
        commitment.caseId = event.getCaseId();
        commitment.customerName = event.getCustomerName();
        commitment.region = calendar.region();
        commitment.channel = event.getChannel().name();
        commitment.add(implicit.promise());
        customer.added(commitment);
        opened();
        applyRecentContacts(commitment, customer);
        return commitment;
    }

    /** Contacts seen before the promise arrived, but made after it, count as if in order. */
    private void applyRecentContacts(Commitment commitment, CustomerState customer) {
        Fact first = commitment.firstPromise();
        for (Contact contact : customer.contactsSince(first.at)) {
            if (Evidence.covers(commitment, contact)) {
                Fact fact = Evidence.factFor(commitment.kind, contact);
                if (fact != null) {
                    commitment.add(fact);
                }
            }
        }
    }

    /** The promise's details win; other records only fill what is still unknown. */
    private static void adopt(Commitment commitment, CallbackEvent event, BusinessCalendar calendar) {
        boolean promise = event.getType() == CallbackType.PROMISED;
        if (event.getCaseId() != null && (promise || commitment.caseId == null)) {
            commitment.caseId = event.getCaseId();
        }
        if (event.getCustomerName() != null && (promise || commitment.customerName == null)) {
            commitment.customerName = event.getCustomerName();
        }
        if (event.getChannel() != null && (promise || commitment.channel == null)) {
            commitment.channel = event.getChannel().name();
        }
        if (promise || commitment.region == null) {
            commitment.region = calendar.region();
        }
    }

    /** The callback record type a fact came from, as its sender would name it. */
    private static String recordName(Fact fact) {
        return switch (fact.kind) {
            case PROMISE, CANCEL -> fact.detail;
            case FULFIL -> "COMPLETED".equals(fact.detail) ? fact.detail
                    : "ATTEMPTED (" + fact.detail + ")";
            case ATTEMPT -> "ATTEMPTED (" + fact.detail + ")";
        };
    }

    private SlaAlerts.Subject subject(String customerId, CustomerState customer,
            Commitment commitment, CommitmentRules.Decision decision) {
        return new SlaAlerts.Subject(customerId,
                commitment.customerName != null ? commitment.customerName : customer.customerName,
                commitment, decision, config.calendar(commitment.region).zone());
    }

    private void opened() {
        openHere++;
        openGauge.inc();
    }

    private void forget(Context ctx, CustomerState customer, Commitment commitment)
            throws Exception {
        if (commitment.isScheduled()) {
            index.unfile(commitment, ctx.timerService(), customer.timerAt);
        }
        CommitmentsInMemory inMemory = inMemory(customer);
        if (inMemory == null) {
            commitments.remove(commitment.commitmentId);
        } else {
            inMemory.remove(commitment.commitmentId);
        }
        customer.removed(commitment);
    }

    /**
     * The commitments a contact may keep. A contact about a case reads only the commitments of
     * that case (or of none) of the kinds it counts for; one about no case may keep any.
     */
    private Iterable<Commitment> coveredBy(CustomerState customer, Contact contact)
            throws Exception {
        if (contact.caseId == null || customer.commitmentsByKind == null) {
            return allCommitments(customer);
        }
        List<Commitment> covered = new ArrayList<>();
        for (Commitment.Kind kind : Commitment.Kind.values()) {
            if (customer.commitmentsByKind[kind.ordinal()] > 0
                    && Evidence.steps(kind, contact.kind)) {
                for (String commitmentId : index.coveredBy(kind, contact.caseId)) {
                    Commitment commitment = commitment(customer, commitmentId);
                    if (commitment != null) {
                        covered.add(commitment);
                    }
                }
            }
        }
        return covered;
    }

    /**
     * State written before the index existed: its commitments are filed once, when the customer
     * is next seen. The single customer timer of that layout stays registered and wakes the
     * customer once more, which steps nothing that is not due.
     */
    private void indexCommitments(Context ctx, CustomerState customer) throws Exception {
        if (customer.commitmentsIndexed) {
            return;
        }
        if (customer.commitments > 0) {
            for (Commitment commitment : allCommitments(customer)) {
                if (commitment.isScheduled()) {
                    index.file(commitment, ctx.timerService());
                }
            }
            customer.timerAt = CustomerState.NONE;
        }
        customer.commitmentsIndexed = true;
    }

    /** State written before commitments were counted by kind is counted once, when needed. */
    private void countCommitmentsByKind(CustomerState customer) throws Exception {
        if (customer.commitmentsByKind != null) {
            return;
        }
        int[] counts = new int[Commitment.Kind.values().length];
        if (customer.commitments > 0) {
            for (Commitment commitment : allCommitments(customer)) {
                counts[commitment.kind.ordinal()]++;
            }
        }
        customer.commitmentsByKind = counts;
    }

    /**
     * The current customer's commitments in memory, or null on the heap backend, where the keyed
     * state is itself in memory.
     */
    private CommitmentsInMemory inMemory(CustomerState customer) {
        if (customerCopier != null) {
            return null;
        }
        if (customer.commitmentsInMemory == null) {
            customer.commitmentsInMemory = new CommitmentsInMemory();
        }
        return customer.commitmentsInMemory;
    }

    /** The current customer's commitment {@code id}, or null. */
    private Commitment commitment(CustomerState customer, String id) throws Exception {
        CommitmentsInMemory inMemory = inMemory(customer);
        return inMemory == null ? commitments.get(id) : inMemory.get(commitments, id);
    }

    private Iterable<Commitment> allCommitments(CustomerState customer) throws Exception {
        CommitmentsInMemory inMemory = inMemory(customer);
        return inMemory == null ? commitments.values() : inMemory.values(commitments);
    }

    /** Writes the commitments changed in memory; the key context must be the customer's. */
    private void writeCommitments(CustomerState customer) throws Exception {
        if (customer.commitmentsInMemory != null) {
            customer.commitmentsInMemory.writeTo(commitments);
        }
    }

    /** The current customer, or a new one first seen at {@code at}. */
    private CustomerState load(String customerId, long at) throws Exception {
        CustomerState customer = cache.get(customerId);
        return customer != null ? customer : CustomerState.fresh(at);
    }

    /**
     * The current customer's stored state, or null; state written by an older release is brought
     * to this one's layout (and written back at once, so that it happens once: the cache does not
     * write back a customer an event leaves unchanged, a redelivery say).
     */
    private CustomerState stored() throws Exception {
        CustomerState customer = customers.value();
        if (customer != null && customerCopier != null) {
            customer = customerCopier.copy(customer);
        }
        if (customer == null || customer.timelineInLog && customer.recentInputs != null) {
            return customer;
        }
        if (customer.recentInputs == null) {
            customer.recentInputs = RecentIds.ring();
            customer.seenIdsInSet = true;
        }
        if (!customer.timelineInLog) {
            // By time: the ring's slots say nothing about order once it has wrapped.
            customer.timelineStored = timeline.replace(timelineRing.values(),
                    Comparator.comparing(TimelineEntry::getAt));
            timelineRing.clear();
            customer.timelineInLog = true;
        }
        customers.update(customerCopier != null ? customerCopier.copy(customer) : customer);
        return customer;
    }

    /** True the first time an input id comes for the current customer (a redelivery: false). */
    private boolean firstSeen(CustomerState customer, String inputId) throws Exception {
        return customer.firstSeen(inputId)
                && (!customer.seenIdsInSet || seenIdsOfOlderState.firstTime(inputId));
    }

    /** The customer is seen at {@code at}: files older commitments, moves the quiet period. */
    private void touch(Context ctx, CustomerState customer, long at) throws Exception {
        indexCommitments(ctx, customer);
        customer.lastEventAt = Math.max(customer.lastEventAt, at);
    }

    /**
     * Stores the customer and emits the batch. Each commitment wakes the customer at its own
     * time; a customer without commitments is woken once, to be forgotten after the timeline
     * horizon.
     */
    private void finish(Context ctx, CustomerState customer, Batch batch, Collector<Alert> out)
            throws Exception {
        TimerService timers = ctx.timerService();
        if (customer.commitments > 0) {
            if (customer.timerAt != CustomerState.NONE) {
                if (!index.wakesAt(customer.timerAt)) {
                    timers.deleteEventTimeTimer(customer.timerAt);
                }
                customer.timerAt = CustomerState.NONE;
            }
        } else {
            long quietEnd = customer.lastEventAt + config.timelineHorizon().toMillis();
            long cleanUp = (Math.floorDiv(quietEnd, CLEANUP_GRANULARITY) + 1) * CLEANUP_GRANULARITY;
            if (cleanUp != customer.timerAt) {
                if (customer.timerAt != CustomerState.NONE) {
                    timers.deleteEventTimeTimer(customer.timerAt);
                }
                timers.registerEventTimeTimer(cleanUp);
                customer.timerAt = cleanUp;
            }
        }
        cache.put(ctx.getCurrentKey(), customer);
        flush(customer, batch, out);
    }

    private void flush(CustomerState customer, Batch batch, Collector<Alert> out)
            throws Exception {
        if (batch.emissions.isEmpty()) {
            return;
        }
        List<TimelineEntry> entries = customer.timelineTail.read(timeline,
                customer.timelineStored, config.timelineSize());
        entries.sort(Comparator.comparing(TimelineEntry::getAt).reversed()
                .thenComparing(e -> e.getEventId() == null ? "" : e.getEventId()));
        batch.emissions.sort(Comparator.comparingLong(Emission::at)
                .thenComparing(e -> e.subject().commitment().commitmentId)
                .thenComparingInt(Emission::seq));
        for (Emission emission : batch.emissions) {
            List<TimelineEntry> recent = recentTimeline(entries, emission.at());
            Alert alert = emission.status() == AlertStatus.OPEN
                    ? SlaAlerts.open(emission.subject(), recent, config, batch.triggerEventId)
                    : SlaAlerts.resolved(emission.subject(), emission.revision(), emission.at(),
                            emission.reason(), emission.cause(), recent, batch.triggerEventId);
            out.collect(alert);
            EwsMetrics.ALERTS.labelValues(CallbackSlaJob.NAME, alert.getKind().name(),
                    alert.getSeverity().name()).inc();
            if (alert.getStatus() == AlertStatus.OPEN
                    && alert.getKind() != AlertKind.CALLBACK_DUE_SOON) {
                EwsMetrics.CALLBACK_BREACHES.inc();
            }
            if (batch.ingestedAt != Long.MIN_VALUE) {
                latency.observe((System.currentTimeMillis() - batch.ingestedAt) / 1000.0);
            }
        }
    }

    /** The timeline as it stood at {@code at}: newest first, within the horizon, bounded. */
    private List<TimelineEntry> recentTimeline(List<TimelineEntry> newestFirst, long at) {
        long horizon = at - config.timelineHorizon().toMillis();
        List<TimelineEntry> recent = new ArrayList<>();
        for (TimelineEntry entry : newestFirst) {
            long entryAt = entry.getAt().toEpochMilli();
            if (entryAt <= at && entryAt >= horizon && recent.size() < config.timelineSize()) {
                recent.add(entry);
            }
        }
        return recent;
    }

    private void appendToTimeline(CustomerState customer, TimelineEntry entry) {
        customer.timelineTail.add(entry, config.timelineSize());
    }

    private void deadLetter(Context ctx, DeadLetterReason reason, String topic, int partition,
            long offset, String key, String detail, byte[] payload) {
        (reason == DeadLetterReason.LATE ? lateRecords : invalidRecords).inc();
        ctx.output(DeadLetters.TAG, DeadLetters.build(CallbackSlaJob.NAME, topic, partition,
                offset, key, reason.describe(detail), payload));
    }

    /** One alert record to emit, with what it needs to be written. */
    private record Emission(long at, int seq, SlaAlerts.Subject subject, AlertStatus status,
            int revision, String reason, Fact cause) {}

    /** The alerts one record or timer produces, emitted together in event-time order. */
    private static final class Batch {
        final String triggerEventId;
        final long ingestedAt;
        final List<Emission> emissions = new ArrayList<>(0);

        Batch(String triggerEventId, long ingestedAt) {
            this.triggerEventId = triggerEventId;
            this.ingestedAt = ingestedAt;
        }

        void add(long at, SlaAlerts.Subject subject, AlertStatus status, int revision,
                String reason, Fact cause) {
            emissions.add(new Emission(at, emissions.size(), subject, status, revision, reason,
                    cause));
        }
    }

    /** The keyed state behind the cache; writing another customer borrows the key context. */
    private final class CustomerStore implements WriteBackCache.Store<String, CustomerState> {

        @Override
        public CustomerState load(String customerId) throws Exception {
            return stored();
        }

        @Override
        public void store(String customerId, CustomerState customer) throws Exception {
            Object current = keys.getCurrentKey();
            keys.setCurrentKey(customerId);
            customer.timelineStored = customer.timelineTail.writeTo(timeline,
                    customer.timelineStored, config.timelineSize());
            customers.update(customerCopier != null ? customerCopier.copy(customer) : customer);
            writeCommitments(customer);
            if (current != null) {
                keys.setCurrentKey(current);
            }
        }
    }
}
