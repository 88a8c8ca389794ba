package dev.earlywarning.common.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrequencySketchTest {

    @Test
    void countsAccessesUpToFifteen() {
        FrequencySketch sketch = new FrequencySketch(1_000);
        for (int i = 0; i < 7; i++) {
            sketch.increment("customer-7".hashCode());
        }
        for (int i = 0; i < 40; i++) {
            sketch.increment("customer-40".hashCode());
        }

        assertThat(sketch.frequency("customer-7".hashCode())).isEqualTo(7);
        assertThat(sketch.frequency("customer-40".hashCode())).as("saturated").isEqualTo(15);
        assertThat(sketch.frequency("never-seen".hashCode())).isZero();
    }

    @Test
    void keysSeenOnceRarelyLookBusy() {
        FrequencySketch sketch = new FrequencySketch(1_000);
        for (int i = 0; i < 1_000; i++) {
            sketch.increment(("once-" + i).hashCode());
        }
        int overcounted = 0;
        for (int i = 0; i < 1_000; i++) {
            int estimate = sketch.frequency(("once-" + i).hashCode());
            assertThat(estimate).as("never below the true count").isGreaterThanOrEqualTo(1);
            overcounted += estimate > 1 ? 1 : 0;
        }
        // With four counters per key all taken, a key's four all collide with others' about
        // (1 - 1/e)^4 = 16% of the time: an estimate of 2 instead of 1, still below a busy key's.
        assertThat(overcounted).as("collisions in four counters per key").isLessThan(250);
    }

    @Test
    void pastPopularityFadesByHalvesAfterTenAccessesPerCachedKey() {
        FrequencySketch sketch = new FrequencySketch(16);
        for (int i = 0; i < 12; i++) {
            sketch.increment("was-busy".hashCode());
        }
        for (int i = 0; i < 10 * 16 - 12 - 1; i++) {
            sketch.increment(("other-" + i).hashCode());
        }
        assertThat(sketch.frequency("was-busy".hashCode())).isGreaterThanOrEqualTo(12);

        sketch.increment("one-more".hashCode());
        assertThat(sketch.frequency("was-busy".hashCode())).isBetween(6, 7);
    }
}
