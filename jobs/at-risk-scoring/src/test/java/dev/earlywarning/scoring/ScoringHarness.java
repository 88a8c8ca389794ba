package dev.earlywarning.scoring;

import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.kafka.DeadLetters;
import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.common.testing.HarnessOutputs;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.ControlCommand;
import dev.earlywarning.schema.DeadLetter;
import dev.earlywarning.schema.InteractionEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/** The scoring operator in Flink's operator harness, with time driven by the test. */
final class ScoringHarness implements AutoCloseable {

    private final KeyedTwoInputStreamOperatorTestHarness<String, ScoringInput,
            Ingested<ControlCommand>, Alert> harness;
    private int commands;

    ScoringHarness(ScoringConfig config) throws Exception {
        this(config, JobConfig.DEFAULT_CACHED_CUSTOMERS);
    }

    /**
     * On the heap backend, or on RocksDB as in production; optionally restored from a checkpoint
     * of another harness.
     */
    ScoringHarness(ScoringConfig config, int cachedCustomers, boolean rocksDb,
            OperatorSubtaskState restored) throws Exception {
        this(config, cachedCustomers, Math.min(cachedCustomers,
                AtRiskScoringPipeline.DEFAULT_DIRTY_CUSTOMERS), rocksDb, restored);
    }

    ScoringHarness(ScoringConfig config, int cachedCustomers, int dirtyCustomers, boolean rocksDb,
            OperatorSubtaskState restored) throws Exception {
        // The control input is broadcast, not keyed: no key selector, as in the job.
        harness = new KeyedTwoInputStreamOperatorTestHarness<>(
                new RiskScoringOperator(config, cachedCustomers, dirtyCustomers,
                        "cx.interactions", "ews.control"),
                ScoringInput::customerId, null, Types.STRING);
        if (rocksDb) {
            harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        if (restored != null) {
            harness.initializeState(restored);
        }
        harness.open();
    }

    ScoringHarness(ScoringConfig config, int cachedCustomers) throws Exception {
        this(config, cachedCustomers, false, null);
    }

    static ScoringHarness withSettings(Map<String, String> settings) throws Exception {
        return new ScoringHarness(ScoringConfig.defaults().with(settings));
    }

    ScoringHarness send(InteractionEvent.Builder... events) throws Exception {
        for (InteractionEvent.Builder builder : events) {
            InteractionEvent event = builder.build();
            harness.processElement1(new StreamRecord<>(ScoringInput.of(Events.ingested(event)),
                    event.getOccurredAt().toEpochMilli()));
        }
        return this;
    }

    /** A breach alert of the callback-sla job, as the scoring job reads it from ews.alerts. */
    ScoringHarness sendBreach(Alert breach) throws Exception {
        harness.processElement1(new StreamRecord<>(ScoringInput.ofBrokenPromise(
                new Ingested<>(breach, 0, 0, System.currentTimeMillis())),
                breach.getTriggeredAt().toEpochMilli()));
        return this;
    }

    ScoringHarness watermark(Instant at) throws Exception {
        harness.processWatermark1(new Watermark(at.toEpochMilli()));
        harness.processWatermark2(new Watermark(Long.MAX_VALUE));
        return this;
    }

    ScoringHarness control(String job, String kind, String payload) throws Exception {
        ControlCommand command = ControlCommand.newBuilder()
                .setCommandId("cmd-" + ++commands).setJob(job).setKind(kind).setPayload(payload)
                .setOccurredAt(Events.T0).build();
        harness.processElement2(new StreamRecord<>(new Ingested<>(command, 0, commands, 0L)));
        return this;
    }

    ScoringHarness send(List<InteractionEvent> events) throws Exception {
        for (InteractionEvent event : events) {
            send(InteractionEvent.newBuilder(event));
        }
        return this;
    }

    /** What a checkpoint takes, with the barrier's preparation first, as a task does it. */
    OperatorSubtaskState checkpoint(long id) throws Exception {
        harness.prepareSnapshotPreBarrier(id);
        return harness.snapshot(id, id);
    }

    List<Alert> alerts() {
        return new ArrayList<>(harness.extractOutputValues());
    }

    List<DeadLetter> deadLetters() {
        return HarnessOutputs.sideOutput(harness, DeadLetters.TAG);
    }

    /** One customer's state exactly as the backend holds it, to write or inspect it. */
    <S extends State> S keyedState(String customerId, StateDescriptor<S, ?> descriptor)
            throws Exception {
        KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(customerId);
        return backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                descriptor);
    }

    int eventTimeTimers() {
        return harness.numEventTimeTimers();
    }

    /**
     * Keyed state entries across all state of the operator (heap backend, as in the harness), as
     * a checkpoint would see them: the operator writes its cached customers before the barrier.
     */
    int keyedStateEntries() throws Exception {
        harness.prepareSnapshotPreBarrier(0);
        return HarnessOutputs.keyedStateEntries(harness);
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
