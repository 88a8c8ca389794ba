package dev.earlywarning.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.earlywarning.common.testing.Interactions;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import dev.earlywarning.schema.SurveyKind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.util.InstantiationUtil;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DecodingDeserializerTest {

    private static final AvroCodec<InteractionEvent> CODEC = new AvroCodec<>(InteractionEvent.class);
    private static final Duration MAX_SKEW = Duration.ofDays(1);
    private static final long NOW = Instant.parse("2025-03-03T12:00:00Z").toEpochMilli();
    private static final byte[] KEY = "c1".getBytes(StandardCharsets.UTF_8);

    /*
     * Byte layout of VALID: 10 header bytes (C3 01 + fingerprint), then the body in field order:
     * eventId "e1" = [04 'e' '1'] at 10, customerId "c1" at 13, caseId null = [00] at 16,
     * channel at 17, type at 18. Avro ints are zig-zag varints: n < 64 is the single byte 2n.
     */
    private static final int FINGERPRINT = 2;
    private static final int EVENT_ID = 10;
    private static final int CHANNEL = 17;
    private static final int TYPE = 18;
    private static final byte[] VALID = CODEC.encode(Interactions.event("e1", "c1")
            .channel(Channel.CHAT).type(InteractionType.MESSAGE).build());

    private final DecodingDeserializer<InteractionEvent> deserializer =
            new DecodingDeserializer<>(RecordTypes.INTERACTION, MAX_SKEW.toMillis());

    @Test
    void theLayoutTheCorruptionsRelyOnHolds() {
        assertThat(Arrays.copyOfRange(VALID, EVENT_ID, CHANNEL))
                .containsExactly(4, 'e', '1', 4, 'c', '1', 0);
        assertThat(VALID[CHANNEL]).isEqualTo((byte) (2 * Channel.CHAT.ordinal()));
        assertThat(VALID[TYPE]).isEqualTo((byte) (2 * InteractionType.MESSAGE.ordinal()));
    }

    @Test
    void validRecordCarriesItsOriginAndIngestionTime() {
        Decoded<InteractionEvent> decoded = deserializer.decode("cx.interactions", 1, 42L, KEY,
                VALID, NOW);

        assertThat(decoded.isValid()).isTrue();
        assertThat(decoded.value.getEventId()).isEqualTo("e1");
        assertThat(decoded.value.getChannel()).isEqualTo(Channel.CHAT);
        assertThat(decoded.topic).isEqualTo("cx.interactions");
        assertThat(decoded.partition).isEqualTo(1);
        assertThat(decoded.offset).isEqualTo(42L);
        assertThat(decoded.ingestedAt).isEqualTo(NOW);
    }

    static Stream<Arguments> badBytes() {
        byte[] random = new byte[32];
        new Random(7).nextBytes(random);
        random[0] = 0x42;

        byte[] unknownFingerprint = VALID.clone();
        unknownFingerprint[FINGERPRINT + 3] ^= 0x5A;

        byte[] badChannel = VALID.clone();
        badChannel[CHANNEL] = 2 * 63;

        byte[] badType = VALID.clone();
        badType[TYPE] = 2 * 40;

        // eventId's one-byte length prefix replaced by a varint claiming 100 million characters.
        ByteArrayOutputStream hugeString = new ByteArrayOutputStream();
        hugeString.write(VALID, 0, EVENT_ID);
        hugeString.writeBytes(zigZagVarint(100_000_000));
        hugeString.write(VALID, EVENT_ID + 1, VALID.length - EVENT_ID - 1);

        return Stream.of(
                arguments("empty", new byte[0], DeadLetterReason.UNDECODABLE, "empty value"),
                arguments("random", random, DeadLetterReason.UNDECODABLE,
                        "not Avro single-object encoding: Unrecognized header bytes: 0x42"),
                arguments("marker only", new byte[] {(byte) 0xC3, 0x01, 0x33},
                        DeadLetterReason.UNDECODABLE, "not Avro single-object encoding"),
                arguments("unknown fingerprint", unknownFingerprint,
                        DeadLetterReason.UNKNOWN_SCHEMA,
                        "Cannot resolve schema for fingerprint"),
                arguments("header without body", Arrays.copyOf(VALID, 10),
                        DeadLetterReason.UNDECODABLE,
                        "truncated: the bytes end inside the InteractionEvent body"),
                arguments("truncated body", Arrays.copyOf(VALID, VALID.length - 4),
                        DeadLetterReason.UNDECODABLE,
                        "truncated: the bytes end inside the InteractionEvent body"),
                arguments("channel index 63 of 9", badChannel, DeadLetterReason.UNDECODABLE,
                        "an enum or union index is out of range (Index 63 out of bounds"),
                arguments("type index 40 of 12", badType, DeadLetterReason.UNDECODABLE,
                        "an enum or union index is out of range (Index 40 out of bounds"),
                arguments("huge string length", hugeString.toByteArray(),
                        DeadLetterReason.UNDECODABLE,
                        "String length 100000000 exceeds maximum allowed"));
    }

    static Stream<Arguments> contractViolations() {
        Instant tooFarAhead = Instant.ofEpochMilli(NOW).plus(MAX_SKEW).plusSeconds(1);
        return Stream.of(
                arguments(Interactions.event(" ", "c1"), "eventId is blank"),
                arguments(Interactions.event("e1", ""), "customerId is blank"),
                arguments(Interactions.event("e1", "c1").waitSeconds(-5),
                        "waitSeconds is negative (-5)"),
                arguments(Interactions.event("e1", "c1").handleSeconds(-1),
                        "handleSeconds is negative (-1)"),
                arguments(Interactions.event("e1", "c1").sentiment(1.5f),
                        "sentiment 1.5 is outside -1..1"),
                arguments(Interactions.event("e1", "c1").sentiment(Float.NaN),
                        "sentiment NaN is outside -1..1"),
                arguments(Interactions.event("e1", "c1").survey(SurveyKind.NPS, 11),
                        "surveyScore 11 is outside 0..10 for NPS"),
                arguments(Interactions.event("e1", "c1").survey(SurveyKind.CSAT, 0),
                        "surveyScore 0 is outside 1..5 for CSAT"),
                arguments(Interactions.event("e1", "c1").at(tooFarAhead),
                        "occurredAt is more than PT24H in the future"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBytes")
    void badBytesBecomeDeadLetterCandidates(String name, byte[] bytes, DeadLetterReason reason,
            String detail) {
        Decoded<InteractionEvent> decoded = deserializer.decode("cx.interactions", 0, 7L, KEY,
                bytes, NOW);

        assertFailed(decoded, reason, detail, bytes);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("contractViolations")
    void recordsBreakingTheContractAreInvalid(Interactions event, String detail) {
        byte[] bytes = CODEC.encode(event.build());

        Decoded<InteractionEvent> decoded = deserializer.decode("cx.interactions", 0, 7L, KEY,
                bytes, NOW);

        assertFailed(decoded, DeadLetterReason.INVALID, detail, bytes);
    }

    @Test
    void boundaryValuesAreStillValid() {
        List<InteractionEvent> fine = List.of(
                Interactions.event("e1", "c1").at(Instant.ofEpochMilli(NOW).plus(MAX_SKEW)).build(),
                Interactions.event("e2", "c1").sentiment(-1f).waitSeconds(0).build(),
                Interactions.event("e3", "c1").survey(SurveyKind.NPS, 0).build(),
                Interactions.event("e4", "c1").survey(SurveyKind.CSAT, 5).build());

        for (InteractionEvent event : fine) {
            Decoded<InteractionEvent> decoded = deserializer.decode("t", 0, 0L, KEY,
                    CODEC.encode(event), NOW);
            assertThat(decoded.isValid()).as(event.toString()).isTrue();
            assertThat(decoded.value).isEqualTo(event);
        }
    }

    @Test
    void kafkaRecordsAreReadWithTheirCoordinatesAndTombstonesAreDeadLetters() throws Exception {
        List<Decoded<InteractionEvent>> out = new ArrayList<>();
        // Shipped as Flink ships it, so a lambda that cannot be serialized would fail here.
        DecodingDeserializer<InteractionEvent> shipped = InstantiationUtil.clone(deserializer);

        shipped.deserialize(new ConsumerRecord<>("cx.interactions", 1, 5L, KEY, VALID),
                new ListCollector<>(out));
        shipped.deserialize(new ConsumerRecord<>("cx.interactions", 0, 6L, null, null),
                new ListCollector<>(out));

        assertThat(out).hasSize(2);
        assertThat(out.get(0).isValid()).isTrue();
        assertThat(out.get(0).partition).isEqualTo(1);
        assertThat(out.get(0).offset).isEqualTo(5L);
        assertThat(out.get(0).ingestedAt).isPositive();
        assertThat(out.get(1).failureReason).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(out.get(1).payload).isEmpty();
        assertThat(out.get(1).key).isNull();
        assertThat(out.get(1).offset).isEqualTo(6L);
    }

    private static void assertFailed(Decoded<InteractionEvent> decoded, DeadLetterReason reason,
            String detail, byte[] bytes) {
        assertThat(decoded.isValid()).isFalse();
        assertThat(decoded.value).isNull();
        assertThat(decoded.failureReason).isEqualTo(reason);
        assertThat(decoded.failureDetail).contains(detail);
        assertThat(decoded.payload).isEqualTo(bytes);
        assertThat(decoded.key).isEqualTo("c1");
        assertThat(decoded.topic).isEqualTo("cx.interactions");
        assertThat(decoded.offset).isEqualTo(7L);
        assertThat(decoded.ingestedAt).isEqualTo(NOW);
    }

    private static byte[] zigZagVarint(long value) {
        long zigZag = (value << 1) ^ (value >> 63);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((zigZag & ~0x7FL) != 0) {
            out.write((int) ((zigZag & 0x7F) | 0x80));
            zigZag >>>= 7;
        }
        out.write((int) zigZag);
        return out.toByteArray();
    }
}
