package dev.earlywarning.common.state;

import static dev.earlywarning.common.state.CompactFormat.readString;
import static dev.earlywarning.common.state.CompactFormat.readVarInt;
import static dev.earlywarning.common.state.CompactFormat.writeString;
import static dev.earlywarning.common.state.CompactFormat.writeVarInt;

import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.TimelineEntry;
import java.io.IOException;
import java.time.Instant;
import java.util.Objects;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializerSnapshot;

/**
 * A {@link TimelineEntry} as the timeline logs keep it, written by hand because every written
 * customer appends entries and every alert reads the whole log. Flink's Avro serializer resolves
 * the schema for every record and writes four bytes for the channel, the union branch and each
 * string length: a typical entry (a contact with a one-line summary) takes 156 bytes here, 171
 * there.
 *
 * <p>Each value starts with its format number, so a release that adds a field writes a new format
 * and still reads the old ones. Logs written by the Avro serializer of earlier releases are
 * migrated when restored ({@link Snapshot#resolveSchemaCompatibility}).
 */
public final class TimelineEntrySerializer extends CompactStateSerializer<TimelineEntry> {

    private static final long serialVersionUID = 1L;
    public static final TimelineEntrySerializer INSTANCE = new TimelineEntrySerializer();
    private static final int FORMAT = 1;
    /** {@code Channel.values()} copies the array on every call. */
    private static final Channel[] CHANNELS = Channel.values();

    @Override
    public TimelineEntry createInstance() {
        return new TimelineEntry();
    }

    /** A new entry (for the heap backend, which keeps the objects it is given). */
    @Override
    public TimelineEntry copy(TimelineEntry from) {
        return new TimelineEntry(from.getAt(), from.getChannel(), from.getType(),
                from.getSummary(), from.getEventId());
    }

    /** Refuses a null where the schema has none, as Avro did: no alert could carry that entry. */
    @Override
    public void serialize(TimelineEntry entry, DataOutputView out) throws IOException {
        out.writeByte(FORMAT);
        out.writeLong(Objects.requireNonNull(entry.getAt(), "a timeline entry without its time")
                .toEpochMilli());
        writeVarInt(Objects.requireNonNull(entry.getChannel(),
                "a timeline entry without its channel").ordinal(), out);
        writeString(Objects.requireNonNull(entry.getType(), "a timeline entry without its type"),
                out);
        writeString(Objects.requireNonNull(entry.getSummary(),
                "a timeline entry without its summary"), out);
        writeString(entry.getEventId(), out);
    }

    @Override
    public TimelineEntry deserialize(DataInputView in) throws IOException {
        int format = in.readUnsignedByte();
        if (format != FORMAT) {
            throw new IOException("timeline entry in format " + format + ", unknown to this"
                    + " release (format " + FORMAT + ")");
        }
        Instant at = Instant.ofEpochMilli(in.readLong());
        int channel = readVarInt(in);
        if (channel >= CHANNELS.length) {
            throw new IOException("timeline entry of channel " + channel + ", unknown to this"
                    + " release (" + CHANNELS.length + " channels)");
        }
        String type = readString(in);
        String summary = readString(in);
        return new TimelineEntry(at, CHANNELS[channel], type, summary, readString(in));
    }

    @Override
    public TypeSerializerSnapshot<TimelineEntry> snapshotConfiguration() {
        return new Snapshot();
    }

    /**
     * Accepts its own snapshots as they are (the format number inside each value does the rest)
     * and the snapshot of the Avro serializer of earlier releases after migration: Flink then
     * reads every stored entry with the old serializer and writes it with this one, once, on
     * restore.
     */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<TimelineEntry> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<TimelineEntry> resolveSchemaCompatibility(
                TypeSerializerSnapshot<TimelineEntry> oldSnapshot) {
            if (oldSnapshot instanceof AvroSerializerSnapshot<TimelineEntry> avro
                    && readsTimelineEntries(avro)) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(oldSnapshot);
        }

        /**
         * Whether the old serializer reads its values into this build's class (the migration
         * hands them to {@link #serialize}): an Avro snapshot of another class, or of generic
         * records, or of a schema Avro cannot resolve against this build's, is refused here
         * rather than halfway through the restore.
         */
        private static boolean readsTimelineEntries(AvroSerializerSnapshot<TimelineEntry> avro) {
            return avro.restoreSerializer() instanceof AvroSerializer<TimelineEntry> old
                    && old.getType() == TimelineEntry.class
                    && !new AvroSerializer<>(TimelineEntry.class).snapshotConfiguration()
                            .resolveSchemaCompatibility(avro).isIncompatible();
        }
    }
}
