package dev.earlywarning.shipping;

import dev.earlywarning.common.kafka.DeadLetters;
import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.common.testing.HarnessOutputs;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.ControlCommand;
import dev.earlywarning.schema.DeadLetter;
import dev.earlywarning.schema.DisruptionEvent;
import dev.earlywarning.schema.ShipmentEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/**
 * The job's four keyed functions in Flink's operator harnesses, wired as the pipeline wires them
 * (transit observer -> lane statistics -> broadcast into the prediction -> budget), with time
 * driven by the test. Each step hands its output on before the next input, as in a single-slot run.
 */
final class ShippingHarness implements AutoCloseable {

    private final KeyedOneInputStreamOperatorTestHarness<String, Ingested<ShipmentEvent>,
            LaneObservation> observer;
    private final KeyedOneInputStreamOperatorTestHarness<String, LaneObservation, LaneEstimate>
            lanes;
    private final KeyedBroadcastOperatorTestHarness<String, Ingested<ShipmentEvent>, SideInput,
            GestureDecision> prediction;
    private final KeyedOneInputStreamOperatorTestHarness<String, GestureDecision, Alert> budget;
    private final List<Alert> alerts = new ArrayList<>();
    private final List<LaneEstimate> laneEstimates = new ArrayList<>();
    private int commands;

    ShippingHarness(ShippingConfig config) throws Exception {
        observer = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new TransitObserver(config.maxAge()), e -> e.value.getOrderId(), Types.STRING);
        lanes = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new LaneStatsFunction(config), o -> o.lane, Types.STRING);
        prediction = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new DelayPredictionFunction(config, "logistics.shipments", "ews.control"),
                e -> e.value.getOrderId(), Types.STRING, DelayPredictionFunction.DISRUPTIONS,
                DelayPredictionFunction.LANES, ShippingControl.STATE);
        budget = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new GestureBudgetFunction(config.maxAge()), d -> d.budgetKey, Types.STRING);
        prediction.processBroadcastWatermark(new Watermark(Long.MAX_VALUE));
    }

    static ShippingHarness withSettings(Map<String, String> settings) throws Exception {
        return new ShippingHarness(ShippingConfig.defaults().with(settings));
    }

    ShippingHarness send(ShipmentEvent.Builder... events) throws Exception {
        for (ShipmentEvent.Builder builder : events) {
            ShipmentEvent event = builder.build();
            long ts = event.getOccurredAt().toEpochMilli();
            observer.processElement(new StreamRecord<>(Shipments.ingested(event), ts));
            pump();
            prediction.processElement(new StreamRecord<>(Shipments.ingested(event), ts));
            pump();
        }
        return this;
    }

    ShippingHarness disruption(DisruptionEvent.Builder... disruptions) throws Exception {
        for (DisruptionEvent.Builder builder : disruptions) {
            prediction.processBroadcastElement(new StreamRecord<>(
                    SideInput.disruption(Shipments.ingested(builder.build()))));
            pump();
        }
        return this;
    }

    ShippingHarness control(String job, String kind, String payload) throws Exception {
        ControlCommand command = ControlCommand.newBuilder()
                .setCommandId("cmd-" + ++commands).setJob(job).setKind(kind).setPayload(payload)
                .setOccurredAt(Shipments.T0).build();
        prediction.processBroadcastElement(new StreamRecord<>(
                SideInput.command(new Ingested<>(command, 0, commands, 0L))));
        return this;
    }

    ShippingHarness watermark(Instant at) throws Exception {
        Watermark watermark = new Watermark(at.toEpochMilli());
        observer.processWatermark(watermark);
        lanes.processWatermark(watermark);
        pump();
        prediction.processWatermark(watermark);
        pump();
        budget.processWatermark(watermark);
        pump();
        return this;
    }

    /** Hands every stage's new output to the next stage. */
    private void pump() throws Exception {
        for (LaneObservation observation : drain(observer)) {
            lanes.processElement(new StreamRecord<>(observation, observation.deliveredAt));
        }
        for (LaneEstimate estimate : drain(lanes)) {
            laneEstimates.add(estimate);
            prediction.processBroadcastElement(new StreamRecord<>(SideInput.lane(estimate)));
        }
        for (GestureDecision decision : drain(prediction)) {
            budget.processElement(new StreamRecord<>(decision,
                    decision.alert.getTriggeredAt().toEpochMilli()));
        }
        alerts.addAll(drain(budget));
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> drain(AbstractStreamOperatorTestHarness<T> harness) {
        List<T> values = new ArrayList<>();
        Queue<Object> output = harness.getOutput();
        for (Object next = output.poll(); next != null; next = output.poll()) {
            if (next instanceof StreamRecord<?> record) {
                values.add((T) record.getValue());
            }
        }
        return values;
    }

    List<Alert> alerts() {
        return new ArrayList<>(alerts);
    }

    List<LaneEstimate> laneEstimates() {
        return new ArrayList<>(laneEstimates);
    }

    List<DeadLetter> deadLetters() {
        return HarnessOutputs.sideOutput(prediction, DeadLetters.TAG);
    }

    int predictionTimers() {
        return prediction.numEventTimeTimers();
    }

    /** Keyed state entries of the prediction and the transit observer (heap backend). */
    int orderStateEntries() {
        return entries(prediction) + entries(observer);
    }

    int budgetStateEntries() {
        return entries(budget);
    }

    private static int entries(AbstractStreamOperatorTestHarness<?> harness) {
        return HarnessOutputs.keyedStateEntries(harness);
    }

    @Override
    public void close() throws Exception {
        observer.close();
        lanes.close();
        prediction.close();
        budget.close();
    }
}
