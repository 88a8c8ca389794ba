package dev.earlywarning.common.metrics;

import dev.earlywarning.common.config.ConfigException;
import dev.earlywarning.common.config.Settings;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The metrics of the contract, with their binding names, registered once per JVM. They are
 * Prometheus-native (real histograms in seconds, labels as named in the contract) rather than
 * Flink metrics, whose reporter turns histograms into summaries and prefixes every name; Flink's
 * own metrics join them in the same registry through {@link FlinkMetricsReporter}, so one
 * endpoint per JVM serves both. Functions take their labelled data points in {@code open()} and
 * keep them in transient fields.
 */
public final class EwsMetrics {

    /** Loopback unless asked otherwise: the endpoint shows every job's internals. */
    public static final String DEFAULT_HOST = "127.0.0.1";

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

    public static final Gauge QUEUE_ITEMS = Gauge.builder()
            .name("ews_queue_items")
            .help("Open items in the alert router's output queues, by queue and severity.")
            .labelNames("queue", "severity").register(REGISTRY);

    public static final Histogram TIME_TO_CLOSE_LOOP = Histogram.builder()
            .name("ews_time_to_close_loop_seconds")
            .help("From a responder item's emission to the customer actually being contacted.")
            .classicUpperBounds(300, 900, 1800, 3600, 7200, 14400, 28800, 86400, 172800, 604800)
            .register(REGISTRY);

    public static final Counter ROUTER_SUPPRESSED = Counter.builder()
            .name("ews_router_suppressed_total")
            .help("Alert records the router did not pass on, by reason"
                    + " (duplicate, silenced, inhibited, over_budget, flapping).")
            .labelNames("reason").register(REGISTRY);

    public static final Counter LOOPS = Counter.builder()
            .name("ews_loops_total")
            .help("Acknowledged responder items by outcome"
                    + " (closed, not_closed, resolved_without_contact).")
            .labelNames("outcome").register(REGISTRY);

    /** outcome: true_positive, false_positive (predicted, on time) or false_negative (missed). */
    public static final Counter DELAY_PREDICTIONS = Counter.builder()
            .name("ews_delay_predictions_total")
            .help("Shipping-delay predictions checked against the delivery, by outcome and holdout.")
            .labelNames("job", "outcome", "holdout").register(REGISTRY);

    /**
     * This JVM's share of predictions that came true, from {@link #DELAY_PREDICTIONS} at scrape
     * time; across JVMs, compute it from the counter in PromQL instead.
     */
    public static final GaugeWithCallback DELAY_PREDICTION_PRECISION = GaugeWithCallback.builder()
            .name("ews_delay_prediction_precision")
            .help("True positives over all checked delay predictions (NaN before the first).")
            .callback(callback -> callback.call(precision()))
            .register(REGISTRY);

    public static final Histogram DELAY_LEAD_TIME = Histogram.builder()
            .name("ews_delay_lead_time_hours")
            .help("Hours between a delay prediction and the promised delivery, by outcome.")
            .labelNames("job", "outcome")
            .classicUpperBounds(1, 2, 4, 8, 12, 24, 36, 48, 72, 96, 168)
            .register(REGISTRY);

    public static final Gauge GESTURE_BUDGET_SPENT = Gauge.builder()
            .name("ews_gesture_budget_spent_cents")
            .help("Gesture budget granted so far on the latest day, by currency.")
            .labelNames("currency").register(REGISTRY);

    public static final Counter GESTURES_OVER_BUDGET = Counter.builder()
            .name("ews_gestures_over_budget_total")
            .help("Monetary gestures refused because the day's budget was spent, by currency.")
            .labelNames("currency").register(REGISTRY);

    /**
     * outcome: hit (a look-up answered from memory), miss (one that read the state backend),
     * write (a value written back). Published at each checkpoint barrier, not per event.
     */
    public static final Counter STATE_CACHE = Counter.builder()
            .name("ews_state_cache_total")
            .help("Keyed-state objects cached in memory: look-ups by outcome, and write-backs.")
            .labelNames("job", "outcome").register(REGISTRY);

    public static final Counter SHIPMENT_EVENTS_UNMATCHED = Counter.builder()
            .name("ews_shipment_events_unmatched_total")
            .help("Shipment events for an order the job has not seen shipped, by type.")
            .labelNames("job", "type").register(REGISTRY);

    private static HTTPServer server;

    private EwsMetrics() {}

    static double precision() {
        double truePositives = 0;
        double all = 0;
        for (var point : DELAY_PREDICTIONS.collect().getDataPoints()) {
            String outcome = point.getLabels().get("outcome");
            if ("true_positive".equals(outcome)) {
                truePositives += point.getValue();
                all += point.getValue();
            } else if ("false_positive".equals(outcome)) {
                all += point.getValue();
            }
        }
        return all == 0 ? Double.NaN : truePositives / all;
    }

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

    /**
     * Like {@link #serve(String, int)} on the first free port of {@code ports}: one port
     * ({@code 9464}) or a range ({@code 9464-9470}), so several JVMs on one host can share a
     * configuration.
     */
    public static synchronized HTTPServer serve(String host, String ports) {
        String[] bounds = ports.trim().split("-", 2);
        int first;
        int last;
        try {
            first = Integer.parseInt(bounds[0].trim());
            last = bounds.length == 2 ? Integer.parseInt(bounds[1].trim()) : first;
        } catch (NumberFormatException e) {
            throw new ConfigException("metrics port must be a port or a range like 9464-9470, got '"
                    + ports + "'");
        }
        if (first < 0 || last > 65535 || last < first) {
            throw new ConfigException("metrics port range must lie within 0..65535, got '" + ports
                    + "'");
        }
        UncheckedIOException failure = null;
        for (int port = first; port <= last; port++) {
            try {
                return serve(host, port);
            } catch (UncheckedIOException e) {
                failure = e;
            }
        }
        throw failure;
    }

    /**
     * Serves /metrics on {@code metrics.host} (default {@value #DEFAULT_HOST}) and
     * {@code metrics.port} (a port or a range) when {@code metrics.port} is set; every job's
     * {@code wire} calls this, so a job run in its own JVM exposes its metrics by setting alone.
     */
    public static Optional<HTTPServer> serveIfConfigured(Settings settings) {
        if (!settings.has("metrics.port")) {
            return Optional.empty();
        }
        return Optional.of(serve(settings.string("metrics.host", DEFAULT_HOST),
                settings.string("metrics.port", "")));
    }
}
