package dev.earlywarning.common.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The metrics of the contract, with their binding names, registered once per JVM. They are
 * Prometheus-native (real histograms in seconds, labels as named in the contract) rather than
 * Flink metrics, whose reporter turns histograms into summaries and prefixes every name; Flink's
 * own metrics still go out through Flink's reporter. Functions take their labelled data points in
 * {@code open()} and keep them in transient fields.
 */
public final class EwsMetrics {

    private static final PrometheusRegistry REGISTRY = PrometheusRegistry.defaultRegistry;

    public static final Counter EVENTS_IN = Counter.builder()
            .name("ews_events_in_total").help("Records read, valid or not, by job and topic.")
            .labelNames("job", "topic").register(REGISTRY);

    public static final Counter DEAD_LETTERS = Counter.builder()
            .name("ews_dead_letter_total").help("Records sent to the dead-letter topic, by reason.")
            .labelNames("job", "reason").register(REGISTRY);

    public static final Counter ALERTS = Counter.builder()
            .name("ews_alerts_total").help("Alerts emitted, by job, kind and severity.")
            .labelNames("job", "kind", "severity").register(REGISTRY);

    public static final Histogram ALERT_LATENCY = Histogram.builder()
            .name("ews_alert_latency_seconds")
            .help("Alert emission time minus the wall-clock time its triggering record entered the job.")
            .labelNames("job")
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300)
            .register(REGISTRY);

    public static final Histogram RISK_SCORE = Histogram.builder()
            .name("ews_risk_score").help("At-risk scores of the customers alerted on.")
            .classicLinearUpperBounds(0.1, 0.1, 10).register(REGISTRY);

    public static final Gauge COMMITMENTS_OPEN = Gauge.builder()
            .name("ews_commitments_open").help("Commitments being watched.")
            .labelNames("job").register(REGISTRY);

    /** Punctuality per region is kept_on_time over all outcomes but cancelled. */
    public static final Counter COMMITMENTS_CLOSED = Counter.builder()
            .name("ews_commitments_closed_total")
            .help("Commitments no longer watched, by job, calendar region and outcome"
                    + " (kept_on_time, kept_late, breached, cancelled).")
            .labelNames("job", "region", "outcome").register(REGISTRY);

    public static final Counter CALLBACK_BREACHES = Counter.builder()
            .name("ews_callback_breaches_total").help("Callback commitments breached.")
            .register(REGISTRY);

    public static final Counter GESTURES = Counter.builder()
            .name("ews_gestures_total").help("Pre-emptive gestures proposed, by kind.")
            .labelNames("kind").register(REGISTRY);

    public static final Histogram TIME_TO_ACK = Histogram.builder()
            .name("ews_time_to_ack_seconds").help("From an alert's emission to its acknowledgement.")
            .classicUpperBounds(30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400)
            .register(REGISTRY);

    public static final Counter ESCALATIONS = Counter.builder()
            .name("ews_escalations_total").help("Unacknowledged alerts escalated, by level.")
            .labelNames("level").register(REGISTRY);

    private static HTTPServer server;

    private EwsMetrics() {}

    public static PrometheusRegistry registry() {
        return REGISTRY;
    }

    /**
     * Starts this JVM's /metrics endpoint once; later calls return the running one. Port 0 picks a
     * free port (see {@link HTTPServer#getPort()}).
     */
    public static synchronized HTTPServer serve(String host, int port) {
        if (server == null) {
            try {
                server = HTTPServer.builder().hostname(host).port(port).registry(REGISTRY)
                        .buildAndStart();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port, e);
            }
        }
        return server;
    }
}
