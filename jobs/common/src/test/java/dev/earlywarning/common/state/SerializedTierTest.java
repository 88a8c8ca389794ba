package dev.earlywarning.common.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.common.typeutils.base.array.LongPrimitiveArraySerializer;
import org.junit.jupiter.api.Test;

class SerializedTierTest {

    @Test
    void aValueComesBackAsItWasPutAndOnlyOnce() {
        SerializedTier<long[]> tier =
                new SerializedTier<>(4096, LongPrimitiveArraySerializer.INSTANCE);
        long[] value = {1, 2, 3};
        tier.put("a", value);
        value[0] = 99;

        assertThat(tier.take("a")).as("a copy, not the object").containsExactly(1, 2, 3);
        assertThat(tier.take("a")).as("taken out when used").isNull();
        assertThat(tier.take("never")).isNull();
        assertThat(tier.hits()).isEqualTo(1);
        assertThat(tier.size()).isZero();
    }

    @Test
    void whenTheRingIsFullTheEntriesReceivedLongestAgoAreForgotten() {
        // 1 KB: room for 25 entries of 40 bytes, but the index takes one per 128 bytes: 8.
        SerializedTier<String> tier = new SerializedTier<>(1024, StringSerializer.INSTANCE);
        for (int i = 0; i < 100; i++) {
            tier.put(key(i), "value " + key(i) + " ....");
        }
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String value = tier.take(key(i));
            if (value != null) {
                assertThat(value).isEqualTo("value " + key(i) + " ....");
                kept.add(i);
            }
        }
        assertThat(kept).as("the newest").containsExactly(92, 93, 94, 95, 96, 97, 98, 99);
    }

    @Test
    void aValueReadBackIsAlwaysTheLatestPutUnderItsKeyWhateverWasForgotten() {
        // A small ring and index: entries wrap around many times and probe sequences collide.
        SerializedTier<String> tier = new SerializedTier<>(2048, StringSerializer.INSTANCE);
        Map<String, String> latest = new HashMap<>();
        SplittableRandom random = new SplittableRandom(7);
        int found = 0;
        for (int op = 0; op < 20_000; op++) {
            String key = "customer-" + random.nextInt(60);
            switch (random.nextInt(4)) {
                case 0, 1 -> {
                    String value = key + "/" + op + "x".repeat(random.nextInt(60));
                    tier.put(key, value);
                    latest.put(key, value);
                }
                case 2 -> {
                    String value = tier.take(key);
                    if (value != null) {
                        assertThat(value).isEqualTo(latest.get(key));
                        found++;
                    }
                    latest.remove(key);
                }
                default -> {
                    tier.remove(key);
                    latest.remove(key);
                }
            }
            assertThat(tier.size()).isBetween(0, latest.size());
        }
        assertThat(found).as("values were found, not only forgotten").isGreaterThan(1_000);
    }

    @Test
    void aRemovedKeyAndATierOfNoBytesHoldNothing() {
        SerializedTier<String> tier = new SerializedTier<>(4096, StringSerializer.INSTANCE);
        tier.put("a", "x");
        tier.remove("a");
        assertThat(tier.take("a")).isNull();

        SerializedTier<String> none = new SerializedTier<>(0, StringSerializer.INSTANCE);
        none.put("a", "x");
        assertThat(none.size()).isZero();
        assertThat(none.take("a")).isNull();
        assertThatThrownBy(() -> new SerializedTier<>(-1, StringSerializer.INSTANCE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void whenTheEntriesAreLargeTheRingIsWhatBoundsThem() {
        // 2 KB and entries of 14 + 8 + 300 bytes: six fit, the index would take sixteen.
        SerializedTier<String> tier = new SerializedTier<>(2048, StringSerializer.INSTANCE);
        for (int i = 0; i < 40; i++) {
            tier.put(key(i), key(i) + "y".repeat(294));
        }
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String value = tier.take(key(i));
            if (value != null) {
                assertThat(value).startsWith(key(i)).hasSize(298);
                kept.add(i);
            }
        }
        assertThat(kept).containsExactly(34, 35, 36, 37, 38, 39);
    }

    @Test
    void aValueTooLargeForTheRingIsNotKept() {
        SerializedTier<String> tier = new SerializedTier<>(1024, StringSerializer.INSTANCE);
        tier.put("big", "x".repeat(400));
        assertThat(tier.take("big")).isNull();
    }

    private static String key(int i) {
        return String.format("k%03d", i);
    }
}
