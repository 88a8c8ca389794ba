package dev.earlywarning.common.state;

/**
 * How often each key was asked for lately, approximately, in a fixed amount of memory: a
 * count-min sketch of 4-bit counters (four per key, the smallest of them is the estimate), all
 * halved each time {@code 10 x capacity} accesses have been counted, so that a key's past
 * popularity fades (TinyLFU, Einziger, Friedman and Manes, 2017; Caffeine's sketch works the same
 * way). Deterministic: the same accesses give the same estimates in every run.
 *
 * <p>Not thread-safe, like the cache it serves.
 */
final class FrequencySketch {

    /** A counter saturates at 15; halving keeps the ranking of the keys that matter. */
    private static final int MAX = 15;
    private static final long HALF_MASK = 0x7777_7777_7777_7777L;
    private static final long[] SEEDS = {
        0x97CB_3127_A0E4_1F45L, 0xC2B2_AE3D_27D4_EB4FL, 0x1656_67B1_9E37_79F9L,
        0x9E37_79B9_7F4A_7C15L,
    };

    /** Sixteen 4-bit counters per long. */
    private final long[] table;
    private final int counterMask;
    private final int sampleSize;
    private int additions;

    /** A sketch for a cache of {@code capacity} keys: four counters per cached key. */
    FrequencySketch(int capacity) {
        int counters = Integer.highestOneBit(Math.max(16, Math.min(capacity, 1 << 22)) * 4 - 1) << 1;
        this.table = new long[counters >>> 4];
        this.counterMask = counters - 1;
        this.sampleSize = (int) Math.min(Integer.MAX_VALUE, 10L * capacity);
    }

    /** Counts one access of a key of this hash code. */
    void increment(int hash) {
        boolean added = false;
        for (long seed : SEEDS) {
            int counter = counterOf(hash, seed);
            int shift = (counter & 15) << 2;
            int word = counter >>> 4;
            if (((table[word] >>> shift) & MAX) < MAX) {
                table[word] += 1L << shift;
                added = true;
            }
        }
        if (added && ++additions >= sampleSize) {
            halve();
        }
    }

    /** The estimated recent accesses of a key of this hash code, 0 to 15. */
    int frequency(int hash) {
        int estimate = MAX;
        for (long seed : SEEDS) {
            int counter = counterOf(hash, seed);
            estimate = Math.min(estimate,
                    (int) ((table[counter >>> 4] >>> ((counter & 15) << 2)) & MAX));
        }
        return estimate;
    }

    private void halve() {
        for (int i = 0; i < table.length; i++) {
            table[i] = (table[i] >>> 1) & HALF_MASK;
        }
        additions /= 2;
    }

    private int counterOf(int hash, long seed) {
        long mixed = (hash + seed) * 0xBF58_476D_1CE4_E5B9L;
        mixed ^= mixed >>> 31;
        return (int) mixed & counterMask;
    }
}
