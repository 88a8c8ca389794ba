package dev.earlywarning.router;

import dev.earlywarning.common.metrics.EwsMetrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;

/** Why the router dropped or held a record: the reasons of {@code ews_router_suppressed_total}. */
enum Suppression {
    DUPLICATE, SILENCED, INHIBITED, OVER_BUDGET, FLAPPING;

    /** Looked up once per reason; creating it exports the reason at zero. */
    private final CounterDataPoint counter =
            EwsMetrics.ROUTER_SUPPRESSED.labelValues(name().toLowerCase());

    void count() {
        counter.inc();
    }

    /** Exports every reason from the start, so that a dashboard shows zero rather than no data. */
    static void exportAll() {
        // Loading the enum creates every reason's counter.
        values();
    }
}
