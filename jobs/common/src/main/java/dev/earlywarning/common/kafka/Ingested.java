package dev.earlywarning.common.kafka;

import dev.earlywarning.common.serde.AvroRecordTypeInfo;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * A valid record with where it came from (partition, offset) and when it entered the job: enough to
 * dead-letter it later (when it turns out late) and to measure alert latency, at 20 bytes more per
 * record on the wire.
 */
public class Ingested<T> {
    public T value;
    public int partition;
    public long offset;
    public long ingestedAt;

    public Ingested() {}

    public Ingested(T value, int partition, long offset, long ingestedAt) {
        this.value = value;
        this.partition = partition;
        this.offset = offset;
        this.ingestedAt = ingestedAt;
    }

    public static <T extends SpecificRecordBase> TypeInformation<Ingested<T>> typeInfo(Class<T> type) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeInformation<Ingested<T>> info = (TypeInformation) Types.POJO(Ingested.class, Map.of(
                "value", new AvroRecordTypeInfo<>(type),
                "partition", Types.INT,
                "offset", Types.LONG,
                "ingestedAt", Types.LONG));
        return info;
    }
}
