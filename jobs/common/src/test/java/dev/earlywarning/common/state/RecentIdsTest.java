package dev.earlywarning.common.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentIdsTest {

    @Test
    void anIdIsNewOnceWhileItIsAmongTheLastSixteen() {
        long[] ring = RecentIds.ring();
        int written = 0;
        assertThat(RecentIds.isNew(ring, written++, "e0")).isTrue();
        assertThat(RecentIds.isNew(ring, written, "e0")).isFalse();
        for (int i = 1; i < RecentIds.SIZE; i++) {
            assertThat(RecentIds.isNew(ring, written++, "e" + i)).isTrue();
        }
        assertThat(RecentIds.isNew(ring, written, "e0")).as("the oldest of sixteen").isFalse();

        assertThat(RecentIds.isNew(ring, written++, "e16")).isTrue();
        assertThat(RecentIds.isNew(ring, written, "e0")).as("written over by the seventeenth")
                .isTrue();
    }

    @Test
    void theHashIsStableAndNeverTheEmptySlot() {
        assertThat(RecentIds.hash64("interaction:e1")).isEqualTo(RecentIds.hash64("interaction:e1"))
                .isNotEqualTo(RecentIds.hash64("callback:e1"));
        assertThat(RecentIds.isNew(RecentIds.ring(), 0, "")).as("no id is taken for a blank slot")
                .isTrue();
        for (int i = 0; i < 100_000; i++) {
            assertThat(RecentIds.hash64("id-" + i)).isNotZero();
        }
    }
}
