package dev.earlywarning.common.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.common.metrics.EwsMetrics;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheMetricsTest {

    private static final String JOB = "cache-metrics-test";

    private final Map<String, String> stored = new HashMap<>(Map.of("known", "v0"));
    private final WriteBackCache<String, String> cache = new WriteBackCache<>(10,
            new WriteBackCache.Store<>() {
                @Override
                public String load(String key) {
                    return stored.get(key);
                }

                @Override
                public void store(String key, String value) {
                    stored.put(key, value);
                }
            });

    @Test
    void eachPublicationAddsWhatTheCacheCountedSinceTheLastOne() throws Exception {
        CacheMetrics metrics = new CacheMetrics(JOB);
        cache.get("known");
        cache.get("known");
        cache.put("known", "v1");
        cache.flush();
        metrics.publish(cache);
        assertThat(counts()).containsEntry("hit", 1L).containsEntry("miss", 1L)
                .containsEntry("write", 1L);

        cache.get("new");
        cache.put("new", "v0");
        cache.flush();
        metrics.publish(cache);
        metrics.publish(cache);
        assertThat(counts()).containsEntry("hit", 1L).containsEntry("miss", 2L)
                .containsEntry("write", 2L);
    }

    private static Map<String, Long> counts() {
        Map<String, Long> counts = new HashMap<>();
        EwsMetrics.STATE_CACHE.collect().getDataPoints().stream()
                .filter(point -> JOB.equals(point.getLabels().get("job")))
                .forEach(point -> counts.put(point.getLabels().get("outcome"),
                        (long) point.getValue()));
        return counts;
    }
}
