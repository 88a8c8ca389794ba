package dev.earlywarning.scoring;

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
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/** The scoring function in Flink's operator harness, with time driven by the test. */
final class ScoringHarness implements AutoCloseable {

    private final KeyedBroadcastOperatorTestHarness<String, ScoringInput,
            Ingested<ControlCommand>, Alert> harness;
    private int commands;

    ScoringHarness(ScoringConfig config) throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new RiskScoringFunction(config, "cx.interactions", "ews.control"),
                ScoringInput::customerId, Types.STRING, ScoringControl.STATE);
    }

    static ScoringHarness withSettings(Map<String, String> settings) throws Exception {
        return new ScoringHarness(ScoringConfig.defaults().with(settings));
    }

    ScoringHarness send(InteractionEvent.Builder... events) throws Exception {
        for (InteractionEvent.Builder builder : events) {
            InteractionEvent event = builder.build();
            harness.processElement(new StreamRecord<>(ScoringInput.of(Events.ingested(event)),
                    event.getOccurredAt().toEpochMilli()));
        }
        return this;
    }

    /** A breach alert of the callback-sla job, as the scoring job reads it from ews.alerts. */
    ScoringHarness sendBreach(Alert breach) throws Exception {
        harness.processElement(new StreamRecord<>(ScoringInput.ofBrokenPromise(
                new Ingested<>(breach, 0, 0, System.currentTimeMillis())),
                breach.getTriggeredAt().toEpochMilli()));
        return this;
    }

    ScoringHarness watermark(Instant at) throws Exception {
        harness.processWatermark(new Watermark(at.toEpochMilli()));
        harness.processBroadcastWatermark(new Watermark(Long.MAX_VALUE));
        return this;
    }

    ScoringHarness control(String job, String kind, String payload) throws Exception {
        ControlCommand command = ControlCommand.newBuilder()
                .setCommandId("cmd-" + ++commands).setJob(job).setKind(kind).setPayload(payload)
                .setOccurredAt(Events.T0).build();
        harness.processBroadcastElement(new StreamRecord<>(new Ingested<>(command, 0, commands, 0L)));
        return this;
    }

    List<Alert> alerts() {
        return new ArrayList<>(harness.extractOutputValues());
    }

    List<DeadLetter> deadLetters() {
        return HarnessOutputs.sideOutput(harness, DeadLetters.TAG);
    }

    int eventTimeTimers() {
        return harness.numEventTimeTimers();
    }

    /** Keyed state entries across all state of the operator (heap backend, as in the harness). */
    int keyedStateEntries() {
        return HarnessOutputs.keyedStateEntries(harness);
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
