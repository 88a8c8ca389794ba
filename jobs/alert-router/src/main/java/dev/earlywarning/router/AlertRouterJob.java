package dev.earlywarning.router;

import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.job.JobWiring;
import dev.earlywarning.common.job.Sinks;
import dev.earlywarning.common.kafka.KafkaIo;
import dev.earlywarning.common.kafka.RecordTypes;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Runs the alert router against Kafka: {@code --bootstrap host:port --router.* ...}. */
public final class AlertRouterJob {

    public static final String NAME = "alert-router";

    private AlertRouterJob() {}

    public static void main(String[] args) throws Exception {
        JobWiring.run(NAME, args, AlertRouterJob::wire);
    }

    /** Adds the job, reading and writing the Kafka topics of the contract, to {@code env}. */
    public static void wire(StreamExecutionEnvironment env, Settings settings) {
        JobConfig config = JobConfig.from(NAME, settings);
        RouterConfig router = RouterConfig.from(settings.scoped("router."));
        AlertRouterPipeline.build(env, config, router,
                KafkaIo.source(config, config.topics().alerts(), RecordTypes.ALERT),
                KafkaIo.source(config, config.topics().alertAcks(), RecordTypes.ALERT_ACK),
                KafkaIo.source(config, config.topics().interactions(), RecordTypes.INTERACTION),
                KafkaIo.source(config, config.topics().control(), RecordTypes.CONTROL),
                Sinks.alerts(config, config.topics().responderQueue()),
                Sinks.alerts(config, config.topics().outreachQueue()),
                Sinks.deadLetters(config));
    }
}
