package dev.earlywarning.shipping;

import dev.earlywarning.common.config.ConfigException;
import dev.earlywarning.common.config.Settings;
import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How the shipping-delay job predicts and what it offers. Read from {@code shipping.*} settings at
 * start-up; {@code SET_CONFIG} control commands change it at run time with the same keys without
 * the prefix ({@code {"gesture.rules": "...", "budget.EUR": 50000, "holdout-share": 0.1}}), except
 * the {@link #STARTUP_ONLY} keys that shape state and are fixed for the life of a deployment.
 *
 * <p>Budgets are daily (UTC day of the alert's event time) per currency, in cents:
 * {@code budget.EUR=100000}; a currency without its own key gets {@code budget.default-cents}.
 */
public record ShippingConfig(
        Duration tolerance,
        double minConfidence,
        Duration updateDelta,
        Duration minLeadTime,
        Duration priorTransit,
        Duration priorTransitSpread,
        Duration priorScanGap,
        int laneMinSamples,
        int laneWindow,
        Duration laneRetention,
        int maxLanes,
        double stallFactor,
        Duration stallExtra,
        Duration exceptionPenalty,
        Duration outForDeliveryWindow,
        Duration overlapMargin,
        Duration reevaluateEvery,
        Duration maxAge,
        Duration closedRetention,
        Duration allowedLateness,
        Duration disruptionRetention,
        int maxDisruptions,
        double holdoutShare,
        Set<String> regions,
        GesturePolicy gestures,
        long budgetDefaultCents,
        Map<String, Long> budgets,
        Map<String, String> source)
        implements Serializable {

    /** Keys that size or time state; a control command may not change them. */
    static final Set<String> STARTUP_ONLY = Set.of("lane.min-samples", "lane.window",
            "lane.retention", "max-lanes", "max-age", "regions");

    private static final Duration YEAR = Duration.ofDays(365);

    private static final Set<String> KNOWN = new TreeSet<>(List.of("tolerance", "min-confidence",
            "update-delta", "min-lead-time", "prior.transit", "prior.transit-spread",
            "prior.scan-gap", "lane.min-samples", "lane.window", "lane.retention", "max-lanes",
            "stall.factor", "stall.extra", "exception-penalty", "out-for-delivery-window",
            "overlap-margin", "reevaluate-every", "max-age", "closed-retention", "allowed-lateness",
            "disruption-retention", "max-disruptions", "holdout-share", "regions",
            "max-gesture-cents", "gesture.rules", "budget.default-cents"));

    public static ShippingConfig defaults() {
        return from(Settings.of(Map.of()));
    }

    /** Reads and validates; a bad value fails with a message naming the key and its range. */
    public static ShippingConfig from(Settings s) {
        Map<String, Long> budgets = new TreeMap<>();
        for (String key : s.asMap().keySet()) {
            if (key.matches("budget\\.[A-Z]{3}")) {
                budgets.put(key.substring(7), (long) s.intIn(key, 0, 0, Integer.MAX_VALUE));
            } else if (!KNOWN.contains(key)) {
                throw new ConfigException("Unknown shipping setting '" + key + "'; known: " + KNOWN
                        + " and budget.<ISO currency>");
            }
        }
        Duration tolerance = s.durationIn("tolerance", Duration.ofHours(2), Duration.ZERO,
                Duration.ofDays(7));
        Duration minLeadTime = s.durationIn("min-lead-time", Duration.ofHours(2), Duration.ZERO,
                Duration.ofDays(30));
        long maxGesture = s.intIn("max-gesture-cents", 5000, 0, Integer.MAX_VALUE);
        return new ShippingConfig(
                tolerance,
                s.doubleIn("min-confidence", 0.6, 0.5, 1),
                s.durationIn("update-delta", Duration.ofHours(6), Duration.ofMinutes(10), YEAR),
                minLeadTime,
                s.durationIn("prior.transit", Duration.ofHours(48), Duration.ofHours(1), YEAR),
                s.durationIn("prior.transit-spread", Duration.ofHours(8), Duration.ofMinutes(1),
                        YEAR),
                s.durationIn("prior.scan-gap", Duration.ofHours(12), Duration.ofMinutes(10), YEAR),
                s.intIn("lane.min-samples", 5, 1, 1000),
                s.intIn("lane.window", 51, 3, 1001),
                s.durationIn("lane.retention", Duration.ofDays(90), Duration.ofDays(1), YEAR),
                s.intIn("max-lanes", 20000, 1, 10_000_000),
                s.doubleIn("stall.factor", 3, 1.5, 100),
                s.durationIn("stall.extra", Duration.ofHours(12), Duration.ZERO, YEAR),
                s.durationIn("exception-penalty", Duration.ofHours(24), Duration.ZERO, YEAR),
                s.durationIn("out-for-delivery-window", Duration.ofHours(12),
                        Duration.ofMinutes(10), Duration.ofDays(7)),
                s.durationIn("overlap-margin", Duration.ofHours(2), Duration.ZERO,
                        Duration.ofDays(7)),
                s.durationIn("reevaluate-every", Duration.ofHours(3), Duration.ofMinutes(1),
                        Duration.ofDays(7)),
                s.durationIn("max-age", Duration.ofDays(30), Duration.ofDays(1), YEAR),
                s.durationIn("closed-retention", Duration.ofDays(1), Duration.ZERO,
                        Duration.ofDays(30)),
                s.durationIn("allowed-lateness", Duration.ofMinutes(10), Duration.ZERO,
                        Duration.ofDays(7)),
                s.durationIn("disruption-retention", Duration.ofDays(3), Duration.ZERO,
                        Duration.ofDays(90)),
                s.intIn("max-disruptions", 10_000, 1, 1_000_000),
                s.doubleIn("holdout-share", 0.05, 0, 0.5),
                Set.copyOf(s.list("regions", List.of())),
                GesturePolicy.parse("gesture.rules",
                        s.string("gesture.rules", GesturePolicy.DEFAULT_RULES), maxGesture),
                s.intIn("budget.default-cents", 100_000, 0, Integer.MAX_VALUE),
                Map.copyOf(budgets),
                s.asMap());
    }

    /** This configuration with {@code overrides} applied, validated as a whole. */
    public ShippingConfig with(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(source);
        merged.putAll(overrides);
        return from(Settings.of(merged));
    }

    long budgetCents(String currency) {
        return budgets.getOrDefault(currency, budgetDefaultCents);
    }

    /** Parses 30s, 5m, 2h, 7d or ISO-8601, as every duration setting does. */
    static Duration duration(String text) {
        return Settings.of(Map.of("duration", text)).durationIn("duration", null, Duration.ZERO,
                YEAR);
    }
}
