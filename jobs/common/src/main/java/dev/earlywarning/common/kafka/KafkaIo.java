package dev.earlywarning.common.kafka;

import dev.earlywarning.common.config.JobConfig;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Kafka sources and sinks as the contract wants them: sources read raw bytes and decode without
 * throwing, see only committed records ({@code read_committed}) and resume from checkpointed
 * offsets; sinks write single-object encoded Avro, keyed, in Kafka transactions committed with
 * Flink's checkpoints (exactly-once).
 */
public final class KafkaIo {

    private KafkaIo() {}

    /** Unbounded, or bounded at the latest offsets when the job is configured to stop there. */
    public static <T extends SpecificRecordBase> KafkaSource<Decoded<T>> source(
            JobConfig config, String topic, RecordType<T> type) {
        if (config.stopAtLatest()) {
            return boundedSource(config, topic, type);
        }
        return sourceBuilder(config, topic, type)
                .setProperty("partition.discovery.interval.ms", "60000")
                .build();
    }

    /**
     * Like {@link #source} but finishes at the offsets that were the latest when the job started,
     * for replays and for tests that run a job to its end.
     */
    public static <T extends SpecificRecordBase> KafkaSource<Decoded<T>> boundedSource(
            JobConfig config, String topic, RecordType<T> type) {
        return sourceBuilder(config, topic, type).setBounded(OffsetsInitializer.latest()).build();
    }

    private static <T extends SpecificRecordBase> KafkaSourceBuilder<Decoded<T>> sourceBuilder(
            JobConfig config, String topic, RecordType<T> type) {
        OffsetResetStrategy reset = config.startFrom() == JobConfig.StartFrom.EARLIEST
                ? OffsetResetStrategy.EARLIEST : OffsetResetStrategy.LATEST;
        return KafkaSource.<Decoded<T>>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setGroupId(config.groupId())
                .setTopics(topic)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(reset))
                .setDeserializer(new DecodingDeserializer<>(type,
                        config.maxFutureSkew().toMillis()))
                .setProperties(clientProperties(config))
                .setProperty("isolation.level", "read_committed");
    }

    /** A sink with the job's configured {@code delivery} guarantee (exactly-once by default). */
    public static <T extends SpecificRecordBase> KafkaSink<T> sink(JobConfig config, String topic,
            Class<T> type, KeyOf<T> key) {
        return sink(config, topic, type, key, guarantee(config));
    }

    /** The Flink sink guarantee of the job's {@code delivery} setting. */
    public static DeliveryGuarantee guarantee(JobConfig config) {
        return switch (config.delivery()) {
            case EXACTLY_ONCE -> DeliveryGuarantee.EXACTLY_ONCE;
            case AT_LEAST_ONCE -> DeliveryGuarantee.AT_LEAST_ONCE;
        };
    }

    public static <T extends SpecificRecordBase> KafkaSink<T> exactlyOnceSink(
            JobConfig config, String topic, Class<T> type, KeyOf<T> key) {
        return sink(config, topic, type, key, DeliveryGuarantee.EXACTLY_ONCE);
    }

    public static <T extends SpecificRecordBase> KafkaSink<T> sink(JobConfig config, String topic,
            Class<T> type, KeyOf<T> key, DeliveryGuarantee guarantee) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setKafkaProducerConfig(clientProperties(config))
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(config.transactionalIdPrefix() + "-" + topic)
                // Flink's default (1 h) exceeds the broker's transaction.max.timeout.ms (15 min).
                .setProperty("transaction.timeout.ms",
                        String.valueOf(config.transactionTimeout().toMillis()))
                .setRecordSerializer(new KeyedAvroSerializer<>(topic, type, key))
                .build();
    }

    /** The {@code kafka.*} pass-through settings (security, tuning) for any Kafka client. */
    public static Properties clientProperties(JobConfig config) {
        Properties properties = new Properties();
        properties.putAll(config.kafkaProperties());
        properties.setProperty("bootstrap.servers", config.bootstrapServers());
        return properties;
    }

    /** The record key: the contract's partitioning id. */
    @FunctionalInterface
    public interface KeyOf<T> extends java.io.Serializable {
        String of(T record);
    }

    static final class KeyedAvroSerializer<T extends SpecificRecordBase>
            implements KafkaRecordSerializationSchema<T> {
        private static final long serialVersionUID = 1L;
        private final String topic;
        private final AvroCodec<T> codec;
        private final KeyOf<T> key;

        KeyedAvroSerializer(String topic, Class<T> type, KeyOf<T> key) {
            this.topic = topic;
            this.codec = new AvroCodec<>(type);
            this.key = key;
        }

        /**
         * The Kafka timestamp is left to the producer (wall-clock time): event time travels in the
         * record itself, and an event-time Kafka timestamp days in the past would let time-based
         * retention delete freshly written alerts at the next retention check.
         */
        @Override
        public ProducerRecord<byte[], byte[]> serialize(T record, KafkaSinkContext context,
                Long timestamp) {
            return new ProducerRecord<>(topic, null, null,
                    key.of(record).getBytes(StandardCharsets.UTF_8), codec.encode(record));
        }
    }
}
