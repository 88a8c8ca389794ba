package dev.earlywarning.shipping;

import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.Audience;
import dev.earlywarning.schema.CustomerTier;
import dev.earlywarning.schema.DisruptionKind;
import dev.earlywarning.schema.GestureKind;
import dev.earlywarning.schema.Reason;
import dev.earlywarning.schema.Severity;
import dev.earlywarning.shipping.DelayEstimator.Cause;
import dev.earlywarning.shipping.DelayEstimator.Estimate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the {@code SHIPPING_DELAY_PREDICTED} alerts for marketing outreach. Everything in them is
 * composed here from ids, enums, numbers and our own templates, never copied from free text of
 * other systems (data minimisation: outreach sees what it needs to write to the customer and no
 * more). The cause is said twice: in customer words ({@code cause} attribute, gesture message)
 * and precisely, with the delay each cause adds, in the reasons.
 */
final class DelayAlerts {

    static final String KIND = AlertKind.SHIPPING_DELAY_PREDICTED.name();
    private static final long HOUR = Duration.ofHours(1).toMillis();

    /** Why a RESOLVED revision was sent. */
    enum Resolution { BACK_ON_TIME, DELIVERED, CANCELLED, EXPIRED }

    private DelayAlerts() {}

    static Alert build(String orderId, ShipmentState s, Estimate estimate, AlertStatus status,
            long triggeredAt, String trigger, Resolution resolution) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("promisedBy", Instant.ofEpochMilli(s.promisedBy).toString());
        attributes.put("holdout", String.valueOf(s.holdout));
        attributes.put("leadTimeHours", hours(s.promisedBy - triggeredAt));
        if (trigger != null) {
            attributes.put("trigger", trigger);
        }
        List<Reason> reasons = List.of();
        Double score = null;
        if (estimate != null) {
            long delay = estimate.delayMillis(s.promisedBy);
            attributes.put("predictedArrival", Instant.ofEpochMilli(estimate.arrival()).toString());
            attributes.put("predictedDelayMinutes", String.valueOf(delay / 60_000));
            attributes.put("confidence", String.valueOf(estimate.confidence()));
            attributes.put("cause", causeWords(estimate));
            attributes.put("causeCode", causeCode(estimate));
            reasons = reasons(s, estimate);
            score = estimate.confidence();
        }
        if (resolution != null) {
            attributes.put("resolution", resolution.name().toLowerCase(Locale.ROOT));
        }
        Severity severity = status == AlertStatus.RESOLVED || estimate == null ? Severity.INFO
                : severity(estimate.delayMillis(s.promisedBy), s.tier);
        return Alert.newBuilder()
                .setAlertId(s.alertId)
                .setRevision(s.alertRevision)
                .setDedupKey(KIND + ":" + orderId)
                .setKind(AlertKind.SHIPPING_DELAY_PREDICTED)
                .setSeverity(severity)
                .setStatus(status)
                .setCustomerId(s.customerId)
                .setOrderId(orderId)
                .setTriggeredAt(Instant.ofEpochMilli(triggeredAt))
                .setEmittedAt(Instant.now())
                .setDueBy(status == AlertStatus.RESOLVED ? null : Instant.ofEpochMilli(s.promisedBy))
                .setScore(score)
                .setReasons(reasons)
                .setTimeline(List.of())
                .setSuggestedAction(suggestedAction(orderId, s, estimate, status, resolution))
                .setAudience(Audience.OUTREACH)
                .setSourceJob(ShippingDelayJob.NAME)
                .setEscalationLevel(0)
                .setAttributes(attributes)
                .build();
    }

    /** The words the gesture's message uses, from the alert's own attributes. */
    static String gestureMessage(GestureKind kind, long amountCents, String currency,
            Alert alert) {
        Map<String, String> a = alert.getAttributes();
        long delayMinutes = Long.parseLong(a.getOrDefault("predictedDelayMinutes", "0"));
        String news = "Your order " + alert.getOrderId() + " may arrive " + delayWords(delayMinutes)
                + " later than promised because of " + a.getOrDefault("cause", "a delay") + ".";
        String amount = String.format(Locale.ROOT, "%d.%02d %s", amountCents / 100,
                amountCents % 100, currency);
        return news + " " + switch (kind) {
            case APOLOGY -> "We are sorry, and we are keeping an eye on it for you.";
            case SHIPPING_REFUND -> "We are sorry: we refund your shipping cost of " + amount + ".";
            case VOUCHER -> "We are sorry: please accept a voucher of " + amount
                    + " for your next order.";
            case EXPEDITE -> "We are sorry: we have upgraded it to our fastest delivery, free.";
        };
    }

    static String causeWords(Estimate estimate) {
        Cause main = estimate.mainCause();
        if (main == null) {
            return estimate.base() == DelayEstimator.Base.CARRIER_ETA
                    ? "the delivery company's latest schedule"
                    : "slower than usual transit on its route";
        }
        return switch (main.kind()) {
            case STALL -> "a hold-up at a sorting centre";
            case EXCEPTION -> "a problem the delivery company reported";
            case DISRUPTION -> disruptionWords(main.disruptionKind()) + " along its route";
        };
    }

    static String delayWords(long minutes) {
        long hours = Math.max(1, Math.round(minutes / 60.0));
        if (hours < 24) {
            return "about " + hours + (hours == 1 ? " hour" : " hours");
        }
        long days = Math.round(hours / 24.0);
        return "about " + days + (days == 1 ? " day" : " days");
    }

    private static String disruptionWords(DisruptionKind kind) {
        return switch (kind) {
            case STORM -> "a storm";
            case SNOW -> "heavy snow";
            case FLOOD -> "flooding";
            case HEAT -> "extreme heat";
            case WILDFIRE -> "wildfires";
            case CARRIER_OUTAGE -> "a disruption at the delivery company";
            case PORT_CLOSURE -> "a port closure";
        };
    }

    private static String causeCode(Estimate estimate) {
        Cause main = estimate.mainCause();
        if (main == null) {
            return estimate.base() == DelayEstimator.Base.CARRIER_ETA ? "carrier-eta" : "lane";
        }
        return switch (main.kind()) {
            case STALL -> "stall";
            case EXCEPTION -> "exception";
            case DISRUPTION -> "disruption:" + main.disruptionKind() + ":" + main.reference();
        };
    }

    /** Each cause with the hours it adds and its share of the time beyond the base arrival. */
    private static List<Reason> reasons(ShipmentState s, Estimate estimate) {
        List<Reason> reasons = new ArrayList<>();
        long baseLate = estimate.baseArrival() - s.promisedBy;
        long total = Math.max(0, baseLate);
        for (Cause cause : estimate.causes()) {
            total += cause.delayMillis();
        }
        if (baseLate > 0) {
            reasons.add(Reason.newBuilder()
                    .setSignal(estimate.base() == DelayEstimator.Base.CARRIER_ETA ? "CARRIER_ETA"
                            : "LANE_TRANSIT")
                    .setContribution(share(baseLate, total))
                    .setDetail((estimate.base() == DelayEstimator.Base.CARRIER_ETA
                            ? "carrier ETA " : "typical transit on lane " + s.lane + " gives ")
                            + Instant.ofEpochMilli(estimate.baseArrival()) + ", "
                            + hours(baseLate) + "h after the promise")
                    .setEvidenceEventIds(s.lastScanEventId == null ? List.of()
                            : List.of(s.lastScanEventId))
                    .build());
        }
        for (Cause cause : estimate.causes()) {
            String detail = switch (cause.kind()) {
                case DISRUPTION -> cause.disruptionKind() + " (severity " + cause.severity()
                        + ") in region " + cause.region() + " while the parcel crosses it";
                case STALL -> "no scan since " + Instant.ofEpochMilli(s.lastScanAt)
                        + (s.lastRegion == null ? "" : " in region " + s.lastRegion)
                        + ", far beyond the lane's usual gap between scans";
                case EXCEPTION -> "the carrier reported an exception at "
                        + Instant.ofEpochMilli(s.lastScanAt);
            };
            reasons.add(Reason.newBuilder()
                    .setSignal(cause.kind() == DelayEstimator.CauseKind.EXCEPTION
                            ? "CARRIER_EXCEPTION" : cause.kind().name())
                    .setContribution(share(cause.delayMillis(), total))
                    .setDetail(detail + ": +" + hours(cause.delayMillis()) + "h")
                    .setEvidenceEventIds(cause.reference() == null ? List.of()
                            : List.of(cause.reference()))
                    .build());
        }
        return reasons;
    }

    private static String suggestedAction(String orderId, ShipmentState s, Estimate estimate,
            AlertStatus status, Resolution resolution) {
        if (status == AlertStatus.RESOLVED) {
            return switch (resolution) {
                case BACK_ON_TIME -> "Withdraw the gesture if it has not gone out: order " + orderId
                        + " is expected on time again.";
                case CANCELLED -> "Withdraw the gesture: order " + orderId + " was cancelled.";
                case DELIVERED -> "No action needed: order " + orderId + " was delivered.";
                case EXPIRED -> "No action needed: order " + orderId + " is no longer tracked.";
            };
        }
        if (s.holdout) {
            return "Holdout: do not contact the customer about order " + orderId
                    + "; the alert is kept to measure what gestures achieve.";
        }
        return "Tell the customer before " + Instant.ofEpochMilli(s.promisedBy) + " that order "
                + orderId + " may arrive " + delayWords(estimate.delayMillis(s.promisedBy) / 60_000)
                + " late because of " + causeWords(estimate) + ", with the gesture.";
    }

    private static Severity severity(long delayMillis, CustomerTier tier) {
        int level = delayMillis >= 72 * HOUR ? 3 : delayMillis >= 24 * HOUR ? 2 : 1;
        if (tier == CustomerTier.VIP) {
            level = Math.min(3, level + 1);
        }
        return Severity.values()[level];
    }

    private static double share(long part, long total) {
        return total <= 0 ? 0 : Math.round(1000.0 * part / total) / 1000.0;
    }

    private static String hours(long millis) {
        return String.format(Locale.ROOT, "%.1f", millis / (double) HOUR);
    }
}
