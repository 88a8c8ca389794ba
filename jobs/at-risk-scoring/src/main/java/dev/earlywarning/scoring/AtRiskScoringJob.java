package dev.earlywarning.scoring;

import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.job.JobWiring;
import dev.earlywarning.common.job.Sinks;
import dev.earlywarning.common.kafka.KafkaIo;
import dev.earlywarning.common.kafka.RecordTypes;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Runs the at-risk scoring job against Kafka: {@code --bootstrap host:port --scoring.* ...}. */
public final class AtRiskScoringJob {

    public static final String NAME = "at-risk-scoring";

    private AtRiskScoringJob() {}

    public static void main(String[] args) throws Exception {
        JobWiring.run(NAME, args, AtRiskScoringJob::wire);
    }

    /** Adds the job, reading and writing the Kafka topics of the contract, to {@code env}. */
    public static void wire(StreamExecutionEnvironment env, Settings settings) {
        JobConfig config = JobConfig.from(NAME, settings);
        ScoringConfig scoring = ScoringConfig.from(settings.scoped("scoring."));
        AtRiskScoringPipeline.build(env, config, scoring,
                KafkaIo.source(config, config.topics().interactions(), RecordTypes.INTERACTION),
                KafkaIo.source(config, config.topics().alerts(), RecordTypes.ALERT),
                KafkaIo.source(config, config.topics().control(), RecordTypes.CONTROL),
                Sinks.alerts(config, config.topics().alerts()),
                Sinks.deadLetters(config));
    }
}
