package dev.earlywarning.shipping;

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
 * Runs the real shipping-delay job (Kafka in and out, RocksDB, exactly-once) on the test
 * MiniCluster at parallelism 2, with restarts disabled: any failure, bad input included, fails
 * the run instead of hiding in a restart.
 */
final class PipelineRunner {

    private PipelineRunner() {}

    static JobClient runUnbounded(Map<String, String> settings, Path checkpoints)
            throws Exception {
        Configuration conf = LocalEngine.configuration(checkpoints, Duration.ofMillis(500));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "disable");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);

        Settings all = Settings.of(settings);
        JobConfig config = JobConfig.from(ShippingDelayJob.NAME, all);
        ShippingConfig shipping = ShippingConfig.from(all.scoped("shipping."));
        ShippingDelayPipeline.build(env, config, shipping,
                KafkaIo.source(config, config.topics().shipments(), RecordTypes.SHIPMENT),
                KafkaIo.source(config, config.topics().disruptions(), RecordTypes.DISRUPTION),
                KafkaIo.source(config, config.topics().control(), RecordTypes.CONTROL),
                alerts -> alerts.sinkTo(KafkaIo.exactlyOnceSink(config, config.topics().alerts(),
                        Alert.class, Alert::getCustomerId)).uid("sink-alerts"),
                dead -> dead.sinkTo(KafkaIo.exactlyOnceSink(config, config.topics().deadLetter(),
                        DeadLetter.class, DeadLetter::getSourceTopic)).uid("sink-dead-letter"));
        return env.executeAsync(ShippingDelayJob.NAME);
    }
}
