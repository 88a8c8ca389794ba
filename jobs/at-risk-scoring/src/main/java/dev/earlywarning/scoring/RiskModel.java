package dev.earlywarning.scoring;

/**
 * The score arithmetic: exponential decay of each signal's intensity in event time, and the
 * saturating score {@code 1 - exp(-sum)}. Pure functions of the state and the configuration.
 */
final class RiskModel {

    private RiskModel() {}

    /** Brings the intensities forward to {@code time}; earlier times leave the state as it is. */
    static void decayTo(RiskState state, long time, ScoringConfig config) {
        if (time <= state.asOf) {
            return;
        }
        for (Signal signal : Signal.ALL) {
            // Most signals of most customers are zero: skip the pow.
            if (state.intensity[signal.ordinal()] != 0) {
                state.intensity[signal.ordinal()] *= decayFactor(time - state.asOf, signal, config);
            }
        }
        state.asOf = time;
    }

    /**
     * Adds an occurrence. An occurrence older than the state (out-of-order arrival) is added as
     * much as it would have decayed by now, so the result does not depend on arrival order.
     */
    static void add(RiskState state, Signal signal, double amount, long at, ScoringConfig config) {
        double decayed = at < state.asOf ? amount * decayFactor(state.asOf - at, signal, config) : amount;
        state.intensity[signal.ordinal()] += decayed;
    }

    static void relieve(RiskState state, double relief) {
        for (int i = 0; i < state.intensity.length; i++) {
            state.intensity[i] *= 1 - relief;
        }
    }

    static double score(RiskState state) {
        return scoreOf(total(state));
    }

    static double scoreAt(RiskState state, long time, ScoringConfig config) {
        return scoreOf(totalAt(state, time, config));
    }

    /**
     * Whether the score has fallen below the clear threshold by {@code time}: the cheap question
     * (one decay per signal) to ask before {@link #clearTime} searches for the exact moment.
     */
    static boolean clearedBy(RiskState state, long time, ScoringConfig config) {
        return totalAt(state, time, config) < ScoringConfig.intensityFor(config.clearThreshold());
    }

    /**
     * The first event time at or after {@code asOf} when the score falls below the clear threshold.
     * The decayed total is strictly decreasing in time, so bisection finds it to the millisecond.
     */
    static long clearTime(RiskState state, ScoringConfig config) {
        double target = ScoringConfig.intensityFor(config.clearThreshold());
        if (total(state) < target) {
            return state.asOf;
        }
        long low = 0;
        long high = 1;
        while (totalAt(state, state.asOf + high, config) >= target) {
            high *= 2;
        }
        while (high - low > 1) {
            long mid = low + (high - low) / 2;
            if (totalAt(state, state.asOf + mid, config) >= target) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return state.asOf + high;
    }

    static double total(RiskState state) {
        double sum = 0;
        for (double value : state.intensity) {
            sum += value;
        }
        return sum;
    }

    private static double totalAt(RiskState state, long time, ScoringConfig config) {
        double sum = 0;
        for (Signal signal : Signal.ALL) {
            double value = state.intensity[signal.ordinal()];
            if (value > 0) {
                sum += time > state.asOf
                        ? value * decayFactor(time - state.asOf, signal, config) : value;
            }
        }
        return sum;
    }

    static double scoreOf(double total) {
        return 1 - Math.exp(-total);
    }

    private static double decayFactor(long elapsedMillis, Signal signal, ScoringConfig config) {
        return Math.pow(0.5, elapsedMillis / config.halfLifeMillisBySignal()[signal.ordinal()]);
    }
}
