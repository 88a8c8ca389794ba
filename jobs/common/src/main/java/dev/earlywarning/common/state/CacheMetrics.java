package dev.earlywarning.common.state;

import dev.earlywarning.common.metrics.EwsMetrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;

/**
 * Publishes a {@link WriteBackCache}'s hits, misses and writes to {@code ews_state_cache_total}:
 * what it adds since the last call, so that the cache's own counting stays a plain increment on
 * the hot path and the shared counters are touched once per checkpoint.
 */
public final class CacheMetrics {

    private final CounterDataPoint hits;
    private final CounterDataPoint misses;
    private final CounterDataPoint writes;
    private long publishedHits;
    private long publishedMisses;
    private long publishedWrites;

    public CacheMetrics(String job) {
        this.hits = EwsMetrics.STATE_CACHE.labelValues(job, "hit");
        this.misses = EwsMetrics.STATE_CACHE.labelValues(job, "miss");
        this.writes = EwsMetrics.STATE_CACHE.labelValues(job, "write");
    }

    public void publish(WriteBackCache<?, ?> cache) {
        hits.inc(cache.hits() - publishedHits);
        misses.inc(cache.misses() - publishedMisses);
        writes.inc(cache.writes() - publishedWrites);
        publishedHits = cache.hits();
        publishedMisses = cache.misses();
        publishedWrites = cache.writes();
    }
}
