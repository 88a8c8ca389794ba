package dev.earlywarning.common.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.common.kafka.AvroCodec;
import dev.earlywarning.common.testing.Interactions;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertAck;
import dev.earlywarning.schema.CallbackEvent;
import dev.earlywarning.schema.ControlCommand;
import dev.earlywarning.schema.DeadLetter;
import dev.earlywarning.schema.DisruptionEvent;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.ShipmentEvent;
import dev.earlywarning.schema.TimelineEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.RandomData;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class AvroRecordSerializerTest {

    static Stream<Class<? extends SpecificRecord>> contractRecords() {
        return Stream.of(InteractionEvent.class, Alert.class, AlertAck.class, CallbackEvent.class,
                ShipmentEvent.class, DisruptionEvent.class, ControlCommand.class,
                DeadLetter.class, TimelineEntry.class);
    }

    @ParameterizedTest
    @MethodSource("contractRecords")
    <T extends SpecificRecord> void randomRecordsOfEveryContractTypeComeBackEqual(Class<T> type)
            throws IOException {
        AvroRecordSerializer<T> serializer = new AvroRecordSerializer<>(type);
        AvroCodec<T> codec = new AvroCodec<>(type);
        DataOutputSerializer out = new DataOutputSerializer(256);
        List<T> records = randomRecords(type, 2_000);
        for (T record : records) {
            serializer.serialize(record, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getSharedBuffer(), 0,
                out.length());
        for (T record : records) {
            T back = serializer.deserialize(in);
            assertThat(back).isEqualTo(record);
            // Equality of generated records skips nothing, but the wire format says it all.
            assertThat(codec.encode(back)).isEqualTo(codec.encode(record));
        }
        assertThat(in.available()).isZero();
    }

    @Test
    void absentOptionalFieldsStayAbsentAndCopiesAreIndependent() throws IOException {
        InteractionEvent event = Interactions.event("e1", "alice").build();
        AvroRecordSerializer<InteractionEvent> serializer =
                new AvroRecordSerializer<>(InteractionEvent.class);
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(event, out);

        InteractionEvent back = serializer.deserialize(
                new DataInputDeserializer(out.getCopyOfBuffer()));
        InteractionEvent copy = serializer.copy(event);
        copy.setCustomerId("bob");

        assertThat(back).isEqualTo(event);
        assertThat(event.getCustomerId()).isEqualTo("alice");
    }

    @Test
    void aSnapshotRestoresTheSerializerAndAcceptsOnlyTheSameSchema() throws IOException {
        TypeSerializer<Alert> serializer = new AvroRecordTypeInfo<>(Alert.class)
                .createSerializer(null);
        TypeSerializerSnapshot<Alert> written = serializer.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(1024);
        written.writeSnapshot(out);

        AvroRecordSerializerSnapshot<Alert> read = new AvroRecordSerializerSnapshot<>();
        read.readSnapshot(written.getCurrentVersion(),
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());

        assertThat(read.restoreSerializer()).isEqualTo(serializer);
        assertThat(read.resolveSchemaCompatibility(written).isCompatibleAsIs()).isTrue();
        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeSerializerSnapshot<Alert> other = (TypeSerializerSnapshot) new AvroRecordSerializer<>(
                AlertAck.class).snapshotConfiguration();
        assertThat(read.resolveSchemaCompatibility(other).isIncompatible()).isTrue();
    }

    /** Avro's random data of the schema, read into the generated class as a consumer would. */
    private static <T extends SpecificRecord> List<T> randomRecords(Class<T> type, int count)
            throws IOException {
        Schema schema = SpecificData.get().getSchema(type);
        GenericDatumWriter<Object> writer = new GenericDatumWriter<>(schema);
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(type);
        List<T> records = new ArrayList<>();
        for (Object datum : new RandomData(schema, count, 42L)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            writer.write(datum, encoder);
            encoder.flush();
            records.add(reader.read(null,
                    DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null)));
        }
        return records;
    }
}
