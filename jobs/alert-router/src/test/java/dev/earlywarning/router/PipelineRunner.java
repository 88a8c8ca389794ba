package dev.earlywarning.router;

import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.engine.LocalEngine;
import dev.earlywarning.common.kafka.KafkaIo;
import dev.earlywarning.common.kafka.RecordTypes;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.DeadLetter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs the real router (Kafka in and out, RocksDB, exactly-once) on the test MiniCluster over
 * what is in the topics now, with restarts disabled so that any failure fails the run.
 */
final class PipelineRunner {

    private PipelineRunner() {}

    static JobClient runBounded(Map<String, String> settings, Path checkpoints) throws Exception {
        Configuration conf = LocalEngine.configuration(checkpoints, Duration.ofMillis(500));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "disable");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);

        Settings all = Settings.of(settings);
        JobConfig config = JobConfig.from(AlertRouterJob.NAME, all);
        RouterConfig router = RouterConfig.from(all.scoped("router."));
        AlertRouterPipeline.build(env, config, router,
                KafkaIo.boundedSource(config, config.topics().alerts(), RecordTypes.ALERT),
                KafkaIo.boundedSource(config, config.topics().alertAcks(), RecordTypes.ALERT_ACK),
                KafkaIo.boundedSource(config, config.topics().interactions(),
                        RecordTypes.INTERACTION),
                KafkaIo.boundedSource(config, config.topics().control(), RecordTypes.CONTROL),
                responder -> responder.sinkTo(KafkaIo.exactlyOnceSink(config,
                        config.topics().responderQueue(), Alert.class, Alert::getCustomerId))
                        .uid("sink-responder-queue"),
                outreach -> outreach.sinkTo(KafkaIo.exactlyOnceSink(config,
                        config.topics().outreachQueue(), Alert.class, Alert::getCustomerId))
                        .uid("sink-outreach-queue"),
                dead -> dead.sinkTo(KafkaIo.exactlyOnceSink(config, config.topics().deadLetter(),
                        DeadLetter.class, DeadLetter::getSourceTopic)).uid("sink-dead-letter"));
        return env.executeAsync(AlertRouterJob.NAME);
    }
}
