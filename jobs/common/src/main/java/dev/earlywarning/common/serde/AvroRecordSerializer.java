package dev.earlywarning.common.serde;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializes a generated Avro record class between the tasks of a job, field by field through a
 * {@link RecordCodec} compiled from its schema: about half the CPU of Flink's {@code
 * AvroSerializer} per interaction. Its format is this build's schema with no writer schema in
 * it, so it is for records in flight, never for state: its snapshot accepts only the same schema.
 */
public final class AvroRecordSerializer<T extends SpecificRecord> extends TypeSerializer<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private transient Compiled compiled;

    public AvroRecordSerializer(Class<T> type) {
        this.type = type;
    }

    /** The class's model, schema and codec, built on first use (none of them is serializable). */
    private record Compiled(SpecificData model, Schema schema, RecordCodec codec) {
        static Compiled of(Class<?> type) {
            SpecificData model = SpecificData.getForClass(type);
            Schema schema = model.getSchema(type);
            return new Compiled(model, schema, RecordCodec.of(schema, model));
        }
    }

    private Compiled compiled() {
        Compiled built = compiled;
        if (built == null) {
            built = Compiled.of(type);
            compiled = built;
        }
        return built;
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<T> duplicate() {
        return new AvroRecordSerializer<>(type);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T createInstance() {
        return (T) compiled().model().newRecord(null, compiled().schema());
    }

    @Override
    public T copy(T from) {
        return compiled().model().deepCopy(compiled().schema(), from);
    }

    @Override
    public T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(T record, DataOutputView target) throws IOException {
        compiled().codec().write(record, target);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(DataInputView source) throws IOException {
        return (T) compiled().codec().read(source);
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AvroRecordSerializer<?> that && that.type.equals(type);
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<T> snapshotConfiguration() {
        return new AvroRecordSerializerSnapshot<>(type, compiled().schema().toString());
    }
}
