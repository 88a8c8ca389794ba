package dev.earlywarning.cli.sim;

import java.time.Duration;
import java.time.Instant;

/**
 * The simulation's event-time clock: it starts {@code lead} before the wall clock and runs
 * {@code speed} times faster, so days of history replay in minutes, but it never runs ahead of
 * the wall clock: once it has caught up it runs at 1x, and every generated event lies in the past.
 */
public record SimClock(long wallStartMillis, long simStartMillis, double speed) {

    public SimClock {
        if (!(speed >= 1)) {
            throw new IllegalArgumentException("speed must be at least 1, was " + speed);
        }
    }

    public static SimClock startingBefore(Instant wallNow, Duration lead, double speed) {
        return new SimClock(wallNow.toEpochMilli(), wallNow.minus(lead).toEpochMilli(), speed);
    }

    /** Event time at the given wall time; before the start it extrapolates backwards. */
    public long simAt(long wallMillis) {
        long sim = simStartMillis + (long) ((wallMillis - wallStartMillis) * speed);
        return Math.min(sim, wallMillis);
    }

    /** The wall time at which the clock reaches the wall clock and drops to 1x. */
    public long catchUpWallMillis() {
        if (speed == 1) {
            return simStartMillis >= wallStartMillis ? wallStartMillis : Long.MAX_VALUE;
        }
        return wallStartMillis + (long) ((wallStartMillis - simStartMillis) / (speed - 1));
    }
}
