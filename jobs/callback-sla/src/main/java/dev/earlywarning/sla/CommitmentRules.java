package dev.earlywarning.sla;

import dev.earlywarning.common.AlertIds;
import dev.earlywarning.schema.AlertKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a commitment's facts and decides, for every deadline it ever had, which alerts it calls
 * for, when, and when each stops needing action. The decision about a moment uses only facts up to
 * that moment, so it is the same whatever order the facts arrived in and whenever the watermark
 * passed; a fact that arrives late only changes decisions about moments after it, which is how
 * late evidence withdraws an alert.
 *
 * <p>A promise (the first PROMISED, each RESCHEDULED) opens a cycle that lasts until the next
 * promise. The first fulfilment or cancellation ends the commitment; a reschedule after it is
 * invalid and reported, an attempt after it is harmless.
 */
final class CommitmentRules {

    static final long NEVER = Long.MAX_VALUE;

    /** One deadline of a commitment: from its promise until the next promise. */
    record Cycle(Fact promise, long startAt, long dueAt, long deadline, long windowStart,
            long nextAt, List<Fact> attempts, int index) {

        /** Attempts that did not reach the customer, made before {@code at} (inclusive). */
        List<Fact> attemptsUntil(long at) {
            return attempts.stream().filter(a -> a.at <= at).toList();
        }
    }

    /** The facts read in order: the cycles, what ended the commitment, what is invalid. */
    record Reading(List<Cycle> cycles, Fact terminal, List<Fact> invalidPromises) {
        long terminalAt() {
            return terminal == null ? NEVER : terminal.at;
        }

        boolean fulfilled() {
            return terminal != null && terminal.kind == Fact.Kind.FULFIL;
        }
    }

    /**
     * What one alert of one cycle should be. {@code fires}: the facts call for it at
     * {@code fireAt}; then it stops needing action at {@code resolveAt} for {@code resolveReason}.
     * When it does not fire, {@code withdrawReason} says why (for an alert emitted before late
     * evidence showed it was not due).
     */
    record Decision(String alertId, AlertKind kind, Cycle cycle, boolean fires, long fireAt,
            long resolveAt, String resolveReason, Fact resolveCause, String withdrawReason,
            Fact withdrawCause) {}

    private CommitmentRules() {}

    /**
     * The commitment's facts read in order. After an unanswered breach a late call back counts
     * only within the watch: an ending stamped after it is not read, so it does not matter
     * whether it arrived while the commitment was still kept or after it had been forgotten.
     */
    static Reading read(Commitment commitment, SlaConfig config) {
        Reading reading = read(commitment.facts, config);
        Fact terminal = reading.terminal();
        // A reschedule after the ending is invalid and removed; the ending is read as it is.
        if (terminal == null || reading.cycles().isEmpty()
                || !reading.invalidPromises().isEmpty()) {
            return reading;
        }
        Cycle last = reading.cycles().get(reading.cycles().size() - 1);
        long watchEnd = watchEnd(last, config);
        if (terminal.at <= watchEnd || keptByAttempts(countedAttempts(last, config), config)) {
            return reading;
        }
        return read(Arrays.stream(commitment.facts)
                .filter(fact -> fact.kind == Fact.Kind.PROMISE || fact.at <= watchEnd)
                .toArray(Fact[]::new), config);
    }

    /** The last moment a call back still resolves the breach of this cycle as kept late. */
    static long watchEnd(Cycle cycle, SlaConfig config) {
        return cycle.deadline() + config.watchAfterBreach().toMillis();
    }

    private static boolean keptByAttempts(List<Fact> countedAttempts, SlaConfig config) {
        return config.attemptsCanKeep() && countedAttempts.size() >= config.keptAttempts();
    }

    private static Reading read(Fact[] facts, SlaConfig config) {
        int first = -1;
        int terminal = -1;
        for (int i = 0; i < facts.length; i++) {
            if (first < 0 && facts[i].kind == Fact.Kind.PROMISE) {
                first = i;
            }
            if (terminal < 0 && (facts[i].kind == Fact.Kind.FULFIL
                    || facts[i].kind == Fact.Kind.CANCEL)) {
                terminal = i;
            }
        }
        List<Integer> promises = new ArrayList<>();
        List<Fact> invalid = new ArrayList<>();
        for (int i = 0; i < facts.length; i++) {
            if (facts[i].kind != Fact.Kind.PROMISE) {
                continue;
            }
            if (terminal >= 0 && i > terminal) {
                if (i != first) {
                    invalid.add(facts[i]);
                }
            } else {
                promises.add(i);
            }
        }
        int end = terminal >= 0 ? terminal : facts.length;
        List<Cycle> cycles = new ArrayList<>();
        for (int k = 0; k < promises.size(); k++) {
            int p = promises.get(k);
            int next = k + 1 < promises.size() ? promises.get(k + 1) : end;
            Fact promise = facts[p];
            List<Fact> attempts = new ArrayList<>();
            // Attempts stamped before the first promise (clock skew) still count for it.
            for (int i = k == 0 ? 0 : p; i < next; i++) {
                if (facts[i].kind == Fact.Kind.ATTEMPT) {
                    attempts.add(facts[i]);
                }
            }
            long deadline = promise.dueAt + promise.windowMillis;
            // "By 17:00" can be kept any time after the promise; "at 14:30" only around 14:30.
            long windowStart = promise.byDeadline ? promise.at : Math.max(promise.at,
                    promise.dueAt - config.earlyAttemptTolerance().toMillis());
            cycles.add(new Cycle(promise, promise.at, promise.dueAt, deadline, windowStart,
                    k + 1 < promises.size() ? facts[next].at : NEVER, attempts, k));
        }
        return new Reading(cycles, terminal >= 0 ? facts[terminal] : null, invalid);
    }

    /** Every alert the facts call for, in cycle order, due soon before breached. */
    static List<Decision> decide(String customerId, Commitment commitment, Reading reading,
            SlaConfig config) {
        List<Decision> decisions = new ArrayList<>();
        for (Cycle cycle : reading.cycles()) {
            Decision dueSoon = dueSoon(customerId, commitment, reading, cycle, config);
            if (dueSoon != null) {
                decisions.add(dueSoon);
            }
            decisions.add(breach(customerId, commitment, reading, cycle, config));
        }
        return decisions;
    }

    private static Decision dueSoon(String customerId, Commitment commitment, Reading reading,
            Cycle cycle, SlaConfig config) {
        long at = cycle.dueAt() - config.dueSoonLead().toMillis();
        if (config.dueSoonLead().isZero() || at <= cycle.startAt()) {
            // Promised for sooner than the lead time: the promise itself was the reminder.
            return null;
        }
        String id = AlertIds.of(AlertKind.CALLBACK_DUE_SOON.name(), customerId,
                commitment.commitmentId, cycle.promise().eventId);
        List<Fact> early = cycle.attemptsUntil(at);
        long terminalAt = reading.terminalAt();
        boolean fires = at < cycle.nextAt() && at < terminalAt && early.isEmpty();
        if (!fires) {
            Fact cause;
            String why;
            if (terminalAt <= at) {
                cause = reading.terminal();
                why = reading.fulfilled() ? "kept-late-evidence" : "cancelled-late-evidence";
            } else if (cycle.nextAt() <= at) {
                cause = null;
                why = "rescheduled-late-evidence";
            } else {
                cause = early.get(0);
                why = "attempted-late-evidence";
            }
            return new Decision(id, AlertKind.CALLBACK_DUE_SOON, cycle, false, at, NEVER, null,
                    null, why, cause);
        }
        // The warning has done its job at the first of: an attempt, the end, a reschedule, the deadline.
        Fact firstAttempt = cycle.attempts().stream().filter(a -> a.at > at).findFirst()
                .orElse(null);
        long resolveAt = cycle.deadline();
        String reason = "deadline-passed";
        Fact cause = null;
        if (cycle.nextAt() <= resolveAt) {
            resolveAt = cycle.nextAt();
            reason = "rescheduled";
        }
        if (terminalAt <= resolveAt) {
            resolveAt = terminalAt;
            reason = reading.fulfilled() ? "kept" : "cancelled";
            cause = reading.terminal();
        }
        if (firstAttempt != null && firstAttempt.at < resolveAt) {
            resolveAt = firstAttempt.at;
            reason = "attempted";
            cause = firstAttempt;
        }
        return new Decision(id, AlertKind.CALLBACK_DUE_SOON, cycle, true, at, resolveAt, reason,
                cause, null, null);
    }

    private static Decision breach(String customerId, Commitment commitment, Reading reading,
            Cycle cycle, SlaConfig config) {
        AlertKind kind = commitment.kind == Commitment.Kind.FOLLOW_UP
                ? AlertKind.FOLLOW_UP_OVERDUE : AlertKind.CALLBACK_BREACHED;
        String id = AlertIds.of(kind.name(), customerId, commitment.commitmentId,
                cycle.promise().eventId);
        long at = cycle.deadline();
        long terminalAt = reading.terminalAt();
        List<Fact> counted = countedAttempts(cycle, config);
        boolean keptByAttempts = keptByAttempts(counted, config);
        boolean fires = at < cycle.nextAt() && at < terminalAt && !keptByAttempts;
        if (!fires) {
            Fact cause = null;
            String why;
            if (terminalAt <= at) {
                cause = reading.terminal();
                why = reading.fulfilled() ? "kept-late-evidence" : "cancelled-late-evidence";
            } else if (cycle.nextAt() <= at) {
                why = "rescheduled-late-evidence";
            } else {
                cause = counted.get(counted.size() - 1);
                why = "kept-late-evidence";
            }
            return new Decision(id, kind, cycle, false, at, NEVER, null, null, why, cause);
        }
        long resolveAt = NEVER;
        String reason = null;
        Fact cause = null;
        if (cycle.nextAt() != NEVER) {
            resolveAt = cycle.nextAt();
            reason = "rescheduled";
        }
        if (terminalAt <= resolveAt && terminalAt != NEVER) {
            resolveAt = terminalAt;
            reason = reading.fulfilled() ? "kept-late" : "cancelled";
            cause = reading.terminal();
        }
        return new Decision(id, kind, cycle, true, at, resolveAt, reason, cause, null, null);
    }

    /**
     * The attempts that count towards keeping the promise: within the cycle's window, each at
     * least the spacing after the previous counted one (earliest first).
     */
    static List<Fact> countedAttempts(Cycle cycle, SlaConfig config) {
        long spacing = config.keptAttemptSpacing().toMillis();
        List<Fact> counted = new ArrayList<>();
        for (Fact attempt : cycle.attempts()) {
            if (attempt.at < cycle.windowStart() || attempt.at > cycle.deadline()) {
                continue;
            }
            if (counted.isEmpty() || attempt.at - counted.get(counted.size() - 1).at >= spacing) {
                counted.add(attempt);
            }
        }
        return counted;
    }

    /**
     * When the commitment can be forgotten: once no late fact could still change a decision
     * (a fact stamped at its end is accepted until the watermark passes the end by the allowed
     * lateness). After an unanswered breach its end is the end of the watch, so a call back
     * stamped within the watch still counts when it arrives as late as allowed.
     */
    static long endAt(Commitment commitment, Reading reading, List<Decision> decisions,
            SlaConfig config, long allowedLateness) {
        long lastFactCounts = allowedLateness + 1;
        if (!commitment.isPromised()) {
            return commitment.latestFactAt() + lastFactCounts;
        }
        if (reading.terminal() != null) {
            return Math.max(reading.terminalAt(), commitment.firstPromise().at) + lastFactCounts;
        }
        Cycle last = reading.cycles().get(reading.cycles().size() - 1);
        boolean breached = decisions.get(decisions.size() - 1).fires();
        return (breached ? watchEnd(last, config) : last.deadline()) + lastFactCounts;
    }

    /** How the commitment went, for the punctuality metric. */
    static String outcome(Reading reading, List<Decision> decisions) {
        boolean breached = decisions.stream()
                .anyMatch(d -> d.fires() && d.kind() != AlertKind.CALLBACK_DUE_SOON);
        if (reading.fulfilled()) {
            return breached ? "kept_late" : "kept_on_time";
        }
        if (reading.terminal() != null) {
            return breached ? "breached" : "cancelled";
        }
        return breached ? "breached" : "kept_on_time";
    }

    /** The next moment after {@code clock} when a decision or the end falls due. */
    static long nextWake(List<Decision> decisions, long endAt, long clock) {
        long next = endAt > clock ? endAt : NEVER;
        for (Decision decision : decisions) {
            if (decision.fires()) {
                if (decision.fireAt() > clock) {
                    next = Math.min(next, decision.fireAt());
                }
                if (decision.resolveAt() != NEVER && decision.resolveAt() > clock) {
                    next = Math.min(next, decision.resolveAt());
                }
            }
        }
        return next;
    }
}
