package dev.earlywarning.scoring;

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
 * The at-risk scoring topology: interactions keyed by customer, scored with the control stream's
 * configuration broadcast to every instance; alerts and dead letters go to the given sinks.
 */
public final class AtRiskScoringPipeline {

    private AtRiskScoringPipeline() {}

    public static void build(StreamExecutionEnvironment env, JobConfig config, ScoringConfig scoring,
            Source<Decoded<InteractionEvent>, ?, ?> interactions,
            Source<Decoded<ControlCommand>, ?, ?> control,
            Consumer<DataStream<Alert>> alertSink,
            Consumer<DataStream<DeadLetter>> deadLetterSink) {
        String interactionsTopic = config.topics().interactions();
        String controlTopic = config.topics().control();
        SingleOutputStreamOperator<Ingested<InteractionEvent>> events = Inputs.validRecords(
                env, interactions, RecordTypes.INTERACTION, config, interactionsTopic);
        SingleOutputStreamOperator<Ingested<ControlCommand>> commands = Inputs.validRecords(
                env, control, RecordTypes.CONTROL, config, controlTopic, EventTime.neverHoldsBack());
        BroadcastStream<Ingested<ControlCommand>> broadcastCommands =
                commands.broadcast(ScoringControl.STATE);

        SingleOutputStreamOperator<Alert> alerts = events
                .keyBy(event -> event.value.getCustomerId(), Types.STRING)
                .connect(broadcastCommands)
                .process(new RiskScoringFunction(scoring, interactionsTopic, controlTopic),
                        new AvroTypeInfo<>(Alert.class))
                .uid("risk-scoring")
                .name("score at-risk customers");

        alertSink.accept(alerts);
        deadLetterSink.accept(events.getSideOutput(DeadLetters.TAG)
                .union(commands.getSideOutput(DeadLetters.TAG), alerts.getSideOutput(DeadLetters.TAG)));
    }
}
