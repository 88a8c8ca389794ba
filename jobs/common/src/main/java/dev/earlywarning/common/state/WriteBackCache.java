package dev.earlywarning.common.state;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded, least-recently-used cache of keyed state objects in front of the state backend,
 * written back when an entry is evicted, when more than {@code maxDirty} entries have changed
 * (the one changed longest ago goes first), and when {@link #flush()} is called (from the
 * operator's {@code prepareSnapshotPreBarrier}, so every checkpoint still sees all changes).
 *
 * <p>Why: with RocksDB every state access costs a (de)serialization and a JNI call. A busy key
 * touched a hundred times between two checkpoints then costs one read and one write instead of a
 * hundred of each. The bound on changed entries bounds the work at the barrier, which stops the
 * task while it runs: every record waiting behind it, alerts included, waits that long. The cache
 * is not state of its own: it is empty after a restore and rebuilt from
 * the backend on demand, so it needs no snapshot and no schema.
 *
 * <p>Not thread-safe: it belongs to one operator instance and is used on its task thread only.
 */
public final class WriteBackCache<K, V> {

    /** Reads and writes one key's value in the state backend (switching the key context itself). */
    public interface Store<K, V> {
        /** The stored value of {@code key}, or null when none. */
        V load(K key) throws Exception;

        void store(K key, V value) throws Exception;
    }

    private static final class Entry<V> {
        final V value;
        boolean dirty;

        Entry(V value) {
            this.value = value;
        }
    }

    private final int capacity;
    private final int maxDirty;
    private final Store<K, V> backend;
    private final LinkedHashMap<K, Entry<V>> entries;
    /** The changed entries, least recently changed first. */
    private final LinkedHashMap<K, Entry<V>> dirty;
    private long hits;
    private long misses;

    public WriteBackCache(int capacity, Store<K, V> backend) {
        this(capacity, capacity, backend);
    }

    public WriteBackCache(int capacity, int maxDirty, Store<K, V> backend) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        if (maxDirty < 1) {
            throw new IllegalArgumentException("maxDirty must be at least 1, was " + maxDirty);
        }
        this.capacity = capacity;
        this.maxDirty = Math.min(maxDirty, capacity);
        this.backend = backend;
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, true);
        this.dirty = new LinkedHashMap<>(Math.min(this.maxDirty, 1 << 16), 0.75f, true);
    }

    /** The value of {@code key}, from memory or loaded from the backend; null when it has none. */
    public V get(K key) throws Exception {
        Entry<V> entry = entries.get(key);
        if (entry != null) {
            hits++;
            return entry.value;
        }
        misses++;
        V loaded = backend.load(key);
        if (loaded != null) {
            insert(key, new Entry<>(loaded));
        }
        return loaded;
    }

    /** Records that {@code value} is now the value of {@code key}; it is written back later. */
    public void put(K key, V value) throws Exception {
        Entry<V> entry = entries.get(key);
        if (entry == null || entry.value != value) {
            if (entry != null && entry.dirty) {
                dirty.remove(key);
            }
            entry = new Entry<>(value);
            insert(key, entry);
        }
        entry.dirty = true;
        dirty.put(key, entry);
        if (dirty.size() > maxDirty) {
            Iterator<Map.Entry<K, Entry<V>>> eldest = dirty.entrySet().iterator();
            Map.Entry<K, Entry<V>> changedLongestAgo = eldest.next();
            eldest.remove();
            changedLongestAgo.getValue().dirty = false;
            backend.store(changedLongestAgo.getKey(), changedLongestAgo.getValue().value);
        }
    }

    /** Forgets {@code key} without writing it back: its state ended, the caller clears the backend. */
    public void remove(K key) {
        entries.remove(key);
        dirty.remove(key);
    }

    /** Writes every changed entry to the backend; the entries stay cached. */
    public void flush() throws Exception {
        for (Map.Entry<K, Entry<V>> changed : dirty.entrySet()) {
            changed.getValue().dirty = false;
            backend.store(changed.getKey(), changed.getValue().value);
        }
        dirty.clear();
    }

    /** Entries changed since they were last written. */
    public int dirtyCount() {
        return dirty.size();
    }

    public int size() {
        return entries.size();
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    private void insert(K key, Entry<V> entry) throws Exception {
        entries.put(key, entry);
        if (entries.size() > capacity) {
            Iterator<Map.Entry<K, Entry<V>>> eldest = entries.entrySet().iterator();
            Map.Entry<K, Entry<V>> evicted = eldest.next();
            eldest.remove();
            if (evicted.getValue().dirty) {
                dirty.remove(evicted.getKey());
                evicted.getValue().dirty = false;
                backend.store(evicted.getKey(), evicted.getValue().value);
            }
        }
    }
}
