package dev.earlywarning.common.job;

import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.kafka.KafkaIo;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.DeadLetter;
import java.util.function.Consumer;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The sinks every job writes to, with stable uids: exactly-once unless the job's {@code delivery}
 * setting says at-least-once.
 */
public final class Sinks {

    private Sinks() {}

    /** Alerts to {@code topic}, keyed by customer. */
    public static Consumer<DataStream<Alert>> alerts(JobConfig config, String topic) {
        return alerts -> alerts.sinkTo(KafkaIo.sink(config, topic, Alert.class,
                        Alert::getCustomerId))
                .uid(uid(config, topic)).name("write " + topic);
    }

    /** Dead letters to the dead-letter topic, keyed by their source topic. */
    public static Consumer<DataStream<DeadLetter>> deadLetters(JobConfig config) {
        String topic = config.topics().deadLetter();
        return deadLetters -> deadLetters.sinkTo(KafkaIo.sink(config, topic,
                        DeadLetter.class, DeadLetter::getSourceTopic))
                .uid("sink-dead-letter").name("write " + topic);
    }

    // The uids predate this class: keep them, savepoints map state by uid.
    private static String uid(JobConfig config, String topic) {
        if (topic.equals(config.topics().responderQueue())) {
            return "sink-responder-queue";
        }
        if (topic.equals(config.topics().outreachQueue())) {
            return "sink-outreach-queue";
        }
        return "sink-alerts";
    }
}
