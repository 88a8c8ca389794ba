package dev.earlywarning.common.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.Constructor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes and reads the values of one Avro schema with a tree of codecs compiled from it once, for
 * records that travel between the tasks of one job (writer and reader are the same build). Avro's
 * own datum reader resolves a writer schema against a reader schema symbol by symbol for every
 * record; here each field goes straight to its codec, which is what made the shuffle of
 * interactions the scoring task's third largest cost.
 */
abstract class RecordCodec {

    abstract void write(Object value, DataOutputView out) throws IOException;

    abstract Object read(DataInputView in) throws IOException;

    /** The codec of {@code schema} as {@code model}'s generated classes hold its values. */
    static RecordCodec of(Schema schema, SpecificData model) {
        return switch (schema.getType()) {
            case RECORD -> new Fields(schema, model);
            case UNION -> union(schema, model);
            case STRING -> STRING;
            case LONG -> schema.getLogicalType() instanceof LogicalTypes.TimestampMillis
                    && model.getConversionFor(schema.getLogicalType()) != null ? INSTANT : LONG;
            case INT -> INT;
            case DOUBLE -> DOUBLE;
            case FLOAT -> FLOAT;
            case BOOLEAN -> BOOLEAN;
            case BYTES -> BYTES;
            case NULL -> NULL;
            case ENUM -> new Symbols(model.getClass(schema));
            case ARRAY -> new Items(of(schema.getElementType(), model));
            case MAP -> new Entries(of(schema.getValueType(), model));
            case FIXED -> throw new IllegalArgumentException("fixed types are not used by the"
                    + " contract's schemas and have no codec: " + schema.getFullName());
        };
    }

    private static RecordCodec union(Schema schema, SpecificData model) {
        List<Schema> branches = schema.getTypes();
        if (branches.size() == 2 && branches.get(0).getType() == Schema.Type.NULL) {
            return new Nullable(of(branches.get(1), model));
        }
        if (branches.size() == 2 && branches.get(1).getType() == Schema.Type.NULL) {
            return new Nullable(of(branches.get(0), model));
        }
        return new Branches(schema, model);
    }

    private static final class Fields extends RecordCodec {
        /** Looked up once: the model's own lookup per record cost a third of the reading. */
        private final Constructor<?> constructor;
        private final RecordCodec[] fields;

        Fields(Schema schema, SpecificData model) {
            try {
                this.constructor = model.getClass(schema).getConstructor();
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(schema.getFullName()
                        + " has no generated class with a public no-argument constructor", e);
            }
            this.fields = schema.getFields().stream()
                    .map(field -> of(field.schema(), model)).toArray(RecordCodec[]::new);
        }

        @Override
        void write(Object value, DataOutputView out) throws IOException {
            SpecificRecord record = (SpecificRecord) value;
            for (int i = 0; i < fields.length; i++) {
                fields[i].write(record.get(i), out);
            }
        }

        @Override
        Object read(DataInputView in) throws IOException {
            SpecificRecord record = newRecord();
            for (int i = 0; i < fields.length; i++) {
                record.put(i, fields[i].read(in));
            }
            return record;
        }

        private SpecificRecord newRecord() throws IOException {
            try {
                return (SpecificRecord) constructor.newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IOException("cannot create a " + constructor.getDeclaringClass(), e);
            }
        }
    }

    private static final class Nullable extends RecordCodec {
        private final RecordCodec value;

        Nullable(RecordCodec value) {
            this.value = value;
        }

        @Override
        void write(Object v, DataOutputView out) throws IOException {
            out.writeBoolean(v != null);
            if (v != null) {
                value.write(v, out);
            }
        }

        @Override
        Object read(DataInputView in) throws IOException {
            return in.readBoolean() ? value.read(in) : null;
        }
    }

    private static final class Branches extends RecordCodec {
        private final Schema union;
        private final SpecificData model;
        private final RecordCodec[] branches;

        Branches(Schema union, SpecificData model) {
            this.union = union;
            this.model = model;
            this.branches = union.getTypes().stream()
                    .map(branch -> of(branch, model)).toArray(RecordCodec[]::new);
        }

        @Override
        void write(Object v, DataOutputView out) throws IOException {
            int branch = model.resolveUnion(union, v);
            out.writeByte(branch);
            branches[branch].write(v, out);
        }

        @Override
        Object read(DataInputView in) throws IOException {
            return branches[in.readUnsignedByte()].read(in);
        }
    }

    private static final class Symbols extends RecordCodec {
        private final Object[] constants;

        Symbols(Class<?> enumClass) {
            this.constants = enumClass.getEnumConstants();
        }

        @Override
        void write(Object v, DataOutputView out) throws IOException {
            out.writeShort(((Enum<?>) v).ordinal());
        }

        @Override
        Object read(DataInputView in) throws IOException {
            return constants[in.readUnsignedShort()];
        }
    }

    private static final class Items extends RecordCodec {
        private final RecordCodec item;

        Items(RecordCodec item) {
            this.item = item;
        }

        @Override
        void write(Object v, DataOutputView out) throws IOException {
            List<?> items = (List<?>) v;
            out.writeInt(items.size());
            for (Object each : items) {
                item.write(each, out);
            }
        }

        @Override
        Object read(DataInputView in) throws IOException {
            int size = in.readInt();
            List<Object> items = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                items.add(item.read(in));
            }
            return items;
        }
    }

    private static final class Entries extends RecordCodec {
        private final RecordCodec value;

        Entries(RecordCodec value) {
            this.value = value;
        }

        @Override
        void write(Object v, DataOutputView out) throws IOException {
            Map<?, ?> entries = (Map<?, ?>) v;
            out.writeInt(entries.size());
            for (Map.Entry<?, ?> entry : entries.entrySet()) {
                STRING.write(entry.getKey(), out);
                value.write(entry.getValue(), out);
            }
        }

        @Override
        Object read(DataInputView in) throws IOException {
            int size = in.readInt();
            // In the order written, so that a record written again gives the same bytes.
            Map<String, Object> entries = new LinkedHashMap<>(Math.max(4, size * 4 / 3 + 1));
            for (int i = 0; i < size; i++) {
                entries.put((String) STRING.read(in), value.read(in));
            }
            return entries;
        }
    }

    private static final RecordCodec STRING = new RecordCodec() {
        @Override
        void write(Object v, DataOutputView out) throws IOException {
            byte[] utf8 = v.toString().getBytes(StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        }

        @Override
        Object read(DataInputView in) throws IOException {
            byte[] utf8 = new byte[in.readInt()];
            in.readFully(utf8);
            return new String(utf8, StandardCharsets.UTF_8);
        }
    };

    private static final RecordCodec INSTANT = new RecordCodec() {
        @Override
        void write(Object v, DataOutputView out) throws IOException {
            out.writeLong(((Instant) v).toEpochMilli());
        }

        @Override
        Object read(DataInputView in) throws IOException {
            return Instant.ofEpochMilli(in.readLong());
        }
    };

    private static final RecordCodec LONG = new RecordCodec() {
        @Override
        void write(Object v, DataOutputView out) throws IOException {
            out.writeLong((Long) v);
        }

        @Override
        Object read(DataInputView in) throws IOException {
            return in.readLong();
        }
    };

    private static final RecordCodec INT = new RecordCodec() {
        @Override
        void write(Object v, DataOutputView out) throws IOException {
            out.writeInt((Integer) v);
        }

        @Override
        Object read(DataInputView in) throws IOException {
            return in.readInt();
        }
    };

    private static final RecordCodec DOUBLE = new RecordCodec() {
        @Override
        void write(Object v, DataOutputView out) throws IOException {
            out.writeDouble((Double) v);
        }

        @Override
        Object read(DataInputView in) throws IOException {
            return in.readDouble();
        }
    };

    private static final RecordCodec FLOAT = new RecordCodec() {
        @Override
        void write(Object v, DataOutputView out) throws IOException {
            out.writeFloat((Float) v);
        }

        @Override
        Object read(DataInputView in) throws IOException {
            return in.readFloat();
        }
    };

    private static final RecordCodec BOOLEAN = new RecordCodec() {
        @Override
        void write(Object v, DataOutputView out) throws IOException {
            out.writeBoolean((Boolean) v);
        }

        @Override
        Object read(DataInputView in) throws IOException {
            return in.readBoolean();
        }
    };

    private static final RecordCodec BYTES = new RecordCodec() {
        @Override
        void write(Object v, DataOutputView out) throws IOException {
            ByteBuffer buffer = ((ByteBuffer) v).duplicate();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            out.writeInt(bytes.length);
            out.write(bytes);
        }

        @Override
        Object read(DataInputView in) throws IOException {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            return ByteBuffer.wrap(bytes);
        }
    };

    private static final RecordCodec NULL = new RecordCodec() {
        @Override
        void write(Object v, DataOutputView out) {}

        @Override
        Object read(DataInputView in) {
            return null;
        }
    };
}
