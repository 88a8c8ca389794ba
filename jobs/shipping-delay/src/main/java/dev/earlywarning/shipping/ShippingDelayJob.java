package dev.earlywarning.shipping;

import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.kafka.KafkaIo;
import dev.earlywarning.common.kafka.RecordTypes;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.DeadLetter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

/** Runs the shipping-delay job against Kafka: {@code --bootstrap host:port --shipping.* ...}. */
public final class ShippingDelayJob {

    public static final String NAME = "shipping-delay";

    private ShippingDelayJob() {}

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.of(ParameterTool.fromArgs(args).toMap());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        wire(env, settings);
        env.execute(NAME);
    }

    /** Adds the job, reading and writing the Kafka topics of the contract, to {@code env}. */
    public static void wire(StreamExecutionEnvironment env, Settings settings) {
        JobConfig config = JobConfig.from(NAME, settings);
        ShippingConfig shipping = ShippingConfig.from(settings.scoped("shipping."));
        ShippingDelayPipeline.build(env, config, shipping,
                KafkaIo.source(config, config.topics().shipments(), RecordTypes.SHIPMENT),
                KafkaIo.source(config, config.topics().disruptions(), RecordTypes.DISRUPTION),
                KafkaIo.source(config, config.topics().control(), RecordTypes.CONTROL),
                alerts -> alerts.sinkTo(KafkaIo.exactlyOnceSink(config, config.topics().alerts(),
                                Alert.class, Alert::getCustomerId))
                        .uid("sink-alerts").name("write " + config.topics().alerts()),
                deadLetters -> deadLetters.sinkTo(KafkaIo.exactlyOnceSink(config,
                                config.topics().deadLetter(), DeadLetter.class,
                                DeadLetter::getSourceTopic))
                        .uid("sink-dead-letter").name("write " + config.topics().deadLetter()));
    }
}
