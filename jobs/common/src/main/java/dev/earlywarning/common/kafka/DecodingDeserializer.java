package dev.earlywarning.common.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns every Kafka record into a {@link Decoded}: the valid record, or the reason it is not one.
 * It never throws, so that bad bytes reach the dead-letter topic instead of failing the source.
 */
public final class DecodingDeserializer<T extends SpecificRecordBase>
        implements KafkaRecordDeserializationSchema<Decoded<T>> {

    private static final long serialVersionUID = 1L;

    private final RecordType<T> recordType;
    private final long maxFutureSkewMillis;
    private final AvroCodec<T> codec;

    public DecodingDeserializer(RecordType<T> recordType, long maxFutureSkewMillis) {
        this.recordType = recordType;
        this.maxFutureSkewMillis = maxFutureSkewMillis;
        this.codec = new AvroCodec<>(recordType.type());
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {}

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Decoded<T>> out) {
        out.collect(decode(record.topic(), record.partition(), record.offset(),
                record.key(), record.value(), System.currentTimeMillis()));
    }

    Decoded<T> decode(String topic, int partition, long offset, byte[] key, byte[] value, long now) {
        Decoded<T> decoded = new Decoded<>();
        decoded.topic = topic;
        decoded.partition = partition;
        decoded.offset = offset;
        decoded.ingestedAt = now;
        try {
            T record = codec.decode(value);
            String problem = recordType.validator()
                    .problem(record, new RecordType.Limits(now, maxFutureSkewMillis));
            if (problem == null) {
                decoded.value = record;
                return decoded;
            }
            decoded.failureReason = DeadLetterReason.INVALID;
            decoded.failureDetail = problem;
        } catch (AvroCodec.DecodeException e) {
            decoded.failureReason = e.reason();
            decoded.failureDetail = e.getMessage();
        }
        decoded.payload = value == null ? new byte[0] : value;
        decoded.key = key == null ? null : new String(key, StandardCharsets.UTF_8);
        return decoded;
    }

    @Override
    public TypeInformation<Decoded<T>> getProducedType() {
        return Decoded.typeInfo(recordType.type());
    }
}
