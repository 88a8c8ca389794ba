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
        assertThat(store.writes).as("y, asked for less often than x, had changed: it waits")
                .isEmpty();
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.dirtyCount()).as("x and z cached, y waiting").isEqualTo(3);

        assertThat(cache.get("y")).as("back from the wait, unread").containsExactly(2);
        assertThat(cache.get("clean")).containsExactly(7);
        assertThat(store.loads).containsExactly("clean", "x", "x", "x", "y", "z", "clean");
        assertThat(store.writes).as("z left for y, then y for clean: a batch of two")
                .containsExactlyInAnyOrder("z", "y");
        assertThat(store.stored.get("y")).containsExactly(2);
        assertThat(cache.hits()).isEqualTo(1);
    }

    @Test
    void changedEntriesThatLeaveAreWrittenTogetherInTheFlushOrder() throws Exception {
        // 40 entries: a window of one, the rest of 39, and a batch of ten leaving entries.
        WriteBackCache<String, int[]> cache = new WriteBackCache<>(40, store)
                .flushingInOrder(Comparator.reverseOrder());
        for (int i = 0; i < 40; i++) {
            cache.put(String.format("k%02d", i), new int[] {i});
        }
        // Each new key, seen once, pushes the window's last one out of the cache.
        for (int i = 0; i < 9; i++) {
            cache.put("new-" + i, new int[] {i});
        }
        assertThat(store.writes).as("nine changed entries left; they wait").isEmpty();
        assertThat(cache.dirtyCount()).isEqualTo(49);

        cache.put("new-9", new int[] {9});

        List<String> left = new ArrayList<>(List.of("k39"));
        for (int i = 0; i < 9; i++) {
            left.add("new-" + i);
        }
        left.sort(Comparator.reverseOrder());
        assertThat(store.writes).containsExactlyElementsOf(left);
        assertThat(cache.dirtyCount()).isEqualTo(40);
        assertThat(store.stored.get("new-4")).containsExactly(4);
    }

    @Test
    void fewerChangesMayWaitWhenMaxDirtyBoundsThem() throws Exception {
        WriteBackCache<String, int[]> cache = new WriteBackCache<>(40, 8, store)
                .flushingInOrder(Comparator.naturalOrder());
        for (int i = 0; i < 40; i++) {
            cache.put(String.format("k%02d", i), new int[] {i});
        }
        assertThat(store.writes).as("beyond eight changed, the one changed longest ago")
                .hasSize(32);

        cache.put("new-0", new int[] {0});
        assertThat(store.writes).as("k39 left the window and waits").hasSize(32);
        cache.put("new-1", new int[] {1});

        assertThat(store.writes.subList(32, store.writes.size()))
                .as("a batch of a quarter of eight").containsExactly("k39", "new-0");
    }

    @Test
    void aFlushWritesTheWaitingEntriesWithTheCachedOnesInOneOrder() throws Exception {
        WriteBackCache<String, int[]> cache = new WriteBackCache<>(8, store)
                .flushingInOrder(Comparator.naturalOrder());
        for (String key : List.of("h", "f", "d", "b", "g", "e", "c", "a", "i")) {
            cache.put(key, new int[] {1});
        }
        assertThat(store.writes).as("a left the window for i and waits").isEmpty();

        cache.flush();

        assertThat(store.writes).containsExactly("a", "b", "c", "d", "e", "f", "g", "h", "i");
        assertThat(cache.dirtyCount()).isZero();
        assertThat(cache.get("a")).as("written, no longer cached").containsExactly(1);
        assertThat(store.loads).containsExactly("a");
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
    void aRemovedEntryIsNotWrittenWhetherCachedOrWaiting() throws Exception {
        WriteBackCache<String, int[]> cache = new WriteBackCache<>(2, 2, store);
        cache.put("a", new int[] {1});
        cache.put("b", new int[] {2});
        cache.put("c", new int[] {3});
        assertThat(store.writes).as("b left the window, in no more demand than a, and waits")
                .isEmpty();
        assertThat(cache.dirtyCount()).isEqualTo(3);

        cache.remove("a");
        cache.remove("b");
        assertThat(cache.dirtyCount()).isEqualTo(1);
        cache.flush();
        assertThat(store.writes).containsExactly("c");
        assertThat(cache.get("b")).as("its state ended: nothing to bring back").isNull();
    }

    @Test
    void aNewValueSupersedesTheOneWaiting() throws Exception {
        WriteBackCache<String, int[]> cache = new WriteBackCache<>(2, store);
        cache.put("a", new int[] {1});
        cache.put("b", new int[] {2});
        cache.put("c", new int[] {3});
        cache.put("b", new int[] {20});
        cache.flush();

        assertThat(store.stored.get("b")).containsExactly(20);
        assertThat(store.writes).filteredOn("b"::equals).hasSize(1);
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThatThrownBy(() -> new WriteBackCache<>(0, store))
                .hasMessageContaining("capacity must be at least 1");
    }
}
