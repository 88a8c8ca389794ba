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

    /** Exports every reason from the start, so that a dashboard shows zero rather than no data. */
    static void exportAll() {
        for (Suppression reason : values()) {
            EwsMetrics.ROUTER_SUPPRESSED.labelValues(reason.label());
        }
    }
}
