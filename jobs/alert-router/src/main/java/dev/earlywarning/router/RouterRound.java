package dev.earlywarning.router;

import dev.earlywarning.common.metrics.EwsMetrics;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.Severity;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.util.Collector;

/**
 * One timer call of the router for one customer: the configuration in force, the silences, and
 * where the records it decides go (the responder queue, the outreach queue), each counted with
 * the latency from the record that caused it.
 */
final class RouterRound {

    final String customerId;
    final RouterConfig config;
    private final Collector<Alert> responderQueue;
    private final Consumer<Alert> outreachQueue;
    private final Silences silences;
    private final DistributionDataPoint latency;
    /** Wall-clock entry time of the record being decided, or {@link Long#MIN_VALUE}. */
    long triggerIngestedAt = Long.MIN_VALUE;

    RouterRound(String customerId, RouterConfig config, Collector<Alert> responderQueue,
            Consumer<Alert> outreachQueue, Silences silences,
            DistributionDataPoint latency) {
        this.customerId = customerId;
        this.config = config;
        this.responderQueue = responderQueue;
        this.outreachQueue = outreachQueue;
        this.silences = silences;
        this.latency = latency;
    }

    void toResponders(Alert record) {
        responderQueue.collect(record);
        counted(record);
    }

    void toOutreach(Alert record) {
        outreachQueue.accept(record);
        counted(record);
    }

    List<Silence> activeSilences() throws Exception {
        return silences.active();
    }

    /** The silences in force (kept in broadcast state, which a read may fail on). */
    interface Silences {
        List<Silence> active() throws Exception;
    }

    static GaugeDataPoint queueGauge(String queue, int severity) {
        return EwsMetrics.QUEUE_ITEMS.labelValues(queue, Severity.values()[severity].name());
    }

    private void counted(Alert record) {
        EwsMetrics.ALERTS.labelValues(AlertRouterJob.NAME, record.getKind().name(),
                record.getSeverity().name()).inc();
        if (triggerIngestedAt != Long.MIN_VALUE) {
            latency.observe((System.currentTimeMillis() - triggerIngestedAt) / 1000.0);
        }
    }
}
