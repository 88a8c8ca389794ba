package dev.earlywarning.common.kafka;

import java.io.Serializable;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * How a job reads one topic's records: the generated class, the record's own event time, and the
 * contract's rules a decoded record must also satisfy.
 */
public record RecordType<T extends SpecificRecordBase>(
        Class<T> type, EventTime<T> eventTime, Validator<T> validator) implements Serializable {

    /** The record's own event time in epoch millis (never the Kafka timestamp). */
    @FunctionalInterface
    public interface EventTime<T> extends Serializable {
        long of(T record);
    }

    /** Returns why the record breaks the contract, or null when it is fine. */
    @FunctionalInterface
    public interface Validator<T> extends Serializable {
        String problem(T record, Limits limits);
    }

    /** What "impossible" means for validation: how far ahead of the wall clock a record may be. */
    public record Limits(long nowMillis, long maxFutureSkewMillis) {
        public String futureProblem(String field, long epochMillis) {
            return epochMillis > nowMillis + maxFutureSkewMillis
                    ? field + " is more than " + java.time.Duration.ofMillis(maxFutureSkewMillis)
                            + " in the future"
                    : null;
        }
    }
}
