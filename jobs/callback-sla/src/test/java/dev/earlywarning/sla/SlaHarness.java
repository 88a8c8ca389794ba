package dev.earlywarning.sla;

import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.kafka.DeadLetters;
import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.common.state.Deduplicator;
import dev.earlywarning.common.state.WriteBackCoProcessOperator;
import dev.earlywarning.common.testing.HarnessOutputs;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.CallbackEvent;
import dev.earlywarning.schema.DeadLetter;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.TimelineEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * The SLA function in Flink's two-input operator harness, with time driven by the test; its
 * alerts and dead letters are those of every instance since the first (see {@link #restart()}).
 */
final class SlaHarness implements AutoCloseable {

    static final Duration LATENESS = Duration.ofMinutes(10);

    private KeyedTwoInputStreamOperatorTestHarness<String, Ingested<CallbackEvent>,
            Ingested<InteractionEvent>, Alert> harness;
    private final SlaConfig config;
    private final Supplier<CallbackSlaFunction> functions;
    private final boolean rocksDb;
    private final List<Alert> earlierAlerts = new ArrayList<>();
    private final List<DeadLetter> earlierDeadLetters = new ArrayList<>();
    private long checkpoints;

    SlaHarness(SlaConfig config) throws Exception {
        this(config, () -> function(config, JobConfig.DEFAULT_CACHED_CUSTOMERS), false, null);
    }

    SlaHarness(SlaConfig config, int cachedCustomers, boolean rocksDb,
            OperatorSubtaskState restored) throws Exception {
        this(config, () -> function(config, cachedCustomers), rocksDb, restored);
    }

    /**
     * The functions {@code functions} makes (a new one for each {@link #restart()}), on RocksDB as
     * in production or on the heap backend; optionally restored from a snapshot of another harness.
     */
    SlaHarness(SlaConfig config, Supplier<CallbackSlaFunction> functions, boolean rocksDb,
            OperatorSubtaskState restored) throws Exception {
        this.config = config;
        this.functions = functions;
        this.rocksDb = rocksDb;
        harness = open(restored);
    }

    private KeyedTwoInputStreamOperatorTestHarness<String, Ingested<CallbackEvent>,
            Ingested<InteractionEvent>, Alert> open(OperatorSubtaskState restored)
            throws Exception {
        KeyedTwoInputStreamOperatorTestHarness<String, Ingested<CallbackEvent>,
                Ingested<InteractionEvent>, Alert> opened =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        WriteBackCoProcessOperator.of(functions.get()),
                        event -> event.value.getCustomerId(),
                        event -> event.value.getCustomerId(), Types.STRING);
        if (rocksDb) {
            opened.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        opened.setup();
        if (restored != null) {
            opened.initializeState(restored);
        }
        opened.open();
        return opened;
    }

    /**
     * Restarts the function from a checkpoint, as after a failure: nothing is lost, but every
     * customer is read from the keyed state again (the cache starts empty).
     */
    SlaHarness restart() throws Exception {
        OperatorSubtaskState checkpoint = snapshot();
        earlierAlerts.addAll(harness.extractOutputValues());
        earlierDeadLetters.addAll(HarnessOutputs.sideOutput(harness, DeadLetters.TAG));
        harness.close();
        harness = open(checkpoint);
        return this;
    }

    static CallbackSlaFunction function(SlaConfig config) {
        return function(config, JobConfig.DEFAULT_CACHED_CUSTOMERS);
    }

    static CallbackSlaFunction function(SlaConfig config, int cachedCustomers) {
        return new CallbackSlaFunction(config, cachedCustomers, LATENESS, "cx.callbacks",
                "cx.interactions");
    }

    static SlaHarness withDefaults() throws Exception {
        return new SlaHarness(SlaConfig.defaults());
    }

    /** Settings as under {@code sla.}, e.g. {@code "kept-attempts", "3"}. */
    static SlaHarness withSettings(Map<String, String> settings) throws Exception {
        return new SlaHarness(SlaConfig.from(Settings.of(settings)));
    }

    SlaHarness send(CallbackEvent.Builder... events) throws Exception {
        for (CallbackEvent.Builder builder : events) {
            CallbackEvent event = builder.build();
            harness.processElement1(new StreamRecord<>(Callbacks.ingested(event),
                    event.getOccurredAt().toEpochMilli()));
        }
        return this;
    }

    SlaHarness send(InteractionEvent... events) throws Exception {
        for (InteractionEvent event : events) {
            harness.processElement2(new StreamRecord<>(Callbacks.ingested(event),
                    event.getOccurredAt().toEpochMilli()));
        }
        return this;
    }

    SlaHarness watermark(Instant at) throws Exception {
        harness.processBothWatermarks(new Watermark(at.toEpochMilli()));
        return this;
    }

    List<Alert> alerts() {
        List<Alert> alerts = new ArrayList<>(earlierAlerts);
        alerts.addAll(harness.extractOutputValues());
        return alerts;
    }

    List<DeadLetter> deadLetters() {
        List<DeadLetter> letters = new ArrayList<>(earlierDeadLetters);
        letters.addAll(HarnessOutputs.sideOutput(harness, DeadLetters.TAG));
        return letters;
    }

    int eventTimeTimers() {
        return harness.numEventTimeTimers();
    }

    /**
     * Keyed state entries across all state of the operator (heap backend, as in the harness), as
     * a checkpoint would see them: the cached customers are written before the barrier.
     */
    int keyedStateEntries() throws Exception {
        harness.prepareSnapshotPreBarrier(0);
        return harness.numKeyedStateEntries();
    }

    /** How many customers have a {@link CustomerState} in the keyed state (any backend). */
    long customersInState() throws Exception {
        harness.prepareSnapshotPreBarrier(0);
        return harness.getOperator().getKeyedStateBackend()
                .getKeys(CallbackSlaFunction.CUSTOMER.getName(), VoidNamespace.INSTANCE).count();
    }

    /** How many customers have any commitment (pending or promised) in state. */
    long customersWithCommitments() throws Exception {
        return harness.getOperator().getKeyedStateBackend()
                .getKeys(CallbackSlaFunction.COMMITMENTS.getName(), VoidNamespace.INSTANCE).count();
    }

    /**
     * Rewrites a customer's state as the job wrote it before the {@link CommitmentIndex}: no
     * index, and a single timer at the earliest wake-up of all their commitments.
     */
    void rewriteAsBeforeTheIndex(String customerId) throws Exception {
        restart();
        KeyedCoProcessOperator<String, ?, ?, ?> operator =
                (KeyedCoProcessOperator<String, ?, ?, ?>) harness.getOperator();
        KeyedStateBackend<String> backend = operator.getKeyedStateBackend();
        backend.setCurrentKey(customerId);
        InternalTimerService<VoidNamespace> timers = operator.getInternalTimerService(
                "user-timers", VoidNamespaceSerializer.INSTANCE, operator);
        long earliest = Long.MAX_VALUE;
        for (Commitment commitment : state(backend, CallbackSlaFunction.COMMITMENTS).values()) {
            timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, commitment.wakeAt);
            earliest = Math.min(earliest, commitment.wakeAt);
        }
        state(backend, CommitmentIndex.BUCKET_STATE).clear();
        state(backend, CommitmentIndex.SLOT_STATE).clear();
        timers.registerEventTimeTimer(VoidNamespace.INSTANCE, earliest);
        ValueState<CustomerState> customers = state(backend, CallbackSlaFunction.CUSTOMER);
        CustomerState customer = customers.value();
        customer.commitmentsIndexed = false;
        customer.timerAt = earliest;
        customers.update(customer);
    }

    /**
     * Rewrites a customer's state as the job wrote it before the timeline log and the ring of
     * input ids: the timeline in a ring of map slots, and {@code seenIds} in a set with a TTL.
     */
    void rewriteAsBeforeTheTimelineLog(String customerId, List<String> seenIds) throws Exception {
        restart();
        KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(customerId);
        ListState<TimelineEntry> log = state(backend, CallbackSlaFunction.TIMELINE);
        MapState<Integer, TimelineEntry> ring = state(backend,
                CallbackSlaFunction.timelineRingDescriptor(config));
        int slot = 0;
        for (TimelineEntry entry : log.get()) {
            ring.put(slot++ % config.timelineSize(), entry);
        }
        log.clear();
        MapState<String, Boolean> seen = state(backend,
                Deduplicator.descriptor(CallbackSlaFunction.SEEN_IDS, config.timelineHorizon()));
        for (String id : seenIds) {
            seen.put(id, Boolean.TRUE);
        }
        ValueState<CustomerState> customers = state(backend, CallbackSlaFunction.CUSTOMER);
        CustomerState customer = customers.value();
        customer.timelineStored = 0;
        customer.timelineInLog = false;
        customer.recentInputs = null;
        customer.recentInputsWritten = 0;
        customers.update(customer);
    }

    /** One customer's state exactly as the backend holds it, to inspect it. */
    <S extends State> S keyedState(String customerId, StateDescriptor<S, ?> descriptor)
            throws Exception {
        KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(customerId);
        return state(backend, descriptor);
    }

    private static <S extends State> S state(KeyedStateBackend<String> backend,
            StateDescriptor<S, ?> descriptor) throws Exception {
        return backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                descriptor);
    }

    /** A checkpoint of the operator, as a restore would see it. */
    OperatorSubtaskState snapshot() throws Exception {
        checkpoints++;
        harness.prepareSnapshotPreBarrier(checkpoints);
        return harness.snapshot(checkpoints, checkpoints);
    }

    /** A new instance of the function restored from {@code state}, like after a restart. */
    static SlaHarness restore(SlaConfig config, OperatorSubtaskState state) throws Exception {
        return new SlaHarness(config, JobConfig.DEFAULT_CACHED_CUSTOMERS, false, state);
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
