package dev.earlywarning.common.kafka;

import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.time.EventTime;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Turns a source of decoded records into the valid records, with dead letters on the side. */
public final class Inputs {

    private Inputs() {}

    /**
     * The valid records of {@code source}, with event-time watermarks from the records themselves;
     * rejected records come out of the returned operator's {@link DeadLetters#TAG} side output.
     */
    public static <T extends SpecificRecordBase> SingleOutputStreamOperator<Ingested<T>> validRecords(
            StreamExecutionEnvironment env, Source<Decoded<T>, ?, ?> source, RecordType<T> type,
            JobConfig config, String topic) {
        return validRecords(env, source, type, config, topic, EventTime.watermarks(config, type));
    }

    /** As above, with a watermark strategy of the caller's (e.g. for control streams). */
    public static <T extends SpecificRecordBase> SingleOutputStreamOperator<Ingested<T>> validRecords(
            StreamExecutionEnvironment env, Source<Decoded<T>, ?, ?> source, RecordType<T> type,
            JobConfig config, String topic, WatermarkStrategy<Decoded<T>> watermarks) {
        String name = topic.replace('.', '-');
        return env.fromSource(source, watermarks, "read " + topic,
                        Decoded.typeInfo(type.type()))
                .uid("source-" + name)
                .process(new DecodedRouter<>(config.jobName(), topic, config.settings()),
                        Ingested.typeInfo(type.type()))
                .uid("decode-" + name)
                .name("decode " + topic);
    }
}
