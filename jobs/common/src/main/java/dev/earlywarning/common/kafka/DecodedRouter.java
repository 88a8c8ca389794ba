package dev.earlywarning.common.kafka;

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
 */
public class DecodedRouter<T> extends ProcessFunction<Decoded<T>, Ingested<T>> {

    private static final long serialVersionUID = 1L;

    private final String job;
    private final String topic;
    private transient CounterDataPoint eventsIn;
    private transient Map<DeadLetterReason, CounterDataPoint> deadLetters;

    public DecodedRouter(String job, String topic) {
        this.job = job;
        this.topic = topic;
    }

    @Override
    public void open(OpenContext openContext) {
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
