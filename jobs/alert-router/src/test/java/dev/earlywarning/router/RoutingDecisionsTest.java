package dev.earlywarning.router;

import static dev.earlywarning.router.TestAlerts.at;
import static dev.earlywarning.router.TestAlerts.outreach;
import static dev.earlywarning.router.TestAlerts.responder;
import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.Direction;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import dev.earlywarning.schema.Reason;
import dev.earlywarning.schema.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure decisions, each on its own: grouping, flapping, budget, escalation, inhibition, contacts. */
class RoutingDecisionsTest {

    private static final RouterConfig CONFIG = RouterConfig.defaults();

    @Test
    void groupWindowsAreHalfOpenAndAZeroWaitStillTakesItsOwnInstant() {
        Duration wait = Duration.ofSeconds(30);
        long end = Grouping.windowEnd(1_000, wait);
        assertThat(end).isEqualTo(31_000);
        assertThat(Grouping.inWindow(30_999, end, wait)).isTrue();
        assertThat(Grouping.inWindow(31_000, end, wait)).isFalse();
        assertThat(Grouping.inWindow(5_000, 5_000, Duration.ZERO)).isTrue();
    }

    @Test
    void membersAreKeyedByConditionAndOnlyMaterialChangesReNotify() {
        var base = responder("a1", "c1", AlertKind.AT_RISK_CUSTOMER, Severity.HIGH, at(0));
        assertThat(Grouping.memberKey(base.build())).isEqualTo("AT_RISK_CUSTOMER:c1");
        assertThat(Grouping.memberKey(base.setDedupKey("").build())).isEqualTo("a1");

        var before = base.build();
        assertThat(Grouping.materialChange(before, before)).isFalse();
        assertThat(Grouping.materialChange(before,
                responder("a1", "c1", AlertKind.AT_RISK_CUSTOMER, Severity.WARNING, at(9)).build()))
                .as("less severe, same evidence").isFalse();
        assertThat(Grouping.materialChange(before, dev.earlywarning.schema.Alert.newBuilder(before)
                .setSeverity(Severity.CRITICAL).build())).isTrue();
        var newSignal = dev.earlywarning.schema.Alert.newBuilder(before).setReasons(List.of(
                Reason.newBuilder().setSignal("CHURN_INTENT").setContribution(1).setDetail("d")
                        .build())).build();
        assertThat(Grouping.materialChange(before, newSignal)).isTrue();
    }

    @Test
    void flappingNeedsEnoughOpensWithinTheWindow() {
        long window = Duration.ofHours(1).toMillis();
        FlapHistory history = FlapHistory.fresh();
        FlapDetector.recordOpen(history, 0, window);
        FlapDetector.recordOpen(history, 10 * 60_000, window);
        assertThat(FlapDetector.isFlapping(history, 15 * 60_000, 3, window)).isFalse();
        FlapDetector.recordOpen(history, 20 * 60_000, window);
        assertThat(FlapDetector.isFlapping(history, 25 * 60_000, 3, window)).isTrue();
        assertThat(FlapDetector.isFlapping(history, 65 * 60_000, 3, window))
                .as("the first open has left the window").isFalse();

        FlapDetector.hold(history, 25 * 60_000, window);
        assertThat(history.held()).isTrue();
        FlapDetector.absorbReopen(history);
        assertThat(history.held()).isFalse();
        assertThat(history.flapCount).isEqualTo(1);
        assertThat(FlapDetector.forgettable(history, 79 * 60_000, window)).isFalse();
        assertThat(FlapDetector.forgettable(history, 80 * 60_000, window)).isTrue();
    }

    @Test
    void flapHistoryStaysBounded() {
        FlapHistory history = FlapHistory.fresh();
        for (int i = 0; i < 500; i++) {
            FlapDetector.recordOpen(history, i, Long.MAX_VALUE / 4);
        }
        assertThat(history.opens).hasSize(100).startsWith(400).endsWith(499);
    }

    @Test
    void theFatigueBudgetIsARollingWindow() {
        long day = Duration.ofDays(1).toMillis();
        long[] sent = new long[0];
        assertThat(FatigueBudget.allows(sent, 0, 2, day)).isTrue();
        sent = FatigueBudget.record(sent, 0, day);
        sent = FatigueBudget.record(sent, 1000, day);
        assertThat(FatigueBudget.allows(sent, 2000, 2, day)).isFalse();
        assertThat(FatigueBudget.allows(sent, day, 2, day)).as("the first left the period").isTrue();
        assertThat(FatigueBudget.allows(sent, day, 0, day)).as("a zero budget sends nothing")
                .isFalse();
        assertThat(FatigueBudget.record(sent, day + 5000, day)).containsExactly(day + 5000);
        assertThat(FatigueBudget.forgettableAt(sent, day)).isEqualTo(1000 + day);
    }

    @Test
    void prioritiesRiseWithEachEscalationLevelAndSupervisorsTakeOver() {
        assertThat(EscalationPolicy.priority(Severity.CRITICAL, 0)).isEqualTo("P1");
        assertThat(EscalationPolicy.priority(Severity.INFO, 0)).isEqualTo("P4");
        assertThat(EscalationPolicy.priority(Severity.INFO, 2)).isEqualTo("P2");
        assertThat(EscalationPolicy.priority(Severity.HIGH, 3)).isEqualTo("P1");
        assertThat(EscalationPolicy.routeTo(1, CONFIG)).isEqualTo(EscalationPolicy.RESPONDERS);
        assertThat(EscalationPolicy.routeTo(2, CONFIG)).isEqualTo(EscalationPolicy.SUPERVISORS);
    }

    @Test
    void deadlinesFollowSeverityStopAtTheMaximumAndOnlyEverComeCloser() {
        assertThat(EscalationPolicy.deadline(0, Severity.CRITICAL, 0, CONFIG))
                .isEqualTo(Duration.ofMinutes(5).toMillis());
        assertThat(EscalationPolicy.deadline(0, Severity.INFO, 2, CONFIG))
                .isEqualTo(Duration.ofHours(4).toMillis());
        assertThat(EscalationPolicy.deadline(0, Severity.INFO, 3, CONFIG))
                .isEqualTo(RoutingState.NONE);
        long warning = EscalationPolicy.deadline(0, Severity.WARNING, 0, CONFIG);
        assertThat(EscalationPolicy.tightened(warning, 60_000, Severity.CRITICAL, 0, CONFIG))
                .isEqualTo(60_000 + Duration.ofMinutes(5).toMillis());
        assertThat(EscalationPolicy.tightened(60_000, 50_000, Severity.CRITICAL, 0, CONFIG))
                .isEqualTo(60_000);
        assertThat(EscalationPolicy.tightened(RoutingState.NONE, 0, Severity.CRITICAL, 3, CONFIG))
                .isEqualTo(RoutingState.NONE);
    }

    @Test
    void escalationAndLoopIdsAreDeterministicPerItemAndLevel() {
        assertThat(EscalationPolicy.escalationId("item", 1))
                .isEqualTo(EscalationPolicy.escalationId("item", 1))
                .isNotEqualTo(EscalationPolicy.escalationId("item", 2))
                .isNotEqualTo(EscalationPolicy.loopId("item", 1));
        assertThat(EscalationPolicy.itemId("c1", "a1")).isNotEqualTo(EscalationPolicy.itemId("c2", "a1"));
    }

    @Test
    void inhibitionStartsAtTheConfiguredSeverityAndReleaseNeedsRelevance() {
        assertThat(Inhibition.inhibits(Severity.HIGH, Severity.HIGH)).isTrue();
        assertThat(Inhibition.inhibits(Severity.CRITICAL, Severity.HIGH)).isTrue();
        assertThat(Inhibition.inhibits(Severity.WARNING, Severity.HIGH)).isFalse();
        assertThat(Inhibition.inhibits(null, Severity.INFO)).isFalse();

        Duration maxHold = Duration.ofHours(24);
        var voucher = outreach("o1", "c1", at(0));
        long hour = Duration.ofHours(1).toMillis();
        long t0 = at(0).toEpochMilli();
        assertThat(Inhibition.stillRelevant(voucher.build(), t0 + hour, maxHold)).isTrue();
        assertThat(Inhibition.stillRelevant(voucher.build(), t0 + 25 * hour, maxHold)).isFalse();
        assertThat(Inhibition.stillRelevant(voucher.setDueBy(at(60)).build(), t0 + hour, maxHold))
                .isFalse();
        assertThat(Inhibition.stillRelevant(voucher.setDueBy(null).setStatus(AlertStatus.RESOLVED)
                .build(), t0, maxHold)).isFalse();
    }

    @Test
    void onlyOutboundContactsAndConnectedCallbacksCloseTheLoop() {
        InteractionEvent.Builder call = InteractionEvent.newBuilder().setEventId("e")
                .setCustomerId("c").setChannel(Channel.PHONE)
                .setType(InteractionType.OUTBOUND_CONTACT).setDirection(Direction.OUTBOUND)
                .setOccurredAt(at(0));
        assertThat(Contacts.closesLoop(call.build())).isTrue();
        assertThat(Contacts.closesLoop(call.setDirection(Direction.INBOUND).build())).isFalse();
        assertThat(Contacts.closesLoop(call.setType(InteractionType.CONTACT_ENDED)
                .setAttributes(Map.of("callbackOutcome", "CONNECTED")).build())).isTrue();
        assertThat(Contacts.closesLoop(call.setAttributes(Map.of("callbackOutcome", "NO_ANSWER"))
                .build())).isFalse();
        assertThat(Contacts.closesLoop(call.setAttributes(Map.of()).setType(InteractionType.COMPLAINT)
                .build())).isFalse();
    }
}
