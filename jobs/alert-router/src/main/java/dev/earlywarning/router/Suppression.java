package dev.earlywarning.router;

import dev.earlywarning.common.metrics.EwsMetrics;

/** Why the router dropped or held a record: the reasons of {@code ews_router_suppressed_total}. */
enum Suppression {
    DUPLICATE, SILENCED, INHIBITED, OVER_BUDGET, FLAPPING;

    String label() {
        return name().toLowerCase();
    }

    void count() {
        EwsMetrics.ROUTER_SUPPRESSED.labelValues(label()).inc();
    }
}
