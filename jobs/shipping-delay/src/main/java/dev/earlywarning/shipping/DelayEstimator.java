package dev.earlywarning.shipping;

import dev.earlywarning.schema.DisruptionEvent;
import dev.earlywarning.schema.DisruptionKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Estimates when a parcel in transit arrives, and why it is late if it is. Pure functions of the
 * order's state, the known disruptions, its lane's statistics and a clock, so the same inputs
 * always give the same estimate.
 *
 * <p>The base arrival is the carrier's ETA when it sent one (assumed not to know our disruption
 * feed yet), else the last scan plus what the lane typically still takes from there: its line-haul
 * time (transit less the last leg) spread evenly over the route's hops, for the hops left, plus
 * the last leg from the final scan to the door. A parcel already running late keeps the delay it
 * has collected. The parcel's path (the
 * region it sits in, then the remaining route) is laid out evenly between the last scan and the
 * base arrival; every live disruption of the right carrier that overlaps a region's slot (widened
 * by the overlap margin) adds its expected delay once. A parcel silent for more than
 * {@code stall.factor} typical scan gaps gets a stall penalty: the time it is already overdue plus
 * {@code stall.extra}, less any delay a disruption where it sits already explains. An open carrier
 * exception adds its penalty until the next scan.
 *
 * <p>Confidence is the probability that the parcel arrives after the promise under a normal error
 * around the estimate, whose spread combines the lane's (robust) transit spread for the part of the
 * route still ahead with each cause's own uncertainty: a severe, imminent disruption is surer than
 * a mild one forecast days ahead.
 */
final class DelayEstimator {

    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long MIN_SPREAD = Duration.ofMinutes(30).toMillis();

    private DelayEstimator() {}

    enum CauseKind { DISRUPTION, STALL, EXCEPTION }

    /** One reason the parcel is later than its base arrival. */
    record Cause(CauseKind kind, String reference, DisruptionKind disruptionKind, String region,
            int severity, long delayMillis, long uncertaintyMillis) {}

    /** Where the base arrival came from. */
    enum Base { CARRIER_ETA, LANE, PRIOR, OUT_FOR_DELIVERY }

    record Estimate(long arrival, long baseArrival, Base base, List<Cause> causes,
            double confidence) {

        long delayMillis(long promisedBy) {
            return arrival - promisedBy;
        }

        boolean isLate(long promisedBy, ShippingConfig config) {
            return arrival - promisedBy > config.tolerance().toMillis()
                    && confidence >= config.minConfidence();
        }

        /** The cause that accounts for most of the delay, or null when the base alone is late. */
        Cause mainCause() {
            Cause main = null;
            for (Cause cause : causes) {
                if (main == null || cause.delayMillis() > main.delayMillis()) {
                    main = cause;
                }
            }
            return main;
        }
    }

    static Estimate estimate(ShipmentState s, Map<String, List<DisruptionEvent>> disruptionsByRegion,
            LaneEstimate lane, ShippingConfig config, long clock) {
        long transit = lane != null ? lane.transitMillis : config.priorTransit().toMillis();
        long transitSpread = lane != null ? Math.max(lane.transitSpreadMillis, MIN_SPREAD)
                : config.priorTransitSpread().toMillis();
        long scanGap = lane != null && lane.scanGapMillis != ShipmentState.NONE
                ? lane.scanGapMillis : config.priorScanGap().toMillis();
        // Without a learned last leg, delivery counts as one more hop.
        long lastLeg = lane != null && lane.lastLegMillis != ShipmentState.NONE
                ? Math.min(lane.lastLegMillis, transit) : transit / (s.initialHops + 1);
        int hopsLeft = Math.min(s.route.length, s.initialHops);
        double remainingShare = Math.min(1, Math.max(0.2,
                (hopsLeft + 1) / (double) (s.initialHops + 1)));

        long baseArrival;
        Base base;
        double baseSpread;
        if (s.outForDelivery) {
            baseArrival = s.lastScanAt + config.outForDeliveryWindow().toMillis();
            base = Base.OUT_FOR_DELIVERY;
            baseSpread = config.outForDeliveryWindow().toMillis() / 4.0;
        } else if (s.carrierEta != ShipmentState.NONE) {
            baseArrival = s.carrierEta;
            base = Base.CARRIER_ETA;
            baseSpread = transitSpread * remainingShare / 2;
        } else {
            baseArrival = s.lastScanAt + (transit - lastLeg) * hopsLeft / s.initialHops
                    + lastLeg;
            base = lane != null ? Base.LANE : Base.PRIOR;
            baseSpread = transitSpread * remainingShare;
        }

        List<String> path = path(s);
        List<Cause> causes = new ArrayList<>();
        Set<String> counted = new HashSet<>();
        long span = Math.max(baseArrival - s.lastScanAt, HOUR);
        long margin = config.overlapMargin().toMillis();
        long explainedAtCurrent = 0;
        for (int i = 0; i < path.size(); i++) {
            String region = path.get(i);
            long from = s.lastScanAt + span * i / path.size() - margin;
            long to = s.lastScanAt + span * (i + 1) / path.size() + margin;
            for (DisruptionEvent d : disruptionsByRegion.getOrDefault(region, List.of())) {
                if (applies(d, s.carrier) && d.getStartsAt().toEpochMilli() < to
                        && d.getEndsAt().toEpochMilli() > from
                        && counted.add(d.getDisruptionId())) {
                    Cause cause = disruptionCause(d, clock);
                    causes.add(cause);
                    if (i == 0 && region.equals(s.lastRegion)) {
                        explainedAtCurrent += cause.delayMillis();
                    }
                }
            }
        }

        long silence = clock - s.lastScanAt;
        if (!s.outForDelivery && silence > config.stallFactor() * scanGap) {
            long penalty = silence - scanGap + config.stallExtra().toMillis() - explainedAtCurrent;
            if (penalty > 0) {
                causes.add(new Cause(CauseKind.STALL, s.lastScanEventId, null, s.lastRegion, 0,
                        penalty, penalty / 2));
            }
        }
        if (s.exception) {
            long penalty = config.exceptionPenalty().toMillis();
            causes.add(new Cause(CauseKind.EXCEPTION, s.lastScanEventId, null, s.lastRegion, 0,
                    penalty, penalty / 2));
        }

        long arrival = baseArrival;
        double variance = baseSpread * baseSpread;
        for (Cause cause : causes) {
            arrival += cause.delayMillis();
            variance += (double) cause.uncertaintyMillis() * cause.uncertaintyMillis();
        }
        double spread = Math.max(Math.sqrt(variance), MIN_SPREAD);
        double confidence = normalCdf((arrival - s.promisedBy) / spread);
        return new Estimate(arrival, baseArrival, base, List.copyOf(causes),
                Math.round(confidence * 1000) / 1000.0);
    }

    /** The region the parcel sits in (unless it is the next one anyway), then what is ahead. */
    static List<String> path(ShipmentState s) {
        if (s.outForDelivery) {
            return s.lastRegion != null ? List.of(s.lastRegion)
                    : List.of(s.route).subList(Math.max(0, s.route.length - 1), s.route.length);
        }
        List<String> path = new ArrayList<>(s.route.length + 1);
        if (s.lastRegion != null && (s.route.length == 0 || !s.route[0].equals(s.lastRegion))) {
            path.add(s.lastRegion);
        }
        path.addAll(List.of(s.route));
        return path;
    }

    static boolean applies(DisruptionEvent d, String carrier) {
        return !d.getCancelled() && (d.getCarrier() == null || d.getCarrier().equals(carrier));
    }

    /**
     * A disruption's delay is as announced; its uncertainty shrinks with severity (a severe storm
     * rarely spares a parcel) and grows with how far ahead of its start it is forecast.
     */
    private static Cause disruptionCause(DisruptionEvent d, long clock) {
        long delay = Duration.ofMinutes(d.getExpectedDelayMinutes()).toMillis();
        double leadDays = Math.max(0, d.getStartsAt().toEpochMilli() - clock) / (24.0 * HOUR);
        double relative = (0.6 - 0.1 * d.getSeverity()) + Math.min(0.5, leadDays / 4);
        return new Cause(CauseKind.DISRUPTION, d.getDisruptionId(), d.getKind(), d.getRegionId(),
                d.getSeverity(), delay, Math.round(delay * relative));
    }

    /** Standard normal CDF (Abramowitz-Stegun 7.1.26, error below 1.5e-7). */
    static double normalCdf(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t
                - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
