package dev.earlywarning.common.state;

import static dev.earlywarning.common.testing.SerializedForm.bytes;
import static dev.earlywarning.common.testing.SerializedForm.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.TimelineEntry;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializerSnapshot;
import org.apache.flink.util.StringUtils;
import org.junit.jupiter.api.Test;

class TimelineEntrySerializerTest {

    private static final TimelineEntrySerializer SERIALIZER = TimelineEntrySerializer.INSTANCE;
    /** What the timeline logs of earlier releases were written with. */
    private static final AvroSerializer<TimelineEntry> AVRO =
            new AvroSerializer<>(TimelineEntry.class);

    @Test
    void randomEntriesComeBackAsTheyWereAndAsAvroReadsThem() throws IOException {
        List<TimelineEntry> entries = randomEntries(new Random(11), 3_000);
        // One buffer for all: each value must end where the next begins, as in a RocksDB list.
        DataOutputSerializer out = new DataOutputSerializer(4096);
        for (TimelineEntry entry : entries) {
            SERIALIZER.serialize(entry, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getSharedBuffer(), 0,
                out.length());
        for (TimelineEntry entry : entries) {
            TimelineEntry back = SERIALIZER.deserialize(in);
            assertThat(back).isEqualTo(entry).isEqualTo(roundTrip(AVRO, entry));
            assertThat(back.getEventId()).isEqualTo(entry.getEventId());
        }
        assertThat(in.available()).isZero();
    }

    @Test
    void everyEntryTakesFewerBytesThanWithAvro() throws IOException {
        // Flink's Avro encoder writes four bytes for the channel, the union branch and each
        // string length; this format one or two for each (the values between are the same).
        TimelineEntry typical = new TimelineEntry(Instant.parse("2025-03-14T09:26:53.589Z"),
                Channel.PHONE, "CONTACT_STARTED",
                "contact started (case K-20417), agent a-117, waited 14 min: \"my refund is"
                        + " still missing\"", "evt-5f0c2d61-8b1e-4c4a-9d57-3a1f00c2b7e9");
        int compact = bytes(SERIALIZER, typical).length;
        int avro = bytes(AVRO, typical).length;
        assertThat(compact).as("%d bytes against %d", compact, avro).isEqualTo(avro - 15);

        // Even with three-byte string lengths (16 KB summaries) and the format number.
        for (TimelineEntry entry : randomEntries(new Random(5), 2_000)) {
            assertThat(bytes(SERIALIZER, entry).length).isLessThanOrEqualTo(
                    bytes(AVRO, entry).length - 7);
        }
    }

    @Test
    void copiesAreNewEntries() {
        TimelineEntry entry = randomEntries(new Random(3), 1).get(0);
        TimelineEntry copy = SERIALIZER.copy(entry);
        copy.setSummary("changed");
        assertThat(copy).isNotSameAs(entry);
        assertThat(entry.getSummary()).isNotEqualTo("changed");
        assertThat(SERIALIZER.copy(entry)).isEqualTo(entry);
    }

    @Test
    void aNullTheSchemaDoesNotAllowIsRefused() {
        TimelineEntry untyped =
                new TimelineEntry(Instant.EPOCH, Channel.CHAT, "MESSAGE", "hi", null);
        untyped.setType(null);
        assertThatThrownBy(() -> SERIALIZER.serialize(untyped, new DataOutputSerializer(64)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("type");
    }

    @Test
    void aValueOfAnUnknownFormatOrChannelIsRefusedNotMisread() {
        byte[] newer = {(byte) 99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0};
        assertThatThrownBy(() -> SERIALIZER.deserialize(new DataInputDeserializer(newer)))
                .isInstanceOf(IOException.class).hasMessageContaining("format 99");
        byte[] unknownChannel = {1, 0, 0, 0, 0, 0, 0, 0, 0, 100, 1, 1, 0};
        assertThatThrownBy(() -> SERIALIZER.deserialize(new DataInputDeserializer(unknownChannel)))
                .isInstanceOf(IOException.class).hasMessageContaining("channel 100");
    }

    @Test
    void acceptsItsOwnSnapshotAsIsAndAvrosOfTimelineEntriesAfterMigration() throws IOException {
        TypeSerializerSnapshot<TimelineEntry> own = restored(SERIALIZER.snapshotConfiguration());
        TypeSerializerSnapshot<TimelineEntry> current = new TimelineEntrySerializer.Snapshot();

        assertThat(own.restoreSerializer()).isSameAs(SERIALIZER);
        assertThat(current.resolveSchemaCompatibility(own).isCompatibleAsIs()).isTrue();
        assertThat(current.resolveSchemaCompatibility(restored(AVRO.snapshotConfiguration()))
                .isCompatibleAfterMigration()).isTrue();
    }

    @Test
    void refusesAvroSnapshotsOfAnythingButTimelineEntries() throws IOException {
        TypeSerializerSnapshot<TimelineEntry> current = SERIALIZER.snapshotConfiguration();
        TypeSerializerSnapshot<TimelineEntry> alerts = restored(
                retyped(new AvroSerializer<>(Alert.class).snapshotConfiguration()));
        // The same schema, read as generic records: the migration could not write them here.
        TypeSerializerSnapshot<TimelineEntry> generic = restored(retyped(new AvroSerializer<>(
                GenericRecord.class, TimelineEntry.getClassSchema()).snapshotConfiguration()));

        assertThat(current.resolveSchemaCompatibility(alerts).isIncompatible()).isTrue();
        assertThat(current.resolveSchemaCompatibility(generic).isIncompatible()).isTrue();
        // The right class, but written with a schema this build's cannot read.
        Schema schema = TimelineEntry.getClassSchema();
        Schema intTypes = Schema.createRecord(schema.getName(), null, schema.getNamespace(),
                false, schema.getFields().stream().map(field -> new Schema.Field(field,
                        field.name().equals("type") ? Schema.create(Schema.Type.INT)
                                : field.schema())).toList());
        assertThat(current.resolveSchemaCompatibility(avroSnapshot(TimelineEntry.class.getName(),
                intTypes.toString())).isIncompatible()).isTrue();
    }

    /** Entries of every channel, with and without event ids, of any text from empty to long. */
    static List<TimelineEntry> randomEntries(Random random, int count) {
        Channel[] channels = Channel.values();
        List<TimelineEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long at = switch (i % 50) {
                case 0 -> Long.MIN_VALUE;
                case 1 -> Long.MAX_VALUE;
                case 2 -> 0;
                default -> random.nextLong(-2_000_000_000_000L, 4_000_000_000_000L);
            };
            entries.add(new TimelineEntry(Instant.ofEpochMilli(at), channels[i % channels.length],
                    text(random, 1 + random.nextInt(20)), text(random, random.nextInt(
                            i % 10 == 0 ? 5_000 : 130)),
                    random.nextInt(3) == 0 ? null : text(random, random.nextInt(60))));
        }
        return entries;
    }

    /** ASCII, accented Latin, CJK and emoji (two UTF-16 units, four UTF-8 bytes). */
    private static String text(Random random, int codePoints) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            text.appendCodePoint(switch (random.nextInt(6)) {
                case 0 -> 0xE0 + random.nextInt(0x20);
                case 1 -> 0x4E00 + random.nextInt(0x5000);
                case 2 -> 0x1F600 + random.nextInt(0x50);
                default -> 0x20 + random.nextInt(0x5F);
            });
        }
        return text.toString();
    }



    /** As a restore reads it from a savepoint. */
    private static TypeSerializerSnapshot<TimelineEntry> restored(
            TypeSerializerSnapshot<TimelineEntry> snapshot) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        return TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()),
                TimelineEntrySerializerTest.class.getClassLoader());
    }

    /** An Avro snapshot of {@code className} with {@code schema}, in Flink's format 3. */
    private static TypeSerializerSnapshot<TimelineEntry> avroSnapshot(String className,
            String schema) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        StringUtils.writeString(className, out);
        StringUtils.writeString(schema, out);
        AvroSerializerSnapshot<TimelineEntry> snapshot = new AvroSerializerSnapshot<>();
        snapshot.readSnapshot(3, new DataInputDeserializer(out.getCopyOfBuffer()),
                TimelineEntrySerializerTest.class.getClassLoader());
        return snapshot;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static TypeSerializerSnapshot<TimelineEntry> retyped(TypeSerializerSnapshot<?> other) {
        return (TypeSerializerSnapshot) other;
    }
}
