package dev.earlywarning.scoring;

import static dev.earlywarning.scoring.Events.at;
import static dev.earlywarning.scoring.Events.event;
import static dev.earlywarning.scoring.SignalsTest.contact;
import static dev.earlywarning.scoring.SignalsTest.survey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.Direction;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import dev.earlywarning.schema.SurveyKind;
import dev.earlywarning.schema.TimelineEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Thresholds, hysteresis, decay, run-time control, clean-up, lateness and duplicates. */
class RiskScoringOperatorTest {

    /** The bounced customer: chat, then email, then a transfer and an escalation on one case. */
    static InteractionEvent.Builder[] bouncedAcrossChannels() {
        return new InteractionEvent.Builder[] {
            contact("b1", 0, Channel.CHAT, "K7").setText("I got a package I never ordered"),
            contact("b2", 40, Channel.EMAIL, "K7").setType(InteractionType.MESSAGE)
                    .setText("Still nobody explained the package"),
            event("b3", "c1", 90, Channel.PHONE, InteractionType.TRANSFER).setCaseId("K7"),
            event("b4", "c1", 95, Channel.PHONE, InteractionType.ESCALATION).setCaseId("K7"),
        };
    }

    @Test
    void opensOnceTheScoreCrossesTheRaiseThresholdAndExplainsItself() throws Exception {
        try (ScoringHarness harness = new ScoringHarness(ScoringConfig.defaults())) {
            InteractionEvent.Builder[] journey = bouncedAcrossChannels();
            harness.send(journey[0], journey[1]);
            assertThat(harness.alerts()).as("two contacts stay below the threshold").isEmpty();

            harness.send(journey[2]);
            Alert opened = harness.alerts().get(0);
            assertThat(opened.getStatus()).isEqualTo(AlertStatus.OPEN);
            assertThat(opened.getScore()).isGreaterThanOrEqualTo(0.6);
            assertThat(opened.getReasons()).extracting(r -> r.getSignal())
                    .containsExactlyInAnyOrder("REPEAT_CONTACT", "CHANNEL_HOP", "TRANSFER");
            assertThat(SignalsTest.reasonOf(opened, Signal.CHANNEL_HOP).getDetail())
                    .isEqualTo("case K7 moved from CHAT to EMAIL");

            harness.send(journey[3]);
            List<Alert> alerts = harness.alerts();
            assertThat(alerts).hasSize(2);
            Alert alert = alerts.get(1);
            assertThat(alert.getStatus()).isEqualTo(AlertStatus.UPDATED);
            assertThat(alert.getAlertId()).isEqualTo(opened.getAlertId());
            assertThat(alert.getCaseId()).isEqualTo("K7");
            assertThat(alert.getReasons()).extracting(r -> r.getSignal()).contains(
                    "REPEAT_CONTACT", "CHANNEL_HOP", "TRANSFER", "ESCALATION");
            assertThat(alert.getTimeline()).extracting(TimelineEntry::getEventId)
                    .containsExactly("b4", "b3", "b2", "b1");
            assertThat(alert.getTimeline()).extracting(TimelineEntry::getChannel)
                    .contains(Channel.CHAT, Channel.EMAIL, Channel.PHONE);
            assertThat(alert.getSuggestedAction()).contains("Ana Silva").contains("K7");
            assertThat(alert.getRevision()).isEqualTo(1);
            assertThat(alert.getTriggeredAt()).isEqualTo(at(95));
        }
    }

    @Test
    void detractorSurveyAlwaysAlertsEvenWithATinyWeight() throws Exception {
        try (ScoringHarness harness =
                ScoringHarness.withSettings(Map.of("weight.detractor-survey", "0.05"))) {
            harness.send(survey("s1", 0, SurveyKind.CSAT, 1));
            assertThat(harness.alerts()).singleElement().satisfies(alert -> {
                assertThat(alert.getStatus()).isEqualTo(AlertStatus.OPEN);
                assertThat(alert.getScore()).isLessThan(0.1);
                assertThat(alert.getSuggestedAction()).contains("survey");
            });

            harness.send(survey("s2", 60, SurveyKind.NPS, 0));
            assertThat(harness.alerts()).extracting(Alert::getStatus)
                    .containsExactly(AlertStatus.OPEN, AlertStatus.UPDATED);
        }
    }

    @Test
    void hysteresisKeepsOneAlertWhileTheScoreHoversAroundTheThreshold() throws Exception {
        try (ScoringHarness harness = new ScoringHarness(ScoringConfig.defaults())) {
            harness.send(bouncedAcrossChannels());
            Alert opened = harness.alerts().get(0);
            // Hover: decays to just under the raise threshold, then one more small nudge.
            harness.send(contact("h1", 60 * 8, Channel.PHONE, "K7"),
                    contact("h2", 60 * 16, Channel.PHONE, "K7"),
                    contact("h3", 60 * 20, Channel.PHONE, "K7"));

            List<Alert> alerts = harness.alerts();
            assertThat(alerts).extracting(Alert::getStatus).doesNotContain(AlertStatus.RESOLVED);
            assertThat(alerts).extracting(Alert::getAlertId).containsOnly(opened.getAlertId());
            assertThat(alerts.stream().filter(a -> a.getStatus() == AlertStatus.OPEN)).hasSize(1);
        }
    }

    @Test
    void updatesOnNewKindOfEvidenceButNotOnMoreOfTheSame() throws Exception {
        try (ScoringHarness harness = new ScoringHarness(ScoringConfig.defaults())) {
            harness.send(bouncedAcrossChannels());
            harness.send(event("x1", "c1", 100, Channel.PHONE, InteractionType.ESCALATION));
            assertThat(harness.alerts()).as("same kind, small rise").hasSize(2);

            harness.send(event("x2", "c1", 110, Channel.CHAT, InteractionType.MESSAGE)
                    .setText("I will cancel everything"));
            List<Alert> alerts = harness.alerts();
            assertThat(alerts).extracting(Alert::getStatus)
                    .containsExactly(AlertStatus.OPEN, AlertStatus.UPDATED, AlertStatus.UPDATED);
            assertThat(alerts.get(2).getAlertId()).isEqualTo(alerts.get(0).getAlertId());
            assertThat(alerts.get(2).getRevision()).isEqualTo(2);
            assertThat(SignalsTest.reasonOf(alerts.get(2), Signal.CHURN_INTENT).getEvidenceEventIds())
                    .containsExactly("x2");
        }
    }

    @Test
    void resolvesAtTheComputedTimeWhenTheWatermarkPassesIt() throws Exception {
        try (ScoringHarness harness = new ScoringHarness(ScoringConfig.defaults())) {
            harness.send(bouncedAcrossChannels());
            harness.watermark(at(60 * 24));
            assertThat(harness.alerts()).hasSize(2);

            harness.watermark(at(60 * 24 * 7));
            List<Alert> alerts = harness.alerts();
            assertThat(alerts).extracting(Alert::getStatus)
                    .containsExactly(AlertStatus.OPEN, AlertStatus.UPDATED, AlertStatus.RESOLVED);
            Alert resolved = alerts.get(2);
            assertThat(resolved.getAlertId()).isEqualTo(alerts.get(0).getAlertId());
            assertThat(resolved.getScore()).isLessThanOrEqualTo(0.35).isGreaterThan(0.34);
            assertThat(resolved.getTriggeredAt()).isAfter(at(60 * 24)).isBefore(at(60 * 24 * 7));
            assertThat(harness.eventTimeTimers()).as("only the clean-up timer").isEqualTo(1);
        }
    }

    @Test
    void aResolveDueBeforeTheNextEventHappensFirstWhateverTheWatermark() throws Exception {
        try (ScoringHarness timely = new ScoringHarness(ScoringConfig.defaults());
                ScoringHarness lagging = new ScoringHarness(ScoringConfig.defaults())) {
            InteractionEvent.Builder later = contact("z1", 60 * 24 * 6, Channel.PHONE, "K9");
            timely.send(bouncedAcrossChannels()).watermark(at(60 * 24 * 5)).send(later);
            lagging.send(bouncedAcrossChannels()).send(contact("z1", 60 * 24 * 6, Channel.PHONE, "K9"));

            assertThat(lagging.alerts()).extracting(Alert::getStatus)
                    .containsExactly(AlertStatus.OPEN, AlertStatus.UPDATED, AlertStatus.RESOLVED);
            assertThat(withoutEmissionTime(lagging.alerts()))
                    .isEqualTo(withoutEmissionTime(timely.alerts()));
        }
    }

    @Test
    void anOutboundAnswerLowersTheScoreUntilTheAlertResolves() throws Exception {
        try (ScoringHarness harness = new ScoringHarness(ScoringConfig.defaults())) {
            harness.send(bouncedAcrossChannels());
            double before = harness.alerts().get(0).getScore();
            harness.send(outbound("o1", 120), outbound("o2", 121), outbound("o3", 122));

            List<Alert> alerts = harness.alerts();
            assertThat(alerts.get(alerts.size() - 1).getStatus()).isEqualTo(AlertStatus.RESOLVED);
            assertThat(alerts.get(alerts.size() - 1).getScore()).isLessThan(before);
        }
    }

    @Test
    void controlCommandChangesThresholdsWithoutRestart() throws Exception {
        try (ScoringHarness harness = new ScoringHarness(ScoringConfig.defaults())) {
            harness.control(AtRiskScoringJob.NAME, "SET_CONFIG", "{\"raise-threshold\": 0.95}");
            harness.send(bouncedAcrossChannels());
            assertThat(harness.alerts()).isEmpty();

            harness.control("*", "SET_CONFIG", "{\"raise-threshold\": 0.5, \"weight.transfer\": 1}");
            harness.send(event("t2", "c1", 100, Channel.PHONE, InteractionType.TRANSFER));
            assertThat(harness.alerts()).extracting(Alert::getStatus).containsExactly(AlertStatus.OPEN);
            assertThat(harness.deadLetters()).isEmpty();
        }
    }

    @Test
    void invalidControlCommandsAreDeadLetteredAndTheLastGoodConfigStays() throws Exception {
        try (ScoringHarness harness = new ScoringHarness(ScoringConfig.defaults())) {
            harness.control(AtRiskScoringJob.NAME, "SET_CONFIG", "{\"raise-threshold\": 0.95}");
            harness.control(AtRiskScoringJob.NAME, "SET_CONFIG", "{\"raise-threshold\": 1.5}");
            harness.control(AtRiskScoringJob.NAME, "SET_CONFIG", "{\"raise-treshold\": 0.1}");
            harness.control(AtRiskScoringJob.NAME, "SET_CONFIG", "not json");
            harness.control(AtRiskScoringJob.NAME, "SET_CONFIG", "{\"clear-threshold\": 0.99}");
            harness.control(AtRiskScoringJob.NAME, "REBOOT", "{}");
            harness.control("callback-sla", "SET_CONFIG", "{\"anything\": 1}");

            assertThat(harness.deadLetters()).hasSize(5).allSatisfy(letter ->
                    assertThat(letter.getReason()).startsWith("invalid-control: cmd-"));
            assertThat(harness.deadLetters().get(0).getReason()).contains("raise-threshold", "1.5");
            assertThat(harness.deadLetters().get(1).getReason()).contains("raise-treshold");

            harness.send(bouncedAcrossChannels());
            assertThat(harness.alerts()).as("0.95 still applies").isEmpty();
        }
    }

    @Test
    void allStateAndTimersEndAfterTheRetention() throws Exception {
        try (ScoringHarness harness = new ScoringHarness(ScoringConfig.defaults())) {
            harness.send(bouncedAcrossChannels());
            assertThat(harness.keyedStateEntries()).isPositive();

            harness.watermark(at(60 * 24 * 15));
            assertThat(harness.alerts()).extracting(Alert::getStatus)
                    .containsExactly(AlertStatus.OPEN, AlertStatus.UPDATED, AlertStatus.RESOLVED);
            assertThat(harness.eventTimeTimers()).isZero();
            assertThat(harness.keyedStateEntries()).isZero();
        }
    }

    @Test
    void activityKeepsTheStateAliveBeyondTheFirstRetention() throws Exception {
        try (ScoringHarness harness =
                ScoringHarness.withSettings(Map.of("state-retention", "2d"))) {
            harness.send(contact("a1", 0, Channel.PHONE, "K1"));
            harness.send(contact("a2", 60 * 24 * 3, Channel.PHONE, "K1")
                    .setOccurredAt(at(60 * 24 * 3)));
            harness.watermark(at(60 * 24 * 3 + 60));
            assertThat(harness.keyedStateEntries()).isPositive();
            assertThat(harness.eventTimeTimers()).isEqualTo(1);
        }
    }

    /**
     * The clean-up timer of a customer whose alert is still held open must come back later, not at
     * the time it fired: a timer registered at or before the watermark fires again at once.
     */
    @Test
    void aCleanUpThatFindsAnOpenAlertLooksAgainLaterAndTheStateStillEnds() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (ScoringHarness harness = ScoringHarness.withSettings(Map.of(
                    "state-retention", "1h", "half-life.detractor-survey", "3d"))) {
                harness.send(survey("s1", 0, SurveyKind.CSAT, 1));
                harness.watermark(at(60 * 5));
                assertThat(harness.alerts()).extracting(Alert::getStatus)
                        .containsExactly(AlertStatus.OPEN);
                assertThat(harness.eventTimeTimers()).isEqualTo(2);

                harness.watermark(at(60 * 24 * 10));
                assertThat(harness.alerts()).extracting(Alert::getStatus)
                        .containsExactly(AlertStatus.OPEN, AlertStatus.RESOLVED);
                assertThat(harness.alerts().get(1).getTriggeredAt())
                        .as("held for a detractor half-life, then decayed below the clear threshold")
                        .isAfter(at(60 * 24 * 3));
                assertThat(harness.eventTimeTimers()).isZero();
                assertThat(harness.keyedStateEntries()).isZero();
            }
        });
    }

    @Test
    void duplicatesAreProcessedOnce() throws Exception {
        try (ScoringHarness harness = ScoringHarness.withSettings(
                Map.of("raise-threshold", "0.05", "clear-threshold", "0.01"))) {
            harness.send(contact("d1", 0, Channel.PHONE, "K1"), contact("d1", 0, Channel.PHONE, "K1"),
                    contact("d1", 0, Channel.PHONE, "K1"));
            assertThat(harness.alerts()).as("one contact is no repeat contact").isEmpty();
        }
    }

    @Test
    void lateEventsWithinTheAllowedLatenessCountAndLaterOnesAreDeadLettered() throws Exception {
        try (ScoringHarness harness = ScoringHarness.withSettings(
                Map.of("allowed-lateness", "10m", "raise-threshold", "0.05", "clear-threshold", "0.01"))) {
            harness.watermark(at(100));
            harness.send(event("late-ok", "c1", 95, Channel.PHONE, InteractionType.ESCALATION));
            harness.send(event("too-late", "c1", 80, Channel.PHONE, InteractionType.COMPLAINT));

            assertThat(harness.alerts()).singleElement().satisfies(alert ->
                    assertThat(alert.getReasons()).extracting(r -> r.getSignal())
                            .containsExactly("ESCALATION"));
            assertThat(harness.deadLetters()).singleElement().satisfies(letter -> {
                assertThat(letter.getReason()).startsWith("late: ");
                assertThat(letter.getSourceTopic()).isEqualTo("cx.interactions");
                assertThat(letter.getPayload().remaining()).isPositive();
            });
        }
    }

    @Test
    void alertIdsAreDeterministicAndDifferPerCustomer() throws Exception {
        try (ScoringHarness first = new ScoringHarness(ScoringConfig.defaults());
                ScoringHarness second = new ScoringHarness(ScoringConfig.defaults())) {
            first.send(bouncedAcrossChannels());
            second.send(bouncedAcrossChannels());
            second.send(forCustomer("c2", bouncedAcrossChannels()));

            String id = first.alerts().get(0).getAlertId();
            assertThat(second.alerts().stream().map(Alert::getAlertId).distinct())
                    .hasSize(2).contains(id);
            assertThat(withoutEmissionTime(second.alerts().subList(0, 2)))
                    .isEqualTo(withoutEmissionTime(first.alerts()));
        }
    }

    @Test
    void timelineIsBoundedAndNewestFirst() throws Exception {
        try (ScoringHarness harness = ScoringHarness.withSettings(Map.of("timeline-size", "3"))) {
            harness.send(bouncedAcrossChannels());
            harness.send(survey("s1", 200, SurveyKind.CSAT, 1));
            Alert last = harness.alerts().get(harness.alerts().size() - 1);
            assertThat(last.getTimeline()).extracting(TimelineEntry::getEventId)
                    .containsExactly("s1", "b4", "b3");
        }
    }

    private static InteractionEvent.Builder outbound(String id, int minute) {
        return event(id, "c1", minute, Channel.PHONE, InteractionType.OUTBOUND_CONTACT)
                .setDirection(Direction.OUTBOUND).setCaseId("K7");
    }

    private static InteractionEvent.Builder[] forCustomer(String customer,
            InteractionEvent.Builder[] events) {
        for (InteractionEvent.Builder builder : events) {
            builder.setCustomerId(customer);
        }
        return events;
    }

    static List<Alert> withoutEmissionTime(List<Alert> alerts) {
        return alerts.stream().map(a -> Alert.newBuilder(a).setEmittedAt(Instant.EPOCH).build())
                .toList();
    }

}
