package dev.earlywarning.sla;

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
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Runs the real callback SLA job (Kafka in and out, RocksDB, exactly-once) on the test
 * MiniCluster, with restarts disabled: any failure, bad input included, fails the run instead of
 * hiding in a restart.
 */
final class PipelineRunner {

    private PipelineRunner() {}

    /** Reads what is in the topics now, decides on it (the end of input passes every deadline). */
    static JobClient runBounded(Map<String, String> settings, Path checkpoints) throws Exception {
        return start(settings, checkpoints, null, true);
    }

    /** Runs until stopped, optionally from a savepoint. */
    static JobClient runUnbounded(Map<String, String> settings, Path checkpoints, String savepoint)
            throws Exception {
        return start(settings, checkpoints, savepoint, false);
    }

    private static JobClient start(Map<String, String> settings, Path checkpoints, String savepoint,
            boolean bounded) throws Exception {
        Configuration conf = LocalEngine.configuration(checkpoints, Duration.ofMillis(500));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "disable");
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);

        Settings all = Settings.of(settings);
        JobConfig config = JobConfig.from(CallbackSlaJob.NAME, all);
        SlaConfig sla = SlaConfig.from(all.scoped("sla."));
        String callbacks = config.topics().callbacks();
        String interactions = config.topics().interactions();
        CallbackSlaPipeline.build(env, config, sla,
                bounded ? KafkaIo.boundedSource(config, callbacks, RecordTypes.CALLBACK)
                        : KafkaIo.source(config, callbacks, RecordTypes.CALLBACK),
                bounded ? KafkaIo.boundedSource(config, interactions, RecordTypes.INTERACTION)
                        : KafkaIo.source(config, interactions, RecordTypes.INTERACTION),
                alerts -> alerts.sinkTo(KafkaIo.exactlyOnceSink(config, config.topics().alerts(),
                        Alert.class, Alert::getCustomerId)).uid("sink-alerts"),
                dead -> dead.sinkTo(KafkaIo.exactlyOnceSink(config, config.topics().deadLetter(),
                        DeadLetter.class, DeadLetter::getSourceTopic)).uid("sink-dead-letter"));
        return env.executeAsync(CallbackSlaJob.NAME);
    }
}
