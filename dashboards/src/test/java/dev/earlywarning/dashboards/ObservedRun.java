package dev.earlywarning.dashboards;

import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.metrics.EwsMetrics;
import dev.earlywarning.common.testing.KafkaTestCluster;
import dev.earlywarning.router.AlertRouterJob;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.scoring.AtRiskScoringJob;
import dev.earlywarning.shipping.ShippingDelayJob;
import dev.earlywarning.sla.CallbackSlaJob;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The real jobs, wired exactly as in production ({@code Job.wire}: Kafka in and out, RocksDB,
 * exactly-once, metrics endpoint from the {@code metrics.*} settings), on the test's MiniCluster
 * that reports Flink's own metrics through our reporter, fed with {@link Traffic}.
 */
final class ObservedRun implements AutoCloseable {

    private static final Map<String, BiConsumer<StreamExecutionEnvironment, Settings>> JOBS =
            Map.of(AtRiskScoringJob.NAME, AtRiskScoringJob::wire,
                    AlertRouterJob.NAME, AlertRouterJob::wire,
                    CallbackSlaJob.NAME, CallbackSlaJob::wire,
                    ShippingDelayJob.NAME, ShippingDelayJob::wire);

    private final KafkaTestCluster kafka;
    private final Topics topics;
    private final Traffic traffic;
    private final Map<String, String> settings;
    private final List<JobClient> jobs = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String metricsUrl;

    ObservedRun(KafkaTestCluster kafka) {
        this.kafka = kafka;
        this.topics = kafka.freshTopics("obs");
        String shippingAlerts = topics.alerts().replace("ews.alerts", "shipping-alerts");
        kafka.createTopics(2, shippingAlerts);
        this.traffic = new Traffic(kafka, topics, shippingAlerts);
        settings = new LinkedHashMap<>(kafka.settingsFor(topics, "obs"));
        // No source goes idle during the run, so event time moves only with the story's records
        // and what escalates or breaches is decided by them, not by the machine's speed.
        settings.put("source-idleness", "2m");
        settings.put("metrics.host", "127.0.0.1");
        settings.put("metrics.port", "0");
        settings.put("shipping.regions", "A,B,C,D");
        settings.put("shipping.budget.EUR", "1000");
        for (String severity : List.of("critical", "high", "warning", "info")) {
            settings.put("router.ack-deadline." + severity, "2m");
        }
        int port = EwsMetrics.serveIfConfigured(Settings.of(settings)).orElseThrow().getPort();
        metricsUrl = "http://127.0.0.1:" + port + "/metrics";
    }

    /** host:port of the metrics endpoint, for a scrape config. */
    String target() {
        return URI.create(metricsUrl).getAuthority();
    }

    /** Starts the jobs and plays the traffic; returns once the jobs have reported on all of it. */
    void play(Configuration engine) throws Exception {
        traffic.firstPhase();
        for (Map.Entry<String, BiConsumer<StreamExecutionEnvironment, Settings>> job
                : JOBS.entrySet()) {
            Map<String, String> own = new LinkedHashMap<>(settings);
            // Each job its own group and so its own transactional ids.
            own.put("group-id", "obs-" + job.getKey());
            if (job.getKey().equals(ShippingDelayJob.NAME)) {
                // Its days-old story must not hold back, or be late for, the router's alerts.
                own.put("topic.alerts", traffic.shippingAlerts());
            }
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(engine);
            env.setParallelism(1);
            job.getValue().accept(env, Settings.of(own));
            jobs.add(env.executeAsync(job.getKey()));
        }
        // The storm must be known before the parcels cross it: two sources, no order between them.
        awaitSamples(Duration.ofSeconds(30),
                "ews_events_in_total\\{job=\"shipping-delay\",topic=\"[^\"]*disruptions\"} [1-9]");
        Thread.sleep(1_000);
        traffic.parcels();
        List<Alert> opened = kafka.readCommitted(topics.alerts(), Alert.class,
                        Traffic.CUSTOMERS, Duration.ofSeconds(60)).stream()
                .filter(a -> a.getSourceJob().equals(AtRiskScoringJob.NAME)
                        && a.getStatus() == AlertStatus.OPEN)
                .toList();
        awaitSamples(Duration.ofSeconds(30),
                "ews_alerts_total\\{job=\"shipping-delay\",kind=\"SHIPPING_DELAY_PREDICTED\"[^}]*} [1-9]");
        traffic.secondPhase(opened);
        awaitSamples(Duration.ofSeconds(20), series("ews_time_to_ack_seconds_count"),
                series("ews_delay_predictions_total"));
        traffic.thirdPhase();
        awaitSamples(Duration.ofSeconds(20), series("ews_escalations_total"),
                series("ews_time_to_close_loop_seconds_count"),
                series("ews_callback_breaches_total"), series("ews_commitments_closed_total"),
                series("ews_commitments_open"));
    }

    /** This JVM's /metrics page, as Prometheus scrapes it. */
    String scrape() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(metricsUrl)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String series(String metric) {
        return metric + "(\\{[^}]*})? [1-9]";
    }

    /** Waits until each pattern matches a sample line, or the time is up (the tests tell). */
    private void awaitSamples(Duration timeout, String... samples) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String page = scrape();
            boolean all = true;
            for (String sample : samples) {
                all &= Pattern.compile("(?m)^" + sample).matcher(page).find();
            }
            if (all) {
                return;
            }
            Thread.sleep(500);
        }
    }

    @Override
    public void close() {
        for (JobClient job : jobs) {
            try {
                job.cancel().get();
            } catch (Exception e) {
                // already ended
            }
        }
    }
}
