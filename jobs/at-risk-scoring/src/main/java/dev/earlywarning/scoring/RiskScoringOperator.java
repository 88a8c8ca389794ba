package dev.earlywarning.scoring;

import dev.earlywarning.common.config.RuntimeSettings;
import dev.earlywarning.common.kafka.AvroCodec;
import dev.earlywarning.common.kafka.DeadLetterReason;
import dev.earlywarning.common.kafka.DeadLetters;
import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.common.metrics.EwsMetrics;
import dev.earlywarning.common.state.BoundedLog;
import dev.earlywarning.common.state.CacheMetrics;
import dev.earlywarning.common.state.StoredKeyOrder;
import dev.earlywarning.common.state.TimelineEntrySerializer;
import dev.earlywarning.common.state.WriteBackCache;
import dev.earlywarning.common.time.EventTime;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.ControlCommand;
import dev.earlywarning.schema.DeadLetter;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.TimelineEntry;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.util.Comparator;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Scores each customer (the key of input 1) from their interactions and the promises broken to
 * them, with the run-time configuration of the control stream (input 2, broadcast); the decisions
 * are {@link RiskScorer}'s, this class keeps the state.
 *
 * <p>State path: the customers in use live in a {@link WriteBackCache} of {@link CustomerRisk} and
 * are written to the keyed state (RocksDB) before each checkpoint barrier, on eviction, and beyond
 * {@code dirty-customers} changed ones, so a busy customer costs no state access per event.
 * Redeliveries are recognised by a ring of recent input ids inside {@link RiskState}. Timers and
 * state names are those of the keyed broadcast function this operator replaced, so savepoints taken
 * by it restore here; the timeline, a ring of map slots then, is moved into the {@link BoundedLog}
 * on a customer's first load.
 */
class RiskScoringOperator extends AbstractStreamOperator<Alert>
        implements TwoInputStreamOperator<ScoringInput, Ingested<ControlCommand>, Alert>,
        Triggerable<String, VoidNamespace> {

    private static final long serialVersionUID = 1L;

    static final ValueStateDescriptor<RiskState> RISK =
            new ValueStateDescriptor<>("risk", RiskStateSerializer.INSTANCE);
    /**
     * No TTL: the clean-up timer clears it with the customer, and the log bounds itself (a TTL
     * would wrap every entry and filter every list in each compaction).
     */
    static final ListStateDescriptor<TimelineEntry> TIMELINE =
            new ListStateDescriptor<>("timeline-log", TimelineEntrySerializer.INSTANCE);

    private final RuntimeSettings<ScoringConfig> settings;
    private final int cachedCustomers;
    private final int dirtyCustomers;
    private final String interactionsTopic;

    private transient ValueState<RiskState> risk;
    private transient BoundedLog<TimelineEntry> timeline;
    /** The timeline as state written before it became a log holds it; read once per customer. */
    private transient MapState<Integer, TimelineEntry> timelineRing;
    private transient boolean copyOnAccess;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient BroadcastState<String, String> control;
    private transient WriteBackCache<String, CustomerRisk> customers;
    private transient CacheMetrics cacheMetrics;
    private transient RiskScorer scorer;
    private transient CounterDataPoint lateRecords;
    private transient AvroCodec<InteractionEvent> interactionCodec;

    RiskScoringOperator(ScoringConfig config, int cachedCustomers, int dirtyCustomers,
            String interactionsTopic, String controlTopic) {
        this.settings = new RuntimeSettings<>(AtRiskScoringJob.NAME, controlTopic, config,
                ScoringConfig::with, ScoringControl.STATE);
        this.cachedCustomers = cachedCustomers;
        this.dirtyCustomers = dirtyCustomers;
        this.interactionsTopic = interactionsTopic;
    }

    @Override
    public void open() throws Exception {
        super.open();
        ScoringConfig start = settings.start();
        risk = getRuntimeContext().getState(RISK);
        timeline = new BoundedLog<>(getRuntimeContext().getListState(TIMELINE));
        timelineRing = getRuntimeContext().getMapState(timelineRingDescriptor(start));
        // The heap backend hands out and keeps the very objects: cached ones must be copies.
        copyOnAccess = !getKeyedStateBackend().isSafeToReuseKVState();
        timers = getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, this);
        control = getOperatorStateBackend().getBroadcastState(ScoringControl.STATE);
        customers = new WriteBackCache<>(cachedCustomers, dirtyCustomers, new CustomerStore())
                .flushingInOrder(new StoredKeyOrder(
                        getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks()));
        cacheMetrics = new CacheMetrics(AtRiskScoringJob.NAME);
        scorer = new RiskScorer(alert -> output.collect(
                        new StreamRecord<>(alert, alert.getTriggeredAt().toEpochMilli())),
                new RiskScorer.Timers() {
                    @Override
                    public void register(long time) {
                        timers.registerEventTimeTimer(VoidNamespace.INSTANCE, time);
                    }

                    @Override
                    public void delete(long time) {
                        timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, time);
                    }
                },
                (customer, size) -> customer.timeline(timeline, size));
        lateRecords = EwsMetrics.DEAD_LETTERS.labelValues(AtRiskScoringJob.NAME,
                DeadLetterReason.LATE.label());
        interactionCodec = new AvroCodec<>(InteractionEvent.class);
    }

    /**
     * The ring of timeline slots that state written before the timeline log holds: declared as it
     * was (its TTL included) so that such state restores and can be converted.
     */
    static MapStateDescriptor<Integer, TimelineEntry> timelineRingDescriptor(
            ScoringConfig start) {
        MapStateDescriptor<Integer, TimelineEntry> descriptor = new MapStateDescriptor<>(
                "timeline", Types.INT, new AvroTypeInfo<>(TimelineEntry.class));
        // The TTL is part of the stored state's type: restoring it needs the same configuration.
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(
                        start.stateRetention().plus(start.timelineHorizon()))
                .cleanupInRocksdbCompactFilter(1000).build());
        return descriptor;
    }

    @Override
    public void processElement1(StreamRecord<ScoringInput> element) throws Exception {
        ScoringInput in = element.getValue();
        ScoringConfig config = settings.current(control);
        long at = in.eventTime();
        if (in.interaction != null && EventTime.isTooLate(at, timers.currentWatermark(),
                config.allowedLateness().toMillis())) {
            deadLetterLate(in, config);
            return;
        }
        String customerId = (String) getCurrentKey();
        CustomerRisk customer = customers.get(customerId);
        if (customer == null) {
            customer = CustomerRisk.fresh(at);
        }
        if (customer.state.firstSeen(in.id())) {
            scorer.score(customerId, customer, in, config);
        }
        customers.put(customerId, customer);
    }

    @Override
    public void processElement2(StreamRecord<Ingested<ControlCommand>> element) throws Exception {
        Ingested<ControlCommand> in = element.getValue();
        DeadLetter refused = settings.apply(in.value, in.partition, in.offset, control,
                getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0);
        if (refused != null) {
            output.collect(DeadLetters.TAG, new StreamRecord<>(refused));
        }
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        String customerId = timer.getKey();
        CustomerRisk customer = customers.get(customerId);
        if (customer == null) {
            return;
        }
        ScoringConfig config = settings.current(control);
        if (scorer.wakeUp(customerId, customer, timer.getTimestamp(), config)
                == RiskScorer.Outcome.END) {
            customers.remove(customerId);
            if (customer.stored()) {
                // A loaded customer's ring of older state was converted (and cleared) on load.
                risk.clear();
                if (customer.state.timelineStored > 0) {
                    timeline.clear();
                }
            }
        } else {
            customers.put(customerId, customer);
        }
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        // The scoring runs on event time only.
    }

    /** Every change since the last checkpoint goes into the keyed state this checkpoint takes. */
    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        customers.flush();
        cacheMetrics.publish(customers);
    }

    private void deadLetterLate(ScoringInput in, ScoringConfig config) {
        lateRecords.inc();
        output.collect(DeadLetters.TAG, new StreamRecord<>(DeadLetters.build(AtRiskScoringJob.NAME,
                interactionsTopic, in.partition, in.offset, in.customerId(),
                DeadLetterReason.LATE.describe("occurredAt " + in.interaction.getOccurredAt()
                        + " is behind the watermark by more than " + config.allowedLateness()),
                interactionCodec.encode(in.interaction))));
    }

    /**
     * Moves the current customer's timeline from the ring of slots of older state into the log,
     * oldest first (by time: the ring's slots say nothing about order once it has wrapped).
     */
    private void convertTimelineRing(RiskState state) throws Exception {
        state.timelineStored = timeline.replace(timelineRing.values(),
                Comparator.comparing(TimelineEntry::getAt));
        timelineRing.clear();
        state.timelineInLog = true;
    }

    /** The keyed state behind the cache; writing another customer borrows the key context. */
    private final class CustomerStore implements WriteBackCache.Store<String, CustomerRisk> {

        @Override
        public CustomerRisk load(String customerId) throws Exception {
            RiskState stored = risk.value();
            if (stored == null) {
                return null;
            }
            RiskState state = copyOnAccess ? RiskStateSerializer.INSTANCE.copy(stored) : stored;
            if (!state.timelineInLog) {
                convertTimelineRing(state);
            }
            return CustomerRisk.restored(state);
        }

        @Override
        public void store(String customerId, CustomerRisk customer) throws Exception {
            Object current = getCurrentKey();
            setCurrentKey(customerId);
            // The timeline first: writing it updates the count the customer's state keeps.
            customer.writeTimeline(timeline, settings.current(control).timelineSize());
            risk.update(copyOnAccess
                    ? RiskStateSerializer.INSTANCE.copy(customer.state) : customer.state);
            if (current != null) {
                setCurrentKey(current);
            }
        }
    }
}
