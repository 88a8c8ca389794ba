package dev.earlywarning.common.state;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.state.ListState;

/**
 * The newest entries of one key's log (a customer's timeline), kept in a {@link ListState}:
 * appended with one write, read with one read, and cut back to its bound only when it has grown
 * to twice that.
 *
 * <p>Why a list and not a ring of slots in a map: on RocksDB a list append is a merge (no read),
 * several entries appended together are one merge, and reading the whole log is one get; a ring
 * costs a put per entry and an iterator (a seek through every level) per read. The log itself does
 * not know how many entries it holds; the caller keeps that count in its own state, so appending
 * never needs a read.
 */
public final class BoundedLog<T> {

    private final ListState<T> backend;

    public BoundedLog(ListState<T> backend) {
        this.backend = backend;
    }

    /**
     * Appends {@code entries} (oldest first) to the current key's log, which holds {@code stored}
     * entries; returns how many it holds afterwards (see {@link #countAfter}).
     */
    public int append(List<T> entries, int stored, int bound) throws Exception {
        return append(entries, entries.size(), stored, bound);
    }

    /**
     * Appends the newest of {@code appended} entries, {@code entries} (a burst's older ones may
     * have been dropped, see {@link LogTail}), leaving the log as appending each of them at once
     * would have: the newest {@link #countAfter} entries.
     */
    public int append(List<T> entries, int appended, int stored, int bound) throws Exception {
        int count = countAfter(stored, appended, bound);
        if (appended == 0) {
            return stored;
        }
        if (count == stored + appended) {
            backend.addAll(entries);
            return count;
        }
        List<T> all = entries;
        if (entries.size() < count) {
            all = read();
            all.addAll(entries);
        }
        backend.update(new ArrayList<>(newest(all, count)));
        return count;
    }

    /**
     * How many entries a log of {@code stored} holds after {@code appended} more, appended one at
     * a time: an append to a log of twice the bound cuts it back to the newest {@code bound}. The
     * log then always holds the newest entries, as many as this says, however the appends were
     * batched: what a reader sees does not depend on when a cached key was written.
     */
    public static int countAfter(int stored, int appended, int bound) {
        int toFirstCut = 2 * bound - stored + 1;
        if (appended == 0 || appended < toFirstCut) {
            return stored + appended;
        }
        return bound + (appended - toFirstCut) % (bound + 1);
    }

    /** The current key's entries, oldest first; a new list the caller may change. */
    public List<T> read() throws Exception {
        List<T> entries = new ArrayList<>();
        Iterable<T> stored = backend.get();
        if (stored != null) {
            stored.forEach(entries::add);
        }
        return entries;
    }

    /**
     * Replaces the current key's log with {@code entries} sorted by {@code order}, oldest first,
     * e.g. when converting state written in another layout; returns how many it holds.
     */
    public int replace(Iterable<T> entries, Comparator<? super T> order) throws Exception {
        List<T> sorted = new ArrayList<>();
        entries.forEach(sorted::add);
        sorted.sort(order);
        backend.update(sorted);
        return sorted.size();
    }

    public void clear() {
        backend.clear();
    }

    /** The last {@code bound} of {@code entries} (a view, not a copy). */
    public static <T> List<T> newest(List<T> entries, int bound) {
        return entries.size() <= bound ? entries : entries.subList(entries.size() - bound,
                entries.size());
    }
}
