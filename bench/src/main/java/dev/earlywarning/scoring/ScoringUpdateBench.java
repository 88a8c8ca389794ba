package dev.earlywarning.scoring;

import dev.earlywarning.bench.SyntheticInteractions;
import dev.earlywarning.schema.InteractionEvent;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The scoring job's pure per-event logic, without Flink, state backend or Avro: decay to the
 * event's time, detect its signals, remember its case and channel, add the detections with their
 * evidence, score. In this package because the model's classes are package-private. Events come
 * from the load generator's stream; the per-customer states from a pool indexed by the event's
 * customer, so busy customers carry realistic history.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ScoringUpdateBench {

    private static final int EVENTS = 1 << 16;

    @Param("10000")
    int customers;

    private InteractionEvent[] events;
    private RiskState[] states;
    private ScoringConfig config;
    private int next;

    @Setup
    public void setUp() {
        SyntheticInteractions traffic = new SyntheticInteractions(customers,
                Instant.parse("2026-01-01T00:00:00Z"), 2_000);
        events = new InteractionEvent[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            events[i] = traffic.event(i);
        }
        states = new RiskState[customers];
        config = ScoringConfig.defaults();
    }

    @Benchmark
    public double scoreOneEvent() {
        InteractionEvent event = events[next];
        next = (next + 1) & (EVENTS - 1);
        int customer = Integer.parseInt(event.getCustomerId().substring(5));
        long at = event.getOccurredAt().toEpochMilli();
        RiskState state = states[customer];
        if (state == null || state.asOf > at) {
            state = states[customer] = RiskState.fresh(at);
        }
        RiskModel.decayTo(state, at, config);
        List<SignalDetector.Detection> detections = SignalDetector.detect(event, state, config);
        SignalDetector.remember(event, state);
        for (SignalDetector.Detection detection : detections) {
            RiskModel.add(state, detection.signal(), detection.amount(), at, config);
            state.addEvidence(detection.signal(), event.getEventId(), detection.detail());
        }
        state.lastEventAt = Math.max(state.lastEventAt, at);
        return RiskModel.score(state);
    }
}
