package dev.earlywarning.shipping;

import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.Gesture;

/**
 * A delay alert on its way to the budget: the alert as the prediction built it, without its
 * gesture, and the gesture the policy would give, which the budget grants or refuses.
 */
public class GestureDecision {
    public Alert alert;
    /** Null for holdout customers and for revisions after the first (they reuse the grant). */
    public Gesture requested;
    /** {@code CURRENCY|yyyy-mm-dd}: the budget the gesture is paid from. */
    public String budgetKey;
    public long budgetCents;
    /** A RESOLVED revision that takes the gesture back rather than closing a delivered order. */
    public boolean withdraw;
    public long ingestedAt;

    public GestureDecision() {}
}
