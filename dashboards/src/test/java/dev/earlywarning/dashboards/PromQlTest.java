package dev.earlywarning.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void findsTheMetricsButNotFunctionsKeywordsLabelsOrDurations() {
        assertThat(PromQl.metricNames("sum by (kind, severity) (rate(ews_alerts_total"
                + "{job=\"x\", kind=~\"A|B\"}[$__rate_interval])) * 60"))
                .containsExactly("ews_alerts_total");
        assertThat(PromQl.metricNames("histogram_quantile(0.95, sum by (job, le) "
                + "(rate(ews_alert_latency_seconds_bucket[5m])))"))
                .containsExactly("ews_alert_latency_seconds_bucket");
        assertThat(PromQl.metricNames("max by (job_name) (up offset 5m) unless on () "
                + "ews:responder_queue_items > 0 and bool flink_x{le=\"30.0\"}"))
                .containsExactly("up", "ews:responder_queue_items", "flink_x");
        assertThat(PromQl.metricNames("time() - max(a_b) / 1000 > 1e3")).containsExactly("a_b");
    }

    @Test
    void fixesGrafanasVariablesAndRejectsUnknownOnes() {
        assertThat(PromQl.instantiate("rate(x[$__rate_interval])")).isEqualTo("rate(x[1m])");
        assertThatThrownBy(() -> PromQl.instantiate("rate(x{job=\"$job\"}[1m])"))
                .hasMessageContaining("unknown variable");
    }
}
