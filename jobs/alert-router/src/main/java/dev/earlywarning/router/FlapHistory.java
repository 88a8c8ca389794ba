package dev.earlywarning.router;

/**
 * The recent life of one alert condition (a detector's {@code dedupKey}) for one customer: when
 * it opened recently and whether a flapping resolve is being held. Kept in map state by dedupKey,
 * because every reopen of the condition arrives under a new alertId.
 */
public class FlapHistory {
    /** Event times of the condition's recent OPEN records, oldest first, within the flap window. */
    public long[] opens;
    /** A held resolve becomes real at this time unless the condition reopens first; NONE if none. */
    public long holdUntil;
    /** Reopens absorbed while held, reported on the item instead of re-notifying. */
    public int flapCount;

    public FlapHistory() {}

    static FlapHistory fresh() {
        FlapHistory history = new FlapHistory();
        history.opens = new long[0];
        history.holdUntil = RoutingState.NONE;
        return history;
    }

    boolean held() {
        return holdUntil != RoutingState.NONE;
    }
}
