package dev.earlywarning.common.kafka;

import dev.earlywarning.schema.SchemaVersions;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.SystemLimitException;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Avro single-object encoding of one generated record class, reading every released writer
 * version through {@link SchemaVersions#store()}. Serializable so that sources and sinks can carry
 * it; the Avro machinery is built lazily on the task.
 */
public final class AvroCodec<T extends SpecificRecord> implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AvroCodec.class);

    static {
        // A corrupt length prefix must fail as bad data, not as an attempt to allocate gigabytes.
        System.setProperty(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, "1048576");
        System.setProperty(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, "4194304");
        System.setProperty(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, "100000");
        applyLimits();
    }

    /**
     * Avro reads its limits once, when it first checks one: if anything in this JVM decoded Avro
     * before this class was loaded (a record builder's defaults do), the properties above would
     * be ignored. Its package-private reset reads them again; without it, keep the defaults.
     */
    private static void applyLimits() {
        try {
            Method reset = SystemLimitException.class.getDeclaredMethod("resetLimits");
            reset.setAccessible(true);
            reset.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("Avro's length limits could not be re-read; they apply only if set before"
                    + " Avro first decoded anything in this JVM", e);
        }
    }

    private final Class<T> type;
    private transient BinaryMessageDecoder<T> decoder;
    private transient BinaryMessageEncoder<T> encoder;

    public AvroCodec(Class<T> type) {
        this.type = type;
    }

    public Class<T> type() {
        return type;
    }

    public byte[] encode(T record) {
        try {
            ByteBuffer buffer = encoder().encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes or throws {@link DecodeException} with a dead-letter reason; never anything else. */
    public T decode(byte[] bytes) throws DecodeException {
        if (bytes == null || bytes.length == 0) {
            throw new DecodeException(DeadLetterReason.UNDECODABLE, "empty value");
        }
        try {
            return decoder().decode(bytes);
        } catch (BadHeaderException e) {
            throw new DecodeException(DeadLetterReason.UNDECODABLE,
                    "not Avro single-object encoding: " + e.getMessage());
        } catch (MissingSchemaException e) {
            throw new DecodeException(DeadLetterReason.UNKNOWN_SCHEMA, e.getMessage()
                    + " (not a known version of " + type.getSimpleName() + ")");
        } catch (AvroTypeException e) {
            // A known schema of another record (a record on the wrong topic) does not resolve.
            throw new DecodeException(DeadLetterReason.UNKNOWN_SCHEMA, e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new DecodeException(DeadLetterReason.UNDECODABLE, describe(e));
        }
    }

    /** The innermost cause says what was wrong; Avro's wrappers only say that decoding failed. */
    private String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof EOFException) {
            return "truncated: the bytes end inside the " + type.getSimpleName() + " body";
        }
        if (root instanceof IndexOutOfBoundsException) {
            return "corrupt: an enum or union index is out of range (" + root.getMessage() + ")";
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private BinaryMessageDecoder<T> decoder() {
        if (decoder == null) {
            SpecificData model = SpecificData.getForClass(type);
            Schema schema = model.getSchema(type);
            decoder = new BinaryMessageDecoder<>(model, schema, SchemaVersions.store());
        }
        return decoder;
    }

    private BinaryMessageEncoder<T> encoder() {
        if (encoder == null) {
            SpecificData model = SpecificData.getForClass(type);
            encoder = new BinaryMessageEncoder<>(model, model.getSchema(type));
        }
        return encoder;
    }

    /** Why bytes could not become a record, as a dead-letter reason category and detail. */
    public static final class DecodeException extends Exception {
        private final DeadLetterReason reason;

        public DecodeException(DeadLetterReason reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }

        public DeadLetterReason reason() {
            return reason;
        }
    }
}
