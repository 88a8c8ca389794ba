package dev.earlywarning.router;

import java.util.Arrays;

/**
 * The fatigue budget: at most {@code outreach-budget} outreach contacts per customer within any
 * rolling {@code outreach-budget-period}, across every alert kind and channel. Only the send
 * times inside the period are kept, so the history is bounded by the budget's upper limit.
 */
final class FatigueBudget {

    private FatigueBudget() {}

    static boolean allows(long[] sentAt, long at, int budget, long periodMillis) {
        return within(sentAt, at, periodMillis).length < budget;
    }

    /** The history after a send at {@code at}: older sends outside the period are dropped. */
    static long[] record(long[] sentAt, long at, long periodMillis) {
        long[] kept = within(sentAt, at, periodMillis);
        long[] updated = Arrays.copyOf(kept, kept.length + 1);
        updated[kept.length] = at;
        Arrays.sort(updated);
        return updated;
    }

    /** When the last send leaves the period, i.e. the history no longer matters; NONE if empty. */
    static long forgettableAt(long[] sentAt, long periodMillis) {
        return sentAt.length == 0 ? RoutingState.NONE : sentAt[sentAt.length - 1] + periodMillis;
    }

    private static long[] within(long[] sentAt, long at, long periodMillis) {
        return Arrays.stream(sentAt).filter(t -> t > at - periodMillis).toArray();
    }
}
