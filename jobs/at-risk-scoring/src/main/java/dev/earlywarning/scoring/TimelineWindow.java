package dev.earlywarning.scoring;

import dev.earlywarning.common.serde.AvroRecordSerializer;
import dev.earlywarning.schema.TimelineEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The newest entries of one customer's timeline, encoded, in memory: a ring of {@code size}
 * entries, each appended entry pushing out the oldest.
 *
 * <p>Why encoded: a window is kept for as long as a cached customer's alert is open, which can be
 * many minutes; one small array per entry costs the garbage collector far less over that time than
 * the five objects of a decoded entry, and entries are decoded only when an alert is written.
 */
final class TimelineWindow {

    private static final AvroRecordSerializer<TimelineEntry> ENTRIES =
            new AvroRecordSerializer<>(TimelineEntry.class);

    private final byte[][] ring;
    private long appended;

    /** A window of the newest {@code size} of {@code entries} (oldest first). */
    TimelineWindow(List<TimelineEntry> entries, int size) {
        this(size);
        for (TimelineEntry entry : entries) {
            add(entry);
        }
    }

    private TimelineWindow(int size) {
        ring = new byte[size][];
    }

    /** Writes the window as it is: its size, then its encoded entries, oldest first. */
    void writeTo(DataOutputView out) throws IOException {
        int count = (int) Math.min(appended, ring.length);
        out.writeInt(ring.length);
        out.writeInt(count);
        for (long i = appended - count; i < appended; i++) {
            byte[] entry = ring[(int) (i % ring.length)];
            out.writeInt(entry.length);
            out.write(entry);
        }
    }

    static TimelineWindow readFrom(DataInputView in) throws IOException {
        TimelineWindow window = new TimelineWindow(in.readInt());
        for (int count = in.readInt(); window.appended < count; window.appended++) {
            byte[] entry = new byte[in.readInt()];
            in.readFully(entry);
            window.ring[(int) window.appended] = entry;
        }
        return window;
    }

    int size() {
        return ring.length;
    }

    void add(TimelineEntry entry) {
        DataOutputSerializer out = new DataOutputSerializer(128);
        try {
            ENTRIES.serialize(entry, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a timeline entry", e);
        }
        ring[(int) (appended++ % ring.length)] = out.getCopyOfBuffer();
    }

    /** The entries, oldest first: a new list the caller may change. */
    List<TimelineEntry> entries() {
        int count = (int) Math.min(appended, ring.length);
        List<TimelineEntry> entries = new ArrayList<>(count);
        DataInputDeserializer in = new DataInputDeserializer();
        for (long i = appended - count; i < appended; i++) {
            in.setBuffer(ring[(int) (i % ring.length)]);
            try {
                entries.add(ENTRIES.deserialize(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot decode a timeline entry", e);
            }
        }
        return entries;
    }
}
