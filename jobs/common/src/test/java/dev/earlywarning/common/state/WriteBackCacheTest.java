package dev.earlywarning.common.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriteBackCacheTest {

    /** A backend that records every read and write. */
    private static final class RecordingStore implements WriteBackCache.Store<String, int[]> {
        final Map<String, int[]> stored = new HashMap<>();
        final List<String> loads = new ArrayList<>();
        final List<String> writes = new ArrayList<>();

        @Override
        public int[] load(String key) {
            loads.add(key);
            int[] value = stored.get(key);
            return value == null ? null : value.clone();
        }

        @Override
        public void store(String key, int[] value) {
            writes.add(key);
            stored.put(key, value.clone());
        }
    }

    private final RecordingStore store = new RecordingStore();

    @Test
    void aBusyKeyIsReadOnceAndWrittenOncePerFlush() throws Exception {
        store.stored.put("a", new int[] {0});
        WriteBackCache<String, int[]> cache = new WriteBackCache<>(10, store);

        for (int i = 0; i < 100; i++) {
            int[] value = cache.get("a");
            value[0]++;
            cache.put("a", value);
        }
        assertThat(store.writes).isEmpty();
        cache.flush();
        cache.flush();

        assertThat(store.loads).containsExactly("a");
        assertThat(store.writes).containsExactly("a");
        assertThat(store.stored.get("a")).containsExactly(100);
        assertThat(cache.hits()).isEqualTo(99);
        assertThat(cache.misses()).isEqualTo(1);
    }

    @Test
    void aFlushWritesInTheBackendsOrderWhenGivenOne() throws Exception {
        RecordingStore orderedStore = new RecordingStore();
        WriteBackCache<String, int[]> unordered = new WriteBackCache<>(10, store);
        WriteBackCache<String, int[]> ordered = new WriteBackCache<>(10, orderedStore)
                .flushingInOrder(Comparator.reverseOrder());
        for (String key : List.of("b", "d", "a", "c")) {
            unordered.put(key, new int[] {1});
            ordered.put(key, new int[] {1});
        }

        unordered.flush();
        ordered.flush();

        assertThat(store.writes).containsExactly("b", "d", "a", "c");
        assertThat(orderedStore.writes).containsExactly("d", "c", "b", "a");
        assertThat(ordered.dirtyCount()).isZero();
    }

    @Test
    void theEntryThatLeavesIsWrittenBackOnlyWhenChanged() throws Exception {
        store.stored.put("clean", new int[] {7});
        WriteBackCache<String, int[]> cache = new WriteBackCache<>(2, store);
        cache.get("clean");
        for (int i = 0; i < 3; i++) {
            assertThat(cache.get("x")).isNull();
        }
        cache.put("x", new int[] {1});
        cache.get("y");
        cache.put("y", new int[] {2});

        assertThat(store.writes).as("clean, asked for less often than x, was unchanged")
                .isEmpty();
        cache.get("z");
        cache.put("z", new int[] {3});
        assertThat(store.writes).as("y, asked for less often than x, had changed")
                .containsExactly("y");
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.writes()).isEqualTo(1);

        assertThat(cache.get("y")).containsExactly(2);
        assertThat(cache.get("clean")).containsExactly(7);
        assertThat(store.loads).containsExactly("clean", "x", "x", "x", "y", "z", "y", "clean");
    }

    @Test
    void keysSeenOnceDoNotPushOutTheBusyOnes() throws Exception {
        WriteBackCache<String, int[]> cache = new WriteBackCache<>(100, store);
        for (int busy = 0; busy < 50; busy++) {
            touch(cache, "busy-" + busy);
        }
        store.loads.clear();
        // Each busy key comes back after 149 others, 100 of them new: least recently used alone,
        // a cache of 100 would have let every busy key go before it came back.
        for (int step = 0; step < 10_000; step++) {
            touch(cache, "once-" + step + "-a");
            touch(cache, "once-" + step + "-b");
            touch(cache, "busy-" + step % 50);
        }

        assertThat(store.loads).as("busy keys read again").filteredOn(k -> k.startsWith("busy-"))
                .hasSizeLessThan(50);
        assertThat(store.writes).as("the keys seen once were written as they left")
                .hasSizeGreaterThanOrEqualTo(20_000 - 100);
    }

    /** What an operator does with a key's value for one event: read it, change it, put it back. */
    private static void touch(WriteBackCache<String, int[]> cache, String key) throws Exception {
        int[] value = cache.get(key);
        if (value == null) {
            value = new int[1];
        }
        value[0]++;
        cache.put(key, value);
    }

    @Test
    void aRemovedKeyIsNeverWrittenBackAndAMissingOneIsNotCached() throws Exception {
        WriteBackCache<String, int[]> cache = new WriteBackCache<>(4, store);
        cache.put("gone", new int[] {1});
        cache.remove("gone");
        cache.flush();
        assertThat(store.writes).isEmpty();

        assertThat(cache.get("nobody")).isNull();
        assertThat(cache.get("nobody")).isNull();
        assertThat(store.loads).containsExactly("nobody", "nobody");
        assertThat(cache.size()).isZero();
    }

    @Test
    void beyondMaxDirtyTheEntryChangedLongestAgoIsWrittenAndStaysCached() throws Exception {
        WriteBackCache<String, int[]> cache = new WriteBackCache<>(10, 2, store);
        cache.put("a", new int[] {1});
        cache.put("b", new int[] {2});
        cache.put("a", cache.get("a"));
        cache.put("c", new int[] {3});

        assertThat(store.writes).as("b changed longest ago; a was changed again").containsExactly("b");
        assertThat(cache.dirtyCount()).isEqualTo(2);
        assertThat(cache.get("b")).containsExactly(2);
        assertThat(store.loads).as("b stayed cached").isEmpty();

        cache.flush();
        assertThat(store.writes).containsExactly("b", "a", "c");
        assertThat(cache.dirtyCount()).isZero();
        cache.flush();
        assertThat(store.writes).as("nothing changed since").hasSize(3);
    }

    @Test
    void anEvictedOrRemovedEntryIsNoLongerCountedAsChanged() throws Exception {
        WriteBackCache<String, int[]> cache = new WriteBackCache<>(2, 2, store);
        cache.put("a", new int[] {1});
        cache.put("b", new int[] {2});
        cache.put("c", new int[] {3});
        assertThat(store.writes).as("b left the window and was in no more demand than a")
                .containsExactly("b");
        assertThat(cache.dirtyCount()).isEqualTo(2);

        cache.remove("a");
        assertThat(cache.dirtyCount()).isEqualTo(1);
        cache.flush();
        assertThat(store.writes).containsExactly("b", "c");
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThatThrownBy(() -> new WriteBackCache<>(0, store))
                .hasMessageContaining("capacity must be at least 1");
    }
}
