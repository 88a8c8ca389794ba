package dev.earlywarning.reliability;

import dev.earlywarning.common.kafka.AvroCodec;
import dev.earlywarning.common.kafka.DeadLetterReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Seeded malformed records of every kind a producer can get wrong, each with the dead-letter
 * reason the contract gives it. They are made from valid records of the topic's type, so that
 * what is not broken looks real; the hand-written bodies follow the type's schema, field by field.
 */
final class Fuzzer<T extends SpecificRecordBase> {

    /** Avro single-object encoding: the marker, then the 8-byte schema fingerprint. */
    private static final int HEADER = 10;

    /** What is wrong with a record, and the reason its dead letter must give. */
    enum Category {
        /** Not Avro at all. */
        RANDOM_BYTES(DeadLetterReason.UNDECODABLE),
        /** A valid record cut short anywhere, the header included. */
        TRUNCATED(DeadLetterReason.UNDECODABLE),
        /** The marker and a body, but a fingerprint no version of the schema has. */
        UNKNOWN_FINGERPRINT(DeadLetterReason.UNKNOWN_SCHEMA),
        /** The first enum field's index beyond its symbols. */
        ENUM_OUT_OF_RANGE(DeadLetterReason.UNDECODABLE),
        /**
         * A null where the schema requires a string (an id), as a writer whose schema made the
         * field nullable sends it: union branch 0 is the byte 0, which the reader takes for an
         * empty string.
         */
        NULL_WHERE_REQUIRED(DeadLetterReason.INVALID),
        /** occurredAt a century or more ahead, up to the largest timestamp Avro can carry. */
        ABSURD_TIMESTAMP(DeadLetterReason.INVALID),
        /** A string whose length prefix claims megabytes to terabytes. */
        HUGE_STRING(DeadLetterReason.UNDECODABLE);

        private final DeadLetterReason reason;

        Category(DeadLetterReason reason) {
            this.reason = reason;
        }

        DeadLetterReason reason() {
            return reason;
        }
    }

    /** One malformed record. */
    record Bad(Category category, String key, byte[] value) {}

    private final Random random;
    private final AvroCodec<T> codec;
    private final SpecificData model;
    private final Schema schema;
    private final List<T> templates;
    private final List<Schema.Field> requiredStrings;

    /** {@code templates}: valid records to corrupt. */
    Fuzzer(long seed, Class<T> type, List<T> templates) {
        this.random = new Random(seed);
        this.codec = new AvroCodec<>(type);
        // The generated class's own model: it carries the timestamp conversions.
        this.model = SpecificData.getForClass(type);
        this.schema = model.getSchema(type);
        this.templates = templates;
        this.requiredStrings = schema.getFields().stream()
                .filter(f -> f.schema().getType() == Schema.Type.STRING).toList();
    }

    List<Bad> generate(int count) {
        List<Bad> bad = new ArrayList<>(count);
        Category[] categories = Category.values();
        for (int i = 0; i < count; i++) {
            Category category = categories[random.nextInt(categories.length)];
            String key = "fuzz-" + random.nextInt(500);
            bad.add(new Bad(category, key, make(category, copyOfTemplate())));
        }
        return bad;
    }

    private byte[] make(Category category, T valid) {
        return switch (category) {
            case RANDOM_BYTES -> randomBytes();
            case TRUNCATED -> {
                byte[] whole = codec.encode(valid);
                yield Arrays.copyOf(whole, 1 + random.nextInt(whole.length - 1));
            }
            case UNKNOWN_FINGERPRINT -> {
                byte[] bytes = codec.encode(valid);
                byte[] fingerprint = new byte[HEADER - 2];
                random.nextBytes(fingerprint);
                System.arraycopy(fingerprint, 0, bytes, 2, fingerprint.length);
                yield bytes;
            }
            case ENUM_OUT_OF_RANGE -> handWritten(valid, Schema.Type.ENUM, (field, body) ->
                    body.writeEnum(field.schema().getEnumSymbols().size() + random.nextInt(1000)));
            case NULL_WHERE_REQUIRED -> {
                Schema.Field id = requiredStrings.get(random.nextInt(requiredStrings.size()));
                valid.put(id.pos(), "");
                yield codec.encode(valid);
            }
            case ABSURD_TIMESTAMP -> {
                valid.put(schema.getField("occurredAt").pos(), absurdFuture());
                yield codec.encode(valid);
            }
            case HUGE_STRING -> handWritten(valid, Schema.Type.STRING, (field, body) -> {
                body.writeLong((1L << 21) + (long) (random.nextDouble() * (1L << 40)));
                body.writeFixed(randomBytes());
            });
        };
    }

    @SuppressWarnings("unchecked")
    private T copyOfTemplate() {
        return (T) model.deepCopy(schema, templates.get(random.nextInt(templates.size())));
    }

    /** Random bytes that do not start like single-object encoding. */
    private byte[] randomBytes() {
        byte[] bytes = new byte[16 + random.nextInt(180)];
        random.nextBytes(bytes);
        if (bytes[0] == (byte) 0xC3) {
            bytes[0] = 0;
        }
        return bytes;
    }

    private Instant absurdFuture() {
        long from = Instant.now().plus(Duration.ofDays(365 * 100)).toEpochMilli();
        return Instant.ofEpochMilli(from + (long) (random.nextDouble() * (Long.MAX_VALUE - from)));
    }

    @FunctionalInterface
    private interface Corruption {
        void write(Schema.Field field, BinaryEncoder body) throws IOException;
    }

    /**
     * The record's valid header and its fields as they are, up to a field of type {@code at}
     * (for strings: the second one, so that an id comes first), which {@code corruption} writes
     * instead; decoding fails there, so nothing needs to follow.
     */
    private byte[] handWritten(T valid, Schema.Type at, Corruption corruption) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(codec.encode(valid), 0, HEADER);
        BinaryEncoder body = EncoderFactory.get().binaryEncoder(out, null);
        try {
            int seen = 0;
            for (Schema.Field field : schema.getFields()) {
                if (field.schema().getType() == at && ++seen == (at == Schema.Type.STRING ? 2 : 1)) {
                    corruption.write(field, body);
                    break;
                }
                new SpecificDatumWriter<>(field.schema(), model).write(valid.get(field.pos()), body);
            }
            body.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
