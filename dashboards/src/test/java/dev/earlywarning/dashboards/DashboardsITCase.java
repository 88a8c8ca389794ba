package dev.earlywarning.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earlywarning.common.engine.LocalEngine;
import dev.earlywarning.common.testing.KafkaTestCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboards and rules against the real thing: the jobs run on a MiniCluster that reports
 * Flink's metrics through our reporter, Debian's Prometheus scrapes their endpoint every second,
 * and then every name a dashboard or rule uses must be on the endpoint's page, and every
 * dashboard query must return data from Prometheus.
 */
class DashboardsITCase {

    /** Series Prometheus makes itself rather than scraping them. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");

    private static final Path SCRATCH = scratch();
    private static final Configuration ENGINE = engine();

    @RegisterExtension
    @Order(1)
    static final KafkaTestCluster KAFKA = new KafkaTestCluster();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setConfiguration(ENGINE)
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private static ObservedRun run;
    private static PrometheusServer prometheus;
    private static String page;

    @BeforeAll
    static void runTheJobsUnderPrometheus() throws Exception {
        run = new ObservedRun(KAFKA);
        // Scraping from the start, so rates see the counters move.
        prometheus = PrometheusBinaries.prometheus().map(binary -> {
            try {
                return PrometheusServer.start(binary, SCRATCH.resolve("prometheus"), run.target(),
                        Dashboards.rules());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }).orElse(null);
        run.play(ENGINE);
        page = run.scrape();
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "observed-metrics.txt"), page);
        if (prometheus != null) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!prometheus.hasScraped(5) && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            // A few scrapes of the final state on top of those during the run.
            Thread.sleep(3_000);
        }
    }

    @AfterAll
    static void stopEverything() throws IOException {
        try {
            if (prometheus != null) {
                prometheus.close();
            }
        } finally {
            if (run != null) {
                run.close();
            }
            try (Stream<Path> files = Files.walk(SCRATCH)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void everyMetricTheDashboardsAndRulesReadIsOnTheJobsMetricsPage() {
        Set<String> exported = sampleNames(page);
        Set<String> recorded = Set.copyOf(Dashboards.recordedNames());
        List<String> missing = new ArrayList<>();
        for (Dashboards.Query query : queries()) {
            for (String name : PromQl.metricNames(query.expr())) {
                boolean known = exported.contains(name) || recorded.contains(name)
                        || PROMETHEUS_OWN.contains(name);
                if (!known) {
                    missing.add(name + " (" + query.origin() + ")");
                }
            }
        }
        assertThat(missing).as("metrics used but not exported by the jobs").isEmpty();
        assertThat(exported).as("the contract's metrics and Flink's own")
                .contains("ews_events_in_total", "ews_dead_letter_total", "ews_alerts_total",
                        "ews_alert_latency_seconds_bucket", "ews_risk_score_bucket",
                        "ews_callback_breaches_total", "ews_commitments_open",
                        "ews_commitments_closed_total", "ews_gestures_total",
                        "ews_time_to_ack_seconds_bucket", "ews_escalations_total",
                        "flink_jobmanager_job_numberOfCompletedCheckpoints",
                        "flink_jobmanager_job_numRestarts",
                        "flink_taskmanager_job_task_backPressuredTimeMsPerSecond",
                        "flink_taskmanager_job_task_operator_pendingRecords",
                        "flink_taskmanager_job_task_operator_column_family_rocksdb_estimate_live_data_size");
    }

    @Test
    void theMetricsEndpointListensOnLoopbackOnly() {
        assertThat(run.target()).startsWith("127.0.0.1:");
    }

    @Test
    void everyDashboardQueryReturnsDataFromPrometheus() throws Exception {
        Assumptions.assumeTrue(prometheus != null, PrometheusBinaries::missing);
        List<String> empty = new ArrayList<>();
        for (Dashboards.Query query : Dashboards.dashboardQueries()) {
            JsonNode result = prometheus.query(PromQl.instantiate(query.expr()));
            if (!hasANumber(result)) {
                empty.add(query.origin() + ": " + query.expr() + " -> " + result);
            }
        }
        assertThat(empty).as("dashboard queries without data after the run").isEmpty();
    }

    @Test
    void prometheusEvaluatesEveryRuleWithoutErrorAndTheRecordingRulesHaveData() throws Exception {
        Assumptions.assumeTrue(prometheus != null, PrometheusBinaries::missing);
        List<String> expected = Dashboards.ruleQueries().stream()
                .map(q -> q.origin().substring("rule ".length())).toList();
        assertThat(prometheus.ruleNames()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(prometheus.ruleErrors()).as("rules Prometheus failed to evaluate").isEmpty();
        List<String> empty = new ArrayList<>();
        for (Dashboards.Query query : Dashboards.ruleQueries()) {
            if (!query.alert() && !hasANumber(prometheus.query(query.expr()))) {
                empty.add(query.origin() + ": " + query.expr());
            }
        }
        assertThat(empty).as("recording rules without data after the run").isEmpty();
    }

    /** At least one series with a value that is a number (NaN means "no data" on a graph). */
    private static boolean hasANumber(JsonNode result) {
        for (JsonNode series : result) {
            String value = series.path("value").get(1).asText();
            if (!value.equals("NaN") && !value.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static List<Dashboards.Query> queries() {
        List<Dashboards.Query> all = new ArrayList<>(Dashboards.dashboardQueries());
        all.addAll(Dashboards.ruleQueries());
        return all;
    }

    /** The sample names of an exposition page: what a query can select. */
    static Set<String> sampleNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = line.indexOf('{');
            if (end < 0) {
                end = line.indexOf(' ');
            }
            names.add(line.substring(0, end));
        }
        return names;
    }

    private static Path scratch() {
        try {
            return Files.createTempDirectory("ews-dashboards");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Configuration engine() {
        Configuration conf = LocalEngine.configuration(SCRATCH.resolve("checkpoints"),
                Duration.ofMillis(500));
        // A failure must fail the run, not hide in a restart.
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "disable");
        return conf;
    }

}
