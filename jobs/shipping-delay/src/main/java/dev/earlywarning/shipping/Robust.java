package dev.earlywarning.shipping;

import java.util.Arrays;

/**
 * Outlier-robust statistics: a storm-delayed or lost parcel among the recent deliveries moves a
 * mean a lot and a median hardly at all.
 */
final class Robust {

    /** Scales the median absolute deviation to a standard deviation for normal data. */
    private static final double MAD_TO_SIGMA = 1.4826;

    private Robust() {}

    static long median(long[] values, int count) {
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        return count % 2 == 1 ? sorted[count / 2]
                : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
    }

    static long scaledMad(long[] values, int count, long median) {
        long[] deviations = new long[count];
        for (int i = 0; i < count; i++) {
            deviations[i] = Math.abs(values[i] - median);
        }
        return Math.round(median(deviations, count) * MAD_TO_SIGMA);
    }
}
