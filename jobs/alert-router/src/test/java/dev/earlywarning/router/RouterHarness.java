package dev.earlywarning.router;

import dev.earlywarning.common.kafka.DeadLetters;
import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.common.testing.HarnessOutputs;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertAck;
import dev.earlywarning.schema.ControlCommand;
import dev.earlywarning.schema.DeadLetter;
import dev.earlywarning.schema.InteractionEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/** The router function in Flink's operator harness, with time driven by the test. */
final class RouterHarness implements AutoCloseable {

    private final KeyedBroadcastOperatorTestHarness<String, RouterInput, Ingested<ControlCommand>,
            Alert> harness;
    private int commands;
    private long offset;

    RouterHarness(RouterConfig config) throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new AlertRouterFunction(config, Duration.ofMinutes(10), "ews.alerts",
                        "ews.alert-acks", "cx.interactions", "ews.control"),
                RouterInput::customerId, Types.STRING, RouterControl.STATE);
        harness.processBroadcastWatermark(new Watermark(Long.MAX_VALUE));
    }

    static RouterHarness withSettings(Map<String, String> settings) throws Exception {
        return new RouterHarness(RouterConfig.defaults().with(settings));
    }

    RouterHarness send(Alert.Builder... alerts) throws Exception {
        for (Alert.Builder builder : alerts) {
            RouterInput input = new RouterInput();
            input.alert = builder.build();
            process(input);
        }
        return this;
    }

    RouterHarness ack(AlertAck... acks) throws Exception {
        for (AlertAck ack : acks) {
            RouterInput input = new RouterInput();
            input.ack = ack;
            process(input);
        }
        return this;
    }

    RouterHarness contact(InteractionEvent... contacts) throws Exception {
        for (InteractionEvent contact : contacts) {
            RouterInput input = new RouterInput();
            input.contact = contact;
            process(input);
        }
        return this;
    }

    RouterHarness watermark(Instant at) throws Exception {
        harness.processWatermark(new Watermark(at.toEpochMilli()));
        return this;
    }

    RouterHarness control(String kind, String payload) throws Exception {
        ControlCommand command = ControlCommand.newBuilder()
                .setCommandId("cmd-" + ++commands).setJob(AlertRouterJob.NAME).setKind(kind)
                .setPayload(payload).setOccurredAt(TestAlerts.T0).build();
        harness.processBroadcastElement(new StreamRecord<>(new Ingested<>(command, 0, commands, 0L)));
        return this;
    }

    /** Everything written to the responder queue so far, in order. */
    List<Alert> responder() {
        return new ArrayList<>(harness.extractOutputValues());
    }

    List<Alert> outreach() {
        return HarnessOutputs.sideOutput(harness, AlertRouterFunction.OUTREACH);
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

    private void process(RouterInput input) throws Exception {
        input.offset = offset++;
        input.ingestedAt = System.currentTimeMillis();
        harness.processElement(new StreamRecord<>(input, input.eventTime()));
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
