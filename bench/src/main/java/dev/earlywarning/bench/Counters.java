package dev.earlywarning.bench;

import dev.earlywarning.common.metrics.EwsMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The jobs' own contract counters, read in this JVM where the embedded jobs run: records read
 * ({@code ews_events_in_total}) are the benchmarks' progress, alerts ({@code ews_alerts_total})
 * their sanity check, the state caches' counts ({@code ews_state_cache_total}) what a run cost in
 * state-backend reads and writes.
 */
final class Counters {

    /** A job and one of its input topics. */
    record Input(String job, String topic) {}

    private Counters() {}

    /** Records the jobs have read from these inputs so far, valid or not. */
    static long eventsIn(Collection<Input> inputs) {
        long sum = 0;
        for (CounterSnapshot.CounterDataPointSnapshot point :
                EwsMetrics.EVENTS_IN.collect().getDataPoints()) {
            if (inputs.contains(new Input(point.getLabels().get("job"),
                    point.getLabels().get("topic")))) {
                sum += (long) point.getValue();
            }
        }
        return sum;
    }

    /** Alerts emitted so far by kind, summed over the given jobs. */
    static Map<String, Long> alertsByKind(Collection<String> jobs) {
        return byLabel(EwsMetrics.ALERTS, jobs, "kind");
    }

    /** The state caches' hits, misses and writes so far, summed over the given jobs. */
    static Map<String, Long> stateCache(Collection<String> jobs) {
        return byLabel(EwsMetrics.STATE_CACHE, jobs, "outcome");
    }

    /** The difference of two counts by label, dropping zeros. */
    static Map<String, Long> minus(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> difference = new TreeMap<>();
        after.forEach((key, value) -> {
            long delta = value - before.getOrDefault(key, 0L);
            if (delta != 0) {
                difference.put(key, delta);
            }
        });
        return difference;
    }

    private static Map<String, Long> byLabel(Counter counter, Collection<String> jobs,
            String label) {
        Map<String, Long> counts = new TreeMap<>();
        for (CounterSnapshot.CounterDataPointSnapshot point : counter.collect().getDataPoints()) {
            if (jobs.contains(point.getLabels().get("job"))) {
                counts.merge(point.getLabels().get(label), (long) point.getValue(), Long::sum);
            }
        }
        return counts;
    }
}
