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
     * For side inputs such as control commands: the input is always idle, so it never holds back
     * the watermark of the stream it is connected to and never moves it either. (Emitting the
     * maximum watermark instead would be wrong: once the main input went idle, the side input's
     * watermark alone would fire every timer, clean-up timers included.) Its records still flow.
     */
    public static <T> WatermarkStrategy<T> neverHoldsBack() {
        return WatermarkStrategy.forGenerator(context -> new WatermarkGenerator<T>() {
            @Override
            public void onEvent(T event, long timestamp, WatermarkOutput output) {
                output.markIdle();
            }

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
