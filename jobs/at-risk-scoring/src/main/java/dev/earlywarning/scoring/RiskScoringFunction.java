package dev.earlywarning.scoring;

import dev.earlywarning.common.config.RuntimeSettings;
import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.kafka.AvroCodec;
import dev.earlywarning.common.kafka.DeadLetterReason;
import dev.earlywarning.common.kafka.DeadLetters;
import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.common.metrics.EwsMetrics;
import dev.earlywarning.common.state.Deduplicator;
import dev.earlywarning.common.time.EventTime;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.ControlCommand;
import dev.earlywarning.schema.DeadLetter;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.TimelineEntry;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Scores each customer (the key) from their interactions and the promises broken to them (the
 * callback-sla job's breach alerts), and raises {@code AT_RISK_CUSTOMER}
 * alerts: OPEN when the score crosses the raise threshold (or on any detractor survey), UPDATED
 * when it rises materially or a new kind of evidence arrives, RESOLVED when it decays below the
 * clear threshold (hysteresis: between the two thresholds nothing changes).
 *
 * <p>Time: event time. Decay and the resolve time are computed from the events' own timestamps,
 * and a resolve that falls before the next event is applied before that event, whether or not the
 * watermark has fired its timer yet; so the alerts depend only on each customer's events in their
 * partition order, not on watermark timing, parallelism or restarts. Alert ids derive from the
 * customer and the event that opened the alert.
 *
 * <p>State: a small {@link RiskState}, a bounded ring of timeline entries and the recently seen
 * event ids (TTL). All of a customer's state is dropped by a clean-up timer once they have been
 * quiet for the state retention and have no open alert.
 */
class RiskScoringFunction
        extends KeyedBroadcastProcessFunction<String, ScoringInput, Ingested<ControlCommand>, Alert> {

    private static final long serialVersionUID = 1L;
    /** Clean-up timers are rounded up to the hour: it matters little when quiet state goes. */
    private static final long CLEANUP_GRANULARITY = Duration.ofHours(1).toMillis();

    static final ValueStateDescriptor<RiskState> RISK =
            new ValueStateDescriptor<>("risk", TypeInformation.of(RiskState.class));

    private final RuntimeSettings<ScoringConfig> settings;
    private final String interactionsTopic;

    private transient ValueState<RiskState> risk;
    private transient MapState<Integer, TimelineEntry> timeline;
    private transient Deduplicator seenEvents;
    private transient ScoringConfig config;
    private transient CounterDataPoint lateRecords;
    private transient DistributionDataPoint latency;
    private transient AvroCodec<InteractionEvent> interactionCodec;

    RiskScoringFunction(ScoringConfig config, Topics topics) {
        this(config, topics.interactions(), topics.control());
    }

    RiskScoringFunction(ScoringConfig config, String interactionsTopic, String controlTopic) {
        this.settings = new RuntimeSettings<>(AtRiskScoringJob.NAME, controlTopic, config,
                ScoringConfig::with, ScoringControl.STATE);
        this.interactionsTopic = interactionsTopic;
    }

    @Override
    public void open(OpenContext openContext) {
        risk = getRuntimeContext().getState(RISK);
        MapStateDescriptor<Integer, TimelineEntry> timelineDescriptor = new MapStateDescriptor<>(
                "timeline", Types.INT, new AvroTypeInfo<>(TimelineEntry.class));
        // Belt and braces: the clean-up timer removes the timeline; the TTL bounds it regardless.
        ScoringConfig startConfig = settings.start();
        timelineDescriptor.enableTimeToLive(StateTtlConfig.newBuilder(startConfig.stateRetention()
                        .plus(startConfig.timelineHorizon()))
                .cleanupInRocksdbCompactFilter(1000).build());
        timeline = getRuntimeContext().getMapState(timelineDescriptor);
        seenEvents = new Deduplicator(getRuntimeContext(), "seen-event-ids",
                startConfig.stateRetention());
        config = startConfig;
        lateRecords = EwsMetrics.DEAD_LETTERS.labelValues(AtRiskScoringJob.NAME,
                DeadLetterReason.LATE.label());
        latency = EwsMetrics.ALERT_LATENCY.labelValues(AtRiskScoringJob.NAME);
        interactionCodec = new AvroCodec<>(InteractionEvent.class);
    }

    @Override
    public void processElement(ScoringInput in, ReadOnlyContext ctx, Collector<Alert> out)
            throws Exception {
        long at = in.eventTime();
        config = settings.current(ctx.getBroadcastState(ScoringControl.STATE));
        if (in.interaction != null && EventTime.isTooLate(at,
                ctx.timerService().currentWatermark(), config.allowedLateness().toMillis())) {
            deadLetterLate(in, ctx);
            return;
        }
        if (!seenEvents.firstTime(in.id())) {
            return;
        }

        RiskState state = risk.value();
        state = state == null ? RiskState.fresh(at) : state.upgraded();
        String customerId = ctx.getCurrentKey();
        resolveIfDecayedBefore(at, customerId, state, out);
        RiskModel.decayTo(state, at, config);

        List<SignalDetector.Detection> detections;
        if (in.interaction != null) {
            detections = SignalDetector.detect(in.interaction, state, config);
            SignalDetector.remember(in.interaction, state);
            if (SignalDetector.isOutboundAnswer(in.interaction)) {
                RiskModel.relieve(state, config.outboundRelief());
                state.holdOpenUntil = RiskState.NONE;
            }
            appendToTimeline(state, Timeline.entryOf(in.interaction));
        } else {
            detections = BrokenPromises.detect(in.brokenPromise, state, config);
            appendToTimeline(state, Timeline.entryOf(in.brokenPromise));
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

        decideAlert(customerId, state, at, in.id(), newSignals, forced, in.ingestedAt, out);
        scheduleTimers(state, ctx.timerService());
        risk.update(state);
    }

    private void deadLetterLate(ScoringInput in, ReadOnlyContext ctx) {
        lateRecords.inc();
        ctx.output(DeadLetters.TAG, DeadLetters.build(AtRiskScoringJob.NAME, interactionsTopic,
                in.partition, in.offset, in.customerId(),
                DeadLetterReason.LATE.describe("occurredAt " + in.interaction.getOccurredAt()
                        + " is behind the watermark by more than " + config.allowedLateness()),
                interactionCodec.encode(in.interaction)));
    }

    /**
     * OPEN, UPDATED or RESOLVED, or nothing. The hysteresis: an alert opens at the raise threshold,
     * stays open down to the clear threshold, and only updates on a material rise or new evidence.
     */
    private void decideAlert(String customerId, RiskState state, long at, String eventId,
            int newSignals, boolean forced, long ingestedAt, Collector<Alert> out) throws Exception {
        double score = RiskModel.score(state);
        if (!state.hasOpenAlert()) {
            if (score >= config.raiseThreshold() || forced) {
                state.alertId = dev.earlywarning.common.AlertIds.of(
                        AlertKind.AT_RISK_CUSTOMER.name(), customerId, eventId);
                state.alertRevision = 0;
                emit(customerId, state, AlertStatus.OPEN, at, eventId, ingestedAt, out);
            }
        } else if (score < config.clearThreshold() && at >= state.holdOpenUntil) {
            resolve(customerId, state, at, eventId, ingestedAt, out);
        } else if (forced || score >= state.alertedScore + config.updateDelta()
                || (newSignals & ~state.alertedSignals) != 0) {
            state.alertRevision++;
            emit(customerId, state, AlertStatus.UPDATED, at, eventId, ingestedAt, out);
        }
    }

    private void resolveIfDecayedBefore(long at, String customerId, RiskState state,
            Collector<Alert> out) throws Exception {
        if (state.hasOpenAlert() && at > state.asOf) {
            long clearAt = resolveTime(state);
            if (clearAt <= at) {
                RiskModel.decayTo(state, clearAt, config);
                resolve(customerId, state, clearAt, null, Long.MIN_VALUE, out);
            }
        }
    }

    private void resolve(String customerId, RiskState state, long at, String eventId,
            long ingestedAt, Collector<Alert> out) throws Exception {
        state.alertRevision++;
        emit(customerId, state, AlertStatus.RESOLVED, at, eventId, ingestedAt, out);
        state.clearAlert();
    }

    private void emit(String customerId, RiskState state, AlertStatus status, long at,
            String eventId, long ingestedAt, Collector<Alert> out) throws Exception {
        Alert alert = AlertExplainer.explain(customerId, state, status, at, eventId,
                recentTimeline(state, at));
        state.alertedScore = alert.getScore();
        for (var reason : alert.getReasons()) {
            state.alertedSignals |= Signal.valueOf(reason.getSignal()).bit();
        }
        out.collect(alert);
        EwsMetrics.ALERTS.labelValues(AtRiskScoringJob.NAME, alert.getKind().name(),
                alert.getSeverity().name()).inc();
        if (status != AlertStatus.RESOLVED) {
            EwsMetrics.RISK_SCORE.observe(alert.getScore());
        }
        if (ingestedAt != Long.MIN_VALUE) {
            latency.observe((System.currentTimeMillis() - ingestedAt) / 1000.0);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        RiskState state = risk.value();
        if (state == null) {
            return;
        }
        state.upgraded();
        config = settings.current(ctx.getBroadcastState(ScoringControl.STATE));
        if (timestamp == state.resolveTimerAt) {
            state.resolveTimerAt = RiskState.NONE;
            resolveIfDecayedBefore(timestamp, ctx.getCurrentKey(), state, out);
        }
        if (timestamp == state.cleanupTimerAt) {
            state.cleanupTimerAt = RiskState.NONE;
            if (!state.hasOpenAlert()
                    && state.lastEventAt + config.stateRetention().toMillis() <= timestamp) {
                if (state.resolveTimerAt != RiskState.NONE) {
                    ctx.timerService().deleteEventTimeTimer(state.resolveTimerAt);
                }
                risk.clear();
                timeline.clear();
                seenEvents.clear();
                return;
            }
        }
        scheduleTimers(state, ctx.timerService());
        risk.update(state);
    }

    /** When the open alert resolves if nothing else happens: decayed and past any hold. */
    private long resolveTime(RiskState state) {
        return Math.max(RiskModel.clearTime(state, config), state.holdOpenUntil);
    }

    /**
     * Timers are wake-ups, not decisions: a pending timer that fires earlier than needed just
     * re-schedules, so a timer is replaced only when it must fire sooner. That keeps timer churn
     * (a RocksDB write and delete each) off the per-event path of busy customers.
     */
    private void scheduleTimers(RiskState state,
            org.apache.flink.streaming.api.TimerService timers) {
        if (state.hasOpenAlert()) {
            long resolveAt = resolveTime(state);
            if (state.resolveTimerAt == RiskState.NONE || state.resolveTimerAt > resolveAt) {
                if (state.resolveTimerAt != RiskState.NONE) {
                    timers.deleteEventTimeTimer(state.resolveTimerAt);
                }
                timers.registerEventTimeTimer(resolveAt);
                state.resolveTimerAt = resolveAt;
            }
        }
        if (state.cleanupTimerAt == RiskState.NONE) {
            long retentionEnd = state.lastEventAt + config.stateRetention().toMillis();
            long cleanupAt =
                    (Math.floorDiv(retentionEnd, CLEANUP_GRANULARITY) + 1) * CLEANUP_GRANULARITY;
            timers.registerEventTimeTimer(cleanupAt);
            state.cleanupTimerAt = cleanupAt;
        }
    }

    private void appendToTimeline(RiskState state, TimelineEntry entry) throws Exception {
        int slot = state.timelineWritten % config.timelineSize();
        timeline.put(slot, entry);
        state.timelineWritten++;
    }

    private List<TimelineEntry> recentTimeline(RiskState state, long at) throws Exception {
        long horizon = at - config.timelineHorizon().toMillis();
        List<TimelineEntry> entries = new ArrayList<>();
        for (TimelineEntry entry : timeline.values()) {
            if (entry.getAt().toEpochMilli() >= horizon) {
                entries.add(entry);
            }
        }
        entries.sort(Comparator.comparing(TimelineEntry::getAt).reversed()
                .thenComparing(e -> e.getEventId() == null ? "" : e.getEventId()));
        return entries.size() > config.timelineSize()
                ? entries.subList(0, config.timelineSize()) : entries;
    }

    @Override
    public void processBroadcastElement(Ingested<ControlCommand> in, Context ctx,
            Collector<Alert> out) throws Exception {
        DeadLetter refused = settings.apply(in.value, in.partition, in.offset,
                ctx.getBroadcastState(ScoringControl.STATE),
                getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0);
        if (refused != null) {
            ctx.output(DeadLetters.TAG, refused);
        }
    }
}
