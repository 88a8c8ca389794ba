package dev.earlywarning.common.time;

import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.kafka.Decoded;
import dev.earlywarning.common.kafka.RecordType;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/** Event time decided at the source, from the record's own time field. */
public final class EventTime {

    private EventTime() {}

    /**
     * Bounded out-of-orderness watermarks with idleness. A record that failed to decode carries no
     * event time: it gets {@link Long#MIN_VALUE} so that it can never move the watermark.
     */
    public static <T extends SpecificRecordBase> WatermarkStrategy<Decoded<T>> watermarks(
            JobConfig config, RecordType<T> type) {
        RecordType.EventTime<T> eventTime = type.eventTime();
        return WatermarkStrategy.<Decoded<T>>forBoundedOutOfOrderness(config.maxOutOfOrder())
                .withIdleness(config.sourceIdleness())
                .withTimestampAssigner((decoded, kafkaTimestamp) ->
                        decoded.isValid() ? eventTime.of(decoded.value) : Long.MIN_VALUE);
    }

    /**
     * For low-volume side inputs such as control commands: never holds back the watermark of the
     * stream it is connected to, however rarely it carries a record. It declares itself idle
     * rather than at the end of time: were it to send {@code Long.MAX_VALUE}, then as soon as
     * every data input went idle (a quiet spell, or a slow first fetch at start-up) the operator's
     * watermark would jump to the end of time, fire every timer and make every later record late.
     */
    public static <T> WatermarkStrategy<T> neverHoldsBack() {
        return WatermarkStrategy.forGenerator(context -> new WatermarkGenerator<T>() {
            @Override
            public void onEvent(T event, long timestamp, WatermarkOutput output) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.markIdle();
            }
        });
    }

    /** True when an event is further behind the watermark than the allowed lateness. */
    public static boolean isTooLate(long eventTime, long watermark, long allowedLatenessMillis) {
        return watermark != Long.MIN_VALUE && eventTime < watermark - allowedLatenessMillis;
    }
}
