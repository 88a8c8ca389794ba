package dev.earlywarning.common.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.flink.metrics.CharacterFilter;
import org.apache.flink.metrics.LogicalScopeProvider;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;

/**
 * Flink's own metrics (checkpoints, restarts, back-pressure, Kafka consumer lag, RocksDB native
 * properties, ...) as Prometheus metrics in this JVM's {@link EwsMetrics#registry()}, so one
 * endpoint, bound to the host we choose, serves them next to the contract's {@code ews_*}
 * metrics.
 *
 * <p>Why not Flink's {@code flink-metrics-prometheus} reporter: it always binds the wildcard
 * address (it has no host option), which would expose every job's internals on every interface,
 * and it would be a second port and a second client library (simpleclient 0.8) per JVM. This
 * reporter keeps that reporter's naming, so queries written for it work unchanged: {@code flink_}
 * + the logical scope + the metric name, characters outside {@code [a-zA-Z0-9_:]} replaced by
 * {@code _} (e.g. {@code flink_taskmanager_job_task_operator_numRecordsIn}), every scope
 * variable a label without its angle brackets ({@code job_name}, {@code task_name},
 * {@code operator_name}, {@code subtask_index}, {@code tm_id}, ...). Like that reporter, it
 * serves counters as gauges (a Flink counter may go down) and histograms as summaries; gauges
 * that are not numbers or booleans are left out.
 *
 * <p>Configured as {@code metrics.reporter.ews.factory.class:
 * dev.earlywarning.common.metrics.FlinkMetricsReporterFactory}. Options: {@code port} (a port or
 * a range {@code 9464-9470}, the first free one is taken; without it the reporter only fills the
 * registry and whoever embeds Flink serves it, as {@code ews demo} does) and {@code host}
 * (default {@code 127.0.0.1}).
 */
public final class FlinkMetricsReporter implements MetricReporter {

    public static final String HOST_OPTION = "host";
    public static final String PORT_OPTION = "port";

    private static final Pattern UNALLOWED = Pattern.compile("[^a-zA-Z0-9:_]");
    private static final CharacterFilter FILTER = input -> UNALLOWED.matcher(input).replaceAll("_");

    @Override
    public void open(MetricConfig config) {
        String port = config.getString(PORT_OPTION, "");
        if (!port.isBlank()) {
            EwsMetrics.serve(config.getString(HOST_OPTION, EwsMetrics.DEFAULT_HOST), port);
        }
    }

    @Override
    public void close() {
        FlinkMetricsCollector.INSTANCE.removeAll(this);
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        String name = name(metricName, group);
        if (name != null) {
            FlinkMetricsCollector.INSTANCE.add(
                    new FlinkMetricsCollector.Series(name, labels(group), metric, this));
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        FlinkMetricsCollector.INSTANCE.remove(metric);
    }

    /** The Prometheus name, or null for one Prometheus would reject (a reserved suffix). */
    static String name(String metricName, MetricGroup group) {
        String scope = LogicalScopeProvider.castFrom(group).getLogicalScope(FILTER, '_');
        String name = "flink_" + scope + "_" + FILTER.filterCharacters(metricName);
        return PrometheusNaming.isValidMetricName(name) ? name : null;
    }

    static Labels labels(MetricGroup group) {
        Labels.Builder labels = Labels.builder();
        for (Map.Entry<String, String> variable : group.getAllVariables().entrySet()) {
            String key = variable.getKey();
            if (key.startsWith("<") && key.endsWith(">")) {
                key = key.substring(1, key.length() - 1);
            }
            labels.label(FILTER.filterCharacters(key), variable.getValue());
        }
        return labels.build();
    }
}
