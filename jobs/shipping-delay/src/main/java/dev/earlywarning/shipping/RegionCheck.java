package dev.earlywarning.shipping;

import dev.earlywarning.common.kafka.AvroCodec;
import dev.earlywarning.common.kafka.DeadLetterReason;
import dev.earlywarning.common.kafka.DeadLetters;
import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.common.metrics.EwsMetrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.io.Serializable;
import java.util.List;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Dead-letters records that name a region outside the configured catalogue ({@code regions}):
 * a disruption there could never match a route, and a route through it would be laid out wrong.
 * It runs once per record before anything keyed or broadcast, so each bad record is reported
 * once. With no catalogue configured every region passes.
 */
class RegionCheck<T extends SpecificRecordBase> extends ProcessFunction<Ingested<T>, Ingested<T>> {

    private static final long serialVersionUID = 1L;

    /** The regions a record names, and its Kafka key. */
    interface Regions<T> extends Serializable {
        List<String> of(T record);
    }

    interface Key<T> extends Serializable {
        String of(T record);
    }

    private final Class<T> type;
    private final String topic;
    private final Set<String> known;
    private final Regions<T> regions;
    private final Key<T> key;
    private transient AvroCodec<T> codec;
    private transient CounterDataPoint invalid;

    RegionCheck(Class<T> type, String topic, Set<String> known, Regions<T> regions, Key<T> key) {
        this.type = type;
        this.topic = topic;
        this.known = Set.copyOf(known);
        this.regions = regions;
        this.key = key;
    }

    @Override
    public void open(OpenContext openContext) {
        codec = new AvroCodec<>(type);
        invalid = EwsMetrics.DEAD_LETTERS.labelValues(ShippingDelayJob.NAME,
                DeadLetterReason.INVALID.label());
    }

    @Override
    public void processElement(Ingested<T> in, Context ctx, Collector<Ingested<T>> out) {
        if (!known.isEmpty()) {
            for (String region : regions.of(in.value)) {
                if (region != null && !known.contains(region)) {
                    invalid.inc();
                    ctx.output(DeadLetters.TAG, DeadLetters.build(ShippingDelayJob.NAME, topic,
                            in.partition, in.offset, key.of(in.value),
                            DeadLetterReason.INVALID.describe("region " + region
                                    + " is not a known region"), codec.encode(in.value)));
                    return;
                }
            }
        }
        out.collect(in);
    }
}
