package dev.earlywarning.scoring;

import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.Audience;
import dev.earlywarning.schema.Reason;
import dev.earlywarning.schema.Severity;
import dev.earlywarning.schema.TimelineEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Turns a customer's state into an alert a responder can act on without asking the customer to
 * repeat anything: each signal's share of the score with its evidence, the cross-channel timeline,
 * and a suggested action in plain words.
 */
final class AlertExplainer {

    /** Signals below this intensity have decayed into irrelevance and are not listed. */
    private static final double NEGLIGIBLE = 0.02;

    private AlertExplainer() {}

    static Alert explain(String customerId, RiskState state, AlertStatus status, long triggeredAt,
            String triggerEventId, List<TimelineEntry> timeline) {
        double total = RiskModel.total(state);
        double score = RiskModel.scoreOf(total);
        List<Reason> reasons = reasons(state, total, score);
        Severity severity = status == AlertStatus.RESOLVED ? Severity.INFO : severity(score);
        return Alert.newBuilder()
                .setAlertId(state.alertId)
                .setRevision(state.alertRevision)
                .setDedupKey(AlertKind.AT_RISK_CUSTOMER + ":" + customerId)
                .setKind(AlertKind.AT_RISK_CUSTOMER)
                .setSeverity(severity)
                .setStatus(status)
                .setCustomerId(customerId)
                .setCustomerName(state.customerName)
                .setCaseId(state.lastCaseId)
                .setTriggeredAt(Instant.ofEpochMilli(triggeredAt))
                .setEmittedAt(Instant.now())
                .setDueBy(status == AlertStatus.RESOLVED ? null
                        : Instant.ofEpochMilli(triggeredAt).plus(responseTime(severity)))
                .setScore(Math.round(score * 1000) / 1000.0)
                .setReasons(reasons)
                .setTimeline(timeline)
                .setSuggestedAction(status == AlertStatus.RESOLVED
                        ? "No action needed: the risk has decayed below the clear threshold."
                        : suggestedAction(state, reasons))
                .setAudience(Audience.RESPONDER)
                .setSourceJob(AtRiskScoringJob.NAME)
                .setEscalationLevel(0)
                .setAttributes(triggerEventId == null ? Map.of()
                        : Map.of("triggerEventId", triggerEventId))
                .build();
    }

    static List<Reason> reasons(RiskState state, double total, double score) {
        List<Reason> reasons = new ArrayList<>();
        for (Signal signal : Signal.ALL) {
            double intensity = state.intensity[signal.ordinal()];
            if (intensity >= NEGLIGIBLE && state.details[signal.ordinal()] != null) {
                reasons.add(Reason.newBuilder()
                        .setSignal(signal.name())
                        .setContribution(Math.round(score * intensity / total * 1000) / 1000.0)
                        .setDetail(state.details[signal.ordinal()])
                        .setEvidenceEventIds(List.of(state.evidenceOf(signal)))
                        .build());
            }
        }
        reasons.sort(Comparator.comparingDouble(Reason::getContribution).reversed()
                .thenComparing(Reason::getSignal));
        return reasons;
    }

    static Severity severity(double score) {
        if (score >= 0.9) {
            return Severity.CRITICAL;
        }
        if (score >= 0.75) {
            return Severity.HIGH;
        }
        return Severity.WARNING;
    }

    private static Duration responseTime(Severity severity) {
        return switch (severity) {
            case CRITICAL -> Duration.ofHours(1);
            case HIGH -> Duration.ofHours(4);
            default -> Duration.ofHours(24);
        };
    }

    /** What to do, led by the signal that weighs most, in words a responder can act on. */
    static String suggestedAction(RiskState state, List<Reason> reasons) {
        String who = state.customerName == null ? "the customer" : state.customerName;
        String onCase = state.lastCaseId == null ? "" : " on case " + state.lastCaseId;
        String top = reasons.isEmpty() ? "" : reasons.get(0).getSignal();
        String action = switch (top) {
            case "DETRACTOR_SURVEY" -> "Call " + who + " personally about their survey answer"
                    + onCase + "; acknowledge what went wrong. Do not send a generic reply.";
            case "DROPPED_CALL", "BROKEN_PROMISE", "ABANDONED" -> "Call " + who + " back now"
                    + onCase + ": " + firstDetail(reasons) + ".";
            case "CHURN_INTENT", "COMPLAINT" -> "Have a senior agent call " + who + " today"
                    + onCase + " (retention risk): " + firstDetail(reasons) + ".";
            case "REPEAT_CONTACT", "CHANNEL_HOP", "TRANSFER", "ESCALATION" -> "Take ownership"
                    + onCase + " and call " + who + " with an answer; they have already explained"
                    + " it across channels, so read the timeline instead of asking again.";
            default -> "Reach out to " + who + onCase + " proactively: " + firstDetail(reasons) + ".";
        };
        return action;
    }

    private static String firstDetail(List<Reason> reasons) {
        return reasons.isEmpty() ? "recent contacts went badly" : reasons.get(0).getDetail();
    }
}
