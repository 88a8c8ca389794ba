package dev.earlywarning.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.metrics.filter.ReporterFilter;
import org.apache.flink.runtime.metrics.groups.FrontMetricGroup;
import org.apache.flink.runtime.metrics.groups.ReporterScopedSettings;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FlinkMetricsReporterTest {

    private final FlinkMetricsReporter reporter = new FlinkMetricsReporter();
    private final FlinkMetricsReporter other = new FlinkMetricsReporter();

    @AfterEach
    void closeReporters() {
        reporter.close();
        other.close();
    }

    @Test
    void servesFlinkMetricsUnderTheNamesOfFlinksPrometheusReporter() throws IOException {
        reporter.open(new MetricConfig());
        var operatorGroup = UnregisteredMetricGroups.createUnregisteredOperatorMetricGroup();
        MetricGroup operator = front(operatorGroup);
        SimpleCounter records = new SimpleCounter();
        records.inc(5);
        reporter.notifyOfAddedMetric(records, "numRecordsIn", operator);
        reporter.notifyOfAddedMetric((Gauge<Boolean>) () -> true, "isBackPressured", operator);
        reporter.notifyOfAddedMetric((Gauge<String>) () -> "RUNNING", "status", operator);
        reporter.notifyOfAddedMetric(new MeterView(records), "numRecordsInPerSecond", operator);
        DescriptiveStatisticsHistogram histogram = new DescriptiveStatisticsHistogram(10);
        histogram.update(3);
        histogram.update(5);
        reporter.notifyOfAddedMetric(histogram, "checkpointStartDelayNanos", operator);
        MetricGroup partition = front((org.apache.flink.runtime.metrics.groups.AbstractMetricGroup<?>)
                operatorGroup.addGroup("KafkaSourceReader").addGroup("topic", "cx.interactions")
                        .addGroup("partition", "0"));
        reporter.notifyOfAddedMetric((Gauge<Long>) () -> 42L, "currentOffset", partition);

        String text = scrapeText();
        assertThat(text)
                .containsPattern("flink_taskmanager_job_task_operator_numRecordsIn\\{[^}]*"
                        + "operator_name=\"[^\"]+\"[^}]*} 5\\.0")
                .containsPattern("flink_taskmanager_job_task_operator_isBackPressured\\{[^}]*} 1\\.0")
                .containsPattern("flink_taskmanager_job_task_operator_checkpointStartDelayNanos"
                        + "\\{[^}]*quantile=\"0\\.5\"[^}]*} ")
                .containsPattern("flink_taskmanager_job_task_operator_KafkaSourceReader_topic_partition"
                        + "_currentOffset\\{[^}]*partition=\"0\"[^}]*topic=\"cx\\.interactions\"[^}]*} 42")
                .contains("flink_taskmanager_job_task_operator_numRecordsInPerSecond")
                .doesNotContain("flink_taskmanager_job_task_operator_status");
        assertThat(text).containsPattern("subtask_index=\"0\"").containsPattern("job_name=\"");
    }

    @Test
    void servesASeriesTwoReportersAnnounceOnceAndForgetsAClosedReportersSeries() throws IOException {
        MetricGroup jvm = front(UnregisteredMetricGroups.createUnregisteredProcessMetricGroup());
        Gauge<Double> load = () -> 0.25;
        reporter.notifyOfAddedMetric(load, "Load", jvm);
        other.notifyOfAddedMetric(load, "Load", jvm);
        Gauge<Double> sameSeries = () -> 0.5;
        other.notifyOfAddedMetric(sameSeries, "Load", jvm);

        String text = scrapeText();
        assertThat(text.lines().filter(l -> l.matches("flink_\\w+_Load\\{.*"))).hasSize(1);

        reporter.close();
        other.close();
        assertThat(scrapeText()).doesNotContain("_Load{");
    }

    @Test
    void leavesOutANameThePrometheusClientWouldReject() throws IOException {
        MetricGroup operator = front(UnregisteredMetricGroups.createUnregisteredOperatorMetricGroup());
        reporter.notifyOfAddedMetric((Gauge<Long>) () -> 7L, "records-consumed-total", operator);
        reporter.notifyOfAddedMetric((Gauge<Long>) () -> 8L, "records-lag-max", operator);

        assertThat(scrapeText()).contains("operator_records_lag_max{");
    }

    @Test
    void labelsAreTheScopeVariablesWithoutAngleBrackets() {
        MetricGroup task = front(UnregisteredMetricGroups.createUnregisteredTaskMetricGroup());
        Map<String, String> labels = new java.util.HashMap<>();
        FlinkMetricsReporter.labels(task).forEach(l -> labels.put(l.getName(), l.getValue()));
        assertThat(labels.keySet()).contains("job_name", "task_name", "subtask_index", "tm_id")
                .allSatisfy(name -> assertThat(name).doesNotContain("<", ">"));
        assertThat(Set.copyOf(labels.keySet())).noneMatch(String::isBlank);
    }

    private static MetricGroup front(
            org.apache.flink.runtime.metrics.groups.AbstractMetricGroup<?> group) {
        return new FrontMetricGroup<>(new ReporterScopedSettings<>(0, '.',
                ReporterFilter.getNoOpFilter(), Set.of(), Map.of()), group);
    }

    private static String scrapeText() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, EwsMetrics.registry().scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}
