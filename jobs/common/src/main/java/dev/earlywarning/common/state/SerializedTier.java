package dev.earlywarning.common.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A second, serialized tier behind a {@link WriteBackCache}: values the cache let go of, kept as
 * bytes, so that their next use costs a hash look-up and a deserialization instead of a state
 * backend read. With RocksDB such a read (a JNI call, the memtables, a bloom filter and a block
 * look-up per level) costs about ten times the deserialization of a compact value.
 *
 * <p>It holds only values the backend holds too (the cache writes a changed value back before it
 * lets it go), so it needs no snapshot: it is empty after a restore and is never the only copy.
 * A value is taken out when it is used (it lives in the cache then).
 *
 * <p>Layout: one byte array used as a ring (new entries at the head, the oldest forgotten at the
 * tail) and an open-addressing index from a 64-bit hash of the key to an entry's position. No
 * object per entry: a map of hundreds of thousands of small arrays made the garbage collector
 * promote and scan each of them, which cost as much as the reads the tier saved.
 *
 * <p>Not thread-safe: it belongs to one operator instance and is used on its task thread only.
 */
public final class SerializedTier<V> {

    /** How a value is written to the tier's bytes and read back. */
    public interface Codec<V> {
        void write(V value, DataOutputView out) throws IOException;

        V read(DataInputView in) throws IOException;
    }

    /** Entry: its length (int), the key's hash (long), the key's length in chars (short). */
    private static final int HEADER = 4 + 8 + 2;
    /** In place of an entry's length: the rest of the ring is unused, go on at its start. */
    private static final int WRAP = -1;
    /** The index has a slot for an entry of this size per byte of the ring, at most half full. */
    private static final int BYTES_PER_INDEXED_ENTRY = 128;

    private final int capacityBytes;
    private final int maxEntries;
    /** Allocated on the first put: a job whose customers all fit its cache never needs them. */
    private byte[] ring;
    private long[] hashes;
    /** Absolute position of the entry plus one; 0 marks an empty slot. */
    private long[] positions;
    private int mask;
    private final Codec<V> codec;
    private final DataOutputSerializer out = new DataOutputSerializer(256);
    private final DataInputDeserializer in = new DataInputDeserializer();
    /** Absolute positions (they only grow): the next entry goes at the head. */
    private long head;
    private long tail;
    private int entries;
    private long hits;

    /**
     * A tier of {@code capacityBytes} of entries (allocated when first used), with an index of a
     * quarter of that again; 0 keeps none.
     */
    public SerializedTier(int capacityBytes, TypeSerializer<V> serializer) {
        this(capacityBytes, new Codec<>() {
            @Override
            public void write(V value, DataOutputView out) throws IOException {
                serializer.serialize(value, out);
            }

            @Override
            public V read(DataInputView in) throws IOException {
                return serializer.deserialize(in);
            }
        });
    }

    public SerializedTier(int capacityBytes, Codec<V> codec) {
        if (capacityBytes < 0) {
            throw new IllegalArgumentException(
                    "capacity must not be negative, was " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
        this.maxEntries = capacityBytes / BYTES_PER_INDEXED_ENTRY;
        this.codec = codec;
    }

    /** The ring and an index with a power-of-two number of slots, at most half of them used. */
    private void allocate() {
        ring = new byte[capacityBytes];
        int slots = Integer.highestOneBit(2 * maxEntries - 1) << 1;
        hashes = new long[slots];
        positions = new long[slots];
        mask = slots - 1;
    }

    /** Keeps a serialized copy of {@code value}, the current value of {@code key}. */
    public void put(String key, V value) {
        if (maxEntries == 0) {
            return;
        }
        if (ring == null) {
            allocate();
        }
        long hash = Hash64.of(key);
        int slot = find(hash, key);
        if (slot >= 0) {
            delete(slot);
        }
        try {
            out.clear();
            codec.write(value, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize the value of " + key, e);
        }
        int length = HEADER + 2 * key.length() + out.length();
        if (length > ring.length / 4 || key.length() > 0xffff) {
            return;
        }
        int offset = offset(head);
        long start = ring.length - offset < length ? head + (ring.length - offset) : head;
        while (start + length - tail > ring.length || entries >= maxEntries) {
            forgetOldest();
        }
        if (start != head && ring.length - offset >= 4) {
            writeInt(offset, WRAP);
        }
        write(offset(start), length, hash, key);
        insert(hash, start);
        head = start + length;
    }

    /** The value of {@code key}, removed from the tier, or null when the tier does not hold it. */
    public V take(String key) {
        if (ring == null) {
            return null;
        }
        int slot = find(Hash64.of(key), key);
        if (slot < 0) {
            return null;
        }
        int offset = offset(positions[slot] - 1);
        int valueAt = offset + HEADER + 2 * key.length();
        in.setBuffer(ring, valueAt, offset + readInt(offset) - valueAt);
        delete(slot);
        hits++;
        try {
            return codec.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kept value of " + key, e);
        }
    }

    /** Forgets {@code key}: its state ended. */
    public void remove(String key) {
        if (ring != null) {
            int slot = find(Hash64.of(key), key);
            if (slot >= 0) {
                delete(slot);
            }
        }
    }

    public int size() {
        return entries;
    }

    public long hits() {
        return hits;
    }

    /** Moves the tail past the oldest entry, dropping it from the index if it is still there. */
    private void forgetOldest() {
        int offset = offset(tail);
        if (ring.length - offset < HEADER || readInt(offset) == WRAP) {
            tail += ring.length - offset;
            return;
        }
        long hash = readLong(offset + 4);
        for (int slot = (int) hash & mask; positions[slot] != 0; slot = (slot + 1) & mask) {
            if (positions[slot] == tail + 1) {
                delete(slot);
                break;
            }
        }
        tail += readInt(offset);
    }

    private int find(long hash, String key) {
        for (int slot = (int) hash & mask; positions[slot] != 0; slot = (slot + 1) & mask) {
            if (hashes[slot] == hash && keyAt(offset(positions[slot] - 1), key)) {
                return slot;
            }
        }
        return -1;
    }

    private void insert(long hash, long position) {
        int slot = (int) hash & mask;
        while (positions[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        hashes[slot] = hash;
        positions[slot] = position + 1;
        entries++;
    }

    /** Empties {@code slot}, moving later entries of its probe sequence back (no tombstones). */
    private void delete(int slot) {
        int empty = slot;
        for (int next = (empty + 1) & mask; positions[next] != 0; next = (next + 1) & mask) {
            int home = (int) hashes[next] & mask;
            boolean movable = empty <= next
                    ? home <= empty || home > next
                    : home <= empty && home > next;
            if (movable) {
                hashes[empty] = hashes[next];
                positions[empty] = positions[next];
                empty = next;
            }
        }
        positions[empty] = 0;
        entries--;
    }

    private boolean keyAt(int offset, String key) {
        if (readShort(offset + 12) != key.length()) {
            return false;
        }
        int at = offset + HEADER;
        for (int i = 0; i < key.length(); i++, at += 2) {
            if ((char) (((ring[at] & 0xff) << 8) | (ring[at + 1] & 0xff)) != key.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void write(int offset, int length, long hash, String key) {
        writeInt(offset, length);
        for (int i = 0; i < 8; i++) {
            ring[offset + 4 + i] = (byte) (hash >>> (56 - 8 * i));
        }
        ring[offset + 12] = (byte) (key.length() >>> 8);
        ring[offset + 13] = (byte) key.length();
        int at = offset + HEADER;
        for (int i = 0; i < key.length(); i++, at += 2) {
            ring[at] = (byte) (key.charAt(i) >>> 8);
            ring[at + 1] = (byte) key.charAt(i);
        }
        System.arraycopy(out.getSharedBuffer(), 0, ring, at, out.length());
    }

    private int offset(long position) {
        return (int) (position % ring.length);
    }

    private void writeInt(int offset, int value) {
        ring[offset] = (byte) (value >>> 24);
        ring[offset + 1] = (byte) (value >>> 16);
        ring[offset + 2] = (byte) (value >>> 8);
        ring[offset + 3] = (byte) value;
    }

    private int readInt(int offset) {
        return ((ring[offset] & 0xff) << 24) | ((ring[offset + 1] & 0xff) << 16)
                | ((ring[offset + 2] & 0xff) << 8) | (ring[offset + 3] & 0xff);
    }

    private int readShort(int offset) {
        return ((ring[offset] & 0xff) << 8) | (ring[offset + 1] & 0xff);
    }

    private long readLong(int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (ring[offset + i] & 0xff);
        }
        return value;
    }
}
