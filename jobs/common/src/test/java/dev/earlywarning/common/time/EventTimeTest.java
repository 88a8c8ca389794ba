package dev.earlywarning.common.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class EventTimeTest {

    /** What a generator told its output, in order. */
    private static final class Recorded implements WatermarkOutput {
        final List<String> calls = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            calls.add("watermark " + watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
            calls.add("idle");
        }

        @Override
        public void markActive() {
            calls.add("active");
        }
    }

    @Test
    void aSideInputThatNeverHoldsBackIsIdleRatherThanAtTheEndOfTime() {
        WatermarkGenerator<String> generator = EventTime.<String>neverHoldsBack()
                .createWatermarkGenerator(null);
        Recorded output = new Recorded();
        generator.onPeriodicEmit(output);
        generator.onEvent("SET_CONFIG", 1_000, output);
        generator.onPeriodicEmit(output);
        assertThat(output.calls).containsOnly("idle");
    }

    @Test
    void tooLateIsBeyondTheAllowedLatenessBehindAKnownWatermark() {
        assertThat(EventTime.isTooLate(0, Long.MIN_VALUE, 10)).isFalse();
        assertThat(EventTime.isTooLate(90, 100, 10)).isFalse();
        assertThat(EventTime.isTooLate(89, 100, 10)).isTrue();
    }
}
