package dev.earlywarning.shipping;

import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.job.JobWiring;
import dev.earlywarning.common.job.Sinks;
import dev.earlywarning.common.kafka.KafkaIo;
import dev.earlywarning.common.kafka.RecordTypes;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Runs the shipping-delay job against Kafka: {@code --bootstrap host:port --shipping.* ...}. */
public final class ShippingDelayJob {

    public static final String NAME = "shipping-delay";

    private ShippingDelayJob() {}

    public static void main(String[] args) throws Exception {
        JobWiring.run(NAME, args, ShippingDelayJob::wire);
    }

    /** Adds the job, reading and writing the Kafka topics of the contract, to {@code env}. */
    public static void wire(StreamExecutionEnvironment env, Settings settings) {
        JobConfig config = JobConfig.from(NAME, settings);
        ShippingConfig shipping = ShippingConfig.from(settings.scoped("shipping."));
        ShippingDelayPipeline.build(env, config, shipping,
                KafkaIo.source(config, config.topics().shipments(), RecordTypes.SHIPMENT),
                KafkaIo.source(config, config.topics().disruptions(), RecordTypes.DISRUPTION),
                KafkaIo.source(config, config.topics().control(), RecordTypes.CONTROL),
                Sinks.alerts(config, config.topics().alerts()),
                Sinks.deadLetters(config));
    }
}
