package dev.earlywarning.sla;

import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.kafka.DeadLetters;
import dev.earlywarning.common.kafka.Decoded;
import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.common.kafka.Inputs;
import dev.earlywarning.common.kafka.RecordTypes;
import dev.earlywarning.common.state.WriteBackCoProcessOperator;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.CallbackEvent;
import dev.earlywarning.schema.DeadLetter;
import dev.earlywarning.schema.InteractionEvent;
import java.util.function.Consumer;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The callback SLA topology: callbacks and interactions, both keyed by customer, connected into
 * one function that watches every commitment; alerts and dead letters go to the given sinks.
 */
public final class CallbackSlaPipeline {

    private CallbackSlaPipeline() {}

    public static void build(StreamExecutionEnvironment env, JobConfig config, SlaConfig sla,
            Source<Decoded<CallbackEvent>, ?, ?> callbacks,
            Source<Decoded<InteractionEvent>, ?, ?> interactions,
            Consumer<DataStream<Alert>> alertSink,
            Consumer<DataStream<DeadLetter>> deadLetterSink) {
        String callbacksTopic = config.topics().callbacks();
        String interactionsTopic = config.topics().interactions();
        SingleOutputStreamOperator<Ingested<CallbackEvent>> commitments = Inputs.validRecords(
                env, callbacks, RecordTypes.CALLBACK, config, callbacksTopic);
        SingleOutputStreamOperator<Ingested<InteractionEvent>> contacts = Inputs.validRecords(
                env, interactions, RecordTypes.INTERACTION, config, interactionsTopic);

        SingleOutputStreamOperator<Alert> alerts = commitments
                .keyBy(event -> event.value.getCustomerId(), Types.STRING)
                .connect(contacts.keyBy(event -> event.value.getCustomerId(), Types.STRING))
                .transform("watch commitments", new AvroTypeInfo<>(Alert.class),
                        WriteBackCoProcessOperator.of(new CallbackSlaFunction(sla,
                                config.cachedCustomers(), config.allowedLateness(),
                                callbacksTopic, interactionsTopic)))
                .uid("callback-sla");

        alertSink.accept(alerts);
        deadLetterSink.accept(commitments.getSideOutput(DeadLetters.TAG)
                .union(contacts.getSideOutput(DeadLetters.TAG), alerts.getSideOutput(DeadLetters.TAG)));
    }
}
