package dev.earlywarning.bench;

import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.job.Sinks;
import dev.earlywarning.common.kafka.DeadLetters;
import dev.earlywarning.common.kafka.Inputs;
import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.common.kafka.KafkaIo;
import dev.earlywarning.common.kafka.RecordTypes;
import dev.earlywarning.schema.InteractionEvent;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The ceiling every job is compared with: interactions read from Kafka, decoded, re-encoded and
 * written to {@code topic.pass-through} through the same source, decode step and sink as the
 * jobs (exactly-once unless {@code delivery} says otherwise), with no state and no shuffle. The
 * keyed variant adds what every keyed job pays before it touches any state: the shuffle by
 * customer (records serialized, sent between the tasks and read back).
 */
final class PassThroughJob {

    static final String NAME = "pass-through";
    static final String KEYED_NAME = "keyed-pass-through";

    private PassThroughJob() {}

    static void wire(StreamExecutionEnvironment env, Settings settings) {
        wire(env, settings, NAME, false);
    }

    static void wireKeyed(StreamExecutionEnvironment env, Settings settings) {
        wire(env, settings, KEYED_NAME, true);
    }

    private static void wire(StreamExecutionEnvironment env, Settings settings, String name,
            boolean keyed) {
        JobConfig config = JobConfig.from(name, settings);
        String input = config.topics().interactions();
        SingleOutputStreamOperator<Ingested<InteractionEvent>> valid = Inputs.validRecords(env,
                KafkaIo.source(config, input, RecordTypes.INTERACTION), RecordTypes.INTERACTION,
                config, input);
        String output = outputTopic(settings);
        DataStream<Ingested<InteractionEvent>> records = keyed
                ? valid.keyBy(in -> in.value.getCustomerId(), Types.STRING) : valid;
        records.map(PassThroughJob::unwrap, new AvroTypeInfo<>(InteractionEvent.class))
                .uid("unwrap").name("unwrap")
                .sinkTo(KafkaIo.sink(config, output, InteractionEvent.class,
                        InteractionEvent::getCustomerId))
                .uid("sink-pass-through").name("write " + output);
        Sinks.deadLetters(config).accept(valid.getSideOutput(DeadLetters.TAG));
    }

    static String outputTopic(Settings settings) {
        return settings.string("topic.pass-through", "bench.pass-through");
    }

    private static InteractionEvent unwrap(Ingested<InteractionEvent> ingested) {
        return ingested.value;
    }
}
