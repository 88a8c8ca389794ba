package dev.earlywarning.scoring;

import static dev.earlywarning.scoring.RiskScoringOperatorTest.withoutEmissionTime;
import static dev.earlywarning.scoring.SignalsTest.contact;
import static dev.earlywarning.scoring.SignalsTest.survey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.SurveyKind;
import dev.earlywarning.schema.TimelineEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator keeps customers in a write-back cache and writes them before each checkpoint
 * barrier: the alerts must not depend on the cache size, on RocksDB versus heap, or on where a
 * checkpoint and restore fell.
 */
class ScoringStatePathTest {

    private static final ScoringConfig CONFIG = ScoringConfig.defaults();
    private static final List<InteractionEvent> JOURNEYS =
            CustomerJourneys.generate(120, Events.T0);

    /** One customer: each leaves as the next comes; eight: a window of one, admission to seven. */
    @ParameterizedTest
    @ValueSource(ints = {1, 8})
    void aSmallCacheDecidesExactlyAsACacheOfAll(int cachedCustomers) throws Exception {
        List<Alert> expected = uninterrupted(100_000);
        assertThat(expected).hasSizeGreaterThan(60);
        try (ScoringHarness tiny = new ScoringHarness(CONFIG, cachedCustomers, true, null)) {
            runWithWatermarks(tiny, JOURNEYS);
            assertThat(withoutEmissionTime(tiny.alerts())).isEqualTo(withoutEmissionTime(expected));
        }
    }

    @Test
    void writingEachChangedCustomerAtOnceDecidesExactlyAsWritingThemAtTheBarrier()
            throws Exception {
        List<Alert> expected = uninterrupted(100_000);
        try (ScoringHarness eager = new ScoringHarness(CONFIG, 100_000, 1, true, null)) {
            runWithWatermarks(eager, JOURNEYS);
            assertThat(withoutEmissionTime(eager.alerts())).isEqualTo(withoutEmissionTime(expected));
        }
    }

    @Test
    void aCheckpointTakenMidStreamRestoresToTheSameAlerts() throws Exception {
        List<Alert> expected = uninterrupted(100_000);
        int half = JOURNEYS.size() / 2;
        OperatorSubtaskState checkpoint;
        List<Alert> beforeRestore;
        try (ScoringHarness first = new ScoringHarness(CONFIG, 16, true, null)) {
            feed(first, JOURNEYS.subList(0, half));
            checkpoint = first.checkpoint(1);
            beforeRestore = first.alerts();
            // Whatever the failed instance did after the checkpoint is lost with it.
            first.send(JOURNEYS.subList(half, half + 10));
        }
        try (ScoringHarness restored = new ScoringHarness(CONFIG, 16, true, checkpoint)) {
            runWithWatermarks(restored, JOURNEYS.subList(half, JOURNEYS.size()));
            List<Alert> all = new java.util.ArrayList<>(beforeRestore);
            all.addAll(restored.alerts());
            assertThat(withoutEmissionTime(all)).isEqualTo(withoutEmissionTime(expected));
        }
    }

    @Test
    void aRedeliveryIsRecognisedAmongTheCustomersRecentInputs() throws Exception {
        try (ScoringHarness harness = ScoringHarness.withSettings(
                java.util.Map.of("raise-threshold", "0.05", "clear-threshold", "0.01"))) {
            harness.send(contact("first", 0, Channel.PHONE, "K1"));
            for (int i = 1; i < RiskState.RECENT_INPUTS; i++) {
                harness.send(contact("other-" + i, i, Channel.PHONE, "K" + (i + 1))
                        .setType(dev.earlywarning.schema.InteractionType.HOLD));
            }
            harness.send(contact("first", 0, Channel.PHONE, "K1"));
            assertThat(harness.alerts()).as("the redelivered contact is no repeat contact")
                    .isEmpty();
        }
    }

    @Test
    void aTimelineWrittenAsARingOfSlotsIsConvertedWhenTheCustomerIsNextSeen() throws Exception {
        try (ScoringHarness harness = new ScoringHarness(CONFIG, 16, true, null)) {
            RiskState old = RiskState.fresh(Events.at(0).toEpochMilli());
            old.timelineInLog = false;
            harness.keyedState("c1", RiskScoringOperator.RISK).update(old);
            MapState<Integer, TimelineEntry> ring = harness.keyedState("c1",
                    RiskScoringOperator.timelineRingDescriptor(CONFIG));
            // The ring had wrapped: slot 0 holds the newest entry.
            ring.put(0, entry("e3", 30));
            ring.put(1, entry("e1", 10));
            ring.put(2, entry("e2", 20));

            harness.send(survey("e4", 40, SurveyKind.CSAT, 1));

            Alert alert = harness.alerts().get(0);
            assertThat(alert.getTimeline()).extracting(TimelineEntry::getEventId)
                    .containsExactly("e4", "e3", "e2", "e1");
            harness.checkpoint(1);
            assertThat(harness.keyedState("c1",
                    RiskScoringOperator.timelineRingDescriptor(CONFIG)).isEmpty()).isTrue();
            assertThat(harness.keyedState("c1", RiskScoringOperator.TIMELINE).get())
                    .extracting(TimelineEntry::getEventId).containsExactly("e1", "e2", "e3", "e4");
        }
    }

    /** The clean-up clears only what a customer can have: both states, whatever was written. */
    @Test
    void aCustomerWrittenToRocksDbLeavesNothingBehindAfterTheRetention() throws Exception {
        try (ScoringHarness harness = new ScoringHarness(CONFIG, 16, true, null)) {
            harness.send(contact("e1", 0, Channel.PHONE, "K1"));
            harness.checkpoint(1);
            RiskState written = harness.keyedState("c1", RiskScoringOperator.RISK).value();
            assertThat(written.timelineStored).isEqualTo(1);
            assertThat(harness.keyedState("c1", RiskScoringOperator.TIMELINE).get())
                    .extracting(TimelineEntry::getEventId).containsExactly("e1");

            harness.watermark(Events.at(0).plus(CONFIG.stateRetention()).plus(Duration.ofDays(1)));

            assertThat(harness.keyedState("c1", RiskScoringOperator.RISK).value()).isNull();
            assertThat(harness.keyedState("c1", RiskScoringOperator.TIMELINE).get()).isNull();
        }
    }

    @ParameterizedTest(name = "on RocksDB: {0}")
    @ValueSource(booleans = {true, false})
    void customersStoredByThePojoSerializerOfEarlierReleasesAreMigratedOnRestore(boolean rocksDb)
            throws Exception {
        RiskState before = EarlierReleaseState.customerWithOpenAlert(Events.at(0).toEpochMilli());
        OperatorSubtaskState savepoint = EarlierReleaseState.savepointOf("c1", before, rocksDb);

        try (ScoringHarness restored = new ScoringHarness(CONFIG, 16, rocksDb, savepoint)) {
            assertThat(restored.keyedState("c1", RiskScoringOperator.RISK).value())
                    .usingRecursiveComparison().isEqualTo(before);

            restored.send(survey("e2", 10, SurveyKind.CSAT, 1));

            Alert update = restored.alerts().get(0);
            assertThat(update.getAlertId()).isEqualTo(before.alertId);
            assertThat(update.getRevision()).isEqualTo(before.alertRevision + 1);
        }
    }

    /**
     * Their timeline log, stored by the Avro serializer, is rewritten entry by entry in the
     * compact format on restore: the alert raised next shows it, and entries appended to it
     * afterwards follow the migrated ones.
     */
    @ParameterizedTest(name = "on RocksDB: {0}")
    @ValueSource(booleans = {true, false})
    void timelinesStoredByTheAvroSerializerOfEarlierReleasesAreMigratedOnRestore(boolean rocksDb)
            throws Exception {
        List<TimelineEntry> stored = List.of(entry("e0", 0),
                new TimelineEntry(Events.at(1), Channel.EMAIL, "MESSAGE",
                        "réclamation ✉ « remboursement » 退款 😡", null),
                new TimelineEntry(Events.at(2), Channel.SELF_SERVICE, "SELF_SERVICE_FAILED",
                        "x".repeat(300), "e1"));
        RiskState before = EarlierReleaseState.customerWithOpenAlert(Events.at(0).toEpochMilli());
        before.timelineStored = stored.size();
        OperatorSubtaskState savepoint =
                EarlierReleaseState.savepointOf("c1", before, stored, rocksDb);

        OperatorSubtaskState checkpoint;
        TimelineEntry appended;
        try (ScoringHarness restored = new ScoringHarness(CONFIG, 16, rocksDb, savepoint)) {
            assertThat(restored.keyedState("c1", RiskScoringOperator.TIMELINE).get())
                    .containsExactlyElementsOf(stored);

            restored.send(survey("e2", 10, SurveyKind.CSAT, 1));

            List<TimelineEntry> shown = restored.alerts().get(0).getTimeline();
            appended = shown.get(0);
            assertThat(appended.getEventId()).isEqualTo("e2");
            List<TimelineEntry> newestFirst = new ArrayList<>(stored);
            Collections.reverse(newestFirst);
            assertThat(shown.subList(1, shown.size())).containsExactlyElementsOf(newestFirst);
            checkpoint = restored.checkpoint(1);
            assertThat(restored.keyedState("c1", RiskScoringOperator.RISK).value()
                    .timelineStored).isEqualTo(stored.size() + 1);
        }
        List<TimelineEntry> all = new ArrayList<>(stored);
        all.add(appended);
        try (ScoringHarness again = new ScoringHarness(CONFIG, 16, rocksDb, checkpoint)) {
            assertThat(again.keyedState("c1", RiskScoringOperator.TIMELINE).get())
                    .containsExactlyElementsOf(all);
        }
    }

    private static TimelineEntry entry(String eventId, int minute) {
        return new TimelineEntry(Events.at(minute), Channel.CHAT, "MESSAGE", "message " + eventId,
                eventId);
    }

    private static List<Alert> uninterrupted(int cachedCustomers) throws Exception {
        try (ScoringHarness harness = new ScoringHarness(CONFIG, cachedCustomers, false, null)) {
            runWithWatermarks(harness, JOURNEYS);
            return harness.alerts();
        }
    }

    /** The events in order with the watermark an hour behind, then to the end of time. */
    private static void runWithWatermarks(ScoringHarness harness, List<InteractionEvent> events)
            throws Exception {
        feed(harness, events);
        harness.watermark(events.get(events.size() - 1).getOccurredAt().plus(Duration.ofDays(30)));
    }

    private static void feed(ScoringHarness harness, List<InteractionEvent> events)
            throws Exception {
        for (InteractionEvent event : events) {
            harness.send(List.of(event));
            harness.watermark(event.getOccurredAt().minus(Duration.ofHours(1)));
        }
    }
}
