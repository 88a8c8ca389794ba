package dev.earlywarning.router;

import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.kafka.KafkaIo;
import dev.earlywarning.common.kafka.RecordTypes;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.DeadLetter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

/** Runs the alert router against Kafka: {@code --bootstrap host:port --router.* ...}. */
public final class AlertRouterJob {

    public static final String NAME = "alert-router";

    private AlertRouterJob() {}

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.of(ParameterTool.fromArgs(args).toMap());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        wire(env, settings);
        env.execute(NAME);
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
                responder -> responder.sinkTo(KafkaIo.exactlyOnceSink(config,
                                config.topics().responderQueue(), Alert.class,
                                Alert::getCustomerId))
                        .uid("sink-responder-queue")
                        .name("write " + config.topics().responderQueue()),
                outreach -> outreach.sinkTo(KafkaIo.exactlyOnceSink(config,
                                config.topics().outreachQueue(), Alert.class,
                                Alert::getCustomerId))
                        .uid("sink-outreach-queue")
                        .name("write " + config.topics().outreachQueue()),
                deadLetters -> deadLetters.sinkTo(KafkaIo.exactlyOnceSink(config,
                                config.topics().deadLetter(), DeadLetter.class,
                                DeadLetter::getSourceTopic))
                        .uid("sink-dead-letter").name("write " + config.topics().deadLetter()));
    }
}
