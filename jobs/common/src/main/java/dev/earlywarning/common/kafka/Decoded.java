package dev.earlywarning.common.kafka;

import dev.earlywarning.common.serde.AvroRecordTypeInfo;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * What the source read from one Kafka record: either a valid {@code value}, or a {@code failure}
 * with the raw bytes kept for the dead-letter topic. Decoding never throws, so one bad record can
 * never put a task into a restart loop.
 */
public class Decoded<T> {
    public T value;
    public DeadLetterReason failureReason;
    public String failureDetail;
    public byte[] payload;
    public String key;
    public String topic;
    public int partition;
    public long offset;
    /** Wall-clock time the record entered the job, for the alert-latency histogram. */
    public long ingestedAt;

    public Decoded() {}

    public boolean isValid() {
        return failureReason == null;
    }

    public static <T extends SpecificRecordBase> TypeInformation<Decoded<T>> typeInfo(Class<T> type) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeInformation<Decoded<T>> info = (TypeInformation) Types.POJO(Decoded.class, Map.of(
                "value", new AvroRecordTypeInfo<>(type),
                "failureReason", Types.ENUM(DeadLetterReason.class),
                "failureDetail", Types.STRING,
                "payload", Types.PRIMITIVE_ARRAY(Types.BYTE),
                "key", Types.STRING,
                "topic", Types.STRING,
                "partition", Types.INT,
                "offset", Types.LONG,
                "ingestedAt", Types.LONG));
        return info;
    }
}
