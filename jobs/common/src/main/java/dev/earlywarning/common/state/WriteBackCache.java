package dev.earlywarning.common.state;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bounded cache of keyed state objects in front of the state backend, written back after an
 * entry leaves it (see below), when more than {@code maxDirty} entries have changed (the one
 * changed longest ago goes first), and when {@link #flush()} is called (from the operator's
 * {@code prepareSnapshotPreBarrier}, so every checkpoint still sees all changes).
 *
 * <p>Why: with RocksDB every state access costs a (de)serialization and a JNI call. A busy key
 * touched a hundred times between two checkpoints then costs one read and one write instead of a
 * hundred of each. The bound on changed entries bounds the work at the barrier, which stops the
 * task while it runs: every record waiting behind it, alerts included, waits that long. The cache
 * is not state of its own: it is empty after a restore and rebuilt from the backend on demand, so
 * it needs no snapshot and no schema.
 *
 * <p>Which entries stay (W-TinyLFU, as in Caffeine): a new key enters a small window kept in
 * least-recently-used order; when it leaves the window it displaces the least recently used entry
 * of the rest of the cache only if it was asked for more often lately ({@link FrequencySketch},
 * counted by {@link #get}); otherwise it is the one that goes. A run of keys seen once (the long
 * tail of quiet customers) then passes through the window instead of pushing busy customers out,
 * whose every return would cost a read and a write (replaying the benchmark load's customers, a
 * million with its skew, through 20,000 entries: 24.6% of look-ups miss instead of 29.5%). It also
 * keeps the heap small: customers seen once die young in the window instead of ageing into the
 * old generation.
 *
 * <p>Changed entries that leave are not written one by one: they wait, up to a quarter of
 * {@code maxDirty} (the capacity unless bounded lower), and are written together in the flush
 * order, or with the next flush. A key asked for
 * while it waits comes back from there without a read. Why: a write to RocksDB is an insert into a
 * skip list, and inserts in key order each start near where the last one ended, while an insert
 * at a random key searches from the top (see {@link StoredKeyOrder}).
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

    /** The window's share of the capacity: Caffeine's default, which suits skewed keys. */
    private static final int WINDOW_PERCENT = 1;

    private static final class Entry<K, V> {
        final K key;
        V value;
        boolean dirty;
        Queue<K, V> queue;
        Entry<K, V> before;
        Entry<K, V> after;

        Entry(K key, V value) {
            this.key = key;
            this.value = value;
        }
    }

    /** Entries in least-recently-used order, linked through the entries themselves. */
    private static final class Queue<K, V> {
        final int capacity;
        Entry<K, V> first;
        Entry<K, V> last;
        int size;

        Queue(int capacity) {
            this.capacity = capacity;
        }

        void addLast(Entry<K, V> entry) {
            entry.queue = this;
            entry.before = last;
            entry.after = null;
            if (last == null) {
                first = entry;
            } else {
                last.after = entry;
            }
            last = entry;
            size++;
        }

        void remove(Entry<K, V> entry) {
            if (entry.before == null) {
                first = entry.after;
            } else {
                entry.before.after = entry.after;
            }
            if (entry.after == null) {
                last = entry.before;
            } else {
                entry.after.before = entry.before;
            }
            entry.before = null;
            entry.after = null;
            entry.queue = null;
            size--;
        }

        void moveToLast(Entry<K, V> entry) {
            if (entry != last) {
                remove(entry);
                addLast(entry);
            }
        }
    }

    private final int maxDirty;
    /** Whether {@code maxDirty} can be reached before the cache is full (else it never is). */
    private final boolean dirtyBounded;
    private final Store<K, V> backend;
    private final HashMap<K, Entry<K, V>> entries;
    private final Queue<K, V> window;
    private final Queue<K, V> main;
    private final FrequencySketch frequencies;
    /**
     * The changed entries: least recently changed first when {@code maxDirty} bounds them, else
     * in the order they first changed (nothing reads that order then).
     */
    private final LinkedHashMap<K, Entry<K, V>> dirty;
    /** Changed entries that left the cache and wait to be written with others. */
    private final HashMap<K, Entry<K, V>> leaving;
    private final int leavingBatch;
    /** The order {@link #flush()} writes in, the backend's own if it has one; null: any. */
    private Comparator<? super K> flushOrder;
    private long hits;
    private long misses;
    private long writes;

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
        this.maxDirty = Math.min(maxDirty, capacity);
        this.dirtyBounded = this.maxDirty < capacity;
        this.backend = backend;
        this.entries = new HashMap<>(Math.min(capacity, 1 << 16));
        int windowCapacity = Math.max(1, capacity * WINDOW_PERCENT / 100);
        this.window = new Queue<>(windowCapacity);
        this.main = new Queue<>(capacity - windowCapacity);
        this.frequencies = new FrequencySketch(capacity);
        this.dirty = new LinkedHashMap<>(Math.min(this.maxDirty, 1 << 16), 0.75f, true);
        // At least two, so that even a cache of one entry exercises the wait.
        this.leavingBatch = Math.max(2, this.maxDirty / 4);
        this.leaving = new HashMap<>(Math.min(leavingBatch * 2, 1 << 16));
    }

    /**
     * Makes {@link #flush()}, and the batches of changed entries that left, write in {@code order}:
     * the order the backend keeps its keys in, if writing in it is cheaper (see
     * {@link StoredKeyOrder}).
     */
    public WriteBackCache<K, V> flushingInOrder(Comparator<? super K> order) {
        this.flushOrder = order;
        return this;
    }

    /** The value of {@code key}, from memory or loaded from the backend; null when it has none. */
    public V get(K key) throws Exception {
        frequencies.increment(key.hashCode());
        Entry<K, V> entry = entries.get(key);
        if (entry != null) {
            hits++;
            entry.queue.moveToLast(entry);
            return entry.value;
        }
        Entry<K, V> waiting = leaving.remove(key);
        if (waiting != null) {
            hits++;
            insert(waiting);
            dirty.put(key, waiting);
            return waiting.value;
        }
        misses++;
        V loaded = backend.load(key);
        if (loaded != null) {
            insert(new Entry<>(key, loaded));
        }
        return loaded;
    }

    /** Records that {@code value} is now the value of {@code key}; it is written back later. */
    public void put(K key, V value) throws Exception {
        Entry<K, V> entry = entries.get(key);
        if (entry == null) {
            // A value waiting to be written is superseded by this one.
            leaving.remove(key);
            entry = new Entry<>(key, value);
            insert(entry);
        } else {
            entry.value = value;
            entry.queue.moveToLast(entry);
        }
        // Unbounded, the order of the changed entries is never asked for: a listed one stays.
        if (!entry.dirty || dirtyBounded) {
            dirty.put(key, entry);
        }
        entry.dirty = true;
        if (dirty.size() > maxDirty) {
            Iterator<Map.Entry<K, Entry<K, V>>> eldest = dirty.entrySet().iterator();
            Entry<K, V> changedLongestAgo = eldest.next().getValue();
            eldest.remove();
            changedLongestAgo.dirty = false;
            write(changedLongestAgo);
        }
    }

    /** Forgets {@code key} without writing it back: its state ended, the caller clears the backend. */
    public void remove(K key) {
        Entry<K, V> entry = entries.remove(key);
        if (entry != null) {
            entry.queue.remove(entry);
            dirty.remove(key);
        }
        leaving.remove(key);
    }

    /**
     * Writes every changed entry to the backend, in the flush order if any: those in the cache,
     * which stay there, and those that left it.
     */
    public void flush() throws Exception {
        List<Entry<K, V>> changes = new ArrayList<>(dirty.size() + leaving.size());
        changes.addAll(dirty.values());
        changes.addAll(leaving.values());
        dirty.clear();
        leaving.clear();
        writeAll(changes);
    }

    /** Entries changed since they were last written, in the cache or waiting after leaving it. */
    public int dirtyCount() {
        return dirty.size() + leaving.size();
    }

    public int size() {
        return entries.size();
    }

    /** Look-ups answered from memory. */
    public long hits() {
        return hits;
    }

    /** Look-ups that read the backend. */
    public long misses() {
        return misses;
    }

    /** Values written to the backend. */
    public long writes() {
        return writes;
    }

    /**
     * A new entry joins the window; the one it pushes out of the window joins the rest of the
     * cache if there is room or if it is in more demand than the rest's least recently used entry,
     * and either that entry or it leaves the cache.
     */
    private void insert(Entry<K, V> entry) throws Exception {
        entries.put(entry.key, entry);
        window.addLast(entry);
        if (window.size <= window.capacity) {
            return;
        }
        Entry<K, V> candidate = window.first;
        window.remove(candidate);
        if (main.size < main.capacity) {
            main.addLast(candidate);
            return;
        }
        Entry<K, V> victim = main.first;
        if (victim != null && frequencies.frequency(candidate.key.hashCode())
                > frequencies.frequency(victim.key.hashCode())) {
            main.remove(victim);
            main.addLast(candidate);
            evict(victim);
        } else {
            evict(candidate);
        }
    }

    private void evict(Entry<K, V> entry) throws Exception {
        entries.remove(entry.key);
        if (entry.dirty) {
            dirty.remove(entry.key);
            leaving.put(entry.key, entry);
            if (leaving.size() >= leavingBatch) {
                List<Entry<K, V>> changes = new ArrayList<>(leaving.values());
                leaving.clear();
                writeAll(changes);
            }
        }
    }

    private void writeAll(List<Entry<K, V>> changes) throws Exception {
        if (flushOrder != null && changes.size() > 1) {
            changes.sort((a, b) -> flushOrder.compare(a.key, b.key));
        }
        for (Entry<K, V> changed : changes) {
            changed.dirty = false;
            write(changed);
        }
    }

    private void write(Entry<K, V> entry) throws Exception {
        writes++;
        backend.store(entry.key, entry.value);
    }
}
