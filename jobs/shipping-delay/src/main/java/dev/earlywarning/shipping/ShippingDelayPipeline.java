package dev.earlywarning.shipping;

import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.kafka.DeadLetters;
import dev.earlywarning.common.kafka.Decoded;
import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.common.kafka.Inputs;
import dev.earlywarning.common.kafka.RecordTypes;
import dev.earlywarning.common.time.EventTime;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.ControlCommand;
import dev.earlywarning.schema.DeadLetter;
import dev.earlywarning.schema.DisruptionEvent;
import dev.earlywarning.schema.ShipmentEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The shipping-delay topology:
 *
 * <pre>
 * shipments --region check--+--keyBy order--> transit observer --keyBy lane--> lane statistics --+
 *                           |                                                                    |
 *                           +--keyBy order--> delay prediction <--broadcast-- disruptions, control,
 *                                                   |                          lane estimates
 *                                    keyBy currency|day --> gesture budget --> alerts
 * </pre>
 *
 * Disruptions and control commands never hold back the watermark (they are rare); the lane
 * estimates carry the shipments' own. Dead letters of every stage go to one sink.
 */
public final class ShippingDelayPipeline {

    private ShippingDelayPipeline() {}

    public static void build(StreamExecutionEnvironment env, JobConfig config,
            ShippingConfig shipping,
            Source<Decoded<ShipmentEvent>, ?, ?> shipmentSource,
            Source<Decoded<DisruptionEvent>, ?, ?> disruptionSource,
            Source<Decoded<ControlCommand>, ?, ?> controlSource,
            Consumer<DataStream<Alert>> alertSink,
            Consumer<DataStream<DeadLetter>> deadLetterSink) {
        String shipmentsTopic = config.topics().shipments();
        String disruptionsTopic = config.topics().disruptions();
        String controlTopic = config.topics().control();
        SingleOutputStreamOperator<Ingested<ShipmentEvent>> decodedShipments = Inputs.validRecords(
                env, shipmentSource, RecordTypes.SHIPMENT, config, shipmentsTopic);
        SingleOutputStreamOperator<Ingested<DisruptionEvent>> decodedDisruptions =
                Inputs.validRecords(env, disruptionSource, RecordTypes.DISRUPTION, config,
                        disruptionsTopic, EventTime.neverHoldsBack());
        SingleOutputStreamOperator<Ingested<ControlCommand>> commands = Inputs.validRecords(
                env, controlSource, RecordTypes.CONTROL, config, controlTopic,
                EventTime.neverHoldsBack());

        SingleOutputStreamOperator<Ingested<ShipmentEvent>> shipments = decodedShipments
                .process(new RegionCheck<>(ShipmentEvent.class, shipmentsTopic, shipping.regions(),
                        ShippingDelayPipeline::regionsOf, ShipmentEvent::getOrderId),
                        Ingested.typeInfo(ShipmentEvent.class))
                .uid("check-regions-shipments").name("check shipment regions");
        SingleOutputStreamOperator<Ingested<DisruptionEvent>> disruptions = decodedDisruptions
                .process(new RegionCheck<>(DisruptionEvent.class, disruptionsTopic,
                        shipping.regions(), d -> List.of(d.getRegionId()),
                        DisruptionEvent::getRegionId), Ingested.typeInfo(DisruptionEvent.class))
                .uid("check-regions-disruptions").name("check disruption regions");

        SingleOutputStreamOperator<LaneEstimate> laneEstimates = shipments
                .keyBy(event -> event.value.getOrderId(), Types.STRING)
                .process(new TransitObserver(shipping.maxAge()),
                        TypeInformation.of(LaneObservation.class))
                .uid("observe-transit").name("observe transit times")
                .keyBy(observation -> observation.lane, Types.STRING)
                .process(new LaneStatsFunction(shipping), TypeInformation.of(LaneEstimate.class))
                .uid("lane-statistics").name("learn lane statistics");

        TypeInformation<SideInput> sideType = TypeInformation.of(SideInput.class);
        DataStream<SideInput> side = disruptions.map(SideInput::disruption, sideType)
                .uid("side-disruptions").name("disruptions to side input")
                .union(commands.map(SideInput::command, sideType)
                                .uid("side-control").name("control to side input"),
                        laneEstimates.map(SideInput::lane, sideType)
                                .uid("side-lanes").name("lane estimates to side input"));
        BroadcastStream<SideInput> broadcast = side.broadcast(DelayPredictionFunction.DISRUPTIONS,
                DelayPredictionFunction.LANES, ShippingControl.STATE);

        SingleOutputStreamOperator<GestureDecision> decisions = shipments
                .keyBy(event -> event.value.getOrderId(), Types.STRING)
                .connect(broadcast)
                .process(new DelayPredictionFunction(shipping, shipmentsTopic, controlTopic),
                        TypeInformation.of(GestureDecision.class))
                .uid("predict-delays").name("predict shipping delays");

        SingleOutputStreamOperator<Alert> alerts = decisions
                .keyBy(decision -> decision.budgetKey, Types.STRING)
                .process(new GestureBudgetFunction(shipping.maxAge()),
                        new AvroTypeInfo<>(Alert.class))
                .uid("gesture-budget").name("grant gestures within budget");

        alertSink.accept(alerts);
        deadLetterSink.accept(decodedShipments.getSideOutput(DeadLetters.TAG).union(
                decodedDisruptions.getSideOutput(DeadLetters.TAG),
                commands.getSideOutput(DeadLetters.TAG),
                shipments.getSideOutput(DeadLetters.TAG),
                disruptions.getSideOutput(DeadLetters.TAG),
                decisions.getSideOutput(DeadLetters.TAG)));
    }

    /** Every region a shipment names: where it is, where it came from and what is ahead. */
    static List<String> regionsOf(ShipmentEvent event) {
        List<String> regions = new ArrayList<>(event.getRemainingRoute());
        regions.add(event.getRegionId());
        regions.add(event.getOriginRegionId());
        return regions;
    }
}
