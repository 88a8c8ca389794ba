package dev.earlywarning.common.serde;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The class and schema an {@link AvroRecordSerializer} wrote with. Its format carries no writer
 * schema, so only the identical schema can read it: anything else is incompatible (it is meant
 * for records in flight, which a savepoint never holds).
 */
public final class AvroRecordSerializerSnapshot<T extends SpecificRecord>
        implements TypeSerializerSnapshot<T> {

    private Class<T> type;
    private String schema;

    /** For Flink, which reads the fields with {@link #readSnapshot}. */
    public AvroRecordSerializerSnapshot() {}

    AvroRecordSerializerSnapshot(Class<T> type, String schema) {
        this.type = type;
        this.schema = schema;
    }

    @Override
    public int getCurrentVersion() {
        return 1;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        out.writeUTF(type.getName());
        byte[] utf8 = schema.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void readSnapshot(int version, DataInputView in, ClassLoader classLoader)
            throws IOException {
        String className = in.readUTF();
        try {
            type = (Class<T>) Class.forName(className, false, classLoader);
        } catch (ClassNotFoundException e) {
            throw new IOException("the record class " + className + " is gone", e);
        }
        byte[] utf8 = new byte[in.readInt()];
        in.readFully(utf8);
        schema = new String(utf8, StandardCharsets.UTF_8);
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
        return new AvroRecordSerializer<>(type);
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
            TypeSerializerSnapshot<T> oldSnapshot) {
        return oldSnapshot instanceof AvroRecordSerializerSnapshot<T> old
                && old.type.equals(type) && old.schema.equals(schema)
                ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                : TypeSerializerSchemaCompatibility.incompatible();
    }
}
