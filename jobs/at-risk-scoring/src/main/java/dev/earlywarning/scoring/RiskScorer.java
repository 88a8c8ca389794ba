package dev.earlywarning.scoring;

import dev.earlywarning.common.AlertIds;
import dev.earlywarning.common.metrics.EwsMetrics;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.TimelineEntry;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Decides one customer's {@code AT_RISK_CUSTOMER} alerts: OPEN when the score crosses the raise
 * threshold (or on any detractor survey), UPDATED when it rises materially or a new kind of
 * evidence arrives, RESOLVED when it decays below the clear threshold (hysteresis: between the two
 * thresholds nothing changes).
 *
 * <p>Time: event time. Decay and the resolve time are computed from the events' own timestamps,
 * and a resolve that falls before the next event is applied before that event, whether or not the
 * watermark has fired its timer yet; so the alerts depend only on each customer's inputs in the
 * order they are read, not on watermark timing, parallelism, caching or restarts (interactions
 * keep their partition order; broken promises come from another topic and interleave with them
 * as they arrive). Alert ids derive from the customer and the input that opened the alert.
 *
 * <p>No Flink here: the operator hands over the customer, the configuration in force, where alerts
 * go, the customer's timers and their timeline.
 */
final class RiskScorer {

    /** The current customer's event-time timers. */
    interface Timers {
        void register(long time);

        void delete(long time);
    }

    /** Reads the current customer's timeline, when an alert needs it: the newest entries. */
    interface TimelineReader {
        List<TimelineEntry> read(CustomerRisk customer, int size) throws Exception;
    }

    /** What a wake-up decided about the customer's state. */
    enum Outcome { KEEP, END }

    /** Clean-up timers are rounded up to the hour: it matters little when quiet state goes. */
    private static final long CLEANUP_GRANULARITY = java.time.Duration.ofHours(1).toMillis();
    private static final long NO_INGESTION = Long.MIN_VALUE;

    private final Consumer<Alert> out;
    private final Timers timers;
    private final TimelineReader timeline;
    private final DistributionDataPoint latency;
    private ScoringConfig config;

    RiskScorer(Consumer<Alert> out, Timers timers, TimelineReader timeline) {
        this.out = out;
        this.timers = timers;
        this.timeline = timeline;
        this.latency = EwsMetrics.ALERT_LATENCY.labelValues(AtRiskScoringJob.NAME);
    }

    /** Applies one input (not a redelivery, not too late) to the customer. */
    void score(String customerId, CustomerRisk customer, ScoringInput in, ScoringConfig current)
            throws Exception {
        config = current;
        RiskState state = customer.state;
        long at = in.eventTime();
        resolveIfDecayedBefore(at, customerId, customer);
        RiskModel.decayTo(state, at, config);

        boolean relieved = false;
        List<SignalDetector.Detection> detections;
        if (in.interaction != null) {
            detections = SignalDetector.detect(in.interaction, state, config);
            SignalDetector.remember(in.interaction, state);
            if (SignalDetector.isOutboundAnswer(in.interaction)) {
                RiskModel.relieve(state, config.outboundRelief());
                state.holdOpenUntil = RiskState.NONE;
                relieved = true;
            }
            customer.appendToTimeline(Timeline.entryOf(in.interaction), config.timelineSize());
        } else {
            detections = BrokenPromises.detect(in.brokenPromise, state, config);
            customer.appendToTimeline(Timeline.entryOf(in.brokenPromise), config.timelineSize());
        }

        int newSignals = 0;
        boolean forced = false;
        for (SignalDetector.Detection detection : detections) {
            RiskModel.add(state, detection.signal(), detection.amount(), at, config);
            state.addEvidence(detection.signal(), in.id(), detection.detail());
            if (detection.extraEvidenceId() != null) {
                state.addEvidence(detection.signal(), detection.extraEvidenceId(), detection.detail());
            }
            newSignals |= detection.signal().bit();
            if (detection.signal() == Signal.DETRACTOR_SURVEY) {
                forced = true;
                state.holdOpenUntil = Math.max(state.holdOpenUntil,
                        at + config.halfLifeMillis(Signal.DETRACTOR_SURVEY));
            }
        }
        state.lastEventAt = Math.max(state.lastEventAt, at);

        decideAlert(customerId, customer, at, in.id(), newSignals, forced, in.ingestedAt);
        scheduleTimers(state, relieved, at);
    }

    /** A timer of the customer fired: resolve a decayed alert, or end the state of a quiet one. */
    Outcome wakeUp(String customerId, CustomerRisk customer, long timestamp, ScoringConfig current)
            throws Exception {
        config = current;
        RiskState state = customer.state;
        if (timestamp == state.resolveTimerAt) {
            state.resolveTimerAt = RiskState.NONE;
            resolveIfDecayedBefore(timestamp, customerId, customer);
        }
        if (timestamp == state.cleanupTimerAt) {
            state.cleanupTimerAt = RiskState.NONE;
            if (!state.hasOpenAlert()
                    && state.lastEventAt + config.stateRetention().toMillis() <= timestamp) {
                if (state.resolveTimerAt != RiskState.NONE) {
                    timers.delete(state.resolveTimerAt);
                }
                return Outcome.END;
            }
        }
        // A configuration change may have moved the resolve time earlier: look again.
        scheduleTimers(state, true, timestamp);
        return Outcome.KEEP;
    }

    /**
     * OPEN, UPDATED or RESOLVED, or nothing. The hysteresis: an alert opens at the raise threshold,
     * stays open down to the clear threshold, and only updates on a material rise or new evidence.
     */
    private void decideAlert(String customerId, CustomerRisk customer, long at, String inputId,
            int newSignals, boolean forced, long ingestedAt) throws Exception {
        RiskState state = customer.state;
        double score = RiskModel.score(state);
        if (!state.hasOpenAlert()) {
            if (score >= config.raiseThreshold() || forced) {
                state.alertId = AlertIds.of(AlertKind.AT_RISK_CUSTOMER.name(), customerId, inputId);
                state.alertRevision = 0;
                emit(customerId, customer, AlertStatus.OPEN, at, inputId, ingestedAt);
            }
        } else if (score < config.clearThreshold() && at >= state.holdOpenUntil) {
            resolve(customerId, customer, at, inputId, ingestedAt);
        } else if (forced || score >= state.alertedScore + config.updateDelta()
                || (newSignals & ~state.alertedSignals) != 0) {
            state.alertRevision++;
            emit(customerId, customer, AlertStatus.UPDATED, at, inputId, ingestedAt);
        }
    }

    /** Asks the cheap question (decayed by {@code at}?) before searching for the exact moment. */
    private void resolveIfDecayedBefore(long at, String customerId, CustomerRisk customer)
            throws Exception {
        RiskState state = customer.state;
        if (state.hasOpenAlert() && at >= state.asOf && at >= state.holdOpenUntil
                && RiskModel.clearedBy(state, at, config)) {
            long clearAt = resolveTime(state);
            RiskModel.decayTo(state, clearAt, config);
            resolve(customerId, customer, clearAt, null, NO_INGESTION);
        }
    }

    private void resolve(String customerId, CustomerRisk customer, long at, String inputId,
            long ingestedAt) throws Exception {
        customer.state.alertRevision++;
        emit(customerId, customer, AlertStatus.RESOLVED, at, inputId, ingestedAt);
        customer.state.clearAlert();
    }

    private void emit(String customerId, CustomerRisk customer, AlertStatus status, long at,
            String inputId, long ingestedAt) throws Exception {
        RiskState state = customer.state;
        Alert alert = AlertExplainer.explain(customerId, state, status, at, inputId,
                recentTimeline(customer, at));
        state.alertedScore = alert.getScore();
        for (var reason : alert.getReasons()) {
            state.alertedSignals |= Signal.valueOf(reason.getSignal()).bit();
        }
        out.accept(alert);
        EwsMetrics.ALERTS.labelValues(AtRiskScoringJob.NAME, alert.getKind().name(),
                alert.getSeverity().name()).inc();
        if (status != AlertStatus.RESOLVED) {
            EwsMetrics.RISK_SCORE.observe(alert.getScore());
        }
        if (ingestedAt != NO_INGESTION) {
            latency.observe((System.currentTimeMillis() - ingestedAt) / 1000.0);
        }
    }

    /** When the open alert resolves if nothing else happens: decayed and past any hold. */
    private long resolveTime(RiskState state) {
        return Math.max(RiskModel.clearTime(state, config), state.holdOpenUntil);
    }

    /**
     * Timers are wake-ups, not decisions: a pending timer that fires earlier than needed just
     * re-schedules, so a timer is replaced only when it must fire sooner. New evidence only ever
     * delays the resolve time, so it is searched for again only when it may have come sooner
     * (relief by an answered outbound contact, a configuration change) or no timer is pending.
     *
     * <p>Every timer is set after {@code now}, the time being handled: a timer at or before the
     * watermark fires at once, so one that found nothing to do and came back at the same time
     * would fire forever.
     */
    private void scheduleTimers(RiskState state, boolean mayResolveSooner, long now) {
        if (state.hasOpenAlert() && (state.resolveTimerAt == RiskState.NONE || mayResolveSooner)) {
            long resolveAt = resolveTime(state);
            if (state.resolveTimerAt == RiskState.NONE || state.resolveTimerAt > resolveAt) {
                if (state.resolveTimerAt != RiskState.NONE) {
                    timers.delete(state.resolveTimerAt);
                }
                timers.register(resolveAt);
                state.resolveTimerAt = resolveAt;
            }
        }
        if (state.cleanupTimerAt == RiskState.NONE) {
            long retentionEnd = state.lastEventAt + config.stateRetention().toMillis();
            // An open alert keeps the state at least until it can resolve: no point looking sooner.
            long notBefore = state.hasOpenAlert() && state.resolveTimerAt != RiskState.NONE
                    ? Math.max(now, state.resolveTimerAt) : now;
            long cleanupAt = (Math.floorDiv(Math.max(retentionEnd, notBefore), CLEANUP_GRANULARITY)
                    + 1) * CLEANUP_GRANULARITY;
            timers.register(cleanupAt);
            state.cleanupTimerAt = cleanupAt;
        }
    }

    private List<TimelineEntry> recentTimeline(CustomerRisk customer, long at) throws Exception {
        long horizon = at - config.timelineHorizon().toMillis();
        List<TimelineEntry> entries = timeline.read(customer, config.timelineSize());
        entries.removeIf(entry -> entry.getAt().toEpochMilli() < horizon);
        entries.sort(Comparator.comparing(TimelineEntry::getAt).reversed()
                .thenComparing(e -> e.getEventId() == null ? "" : e.getEventId()));
        return entries.size() > config.timelineSize()
                ? entries.subList(0, config.timelineSize()) : entries;
    }
}
