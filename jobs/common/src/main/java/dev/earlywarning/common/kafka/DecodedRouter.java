package dev.earlywarning.common.kafka;

import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.metrics.EwsMetrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Passes valid records on and sends the rest to {@link DeadLetters#TAG}, counting both: every
 * record read is in {@code ews_events_in_total}, every rejected one in {@code ews_dead_letter_total}.
 * It also starts the metrics endpoint of the JVM it runs in, so that task managers of a cluster
 * serve the contract's metrics too.
 */
public class DecodedRouter<T> extends ProcessFunction<Decoded<T>, Ingested<T>> {

    private static final long serialVersionUID = 1L;

    private final String job;
    private final String topic;
    private final Settings settings;
    private transient CounterDataPoint eventsIn;
    private transient Map<DeadLetterReason, CounterDataPoint> deadLetters;

    public DecodedRouter(String job, String topic, Settings settings) {
        this.job = job;
        this.topic = topic;
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        // Every job reads through here, on every task manager: the place to serve this JVM's
        // metrics page when the job is configured with metrics.port (once per JVM and job).
        EwsMetrics.serveIfConfigured(settings);
        eventsIn = EwsMetrics.EVENTS_IN.labelValues(job, topic);
        deadLetters = new EnumMap<>(DeadLetterReason.class);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters.put(reason, EwsMetrics.DEAD_LETTERS.labelValues(job, reason.label()));
        }
    }

    @Override
    public void processElement(Decoded<T> decoded, Context ctx, Collector<Ingested<T>> out) {
        eventsIn.inc();
        if (decoded.isValid()) {
            out.collect(new Ingested<>(decoded.value, decoded.partition, decoded.offset,
                    decoded.ingestedAt));
        } else {
            deadLetters.get(decoded.failureReason).inc();
            ctx.output(DeadLetters.TAG, DeadLetters.of(job, decoded));
        }
    }
}
