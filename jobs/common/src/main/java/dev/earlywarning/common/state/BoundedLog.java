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
     * entries, keeping at least the newest {@code bound}; returns how many it holds afterwards.
     */
    public int append(List<T> entries, int stored, int bound) throws Exception {
        if (entries.isEmpty()) {
            return stored;
        }
        if (stored + entries.size() <= 2 * bound) {
            backend.addAll(entries);
            return stored + entries.size();
        }
        List<T> all = entries;
        if (entries.size() < bound) {
            all = read();
            all.addAll(entries);
        }
        List<T> kept = new ArrayList<>(newest(all, bound));
        backend.update(kept);
        return kept.size();
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
