package dev.earlywarning.sla;

import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.Audience;
import dev.earlywarning.schema.Reason;
import dev.earlywarning.schema.Severity;
import dev.earlywarning.schema.TimelineEntry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a decision about a commitment into an alert a responder can act on without asking the
 * customer anything: the commitment and who made it, every attempt so far, the cross-channel
 * timeline, and what to do in plain words, with times in the commitment's region.
 */
final class SlaAlerts {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);
    private static final DateTimeFormatter DAY_TIME =
            DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);
    private static final String[] NUMBERS = {"no", "one", "two", "three", "four", "five", "six",
        "seven", "eight", "nine", "ten"};

    /** What an alert is about, at the moment it is emitted for. */
    record Subject(String customerId, String customerName, Commitment commitment,
            CommitmentRules.Decision decision, ZoneId zone) {}

    private SlaAlerts() {}

    static Alert open(Subject subject, List<TimelineEntry> timeline, SlaConfig config,
            String triggerEventId) {
        CommitmentRules.Decision decision = subject.decision();
        boolean warning = decision.kind() == AlertKind.CALLBACK_DUE_SOON;
        long at = decision.fireAt();
        Instant dueBy = warning ? Instant.ofEpochMilli(decision.cycle().dueAt())
                : Instant.ofEpochMilli(at).plus(config.breachResponseTime());
        return base(subject, AlertStatus.OPEN, 0, at, timeline, triggerEventId)
                .setSeverity(warning ? Severity.WARNING : Severity.HIGH)
                .setDueBy(dueBy)
                .setReasons(reasons(subject, at))
                .setSuggestedAction(warning ? dueSoonAction(subject, at) : breachAction(subject, at))
                .build();
    }

    static Alert resolved(Subject subject, int revision, long at, String reason, Fact cause,
            List<TimelineEntry> timeline, String triggerEventId) {
        String detail = resolution(subject, reason, cause, at);
        List<Reason> reasons = new ArrayList<>();
        reasons.add(Reason.newBuilder().setSignal(reason).setContribution(1.0).setDetail(detail)
                .setEvidenceEventIds(cause == null ? List.of() : List.of(cause.eventId)).build());
        reasons.addAll(reasons(subject, at));
        Alert.Builder alert = base(subject, AlertStatus.RESOLVED, revision, at, timeline,
                triggerEventId)
                .setSeverity(Severity.INFO)
                .setDueBy(Instant.ofEpochMilli(subject.decision().cycle().deadline()))
                .setReasons(reasons)
                .setSuggestedAction("No action needed: " + detail + ".");
        Map<String, String> attributes = new LinkedHashMap<>(alert.getAttributes());
        attributes.put("resolution", reason);
        return alert.setAttributes(attributes).build();
    }

    private static Alert.Builder base(Subject subject, AlertStatus status, int revision, long at,
            List<TimelineEntry> timeline, String triggerEventId) {
        Commitment commitment = subject.commitment();
        CommitmentRules.Decision decision = subject.decision();
        CommitmentRules.Cycle cycle = decision.cycle();
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("commitmentKind", commitment.kind.label());
        attributes.put("region", commitment.region);
        attributes.put("dueAt", Instant.ofEpochMilli(cycle.dueAt()).toString());
        attributes.put("deadline", Instant.ofEpochMilli(cycle.deadline()).toString());
        attributes.put("attempts", String.valueOf(cycle.attemptsUntil(at).size()));
        attributes.put("reschedules", String.valueOf(cycle.index()));
        Fact first = commitment.firstPromise();
        if (first.agentId != null) {
            attributes.put("promisedBy", first.agentId);
        }
        if (cycle.promise().agentId != null) {
            // Whoever made the promise that now applies is the one who can still keep it.
            attributes.put("assignee", cycle.promise().agentId);
        }
        if (triggerEventId != null) {
            attributes.put("triggerEventId", triggerEventId);
        }
        return Alert.newBuilder()
                .setAlertId(decision.alertId())
                .setRevision(revision)
                .setDedupKey(decision.kind() + ":" + subject.customerId() + ":"
                        + commitment.commitmentId)
                .setKind(decision.kind())
                .setStatus(status)
                .setCustomerId(subject.customerId())
                .setCustomerName(subject.customerName())
                .setCaseId(commitment.caseId)
                .setCommitmentId(commitment.commitmentId)
                .setTriggeredAt(Instant.ofEpochMilli(at))
                .setEmittedAt(Instant.now())
                .setTimeline(timeline)
                .setAudience(Audience.RESPONDER)
                .setSourceJob(CallbackSlaJob.NAME)
                .setEscalationLevel(0)
                .setAttributes(attributes);
    }

    /** The commitment (with its reschedule chain) and the attempts made until {@code at}. */
    private static List<Reason> reasons(Subject subject, long at) {
        Commitment commitment = subject.commitment();
        CommitmentRules.Cycle cycle = subject.decision().cycle();
        List<String> promiseIds = new ArrayList<>();
        for (Fact fact : commitment.facts) {
            if (fact.kind == Fact.Kind.PROMISE && fact.at <= cycle.startAt()) {
                promiseIds.add(fact.eventId);
            }
        }
        List<Fact> attempts = cycle.attemptsUntil(at);
        List<Reason> reasons = new ArrayList<>();
        reasons.add(Reason.newBuilder().setSignal("COMMITMENT").setContribution(1.0)
                .setDetail(describeCommitment(subject, at)).setEvidenceEventIds(promiseIds).build());
        reasons.add(Reason.newBuilder().setSignal("ATTEMPTS").setContribution(0.0)
                .setDetail(describeAttempts(subject, attempts, at))
                .setEvidenceEventIds(attempts.stream().map(a -> a.eventId).toList()).build());
        return reasons;
    }

    private static String describeCommitment(Subject subject, long at) {
        Commitment commitment = subject.commitment();
        CommitmentRules.Cycle cycle = subject.decision().cycle();
        Fact promise = cycle.promise();
        String onCase = commitment.caseId == null ? "" : " on case " + commitment.caseId;
        String text = switch (commitment.kind) {
            case DROPPED_CONTACT -> (commitment.channel == null ? "contact" : commitment.channel
                    + " contact") + onCase + " dropped by our side at " + when(subject, promise.at, at)
                    + "; a call back was due by " + when(subject, cycle.dueAt(), at);
            case FOLLOW_UP -> "an update" + onCase + " was promised by "
                    + when(subject, cycle.dueAt(), at) + " at the end of a contact at "
                    + when(subject, promise.at, at) + by(promise);
            case CALLBACK -> (cycle.index() == 0 ? "callback promised" : "callback rescheduled")
                    + onCase + " at " + when(subject, promise.at, at) + by(promise) + " for "
                    + (promise.byDeadline ? "no later than " : "") + when(subject, cycle.dueAt(), at)
                    + (promise.windowMillis > 0
                            ? " (window " + minutes(promise.windowMillis) + ")" : "");
        };
        if (cycle.index() > 0) {
            text += "; rescheduled " + times(cycle.index()) + ", first promised for "
                    + when(subject, commitment.firstPromise().dueAt, at);
        }
        return text;
    }

    private static String describeAttempts(Subject subject, List<Fact> attempts, long at) {
        if (attempts.isEmpty()) {
            return "no attempt made";
        }
        List<String> each = new ArrayList<>();
        for (Fact attempt : attempts) {
            each.add(when(subject, attempt.at, at) + " " + SlaTimeline.words(attempt.detail));
        }
        return count(attempts.size()) + (attempts.size() == 1 ? " attempt" : " attempts")
                + " without reaching the customer: " + String.join(", ", each);
    }

    private static String dueSoonAction(Subject subject, long at) {
        Commitment commitment = subject.commitment();
        CommitmentRules.Cycle cycle = subject.decision().cycle();
        String due = when(subject, cycle.dueAt(), at);
        String onCase = commitment.caseId == null ? "" : " on case " + commitment.caseId;
        return switch (commitment.kind) {
            case DROPPED_CONTACT -> callBack(subject) + " by " + due + ": their contact"
                    + onCase + " dropped at " + when(subject, cycle.startAt(), at) + ".";
            case FOLLOW_UP -> "Update " + who(subject) + onCase + " by " + due
                    + " as promised; if it is not solved yet, say it is still being worked on.";
            case CALLBACK -> verb(subject) + (cycle.promise().byDeadline ? " by " : " at ") + due
                    + " as promised" + by(cycle.promise()) + onCase + "; no attempt made yet.";
        };
    }

    private static String breachAction(Subject subject, long at) {
        Commitment commitment = subject.commitment();
        CommitmentRules.Cycle cycle = subject.decision().cycle();
        int attempts = cycle.attemptsUntil(at).size();
        String effort = attempts == 0 ? "no attempt made"
                : count(attempts) + " unanswered " + (attempts == 1 ? "attempt" : "attempts");
        String onCase = commitment.caseId == null ? "" : " on case " + commitment.caseId;
        return switch (commitment.kind) {
            case DROPPED_CONTACT -> callBack(subject) + " now: their contact" + onCase
                    + " dropped at " + when(subject, cycle.startAt(), at) + " and nobody called back"
                    + " within " + minutes(cycle.dueAt() - cycle.startAt()) + ".";
            case FOLLOW_UP -> "Update " + who(subject) + " now" + onCase + ": an update was promised"
                    + " by " + when(subject, cycle.dueAt(), at) + " (" + effort + "); even if it is"
                    + " not solved yet, say it is still being worked on.";
            case CALLBACK -> verb(subject) + " now: promised " + when(subject, cycle.dueAt(), at)
                    + ", " + effort + ".";
        };
    }

    private static String resolution(Subject subject, String reason, Fact cause, long at) {
        String causeAt = cause == null ? "" : " at " + when(subject, cause.at, at);
        String how = cause == null ? "" : " (" + SlaTimeline.words(cause.detail) + ")";
        return switch (reason) {
            case "kept-late-evidence" -> cause != null && cause.kind == Fact.Kind.ATTEMPT
                    ? "attempts recorded late show the promise was kept by trying" + causeAt
                    : "evidence recorded late shows the promise was kept" + causeAt + how;
            case "cancelled-late-evidence" -> "the customer had cancelled" + causeAt
                    + ", recorded late";
            case "rescheduled-late-evidence" -> "the commitment had been rescheduled before this"
                    + " deadline, recorded late";
            case "attempted-late-evidence" -> "an attempt had already been made" + causeAt + how;
            case "kept" -> "the commitment was kept" + causeAt + how;
            case "kept-late" -> "the customer was reached" + causeAt + how + ", after the deadline";
            case "cancelled" -> "the customer cancelled" + causeAt;
            case "rescheduled" -> "the commitment was rescheduled; the new deadline is watched";
            case "attempted" -> "an attempt was made" + causeAt + how;
            default -> "the deadline has passed";
        };
    }

    private static String verb(Subject subject) {
        String channel = subject.commitment().channel;
        return channel == null || channel.equals("PHONE") ? "Call " + who(subject)
                : "Contact " + who(subject) + " on " + channel;
    }

    private static String callBack(Subject subject) {
        String channel = subject.commitment().channel;
        return channel == null || channel.equals("PHONE") ? "Call " + who(subject) + " back"
                : "Contact " + who(subject) + " again on " + channel;
    }

    private static String who(Subject subject) {
        return subject.customerName() == null ? "the customer" : subject.customerName();
    }

    private static String by(Fact promise) {
        String agent = promise.agentName != null ? promise.agentName : promise.agentId;
        return agent == null ? "" : " by " + agent;
    }

    /** A time in the region's zone: the clock alone on the day of {@code now}, else with the day. */
    private static String when(Subject subject, long at, long now) {
        ZonedDateTime time = Instant.ofEpochMilli(at).atZone(subject.zone());
        boolean sameDay = time.toLocalDate()
                .equals(Instant.ofEpochMilli(now).atZone(subject.zone()).toLocalDate());
        return (sameDay ? TIME : DAY_TIME).format(time);
    }

    private static String minutes(long millis) {
        long minutes = Duration.ofMillis(millis).toMinutes();
        return minutes < 120 ? minutes + " min" : Duration.ofMillis(millis).toHours() + " h";
    }

    private static String count(int n) {
        return n < NUMBERS.length ? NUMBERS[n] : String.valueOf(n);
    }

    private static String times(int n) {
        return n == 1 ? "once" : n == 2 ? "twice" : n + " times";
    }
}
