package dev.earlywarning.cli.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earlywarning.cli.sim.JourneyGenerator.Journey;
import dev.earlywarning.common.kafka.AvroCodec;
import dev.earlywarning.common.kafka.RecordType;
import dev.earlywarning.common.kafka.RecordTypes;
import dev.earlywarning.schema.CallbackEvent;
import dev.earlywarning.schema.CallbackOutcome;
import dev.earlywarning.schema.CallbackType;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.Direction;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import dev.earlywarning.schema.SurveyKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class JourneyGeneratorTest {

    private static final long START = Instant.parse("2025-03-03T09:00:00Z").toEpochMilli();

    @Test
    void sameSeedTellsTheSameStoriesWithTheSameIds() {
        assertThat(describe(journeys(7, 300))).isEqualTo(describe(journeys(7, 300)));
        assertThat(describe(journeys(8, 300))).isNotEqualTo(describe(journeys(7, 300)));
    }

    @Test
    void everyStoryAppearsAndProblemStoriesHaveTheirShare() {
        List<Journey> journeys = journeys(1, 2_000);
        Map<Story, Long> counts = journeys.stream()
                .collect(Collectors.groupingBy(Journey::story, Collectors.counting()));
        assertThat(counts.keySet()).containsExactlyInAnyOrder(Story.values());
        long problems = journeys.stream().filter(j -> j.story().problem()).count();
        assertThat(problems / 2_000.0).isBetween(0.11, 0.19);
    }

    @Test
    void unorderedPackageIsBouncedAcrossChannelsAndTalksAboutCancelling() {
        List<InteractionEvent> events = interactions(story(Story.UNORDERED_PACKAGE_BOUNCED));
        assertThat(events).extracting(InteractionEvent::getType)
                .contains(InteractionType.TRANSFER, InteractionType.ESCALATION);
        assertThat(events).extracting(InteractionEvent::getChannel)
                .contains(Channel.CHAT, Channel.EMAIL, Channel.PHONE);
        assertThat(events).extracting(InteractionEvent::getText)
                .anyMatch(text -> text.contains("cancel my account"))
                .anyMatch(text -> text.contains("never ordered"));
        assertThat(events).allMatch(e -> e.getCaseId() != null && e.getCaseId().startsWith("K-"));
        assertThat(events).filteredOn(e -> e.getDirection() == Direction.INBOUND)
                .allMatch(e -> e.getSentiment() < 0);
    }

    @Test
    void brokenCallbackIsPromisedNeverMadeAndTheNextCallIsDroppedByUs() {
        Journey journey = story(Story.CALLBACK_BROKEN);
        List<CallbackEvent> callbacks = callbacks(journey);
        assertThat(callbacks).extracting(CallbackEvent::getType).containsExactly(CallbackType.PROMISED);
        Instant due = callbacks.get(0).getDueAt();
        assertThat(due).isAfter(callbacks.get(0).getOccurredAt());
        assertThat(interactions(journey))
                .filteredOn(e -> e.getType() == InteractionType.DISCONNECTED)
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getChannel()).isEqualTo(Channel.PHONE);
                    assertThat(e.getAttributes()).containsEntry("disconnectedBy", "agent");
                    assertThat(e.getOccurredAt()).isAfter(due);
                });
    }

    @Test
    void aCallbackKeptLateConnectsOnlyAfterItsWindowHasClosed() {
        List<CallbackEvent> callbacks = callbacks(story(Story.CALLBACK_KEPT_LATE));
        assertThat(callbacks).extracting(CallbackEvent::getType).containsExactly(
                CallbackType.PROMISED, CallbackType.ATTEMPTED, CallbackType.COMPLETED);
        CallbackEvent promise = callbacks.get(0);
        Instant windowEnd = promise.getDueAt().plus(Duration.ofMinutes(promise.getWindowMinutes()));
        assertThat(callbacks.get(1).getOutcome()).isEqualTo(CallbackOutcome.CONNECTED);
        assertThat(callbacks.get(1).getOccurredAt()).isAfter(windowEnd);
    }

    @Test
    void anUnansweredCallbackIsTriedAroundItsTimeButNeverReachesTheCustomer() {
        Set<Integer> attempts = new HashSet<>();
        for (long seed = 1; seed <= 20; seed++) {
            Journey journey = story(Story.CALLBACK_UNANSWERED, seed);
            List<CallbackEvent> callbacks = callbacks(journey);
            List<CallbackEvent> tries = callbacks.stream()
                    .filter(c -> c.getType() == CallbackType.ATTEMPTED).toList();
            attempts.add(tries.size());
            assertThat(tries).extracting(CallbackEvent::getOutcome)
                    .doesNotContain(CallbackOutcome.CONNECTED);
            assertThat(tries.get(0).getOccurredAt()).isAfterOrEqualTo(callbacks.get(0).getDueAt());
            assertThat(callbacks).extracting(CallbackEvent::getType)
                    .doesNotContain(CallbackType.COMPLETED);
            assertThat(interactions(journey)).extracting(InteractionEvent::getType)
                    .doesNotContain(InteractionType.OUTBOUND_CONTACT);
        }
        assertThat(attempts).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void aDroppedCallIsCutOffByOurSideAndNobodyCallsBack() {
        List<InteractionEvent> events = interactions(story(Story.DROPPED_CALL));
        assertThat(events).filteredOn(e -> e.getType() == InteractionType.DISCONNECTED)
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getChannel()).isEqualTo(Channel.PHONE);
                    assertThat(e.getAttributes().get("disconnectedBy")).isNotEqualToIgnoringCase(
                            "customer");
                });
        assertThat(events).extracting(InteractionEvent::getDirection)
                .containsOnly(Direction.INBOUND);
    }

    @Test
    void angryDetractorAnswersTheSurveyWithAScoreAtTheBottom() {
        for (int i = 0; i < 20; i++) {
            InteractionEvent survey = interactions(story(Story.ANGRY_DETRACTOR, i)).stream()
                    .filter(e -> e.getType() == InteractionType.SURVEY_RESPONSE).findFirst().orElseThrow();
            assertThat(survey.getChannel()).isEqualTo(Channel.SURVEY);
            assertThat(survey.getSurveyScore())
                    .isLessThanOrEqualTo(survey.getSurveyKind() == SurveyKind.NPS ? 2 : 1);
            assertThat(survey.getText()).isNotBlank();
            assertThat(survey.getSentiment()).isLessThan(-0.5f);
        }
    }

    @Test
    void failedSelfServiceIsFollowedByAnAbandonedCallAfterALongWait() {
        List<InteractionEvent> events = interactions(story(Story.SELF_SERVICE_THEN_ABANDONED));
        assertThat(events.get(0).getType()).isEqualTo(InteractionType.SELF_SERVICE_FAILED);
        InteractionEvent last = events.get(events.size() - 1);
        assertThat(last.getType()).isEqualTo(InteractionType.ABANDONED);
        assertThat(last.getChannel()).isEqualTo(Channel.PHONE);
        assertThat(last.getWaitSeconds()).isGreaterThanOrEqualTo(1_200);
    }

    @Test
    void outboundContactAnswersThePublicComplaint() {
        List<InteractionEvent> events = interactions(story(Story.OUTBOUND_ANSWERS_COMPLAINT));
        assertThat(events.get(0).getType()).isEqualTo(InteractionType.COMPLAINT);
        assertThat(events).filteredOn(e -> e.getType() == InteractionType.OUTBOUND_CONTACT)
                .singleElement()
                .satisfies(e -> assertThat(e.getDirection()).isEqualTo(Direction.OUTBOUND));
    }

    @Test
    void everyEventMeetsTheContractAndHasAUniqueId() {
        RecordType.Limits limits = new RecordType.Limits(Long.MAX_VALUE / 2, 0);
        Set<String> ids = new HashSet<>();
        for (Journey journey : journeys(3, 1_000)) {
            for (Emission.Valid event : journey.events()) {
                if (event.value() instanceof InteractionEvent e) {
                    assertThat(RecordTypes.INTERACTION.validator().problem(e, limits)).as("%s", e).isNull();
                    assertThat(ids.add(e.getEventId())).as("unique %s", e.getEventId()).isTrue();
                    assertThat(e.getCustomerName()).isNotBlank();
                } else if (event.value() instanceof CallbackEvent c) {
                    assertThat(RecordTypes.CALLBACK.validator().problem(c, limits)).isNull();
                    assertThat(ids.add(c.getEventId())).isTrue();
                    // the callback-sla job's rules: a promise says when, an attempt how it went
                    if (c.getType() == CallbackType.PROMISED) {
                        assertThat(c.getDueAt()).isAfterOrEqualTo(c.getOccurredAt());
                    }
                    if (c.getType() == CallbackType.ATTEMPTED) {
                        assertThat(c.getOutcome()).isNotNull();
                    }
                }
            }
        }
    }

    @Test
    void plannedTrafficIsInTimeOrderPerCustomerAndNeverAheadOfTheWallClock() {
        Instant wallStart = Instant.parse("2025-03-06T12:00:00Z");
        TrafficPlan plan = plan(11, wallStart, 0.01, 0.005);
        Map<String, Long> lastPerCustomer = new HashMap<>();
        int valid = 0;
        for (long wall = wallStart.toEpochMilli(); wall < wallStart.toEpochMilli() + 600_000;
                wall += 100) {
            for (Emission emission : plan.advance(wall)) {
                assertThat(emission.at()).isLessThanOrEqualTo(wall);
                if (emission instanceof Emission.Valid) {
                    valid++;
                    Long previous = lastPerCustomer.put(emission.key(), emission.at());
                    assertThat(emission.at()).isGreaterThanOrEqualTo(previous == null ? 0 : previous);
                }
            }
        }
        // 10 minutes at 50 events/s, plus the back-dated minute, minus what is still pending
        // (a parcel takes two days of event time, so most of its scans are)
        assertThat(valid).isBetween(20_000, 36_000);
        assertThat(plan.journeysByStory().keySet()).containsAll(EnumSet.allOf(Story.class));
    }

    @Test
    void malformedAndRedeliveredSharesAreAsConfiguredAndMalformedBytesDoNotDecode() {
        Instant wallStart = Instant.parse("2025-03-06T12:00:00Z");
        TrafficPlan plan = plan(5, wallStart, 0.02, 0.05);
        List<Emission> all = new ArrayList<>();
        for (long wall = wallStart.toEpochMilli(); all.size() < 40_000; wall += 1_000) {
            all.addAll(plan.advance(wall));
        }
        long malformed = all.stream().filter(e -> e instanceof Emission.Malformed).count();
        List<Emission.Valid> redelivered = all.stream()
                .filter(e -> e instanceof Emission.Valid v && v.redelivery())
                .map(e -> (Emission.Valid) e).toList();
        assertThat(malformed / (double) all.size()).isCloseTo(0.05, org.assertj.core.data.Offset.offset(0.006));
        assertThat(redelivered.size() / (double) all.size()).isCloseTo(0.02, org.assertj.core.data.Offset.offset(0.004));
        // a redelivery repeats an event that was sent before, with the same id
        Set<Object> sentValues = new HashSet<>();
        for (Emission e : all) {
            if (e instanceof Emission.Valid v) {
                if (v.redelivery()) {
                    assertThat(sentValues).contains(v.value());
                } else {
                    sentValues.add(v.value());
                }
            }
        }
        AvroCodec<InteractionEvent> codec = new AvroCodec<>(InteractionEvent.class);
        all.stream().filter(e -> e instanceof Emission.Malformed).limit(200)
                .forEach(e -> assertThatThrownBy(() -> codec.decode(((Emission.Malformed) e).bytes()))
                        .isInstanceOf(AvroCodec.DecodeException.class));
    }

    @Test
    void simulatedClockRunsFasterUntilItCatchesUpThenFollowsTheWallClock() {
        Instant now = Instant.parse("2025-03-06T12:00:00Z");
        SimClock clock = SimClock.startingBefore(now, Duration.ofDays(3), 60);
        long wall = now.toEpochMilli();
        assertThat(clock.simAt(wall)).isEqualTo(now.minus(Duration.ofDays(3)).toEpochMilli());
        assertThat(clock.simAt(wall + 60_000) - clock.simAt(wall)).isEqualTo(3_600_000);
        long caughtUp = clock.catchUpWallMillis();
        assertThat(clock.simAt(caughtUp)).isCloseTo(caughtUp, org.assertj.core.data.Offset.offset(100L));
        assertThat(clock.simAt(caughtUp + 3_600_000)).isEqualTo(caughtUp + 3_600_000);
        assertThat(clock.simAt(wall + 10 * 3_600_000)).isLessThanOrEqualTo(wall + 10 * 3_600_000);
    }

    private static TrafficPlan plan(long seed, Instant wallStart, double duplicates, double malformed) {
        return new TrafficPlan(new JourneyGenerator(seed, 300, 0.15),
                SimClock.startingBefore(wallStart, Duration.ofDays(3), 60),
                new TrafficPlan.Options(50, duplicates, malformed, Duration.ofMinutes(1)), seed);
    }

    private static List<Journey> journeys(long seed, int count) {
        JourneyGenerator generator = new JourneyGenerator(seed, 500, 0.15);
        List<Journey> journeys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            journeys.add(generator.next(START + i * 1_000L));
        }
        return journeys;
    }

    private static Journey story(Story story) {
        return story(story, 99);
    }

    private static Journey story(Story story, long seed) {
        return new JourneyGenerator(seed, 50, 0.15).next(story, START);
    }

    private static List<String> describe(List<Journey> journeys) {
        return journeys.stream().flatMap(j -> j.events().stream())
                .map(e -> e.value().toString()).toList();
    }

    private static List<InteractionEvent> interactions(Journey journey) {
        List<Long> times = journey.events().stream().map(Emission.Valid::at).toList();
        assertThat(times).isSorted();
        return journey.events().stream().filter(e -> e.value() instanceof InteractionEvent)
                .map(e -> (InteractionEvent) e.value()).toList();
    }

    private static List<CallbackEvent> callbacks(Journey journey) {
        return journey.events().stream().filter(e -> e.value() instanceof CallbackEvent)
                .map(e -> (CallbackEvent) e.value()).toList();
    }
}
