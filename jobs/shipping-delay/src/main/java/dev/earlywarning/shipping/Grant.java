package dev.earlywarning.shipping;

import dev.earlywarning.schema.Gesture;

/** What the budget decided for one alert, repeated on the alert's later revisions. */
public class Grant {
    public Gesture gesture;
    public boolean overBudget;

    public Grant() {}

    Grant(Gesture gesture, boolean overBudget) {
        this.gesture = gesture;
        this.overBudget = overBudget;
    }
}
