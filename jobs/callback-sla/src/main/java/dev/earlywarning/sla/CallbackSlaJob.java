package dev.earlywarning.sla;

import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.job.JobWiring;
import dev.earlywarning.common.job.Sinks;
import dev.earlywarning.common.kafka.KafkaIo;
import dev.earlywarning.common.kafka.RecordTypes;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Runs the callback SLA job against Kafka: {@code --bootstrap host:port --sla.* ...}. */
public final class CallbackSlaJob {

    public static final String NAME = "callback-sla";

    private CallbackSlaJob() {}

    public static void main(String[] args) throws Exception {
        JobWiring.run(NAME, args, CallbackSlaJob::wire);
    }

    /** Adds the job, reading and writing the Kafka topics of the contract, to {@code env}. */
    public static void wire(StreamExecutionEnvironment env, Settings settings) {
        JobConfig config = JobConfig.from(NAME, settings);
        SlaConfig sla = SlaConfig.from(settings.scoped("sla."));
        CallbackSlaPipeline.build(env, config, sla,
                KafkaIo.source(config, config.topics().callbacks(), RecordTypes.CALLBACK),
                KafkaIo.source(config, config.topics().interactions(), RecordTypes.INTERACTION),
                Sinks.alerts(config, config.topics().alerts()),
                Sinks.deadLetters(config));
    }
}
