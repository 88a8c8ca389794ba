package dev.earlywarning.router;

import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.kafka.DeadLetters;
import dev.earlywarning.common.kafka.Decoded;
import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.common.kafka.Inputs;
import dev.earlywarning.common.kafka.RecordTypes;
import dev.earlywarning.common.time.EventTime;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertAck;
import dev.earlywarning.schema.ControlCommand;
import dev.earlywarning.schema.DeadLetter;
import dev.earlywarning.schema.InteractionEvent;
import java.util.function.Consumer;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The alert-router topology: alerts, acknowledgements and the customer contacts among the
 * interactions, in one envelope keyed by customer, routed with the control stream's configuration
 * and silences broadcast to every instance. Responder items, outreach and dead letters go to the
 * given sinks. Interactions that cannot close a loop are filtered out before the key-by, so the
 * full interaction stream costs a decode and a filter, not a shuffle and a state lookup.
 */
public final class AlertRouterPipeline {

    private AlertRouterPipeline() {}

    public static void build(StreamExecutionEnvironment env, JobConfig config, RouterConfig router,
            Source<Decoded<Alert>, ?, ?> alerts,
            Source<Decoded<AlertAck>, ?, ?> acks,
            Source<Decoded<InteractionEvent>, ?, ?> interactions,
            Source<Decoded<ControlCommand>, ?, ?> control,
            Consumer<DataStream<Alert>> responderSink,
            Consumer<DataStream<Alert>> outreachSink,
            Consumer<DataStream<DeadLetter>> deadLetterSink) {
        String alertsTopic = config.topics().alerts();
        String acksTopic = config.topics().alertAcks();
        String interactionsTopic = config.topics().interactions();
        String controlTopic = config.topics().control();

        SingleOutputStreamOperator<Ingested<Alert>> alertRecords = Inputs.validRecords(
                env, alerts, RecordTypes.ALERT, config, alertsTopic);
        SingleOutputStreamOperator<Ingested<AlertAck>> ackRecords = Inputs.validRecords(
                env, acks, RecordTypes.ALERT_ACK, config, acksTopic);
        SingleOutputStreamOperator<Ingested<InteractionEvent>> interactionRecords =
                Inputs.validRecords(env, interactions, RecordTypes.INTERACTION, config,
                        interactionsTopic);
        SingleOutputStreamOperator<Ingested<ControlCommand>> commands = Inputs.validRecords(
                env, control, RecordTypes.CONTROL, config, controlTopic, EventTime.neverHoldsBack());
        BroadcastStream<Ingested<ControlCommand>> broadcastCommands =
                commands.broadcast(RouterControl.STATE);

        DataStream<RouterInput> inputs = alertRecords
                .map(RouterInput::ofAlert, RouterInput.TYPE).uid("envelope-alerts")
                .name("envelope alerts")
                .union(ackRecords.map(RouterInput::ofAck, RouterInput.TYPE).uid("envelope-acks")
                                .name("envelope acks"),
                        interactionRecords.filter(in -> Contacts.closesLoop(in.value))
                                .uid("contacts-only").name("customer contacts only")
                                .map(RouterInput::ofContact, RouterInput.TYPE)
                                .uid("envelope-contacts").name("envelope contacts"));

        SingleOutputStreamOperator<Alert> responderItems = inputs
                .keyBy(RouterInput::customerId, Types.STRING)
                .connect(broadcastCommands)
                .process(new AlertRouterFunction(router, config.allowedLateness(), alertsTopic,
                        acksTopic, interactionsTopic, controlTopic), new AvroTypeInfo<>(Alert.class))
                .uid("alert-router")
                .name("route alerts");

        responderSink.accept(responderItems);
        outreachSink.accept(responderItems.getSideOutput(AlertRouterFunction.OUTREACH));
        deadLetterSink.accept(alertRecords.getSideOutput(DeadLetters.TAG).union(
                ackRecords.getSideOutput(DeadLetters.TAG),
                interactionRecords.getSideOutput(DeadLetters.TAG),
                commands.getSideOutput(DeadLetters.TAG),
                responderItems.getSideOutput(DeadLetters.TAG)));
    }
}
