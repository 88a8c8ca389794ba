package dev.earlywarning.sla;

import static dev.earlywarning.sla.Callbacks.at;
import static dev.earlywarning.sla.Callbacks.attempted;
import static dev.earlywarning.sla.Callbacks.cancelled;
import static dev.earlywarning.sla.Callbacks.completed;
import static dev.earlywarning.sla.Callbacks.interaction;
import static dev.earlywarning.sla.Callbacks.promised;
import static dev.earlywarning.sla.Callbacks.rescheduled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.earlywarning.common.metrics.EwsMetrics;
import dev.earlywarning.common.testing.Interactions;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.CallbackEvent;
import dev.earlywarning.schema.CallbackOutcome;
import dev.earlywarning.schema.CallbackType;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.Direction;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import dev.earlywarning.schema.Reason;
import dev.earlywarning.schema.Severity;
import dev.earlywarning.schema.TimelineEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The callback SLA rules in the operator harness, with explicit watermarks: Ana Silva is promised
 * a call at 14:30 (minute 330) by Rui Costa at 09:00, with the default 15 min window, 15 min
 * lead and "two attempts at least 10 minutes apart" policy.
 */
class CallbackSlaFunctionTest {

    private static final int DUE = 330;
    private static final int DEADLINE = DUE + 15;
    /** Far past every deadline, lateness, watch and the timeline horizon of these tests. */
    private static final Instant LONG_AFTER = at(60 * 24 * 4);

    @Test
    void warnsTheOwnerAheadOfTheDeadlineWhileNoAttemptWasMade() throws Exception {
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(promised("p1", "cb-1", 0, DUE)).watermark(at(DUE - 16));
            assertThat(harness.alerts()).isEmpty();

            harness.watermark(at(DUE - 15));
            assertThat(harness.alerts()).singleElement().satisfies(alert -> {
                assertThat(alert.getKind()).isEqualTo(AlertKind.CALLBACK_DUE_SOON);
                assertThat(alert.getSeverity()).isEqualTo(Severity.WARNING);
                assertThat(alert.getStatus()).isEqualTo(AlertStatus.OPEN);
                assertThat(alert.getCommitmentId()).isEqualTo("cb-1");
                assertThat(alert.getCaseId()).isEqualTo("K7");
                assertThat(alert.getDueBy()).isEqualTo(at(DUE));
                assertThat(alert.getTriggeredAt()).isEqualTo(at(DUE - 15));
                assertThat(alert.getSourceJob()).isEqualTo("callback-sla");
                assertThat(alert.getAttributes()).containsEntry("assignee", "a7")
                        .containsEntry("commitmentKind", "callback");
                assertThat(alert.getSuggestedAction())
                        .isEqualTo("Call Ana Silva at 14:30 as promised by Rui Costa on case K7;"
                                + " no attempt made yet.");
            });
        }
    }

    @Test
    void noWarningOnceSomebodyTriedAndTheWarningResolvesAtTheFirstAttempt() throws Exception {
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(promised("p1", "cb-1", 0, DUE),
                    attempted("t1", "cb-1", DUE - 20, CallbackOutcome.NO_ANSWER));
            harness.watermark(at(DUE - 1));
            assertThat(harness.alerts()).isEmpty();
        }
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(promised("p1", "cb-1", 0, DUE),
                    attempted("t1", "cb-1", DUE - 5, CallbackOutcome.BUSY));
            harness.watermark(at(DUE - 1));
            assertThat(harness.alerts()).extracting(Alert::getStatus)
                    .containsExactly(AlertStatus.OPEN, AlertStatus.RESOLVED);
            Alert resolved = harness.alerts().get(1);
            assertThat(resolved.getAlertId()).isEqualTo(harness.alerts().get(0).getAlertId());
            assertThat(resolved.getRevision()).isEqualTo(1);
            assertThat(resolved.getReasons().get(0).getSignal()).isEqualTo("attempted");
        }
    }

    @Test
    void breachesAtDueAtPlusWindowAndSaysHowManyAttemptsWereMade() throws Exception {
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(promised("p1", "cb-1", 0, DUE),
                    attempted("t1", "cb-1", DUE + 1, CallbackOutcome.NO_ANSWER),
                    attempted("t2", "cb-1", DUE + 5, CallbackOutcome.VOICEMAIL));
            harness.watermark(at(DEADLINE - 1));
            assertThat(breaches(harness)).isEmpty();

            harness.watermark(at(DEADLINE));
            Alert breach = breaches(harness).get(0);
            assertThat(breach.getSeverity()).isEqualTo(Severity.HIGH);
            assertThat(breach.getStatus()).isEqualTo(AlertStatus.OPEN);
            assertThat(breach.getTriggeredAt()).isEqualTo(at(DEADLINE));
            assertThat(breach.getDueBy()).isEqualTo(at(DEADLINE + 30));
            assertThat(breach.getCustomerName()).isEqualTo("Ana Silva");
            assertThat(breach.getSuggestedAction())
                    .isEqualTo("Call Ana Silva now: promised 14:30, two unanswered attempts.");
            assertThat(reason(breach, "ATTEMPTS").getEvidenceEventIds()).containsExactly("t1", "t2");
            assertThat(reason(breach, "ATTEMPTS").getDetail())
                    .isEqualTo("two attempts without reaching the customer: 14:31 no answer,"
                            + " 14:35 voicemail");
            assertThat(reason(breach, "COMMITMENT").getDetail())
                    .isEqualTo("callback promised on case K7 at 09:00 by Rui Costa for 14:30"
                            + " (window 15 min)");
            assertThat(breach.getAttributes()).containsEntry("attempts", "2");
            assertThat(harness.alerts()).extracting(Alert::getKind, Alert::getStatus).containsExactly(
                    tuple(AlertKind.CALLBACK_DUE_SOON, AlertStatus.OPEN),
                    tuple(AlertKind.CALLBACK_DUE_SOON, AlertStatus.RESOLVED),
                    tuple(AlertKind.CALLBACK_BREACHED, AlertStatus.OPEN));
        }
    }

    @Test
    void theEndOfInputLeavesAnUnansweredBreachOpen() throws Exception {
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(promised("p1", "cb-1", 0, DUE));
            harness.watermark(Instant.ofEpochMilli(Long.MAX_VALUE));
            assertThat(harness.alerts()).extracting(Alert::getKind, Alert::getStatus).containsExactly(
                    tuple(AlertKind.CALLBACK_DUE_SOON, AlertStatus.OPEN),
                    tuple(AlertKind.CALLBACK_DUE_SOON, AlertStatus.RESOLVED),
                    tuple(AlertKind.CALLBACK_BREACHED, AlertStatus.OPEN));
            assertThat(harness.keyedStateEntries()).isZero();
        }
    }

    @Test
    void attemptsPolicyDecidesWhenUnansweredAttemptsKeepThePromise() throws Exception {
        CallbackEvent.Builder[] tries = {promised("p1", "cb-1", 0, DUE),
            attempted("t1", "cb-1", DUE - 2, CallbackOutcome.NO_ANSWER),
            attempted("t2", "cb-1", DUE + 8, CallbackOutcome.NO_ANSWER)};
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(tries).watermark(LONG_AFTER);
            assertThat(breaches(harness)).as("two attempts 10 min apart keep it").isEmpty();
        }
        try (SlaHarness harness = SlaHarness.withSettings(Map.of("kept-attempts", "3"))) {
            harness.send(promised("p1", "cb-1", 0, DUE),
                    attempted("t1", "cb-1", DUE - 2, CallbackOutcome.NO_ANSWER),
                    attempted("t2", "cb-1", DUE + 8, CallbackOutcome.NO_ANSWER));
            harness.watermark(LONG_AFTER);
            assertThat(breaches(harness)).singleElement().satisfies(breach ->
                    assertThat(breach.getSuggestedAction()).contains("two unanswered attempts"));
        }
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(promised("p1", "cb-1", 0, DUE),
                    attempted("t1", "cb-1", 100, CallbackOutcome.NO_ANSWER),
                    attempted("t2", "cb-1", 120, CallbackOutcome.NO_ANSWER));
            harness.watermark(LONG_AFTER);
            assertThat(breaches(harness)).as("attempts hours before 14:30 do not keep a 14:30 promise")
                    .hasSize(1);
        }
    }

    /** Each way a commitment ends, and the minute after which nothing can change it any more. */
    static Stream<Arguments> endings() {
        return Stream.of(
                Arguments.of("completed", (Supplier<CallbackEvent.Builder>)
                        () -> completed("end", "cb-1", 320), "kept_on_time", 320 + 10),
                Arguments.of("connected attempt", (Supplier<CallbackEvent.Builder>)
                        () -> attempted("end", "cb-1", 320, CallbackOutcome.CONNECTED),
                        "kept_on_time", 320 + 10),
                Arguments.of("cancelled", (Supplier<CallbackEvent.Builder>)
                        () -> cancelled("end", "cb-1", 320), "cancelled", 320 + 10),
                Arguments.of("breached", null, "breached", DEADLINE + 130));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endings")
    void everyEndingLeavesNoTimerAndNoState(String ending, Supplier<CallbackEvent.Builder> last,
            String outcome, int end) throws Exception {
        double closedBefore = closed("default", outcome);
        double openBefore = openCommitments();
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(promised("p1", "cb-1", 0, DUE));
            assertThat(openCommitments()).isEqualTo(openBefore + 1);
            if (last != null) {
                harness.send(last.get());
            }
            harness.watermark(at(end));
            assertThat(harness.customersWithCommitments()).as("a fact stamped at the end may come")
                    .isOne();

            harness.watermark(at(end).plusMillis(1));
            assertThat(harness.customersWithCommitments()).isZero();
            assertThat(closed("default", outcome)).isEqualTo(closedBefore + 1);
            assertThat(openCommitments()).isEqualTo(openBefore);
            assertThat(harness.eventTimeTimers()).as("only the customer's clean-up").isOne();

            harness.watermark(LONG_AFTER);
            assertThat(harness.eventTimeTimers()).isZero();
            assertThat(harness.keyedStateEntries()).isZero();
            assertThat(breaches(harness)).hasSize(outcome.equals("breached") ? 1 : 0);
        }
    }

    @Test
    void lateEvidenceOfAnOnTimeCallWithdrawsTheBreachUnderItsOwnId() throws Exception {
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(promised("p1", "cb-1", 0, DUE)).watermark(at(DEADLINE + 5));
            Alert breach = breaches(harness).get(0);

            harness.send(completed("done", "cb-1", DEADLINE - 3));
            Alert withdrawn = last(harness);
            assertThat(withdrawn.getAlertId()).isEqualTo(breach.getAlertId());
            assertThat(withdrawn.getKind()).isEqualTo(AlertKind.CALLBACK_BREACHED);
            assertThat(withdrawn.getStatus()).isEqualTo(AlertStatus.RESOLVED);
            assertThat(withdrawn.getRevision()).isEqualTo(breach.getRevision() + 1);
            assertThat(withdrawn.getReasons().get(0).getSignal()).isEqualTo("kept-late-evidence");
            assertThat(withdrawn.getReasons().get(0).getEvidenceEventIds()).containsExactly("done");
            assertThat(withdrawn.getAttributes()).containsEntry("resolution", "kept-late-evidence");

            harness.watermark(LONG_AFTER);
            assertThat(harness.alerts()).filteredOn(a -> a.getKind() == AlertKind.CALLBACK_BREACHED)
                    .hasSize(2);
        }
    }

    @Test
    void aCallAfterTheDeadlineResolvesTheBreachAsKeptLate() throws Exception {
        double keptLate = closed("default", "kept_late");
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(promised("p1", "cb-1", 0, DUE)).watermark(at(DEADLINE));
            harness.send(attempted("late", "cb-1", DEADLINE + 40, CallbackOutcome.CONNECTED))
                    .watermark(at(DEADLINE + 40));
            Alert resolved = last(harness);
            assertThat(resolved.getStatus()).isEqualTo(AlertStatus.RESOLVED);
            assertThat(resolved.getKind()).isEqualTo(AlertKind.CALLBACK_BREACHED);
            assertThat(resolved.getReasons().get(0).getSignal()).isEqualTo("kept-late");
            assertThat(resolved.getTriggeredAt()).isEqualTo(at(DEADLINE + 40));
            harness.watermark(LONG_AFTER);
            assertThat(closed("default", "kept_late")).isEqualTo(keptLate + 1);
        }
    }

    /**
     * Ana's dropped call (minute 0) breaches at minute 15; later she gets through again. The
     * interactions can be read well ahead of the watermark (or, within the allowed lateness,
     * behind it), so that contact may arrive while the commitment is still kept or after the
     * watermark passed the two-hour watch (minute 135): a contact within the watch resolves the
     * breach in every order, one after it in none.
     */
    @ParameterizedTest(name = "contact at minute {0}")
    @MethodSource("contactsAfterABreach")
    void whenTheCustomerGetsThroughAfterABreachDoesNotDependOnTheWatermark(int contactAt,
            boolean resolves) throws Exception {
        List<String> reference = null;
        for (int watermarkFirst : List.of(0, 14, 15, 60, contactAt - 5, 136, 140, contactAt)) {
            if (watermarkFirst > contactAt + 9) {
                continue;
            }
            try (SlaHarness harness = SlaHarness.withDefaults()) {
                harness.send(dropped("d1", 0, Channel.PHONE).build());
                harness.watermark(at(watermarkFirst));
                harness.send(interaction("i2", contactAt, InteractionType.CONTACT_STARTED)
                        .caseId("K7").build());
                harness.watermark(LONG_AFTER);
                assertThat(harness.deadLetters()).isEmpty();
                List<String> alerts = revisions(harness.alerts());
                if (reference == null) {
                    reference = alerts;
                    assertThat(harness.alerts()).extracting(Alert::getKind, Alert::getStatus)
                            .containsExactlyElementsOf(resolves
                                    ? List.of(tuple(AlertKind.CALLBACK_BREACHED, AlertStatus.OPEN),
                                            tuple(AlertKind.CALLBACK_BREACHED, AlertStatus.RESOLVED))
                                    : List.of(tuple(AlertKind.CALLBACK_BREACHED, AlertStatus.OPEN)));
                }
                assertThat(alerts).as("watermark at minute %d first", watermarkFirst)
                        .isEqualTo(reference);
                assertThat(harness.keyedStateEntries()).isZero();
            }
        }
    }

    static Stream<Arguments> contactsAfterABreach() {
        return Stream.of(Arguments.of(100, true), Arguments.of(15 + 120, true),
                Arguments.of(15 + 121, false), Arguments.of(200, false));
    }

    /** The same for an explicit completion recorded after the watch: alerts do not change. */
    @Test
    void aCompletionAfterTheWatchChangesNothingWhenEverItArrives() throws Exception {
        List<String> reference = null;
        for (int watermarkFirst : List.of(0, DEADLINE, DEADLINE + 125, DEADLINE + 135)) {
            try (SlaHarness harness = SlaHarness.withDefaults()) {
                harness.send(promised("p1", "cb-1", 0, DUE)).watermark(at(watermarkFirst));
                harness.send(completed("c1", "cb-1", DEADLINE + 140)).watermark(LONG_AFTER);
                List<String> alerts = revisions(harness.alerts());
                if (reference == null) {
                    reference = alerts;
                    assertThat(harness.alerts()).extracting(Alert::getKind, Alert::getStatus)
                            .containsExactly(tuple(AlertKind.CALLBACK_DUE_SOON, AlertStatus.OPEN),
                            tuple(AlertKind.CALLBACK_DUE_SOON, AlertStatus.RESOLVED),
                            tuple(AlertKind.CALLBACK_BREACHED, AlertStatus.OPEN));
                }
                assertThat(alerts).as("watermark at minute %d first", watermarkFirst)
                        .isEqualTo(reference);
            }
        }
    }

    @Test
    void aLatePromiseWhoseDeadlineHasPassedBreachesAtOnce() throws Exception {
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.watermark(at(400));
            harness.send(promised("p1", "cb-1", 392, 393).setWindowMinutes(1));
            assertThat(harness.alerts()).singleElement().satisfies(alert -> {
                assertThat(alert.getKind()).isEqualTo(AlertKind.CALLBACK_BREACHED);
                assertThat(alert.getTriggeredAt()).isEqualTo(at(394));
                assertThat(alert.getAttributes()).containsEntry("triggerEventId", "p1");
            });
            harness.watermark(LONG_AFTER);
            assertThat(harness.alerts()).hasSize(1);
        }
    }

    @Test
    void arrivalOrderOfPromiseAttemptAndCompletionDoesNotChangeTheOutcome() throws Exception {
        List<CallbackEvent.Builder> events = List.of(promised("p1", "cb-1", 0, DUE),
                attempted("t1", "cb-1", DUE - 5, CallbackOutcome.NO_ANSWER),
                completed("c1", "cb-1", DUE + 3));
        List<Alert> reference = null;
        for (List<Integer> order : permutations(3)) {
            try (SlaHarness harness = SlaHarness.withDefaults()) {
                for (int i : order) {
                    harness.send(CallbackEvent.newBuilder(events.get(i).build()));
                }
                harness.watermark(LONG_AFTER);
                assertThat(harness.deadLetters()).as("order %s", order).isEmpty();
                List<Alert> alerts = comparable(harness.alerts());
                if (reference == null) {
                    reference = alerts;
                    assertThat(alerts).extracting(Alert::getStatus, a -> a.getReasons().get(0).getSignal())
                            .containsExactly(tuple(AlertStatus.OPEN, "COMMITMENT"),
                                    tuple(AlertStatus.RESOLVED, "attempted"));
                }
                assertThat(alerts).as("order %s", order).isEqualTo(reference);
                assertThat(harness.keyedStateEntries()).isZero();
            }
        }
    }

    @Test
    void interleavedWatermarksDoNotChangeTheOutcomeEither() throws Exception {
        List<Alert> batch;
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(promised("p1", "cb-1", 0, DUE),
                    attempted("t1", "cb-1", DUE + 1, CallbackOutcome.NO_ANSWER),
                    completed("c1", "cb-1", DEADLINE + 20));
            harness.watermark(LONG_AFTER);
            batch = comparable(harness.alerts());
        }
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(promised("p1", "cb-1", 0, DUE)).watermark(at(DUE - 10));
            harness.send(attempted("t1", "cb-1", DUE + 1, CallbackOutcome.NO_ANSWER))
                    .watermark(at(DEADLINE + 5));
            harness.send(completed("c1", "cb-1", DEADLINE + 20)).watermark(LONG_AFTER);
            assertThat(comparable(harness.alerts())).isEqualTo(batch);
        }
        assertThat(batch).extracting(Alert::getKind, Alert::getStatus).containsExactly(
                tuple(AlertKind.CALLBACK_DUE_SOON, AlertStatus.OPEN),
                tuple(AlertKind.CALLBACK_DUE_SOON, AlertStatus.RESOLVED),
                tuple(AlertKind.CALLBACK_BREACHED, AlertStatus.OPEN),
                tuple(AlertKind.CALLBACK_BREACHED, AlertStatus.RESOLVED));
    }

    @Test
    void onlyTheLatestRescheduledDeadlineApplies() throws Exception {
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(promised("p1", "cb-1", 0, DUE),
                    rescheduled("r1", "cb-1", 300, 480),
                    rescheduled("r2", "cb-1", 450, 600).setAgentId("a9").setAgentName("Eva Lima"));
            harness.watermark(LONG_AFTER);
            assertThat(harness.alerts()).extracting(Alert::getKind, Alert::getStatus,
                    Alert::getTriggeredAt).containsExactly(
                    tuple(AlertKind.CALLBACK_DUE_SOON, AlertStatus.OPEN, at(585)),
                    tuple(AlertKind.CALLBACK_DUE_SOON, AlertStatus.RESOLVED, at(615)),
                    tuple(AlertKind.CALLBACK_BREACHED, AlertStatus.OPEN, at(615)));
            Alert breach = breaches(harness).get(0);
            assertThat(breach.getAttributes()).containsEntry("assignee", "a9")
                    .containsEntry("promisedBy", "a7").containsEntry("reschedules", "2");
            assertThat(reason(breach, "COMMITMENT").getDetail())
                    .contains("rescheduled twice, first promised for 14:30");
            assertThat(reason(breach, "COMMITMENT").getEvidenceEventIds())
                    .containsExactly("p1", "r1", "r2");
        }
    }

    @Test
    void aRescheduleRecordedLateWithdrawsTheOldBreachAndStartsANewDeadline() throws Exception {
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(promised("p1", "cb-1", 0, DUE)).watermark(at(DEADLINE + 2));
            String oldBreach = breaches(harness).get(0).getAlertId();

            harness.send(rescheduled("r1", "cb-1", DEADLINE - 5, 480));
            assertThat(last(harness).getAlertId()).isEqualTo(oldBreach);
            assertThat(last(harness).getReasons().get(0).getSignal())
                    .isEqualTo("rescheduled-late-evidence");

            harness.watermark(LONG_AFTER);
            assertThat(breaches(harness)).extracting(Alert::getTriggeredAt)
                    .containsExactly(at(DEADLINE), at(495));
            assertThat(breaches(harness).get(1).getAlertId()).isNotEqualTo(oldBreach);
        }
    }

    @Test
    void businessHoursDeadlineSkipsTheWeekendAndAHoliday() throws Exception {
        Map<String, String> lisbon = Map.of("calendar.lisbon.zone", "Europe/Lisbon",
                "calendar.lisbon.hours", "MON-FRI 09:00-18:00",
                "calendar.lisbon.holidays", "2026-03-09");
        double closedBefore = closed("lisbon", "breached");
        try (SlaHarness harness = SlaHarness.withSettings(lisbon)) {
            // Friday 16:00: two hours on Friday, Monday is a holiday, two more on Tuesday.
            harness.send(Callbacks.callback("p1", "cb-1", CallbackType.PROMISED, 0)
                    .setOccurredAt(Instant.parse("2026-03-06T16:00:00Z"))
                    .setWithinBusinessHours(4).setRegionId("lisbon"));
            harness.watermark(Instant.parse("2026-03-10T10:59:00Z"));
            assertThat(harness.alerts()).extracting(Alert::getKind)
                    .containsExactly(AlertKind.CALLBACK_DUE_SOON);
            assertThat(harness.alerts().get(0).getDueBy())
                    .isEqualTo(Instant.parse("2026-03-10T11:00:00Z"));

            harness.watermark(Instant.parse("2026-03-10T11:00:00Z"));
            assertThat(breaches(harness)).singleElement().satisfies(breach -> {
                assertThat(breach.getTriggeredAt()).isEqualTo(Instant.parse("2026-03-10T11:00:00Z"));
                assertThat(breach.getAttributes()).containsEntry("region", "lisbon");
                assertThat(breach.getSuggestedAction()).contains("promised 11:00");
            });
            harness.watermark(Instant.parse("2026-03-20T00:00:00Z"));
            assertThat(closed("lisbon", "breached")).isEqualTo(closedBefore + 1);
        }
    }

    @Test
    void explicitDueAtIsTakenAsGivenEvenOutsideBusinessHours() throws Exception {
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(promised("p1", "cb-1", 0, 60 * 13).setWithinBusinessHours(1));
            harness.watermark(LONG_AFTER);
            assertThat(breaches(harness)).extracting(Alert::getTriggeredAt)
                    .containsExactly(at(60 * 13 + 15));
        }
    }

    @Test
    void aContactWeDroppedObligesACallBackWithinFifteenMinutes() throws Exception {
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(dropped("d1", 0, Channel.PHONE).build());
            harness.watermark(at(14));
            assertThat(harness.alerts()).isEmpty();
            harness.watermark(at(15));
            assertThat(harness.alerts()).singleElement().satisfies(alert -> {
                assertThat(alert.getKind()).isEqualTo(AlertKind.CALLBACK_BREACHED);
                assertThat(alert.getCommitmentId()).isEqualTo("dropped:d1");
                assertThat(alert.getCaseId()).isEqualTo("K7");
                assertThat(alert.getAttributes()).containsEntry("commitmentKind", "dropped-contact");
                assertThat(alert.getSuggestedAction()).isEqualTo("Call Ana Silva back now: their"
                        + " contact on case K7 dropped at 09:00 and nobody called back within 15 min.");
            });
            harness.watermark(LONG_AFTER);
            assertThat(harness.keyedStateEntries()).isZero();
        }
    }

    @Test
    void noCallBackIsOwedWhenTheCustomerGotThroughOrWeCalledOrTheyHungUp() throws Exception {
        List<List<InteractionEvent>> cases = List.of(
                List.of(dropped("d1", 0, Channel.PHONE).build(),
                        interaction("i2", 6, InteractionType.CONTACT_STARTED).caseId("K7").build()),
                List.of(dropped("d1", 0, Channel.CHAT).build(),
                        outbound("o1", 12, null).attribute("outcome", "NO_ANSWER").build()),
                List.of(dropped("d1", 0, Channel.PHONE).attribute("disconnectedBy", "CUSTOMER")
                        .build()),
                List.of(dropped("d1", 0, Channel.EMAIL).build()));
        for (var events : cases) {
            try (SlaHarness harness = SlaHarness.withDefaults()) {
                harness.send(events.toArray(InteractionEvent[]::new));
                harness.watermark(LONG_AFTER);
                assertThat(harness.alerts()).as("%s", events.get(events.size() - 1).getEventId())
                        .isEmpty();
                assertThat(harness.keyedStateEntries()).isZero();
            }
        }
    }

    @Test
    void aPromisedFollowUpIsOverdueWhenNobodyUpdatedTheCustomer() throws Exception {
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(interaction("e1", 0, InteractionType.CONTACT_ENDED).channel(Channel.CHAT)
                    .caseId("K9").agentId("a3").attribute("followUpBy", at(240).toString()).build());
            harness.watermark(LONG_AFTER);
            assertThat(harness.alerts()).extracting(Alert::getKind, Alert::getStatus).containsExactly(
                    tuple(AlertKind.CALLBACK_DUE_SOON, AlertStatus.OPEN),
                    tuple(AlertKind.CALLBACK_DUE_SOON, AlertStatus.RESOLVED),
                    tuple(AlertKind.FOLLOW_UP_OVERDUE, AlertStatus.OPEN));
            Alert overdue = harness.alerts().get(2);
            assertThat(overdue.getCommitmentId()).isEqualTo("follow-up:e1");
            assertThat(overdue.getSeverity()).isEqualTo(Severity.HIGH);
            assertThat(overdue.getTriggeredAt()).isEqualTo(at(240));
            assertThat(overdue.getSuggestedAction()).startsWith("Update Ana Silva now on case K9")
                    .contains("still being worked on");
        }
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(interaction("e1", 0, InteractionType.CONTACT_ENDED).caseId("K9")
                            .attribute("followUpBy", "4h").build(),
                    interaction("m1", 200, InteractionType.MESSAGE).channel(Channel.EMAIL)
                            .direction(Direction.OUTBOUND).caseId("K9")
                            .text("Still investigating, will call tomorrow").build());
            harness.watermark(LONG_AFTER);
            assertThat(harness.alerts()).as("a short e-mail update keeps it").isEmpty();
        }
    }

    @Test
    void anOutboundCallCoversCommitmentsOfItsCaseOrWithoutACase() throws Exception {
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(promised("p1", "on-k7", 0, DUE), promised("p2", "on-k8", 0, DUE)
                    .setCaseId("K8"), promised("p3", "no-case", 0, DUE).setCaseId(null));
            harness.send(outbound("o0", DUE - 3, "K8").attribute("outcome", "BUSY").build(),
                    outbound("o1", DUE, "K7").build());
            harness.watermark(LONG_AFTER);
            assertThat(breaches(harness)).singleElement().satisfies(breach -> {
                assertThat(breach.getCommitmentId()).isEqualTo("on-k8");
                assertThat(reason(breach, "ATTEMPTS").getEvidenceEventIds()).containsExactly("o0");
            });
        }
    }

    @Test
    void aCommitmentWhoseCaseTheLaterPromiseChangedIsKeptByACallAboutTheNewCase() throws Exception {
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(attempted("a1", "cb-1", 10, CallbackOutcome.NO_ANSWER));
            harness.send(promised("p1", "cb-1", 0, DUE).setCaseId("K8"));
            harness.send(outbound("o1", DUE, "K8").build());
            harness.watermark(LONG_AFTER);
            assertThat(breaches(harness)).isEmpty();
        }
    }

    @Test
    void aWatermarkJumpEmitsACustomersAlertsInEventTimeOrder() throws Exception {
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(promised("p1", "cb-1", 0, DUE), promised("p2", "cb-2", 0, DUE + 10));
            harness.watermark(LONG_AFTER);
            assertThat(harness.alerts()).filteredOn(a -> a.getStatus() == AlertStatus.OPEN)
                    .extracting(Alert::getCommitmentId, Alert::getKind, Alert::getTriggeredAt)
                    .containsExactly(
                            tuple("cb-1", AlertKind.CALLBACK_DUE_SOON, at(DUE - 15)),
                            tuple("cb-2", AlertKind.CALLBACK_DUE_SOON, at(DUE - 5)),
                            tuple("cb-1", AlertKind.CALLBACK_BREACHED, at(DEADLINE)),
                            tuple("cb-2", AlertKind.CALLBACK_BREACHED, at(DEADLINE + 10)));
        }
    }

    @Test
    void hundredsOfCommitmentsOnOneCaseAndOneDeadlineEachWarnOnceAndAreKeptByOneCall()
            throws Exception {
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            for (int i = 0; i < 300; i++) {
                harness.send(promised("p" + i, "cb-" + i, 0, DUE));
            }
            for (int i = 0; i < 300; i += 3) {
                harness.send(completed("c" + i, "cb-" + i, DUE - 20));
            }
            harness.watermark(at(DUE - 15));
            assertThat(harness.alerts()).extracting(Alert::getCommitmentId).doesNotHaveDuplicates()
                    .hasSize(200).allMatch(id -> Integer.parseInt(id.substring(3)) % 3 != 0);

            harness.send(outbound("o1", DUE + 1, "K7").build());
            harness.watermark(LONG_AFTER);
            assertThat(breaches(harness)).isEmpty();
            assertThat(harness.alerts()).filteredOn(a -> a.getStatus() == AlertStatus.RESOLVED)
                    .hasSize(200);
            assertThat(harness.keyedStateEntries()).isZero();
        }
    }

    @Test
    void commitmentsStoredBeforeTheIndexAreFiledWhenTheCustomerIsNextSeenOrWoken()
            throws Exception {
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(promised("p1", "cb-1", 0, DUE),
                    promised("p2", "cb-2", 0, DUE + 60).setCaseId("K8"),
                    promised("q1", "cb-3", 0, DUE).setCustomerId("c2"),
                    promised("q2", "cb-4", 0, DUE + 60).setCustomerId("c2"));
            harness.rewriteAsBeforeTheIndex(Callbacks.CUSTOMER);
            harness.rewriteAsBeforeTheIndex("c2");
            assertThat(harness.eventTimeTimers()).as("one per customer, as before").isEqualTo(2);

            harness.send(outbound("o1", DUE, "K8").build());
            harness.watermark(LONG_AFTER);
            assertThat(breaches(harness)).as("cb-2 was kept by a call about its case")
                    .extracting(Alert::getCommitmentId)
                    .containsExactlyInAnyOrder("cb-1", "cb-3", "cb-4");
            assertThat(harness.keyedStateEntries()).isZero();
        }
    }

    @Test
    void aCallSeenBeforeThePromiseArrivedStillKeepsIt() throws Exception {
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(outbound("o1", DUE - 1, "K7").build());
            harness.send(promised("p1", "cb-1", 0, DUE));
            harness.watermark(LONG_AFTER);
            assertThat(breaches(harness)).isEmpty();
        }
    }

    @Test
    void badInputIsDeadLetteredWithAReasonAndCountedNeverFatal() throws Exception {
        double invalid = deadLetters("invalid");
        double late = deadLetters("late");
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(attempted("orphan", "nobody", 10, CallbackOutcome.NO_ANSWER));
            harness.send(promised("p1", "cb-1", 0, DUE), completed("c1", "cb-1", 100),
                    rescheduled("r1", "cb-1", 120, 400));
            harness.send(rescheduled("r2", "cb-2", 130, 400), promised("p2", "cb-2", 0, DUE),
                    completed("c2", "cb-2", 110));
            harness.send(interaction("f1", 50, InteractionType.CONTACT_ENDED)
                    .attribute("followUpBy", "next week").build());
            harness.watermark(at(20));
            assertThat(harness.deadLetters()).as("a PROMISED stamped 10 min ago may still come")
                    .noneMatch(d -> d.getReason().contains("unknown commitment"));
            harness.watermark(at(20).plusMillis(1));
            harness.watermark(at(500));
            harness.send(completed("too-late", "cb-3", 100));

            assertThat(harness.deadLetters()).extracting(d -> d.getReason()).containsExactlyInAnyOrder(
                    "invalid: RESCHEDULED at 2026-03-02T11:00:00Z after commitment cb-1 was"
                            + " already completed",
                    "invalid: RESCHEDULED at 2026-03-02T11:10:00Z after commitment cb-2 was"
                            + " already completed",
                    "invalid: followUpBy 'next week' is neither an ISO instant nor a duration"
                            + " such as PT4H or 4h",
                    "invalid: ATTEMPTED (NO_ANSWER) for unknown commitment nobody: no PROMISED"
                            + " within the allowed lateness",
                    "late: occurredAt 2026-03-02T10:40:00Z is behind the watermark by more than"
                            + " PT10M");
            assertThat(harness.deadLetters()).allSatisfy(letter -> {
                assertThat(letter.getPayload().remaining()).isPositive();
                assertThat(letter.getJob()).isEqualTo("callback-sla");
                assertThat(letter.getKey()).isEqualTo("c1");
            });
            assertThat(harness.deadLetters()).filteredOn(d -> d.getReason().contains("followUpBy"))
                    .extracting(d -> d.getSourceTopic()).containsExactly("cx.interactions");
            assertThat(deadLetters("invalid")).isEqualTo(invalid + 4);
            assertThat(deadLetters("late")).isEqualTo(late + 1);
            assertThat(harness.alerts()).isEmpty();
            harness.watermark(LONG_AFTER);
            assertThat(harness.keyedStateEntries()).isZero();
        }
    }

    @Test
    void redeliveredRecordsCountOnce() throws Exception {
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(promised("p1", "cb-1", 0, DUE), promised("p1", "cb-1", 0, DUE),
                    attempted("t1", "cb-1", DUE + 1, CallbackOutcome.NO_ANSWER),
                    attempted("t1", "cb-1", DUE + 1, CallbackOutcome.NO_ANSWER));
            harness.send(outbound("o1", DUE + 2, "K7").attribute("outcome", "BUSY").build(),
                    outbound("o1", DUE + 2, "K7").attribute("outcome", "BUSY").build());
            harness.watermark(LONG_AFTER);
            assertThat(breaches(harness)).singleElement().satisfies(breach ->
                    assertThat(breach.getAttributes()).containsEntry("attempts", "2"));
        }
    }

    @Test
    void theAlertCarriesTheCrossChannelTimelineUpToItsMoment() throws Exception {
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(interaction("chat", -30, InteractionType.MESSAGE).channel(Channel.CHAT)
                            .caseId("K7").text("Where is my refund?").build(),
                    interaction("mail", -20, InteractionType.MESSAGE).channel(Channel.EMAIL)
                            .caseId("K7").build());
            harness.send(promised("p1", "cb-1", 0, DUE),
                    attempted("t1", "cb-1", DUE + 1, CallbackOutcome.NO_ANSWER));
            harness.send(interaction("after", DEADLINE + 30, InteractionType.COMPLAINT).build());
            harness.watermark(at(DEADLINE));
            Alert breach = breaches(harness).get(0);
            assertThat(breach.getTimeline()).extracting(TimelineEntry::getEventId)
                    .containsExactly("t1", "p1", "mail", "chat");
            assertThat(breach.getTimeline()).extracting(TimelineEntry::getChannel)
                    .contains(Channel.CHAT, Channel.EMAIL, Channel.PHONE);
            assertThat(breach.getTimeline().get(3).getSummary()).contains("Where is my refund?");
            assertThat(breach.getTimeline().get(1).getType()).isEqualTo("CALLBACK_PROMISED");
        }
    }

    @Test
    void stateWrittenBeforeTheTimelineLogKeepsItsTimelineAndStillRecognisesRedeliveries()
            throws Exception {
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(interaction("chat", -30, InteractionType.MESSAGE).channel(Channel.CHAT)
                    .caseId("K7").text("Where is my refund?").build());
            harness.send(promised("p1", "cb-1", 0, DUE));
            harness.rewriteAsBeforeTheTimelineLog(Callbacks.CUSTOMER,
                    List.of("interaction:chat", "callback:p1"));

            harness.send(interaction("chat", -30, InteractionType.MESSAGE).channel(Channel.CHAT)
                    .caseId("K7").text("Where is my refund?").build());
            harness.send(promised("p1", "cb-1", 0, DUE),
                    attempted("t1", "cb-1", DUE + 1, CallbackOutcome.NO_ANSWER));
            harness.watermark(at(DEADLINE));
            assertThat(breaches(harness)).singleElement().satisfies(breach -> assertThat(
                    breach.getTimeline()).extracting(TimelineEntry::getEventId)
                    .as("the old entries, each once").containsExactly("t1", "p1", "chat"));

            harness.watermark(LONG_AFTER);
            assertThat(harness.keyedStateEntries()).as("the old layout's state too").isZero();
        }
    }

    @Test
    void alertIdsAreDeterministicPerCustomerCommitmentAndDeadline() throws Exception {
        List<Alert> first;
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(promised("p1", "cb-1", 0, DUE)).watermark(LONG_AFTER);
            first = harness.alerts();
        }
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(promised("p1", "cb-1", 0, DUE),
                    promised("p1", "cb-1", 0, DUE).setCustomerId("c2"));
            harness.watermark(LONG_AFTER);
            List<Alert> alerts = harness.alerts();
            assertThat(comparable(alerts.stream().filter(a -> a.getCustomerId().equals("c1"))
                    .toList())).isEqualTo(comparable(first));
            assertThat(alerts.stream().map(Alert::getAlertId).distinct()).hasSize(4);
        }
    }

    @Test
    void metricsCountBreachesAlertsAndOpenCommitments() throws Exception {
        double breachesBefore = EwsMetrics.CALLBACK_BREACHES.get();
        double dueSoonBefore = alertsCounted(AlertKind.CALLBACK_DUE_SOON, Severity.WARNING);
        double openBefore = openCommitments();
        try (SlaHarness harness = SlaHarness.withDefaults()) {
            harness.send(promised("p1", "cb-1", 0, DUE), promised("p2", "cb-2", 0, DUE + 60));
            assertThat(openCommitments()).isEqualTo(openBefore + 2);
            harness.watermark(at(DEADLINE));
            assertThat(EwsMetrics.CALLBACK_BREACHES.get()).isEqualTo(breachesBefore + 1);
            assertThat(alertsCounted(AlertKind.CALLBACK_DUE_SOON, Severity.WARNING))
                    .isEqualTo(dueSoonBefore + 1);
        }
        assertThat(openCommitments()).as("a closed instance takes its share with it")
                .isEqualTo(openBefore);
    }

    @Test
    void aDeadlineThatFallsWhileStoppedFiresOnceAfterRestoreAndAKeptOneNever() throws Exception {
        OperatorSubtaskState savepoint;
        try (SlaHarness before = SlaHarness.withDefaults()) {
            before.send(promised("p1", "cb-1", 0, DUE),
                    promised("q1", "cb-9", 0, DUE).setCustomerId("c2"));
            before.watermark(at(DUE - 15));
            assertThat(before.alerts()).extracting(Alert::getKind).containsOnly(
                    AlertKind.CALLBACK_DUE_SOON).hasSize(2);
            savepoint = before.snapshot();
        }
        double openBefore = openCommitments();
        OperatorSubtaskState again;
        try (SlaHarness after = SlaHarness.restore(SlaConfig.defaults(), savepoint)) {
            assertThat(openCommitments()).as("restored commitments are open").isEqualTo(openBefore + 2);
            after.send(completed("q2", "cb-9", DUE - 5).setCustomerId("c2"));
            after.watermark(at(DEADLINE + 1));
            assertThat(breaches(after)).singleElement().satisfies(breach ->
                    assertThat(breach.getCustomerId()).isEqualTo("c1"));
            assertThat(after.alerts()).filteredOn(a -> a.getCustomerId().equals("c2"))
                    .extracting(Alert::getStatus).containsExactly(AlertStatus.RESOLVED);
            again = after.snapshot();
        }
        try (SlaHarness afterAgain = SlaHarness.restore(SlaConfig.defaults(), again)) {
            afterAgain.watermark(LONG_AFTER);
            assertThat(breaches(afterAgain)).as("nothing fires twice").isEmpty();
            assertThat(afterAgain.keyedStateEntries()).isZero();
        }
    }

    /**
     * Ana's name came with her chat, not with the promise, and a call about case K8 came before
     * that case's promise did: a customer stored by the POJO serializer of an earlier release
     * keeps all of it through the restore and the next checkpoint, which writes it in the new
     * format, and the job carries on from there.
     */
    @ParameterizedTest(name = "on RocksDB: {0}")
    @ValueSource(booleans = {true, false})
    void customersStoredByThePojoSerializerOfEarlierReleasesAreMigratedOnRestore(boolean rocksDb)
            throws Exception {
        SlaConfig config = SlaConfig.defaults();
        InteractionEvent chat = interaction("chat", -30, InteractionType.MESSAGE)
                .channel(Channel.CHAT).caseId("K7").build();
        OperatorSubtaskState savepoint;
        CustomerState before;
        try (SlaHarness earlier = new SlaHarness(config, () -> new EarlierRelease(config), rocksDb,
                null)) {
            earlier.send(chat);
            earlier.send(promised("p1", "cb-1", 0, DUE).setCustomerName(null));
            earlier.send(outbound("o1", DUE - 1, "K8").build());
            savepoint = earlier.snapshot();
            before = earlier.keyedState(Callbacks.CUSTOMER, EarlierRelease.CUSTOMER).value();
        }
        assertThat(before.contacts).extracting(c -> c.eventId).containsExactly("chat", "o1");

        OperatorSubtaskState rewritten;
        try (SlaHarness migrated = new SlaHarness(config, () -> SlaHarness.function(config), rocksDb,
                savepoint)) {
            assertThat(migrated.keyedState(Callbacks.CUSTOMER, CallbackSlaFunction.CUSTOMER)
                    .value()).usingRecursiveComparison().isEqualTo(before);
            // The heap backend keeps the objects the old serializer read: only its next
            // checkpoint writes them in the new format, which the job then carries on from.
            rewritten = migrated.snapshot();
        }
        try (SlaHarness restored = new SlaHarness(config, () -> SlaHarness.function(config), rocksDb,
                rewritten)) {
            assertThat(restored.keyedState(Callbacks.CUSTOMER, CallbackSlaFunction.CUSTOMER)
                    .value()).usingRecursiveComparison().isEqualTo(before);

            restored.send(chat);
            restored.send(promised("p2", "cb-2", 0, DUE).setCaseId("K8").setCustomerName(null));
            restored.watermark(at(DEADLINE));

            assertThat(breaches(restored)).as("cb-2 was kept by the call remembered before")
                    .singleElement().satisfies(breach -> {
                        assertThat(breach.getCommitmentId()).isEqualTo("cb-1");
                        assertThat(breach.getCustomerName()).isEqualTo("Ana Silva");
                        assertThat(breach.getTimeline()).extracting(TimelineEntry::getEventId)
                                .as("the redelivered chat once")
                                .containsExactly("o1", "p1", "p2", "chat");
                    });
            restored.watermark(LONG_AFTER);
            assertThat(restored.keyedState(Callbacks.CUSTOMER, CallbackSlaFunction.CUSTOMER)
                    .value()).as("forgotten once both commitments ended").isNull();
        }
    }

    private static Interactions dropped(String id, int minute,
            Channel channel) {
        return interaction(id, minute, InteractionType.DISCONNECTED).channel(channel).caseId("K7")
                .agentId("a3");
    }

    private static Interactions outbound(String id, int minute,
            String caseId) {
        return interaction(id, minute, InteractionType.OUTBOUND_CONTACT)
                .direction(Direction.OUTBOUND).caseId(caseId).agentId("a7");
    }

    static List<Alert> breaches(SlaHarness harness) {
        return harness.alerts().stream().filter(a -> a.getKind() != AlertKind.CALLBACK_DUE_SOON
                && a.getStatus() == AlertStatus.OPEN).toList();
    }

    private static Alert last(SlaHarness harness) {
        List<Alert> alerts = harness.alerts();
        return alerts.get(alerts.size() - 1);
    }

    static Reason reason(Alert alert, String signal) {
        return alert.getReasons().stream().filter(r -> r.getSignal().equals(signal)).findFirst()
                .orElseThrow(() -> new AssertionError("no reason " + signal + " in " + alert.getReasons()));
    }

    /** What runs over the same input must agree on: each alert record's id, revision and time. */
    static List<String> revisions(List<Alert> alerts) {
        return alerts.stream().map(a -> a.getAlertId() + "#" + a.getRevision() + " "
                + a.getStatus() + " at " + a.getTriggeredAt()).toList();
    }

    static List<Alert> comparable(List<Alert> alerts) {
        return alerts.stream().map(a -> Alert.newBuilder(a).setEmittedAt(Instant.EPOCH).build())
                .toList();
    }

    private static double closed(String region, String outcome) {
        return EwsMetrics.COMMITMENTS_CLOSED.labelValues("callback-sla", region, outcome).get();
    }

    private static double openCommitments() {
        return EwsMetrics.COMMITMENTS_OPEN.labelValues("callback-sla").get();
    }

    private static double deadLetters(String reason) {
        return EwsMetrics.DEAD_LETTERS.labelValues("callback-sla", reason).get();
    }

    private static double alertsCounted(AlertKind kind, Severity severity) {
        return EwsMetrics.ALERTS.labelValues("callback-sla", kind.name(), severity.name()).get();
    }

    private static List<List<Integer>> permutations(int n) {
        List<List<Integer>> all = new ArrayList<>();
        permute(new ArrayList<>(), n, all);
        return all;
    }

    private static void permute(List<Integer> prefix, int n, List<List<Integer>> all) {
        if (prefix.size() == n) {
            all.add(List.copyOf(prefix));
            return;
        }
        for (int i = 0; i < n; i++) {
            if (!prefix.contains(i)) {
                prefix.add(i);
                permute(prefix, n, all);
                prefix.remove(prefix.size() - 1);
            }
        }
    }
}
