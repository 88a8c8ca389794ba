package dev.earlywarning.common.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.HistogramStatistics;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.Metric;

/**
 * Every Flink metric announced to a {@link FlinkMetricsReporter} in this JVM, read at scrape
 * time. One instance per JVM, registered once in {@link EwsMetrics#registry()}: a JVM can hold
 * several Flink metric registries (tests start more than one MiniCluster), and Prometheus rejects
 * a scrape that names one metric family twice, so the reporters share this one collector and a
 * series that two of them announce (e.g. the JVM's own CPU load) is served once.
 */
final class FlinkMetricsCollector implements MultiCollector {

    static final FlinkMetricsCollector INSTANCE = new FlinkMetricsCollector();

    private static final double[] QUANTILES = {0.5, 0.75, 0.95, 0.98, 0.99, 0.999};

    record Series(String name, Labels labels, Metric metric, Object owner) {}

    private final Map<Metric, Series> series = new IdentityHashMap<>();

    private FlinkMetricsCollector() {
        EwsMetrics.registry().register(this);
    }

    synchronized void add(Series added) {
        series.put(added.metric(), added);
    }

    synchronized void remove(Metric metric) {
        series.remove(metric);
    }

    synchronized void removeAll(Object owner) {
        series.values().removeIf(s -> s.owner() == owner);
    }

    synchronized int size() {
        return series.size();
    }

    @Override
    public MetricSnapshots collect() {
        List<Series> current;
        synchronized (this) {
            current = new ArrayList<>(series.values());
        }
        Map<String, List<Series>> byName = new TreeMap<>();
        for (Series s : current) {
            byName.computeIfAbsent(s.name(), n -> new ArrayList<>()).add(s);
        }
        List<MetricSnapshot> snapshots = new ArrayList<>();
        for (Map.Entry<String, List<Series>> family : byName.entrySet()) {
            MetricSnapshot snapshot = family.getValue().get(0).metric() instanceof Histogram
                    ? summary(family.getKey(), family.getValue())
                    : gauge(family.getKey(), family.getValue());
            if (snapshot != null) {
                snapshots.add(snapshot);
            }
        }
        return new MetricSnapshots(snapshots);
    }

    private static GaugeSnapshot gauge(String name, List<Series> family) {
        GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name)
                .help("Flink metric " + name);
        Set<Labels> seen = new HashSet<>();
        int points = 0;
        for (Series s : family) {
            Double value = value(s.metric());
            if (value != null && seen.add(s.labels())) {
                builder.dataPoint(GaugeDataPointSnapshot.builder().value(value)
                        .labels(s.labels()).build());
                points++;
            }
        }
        return points == 0 ? null : builder.build();
    }

    private static SummarySnapshot summary(String name, List<Series> family) {
        SummarySnapshot.Builder builder = SummarySnapshot.builder().name(name)
                .help("Flink histogram " + name);
        Set<Labels> seen = new HashSet<>();
        int points = 0;
        for (Series s : family) {
            if (!(s.metric() instanceof Histogram histogram) || !seen.add(s.labels())) {
                continue;
            }
            HistogramStatistics statistics = histogram.getStatistics();
            Quantiles.Builder quantiles = Quantiles.builder();
            for (double q : QUANTILES) {
                quantiles.quantile(q, statistics.getQuantile(q));
            }
            builder.dataPoint(SummaryDataPointSnapshot.builder().count(histogram.getCount())
                    .quantiles(quantiles.build()).labels(s.labels()).build());
            points++;
        }
        return points == 0 ? null : builder.build();
    }

    /**
     * The number a counter, meter or numeric gauge stands for, or null for a gauge of another
     * type or one that cannot be read right now (e.g. a RocksDB property while its task closes).
     */
    static Double value(Metric metric) {
        try {
            if (metric instanceof Counter counter) {
                return (double) counter.getCount();
            }
            if (metric instanceof Meter meter) {
                return meter.getRate();
            }
            if (metric instanceof Gauge<?> gauge) {
                Object value = gauge.getValue();
                if (value instanceof Number number) {
                    return number.doubleValue();
                }
                if (value instanceof Boolean bool) {
                    return bool ? 1.0 : 0.0;
                }
            }
            return null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
