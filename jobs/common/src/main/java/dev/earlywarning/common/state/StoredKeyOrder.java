package dev.earlywarning.common.state;

import java.io.Serializable;
import java.util.Comparator;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * The order in which RocksDB keeps the keyed state of string keys: by key group (the first bytes
 * of every stored key), then by the key as Flink's string serializer writes it, its length first.
 * Exact for keys of ASCII characters shorter than 127; any other key still sorts, only less
 * precisely, which costs speed, never correctness.
 *
 * <p>Why: RocksDB's memtable is a skip list that remembers where its last insert went. Many keys
 * written in its own order (a cache's changes before a checkpoint barrier) are then each found a
 * few steps from the one before, instead of by a search from the top of a list of hundreds of
 * thousands of entries, which was most of the cost of writing a customer back.
 */
public final class StoredKeyOrder implements Comparator<String>, Serializable {

    private static final long serialVersionUID = 1L;

    private final int maxParallelism;

    public StoredKeyOrder(int maxParallelism) {
        this.maxParallelism = maxParallelism;
    }

    @Override
    public int compare(String a, String b) {
        int byGroup = Integer.compare(KeyGroupRangeAssignment.assignToKeyGroup(a, maxParallelism),
                KeyGroupRangeAssignment.assignToKeyGroup(b, maxParallelism));
        if (byGroup != 0) {
            return byGroup;
        }
        int byLength = Integer.compare(a.length(), b.length());
        return byLength != 0 ? byLength : a.compareTo(b);
    }
}
