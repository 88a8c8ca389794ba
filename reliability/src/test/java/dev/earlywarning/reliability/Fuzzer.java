package dev.earlywarning.reliability;

import dev.earlywarning.common.kafka.AvroCodec;
import dev.earlywarning.common.kafka.DeadLetterReason;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.InteractionEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Seeded malformed interaction records of every kind a producer can get wrong, each with the
 * dead-letter reason the contract gives it. Each one carries a unique event id (or random bytes),
 * so that a dead letter's payload tells which record it was.
 */
final class Fuzzer {

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
        /** A channel enum index beyond the symbols. */
        ENUM_OUT_OF_RANGE(DeadLetterReason.UNDECODABLE),
        /**
         * A null where the schema requires a string, as a writer whose schema made the field
         * nullable sends it: union branch 0 is the byte 0, which the reader takes for an empty
         * string.
         */
        NULL_WHERE_REQUIRED(DeadLetterReason.INVALID),
        /** occurredAt centuries ahead (up to the largest timestamp Avro can carry). */
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

    /** One malformed record for the interactions topic. */
    record Bad(Category category, String key, byte[] value) {}

    private final Random random;
    private final AvroCodec<InteractionEvent> codec = new AvroCodec<>(InteractionEvent.class);
    private final List<InteractionEvent> templates;

    /** {@code templates}: valid events to corrupt, for realistic field values. */
    Fuzzer(long seed, List<InteractionEvent> templates) {
        this.random = new Random(seed);
        this.templates = templates;
    }

    List<Bad> generate(int count) {
        List<Bad> bad = new ArrayList<>(count);
        Category[] categories = Category.values();
        for (int i = 0; i < count; i++) {
            Category category = categories[random.nextInt(categories.length)];
            String customer = "fuzz-" + random.nextInt(500);
            bad.add(new Bad(category, customer, make(category, "fuzz-" + i, customer)));
        }
        return bad;
    }

    private byte[] make(Category category, String eventId, String customer) {
        InteractionEvent valid = InteractionEvent.newBuilder(
                        templates.get(random.nextInt(templates.size())))
                .setEventId(eventId).setCustomerId(customer).build();
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
            case ENUM_OUT_OF_RANGE -> headerThen(valid, body -> {
                body.writeString(eventId);
                body.writeString(customer);
                body.writeIndex(0);
                body.writeEnum(Channel.values().length + random.nextInt(1000));
            });
            case NULL_WHERE_REQUIRED -> codec.encode(random.nextBoolean()
                    ? InteractionEvent.newBuilder(valid).setCustomerId("").build()
                    // The text keeps the payload unique when the event id is gone.
                    : InteractionEvent.newBuilder(valid).setEventId("").setText(eventId).build());
            case ABSURD_TIMESTAMP -> codec.encode(InteractionEvent.newBuilder(valid)
                    .setOccurredAt(absurdFuture()).build());
            case HUGE_STRING -> headerThen(valid, body -> {
                body.writeString(eventId);
                body.writeLong((1L << 21) + (long) (random.nextDouble() * (1L << 40)));
                body.writeFixed(randomBytes());
            });
        };
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
    private interface Body {
        void write(BinaryEncoder body) throws IOException;
    }

    /** The valid header of the record's schema, then a body written by hand. */
    private byte[] headerThen(InteractionEvent valid, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(codec.encode(valid), 0, HEADER);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            body.write(encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
