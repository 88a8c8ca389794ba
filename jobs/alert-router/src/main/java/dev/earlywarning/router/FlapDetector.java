package dev.earlywarning.router;

import java.util.Arrays;

/**
 * Flapping: a condition that opened at least {@code flap-threshold} times within
 * {@code flap-window} and resolves again is held open instead of being resolved, for one more
 * window. If it reopens while held, the reopen is absorbed (the item's flap count grows, nobody is
 * notified again); if it stays quiet for the window, the resolve becomes real. The first few cycles
 * do notify: that is how the flapping is seen at all.
 */
final class FlapDetector {

    /** Opens older than this many windows cannot matter for any threshold; bounds the array. */
    private static final int MAX_OPENS = 100;

    private FlapDetector() {}

    /** Remembers an OPEN of the condition at {@code at}, forgetting those out of the window. */
    static void recordOpen(FlapHistory history, long at, long windowMillis) {
        long[] kept = Arrays.stream(history.opens).filter(t -> t > at - windowMillis).toArray();
        long[] opens = Arrays.copyOf(kept, Math.min(kept.length + 1, MAX_OPENS));
        if (kept.length >= MAX_OPENS) {
            System.arraycopy(kept, 1, opens, 0, MAX_OPENS - 1);
        }
        opens[opens.length - 1] = at;
        Arrays.sort(opens);
        history.opens = opens;
    }

    /** Whether a resolve at {@code at} is flapping: enough opens within the window before it. */
    static boolean isFlapping(FlapHistory history, long at, int threshold, long windowMillis) {
        long recent = Arrays.stream(history.opens).filter(t -> t > at - windowMillis && t <= at)
                .count();
        return recent >= threshold;
    }

    /** Holds the resolve at {@code at} for one window. */
    static void hold(FlapHistory history, long at, long windowMillis) {
        history.holdUntil = at + windowMillis;
    }

    /** A reopen while held: the hold ends and the reopen is counted instead of notified. */
    static void absorbReopen(FlapHistory history) {
        history.holdUntil = RoutingState.NONE;
        history.flapCount++;
    }

    /** Whether nothing about the condition can matter any more at {@code at}. */
    static boolean forgettable(FlapHistory history, long at, long windowMillis) {
        return !history.held()
                && Arrays.stream(history.opens).allMatch(t -> t <= at - windowMillis);
    }
}
