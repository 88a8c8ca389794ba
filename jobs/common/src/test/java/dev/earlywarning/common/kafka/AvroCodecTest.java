package dev.earlywarning.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.earlywarning.common.testing.Interactions;
import dev.earlywarning.schema.AckAction;
import dev.earlywarning.schema.AlertAck;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.DeadLetter;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import dev.earlywarning.schema.SurveyKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

class AvroCodecTest {

    private static final AvroCodec<InteractionEvent> CODEC = new AvroCodec<>(InteractionEvent.class);

    static InteractionEvent everyField() {
        return Interactions.event("e-42", "cust-7")
                .channel(Channel.SURVEY).survey(SurveyKind.NPS, 3)
                .at(Instant.parse("2025-03-03T10:15:30.123Z"))
                .caseId("K-9").agentId("a-17").waitSeconds(95).handleSeconds(300)
                .sentiment(-0.6f).text("Still no refund – third time asking")
                .customerName("Ana").region("eu-west").attribute("queue", "billing")
                .build();
    }

    @Test
    void roundTripKeepsEveryField() throws Exception {
        InteractionEvent event = everyField();

        assertThat(CODEC.decode(CODEC.encode(event))).isEqualTo(event);
    }

    @Test
    void writesTheSingleObjectEncodingOfTheContract() throws Exception {
        byte[] bytes = CODEC.encode(Interactions.event("e1", "c1").build());

        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(fingerprint).isEqualTo(
                SchemaNormalization.parsingFingerprint64(InteractionEvent.getClassSchema()));
        // Interoperates with the generated classes' own encoding, which outside clients use.
        assertThat(ByteBuffer.wrap(bytes))
                .isEqualTo(Interactions.event("e1", "c1").build().toByteBuffer());
    }

    @Test
    void roundTripsRecordsWithBytesFields() throws Exception {
        AvroCodec<DeadLetter> codec = new AvroCodec<>(DeadLetter.class);
        DeadLetter letter = DeadLetters.build("job", "cx.interactions", 1, 77L, "c1",
                "undecodable: empty value", new byte[] {1, 2, 3});

        DeadLetter copy = codec.decode(codec.encode(letter));

        assertThat(copy).isEqualTo(letter);
        assertThat(copy.getPayload().array()).containsExactly(1, 2, 3);
    }

    @Test
    void aRecordOfAnotherTopicIsAnUnknownSchemaNotAMisreadRecord() {
        AvroCodec<AlertAck> acks = new AvroCodec<>(AlertAck.class);
        byte[] ack = acks.encode(AlertAck.newBuilder().setAlertId("a1").setCustomerId("c1")
                .setResponder("r1").setAction(AckAction.ACKNOWLEDGED)
                .setOccurredAt(Interactions.T0).build());

        AvroCodec.DecodeException e =
                catchThrowableOfType(AvroCodec.DecodeException.class, () -> CODEC.decode(ack));

        assertThat(e.reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
        assertThat(e.getMessage()).contains("AlertAck", "InteractionEvent");
    }

    @Test
    void worksAfterJavaSerializationAsOnATaskManager() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            CODEC.encode(everyField()); // builds the transient Avro machinery before shipping
            out.writeObject(CODEC);
        }
        @SuppressWarnings("unchecked")
        AvroCodec<InteractionEvent> shipped = (AvroCodec<InteractionEvent>) new ObjectInputStream(
                new ByteArrayInputStream(bytes.toByteArray())).readObject();

        assertThat(shipped.type()).isEqualTo(InteractionEvent.class);
        assertThat(shipped.decode(CODEC.encode(everyField()))).isEqualTo(everyField());
        assertThat(CODEC.decode(shipped.encode(everyField())).getType())
                .isEqualTo(InteractionType.SURVEY_RESPONSE);
    }
}
