package dev.earlywarning.common.state;

import java.util.ArrayList;
import java.util.List;

/**
 * The entries of one key's {@link BoundedLog} appended since the key was last written, kept with
 * its state in a {@link WriteBackCache}: a busy key is written once per checkpoint, so its new
 * entries reach the log in one merge instead of one each. Read together, the log and its tail are
 * exactly what appending each entry at once would have left in the log, so when a key happens to
 * be written (a checkpoint, an eviction, the cache's size) changes nothing a reader sees.
 *
 * <p>Not thread-safe: it belongs to one cached key, used on its operator's task thread.
 */
public final class LogTail<T> {

    private final List<T> entries = new ArrayList<>(4);
    private int appended;

    /** Appends {@code entry}; of a burst, only the newest twice {@code bound} can still be read. */
    public void add(T entry, int bound) {
        if (entries.size() >= 2 * bound) {
            entries.remove(0);
        }
        entries.add(entry);
        appended++;
    }

    /**
     * The current key's log, which holds {@code stored} entries, with this tail appended: oldest
     * first, a new list the caller may change.
     */
    public List<T> read(BoundedLog<T> log, int stored, int bound) throws Exception {
        List<T> all = stored > 0 ? log.read() : new ArrayList<>(entries.size());
        all.addAll(entries);
        int count = BoundedLog.countAfter(stored, appended, bound);
        return count < all.size() ? new ArrayList<>(BoundedLog.newest(all, count)) : all;
    }

    /** Appends this tail to the current key's log and empties it; returns the log's new count. */
    public int writeTo(BoundedLog<T> log, int stored, int bound) throws Exception {
        int count = log.append(entries, appended, stored, bound);
        entries.clear();
        appended = 0;
        return count;
    }
}
