package dev.earlywarning.common.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
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
    void theLeastRecentlyUsedEntryIsEvictedAndWrittenBackOnlyWhenChanged() throws Exception {
        store.stored.put("clean", new int[] {7});
        WriteBackCache<String, int[]> cache = new WriteBackCache<>(2, store);
        cache.get("clean");
        cache.put("x", new int[] {1});
        cache.get("clean");
        cache.put("y", new int[] {2});

        assertThat(store.writes).as("x was least recently used and changed").containsExactly("x");
        cache.put("z", new int[] {3});
        assertThat(store.writes).as("clean was unchanged: dropped, not written").containsExactly("x");
        assertThat(cache.size()).isEqualTo(2);

        assertThat(cache.get("x")).containsExactly(1);
        assertThat(store.loads).containsExactly("clean", "x");
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
        cache.remove("b");

        assertThat(store.writes).as("a was evicted").containsExactly("a");
        assertThat(cache.dirtyCount()).isEqualTo(1);
        cache.flush();
        assertThat(store.writes).containsExactly("a", "c");
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThatThrownBy(() -> new WriteBackCache<>(0, store))
                .hasMessageContaining("capacity must be at least 1");
    }
}
