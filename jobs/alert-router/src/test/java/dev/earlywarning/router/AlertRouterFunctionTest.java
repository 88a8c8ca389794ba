package dev.earlywarning.router;

import static dev.earlywarning.router.TestAlerts.ack;
import static dev.earlywarning.router.TestAlerts.at;
import static dev.earlywarning.router.TestAlerts.minutes;
import static dev.earlywarning.router.TestAlerts.outboundCall;
import static dev.earlywarning.router.TestAlerts.outreach;
import static dev.earlywarning.router.TestAlerts.responder;
import static dev.earlywarning.router.TestAlerts.revised;
import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.common.metrics.EwsMetrics;
import dev.earlywarning.schema.AckAction;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.Reason;
import dev.earlywarning.schema.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Every routing decision in the operator harness, with event time driven by the test. */
class AlertRouterFunctionTest {

    private static final AlertKind AT_RISK = AlertKind.AT_RISK_CUSTOMER;
    private static final AlertKind BREACHED = AlertKind.CALLBACK_BREACHED;
    private static final AlertKind OVERDUE = AlertKind.FOLLOW_UP_OVERDUE;

    @Test
    void redeliveredAndStaleRevisionsAreRoutedOnceAndRevisionsReplaceTheOpenItem() throws Exception {
        double duplicatesBefore = suppressed("duplicate");
        try (RouterHarness harness = new RouterHarness(RouterConfig.defaults())) {
            Alert.Builder a = responder("a1", "c1", AT_RISK, Severity.HIGH, at(0));
            harness.send(a, a).watermark(at(31));
            assertThat(harness.responder()).singleElement()
                    .satisfies(item -> assertThat(item.getStatus()).isEqualTo(AlertStatus.OPEN));

            // Same content again under a new revision, a redelivery of it, and a stale revision.
            Alert.Builder same = revised(a, AlertStatus.UPDATED, 1, at(60));
            harness.send(same, same, a).watermark(at(120));
            assertThat(harness.responder()).as("nothing new to tell").hasSize(1);

            harness.send(revised(a, AlertStatus.UPDATED, 2, at(130)).setSeverity(Severity.CRITICAL))
                    .send(revised(a, AlertStatus.RESOLVED, 3, at(200)))
                    .watermark(at(300));
            List<Alert> items = harness.responder();
            assertThat(items).extracting(Alert::getStatus).containsExactly(AlertStatus.OPEN,
                    AlertStatus.UPDATED, AlertStatus.RESOLVED);
            assertThat(items).extracting(Alert::getAlertId).containsOnly(items.get(0).getAlertId());
            assertThat(items).extracting(Alert::getRevision).containsExactly(0, 1, 2);
            assertThat(items.get(1).getSeverity()).isEqualTo(Severity.CRITICAL);
            assertThat(items.get(2).getAttributes()).containsEntry("loopOutcome", "RESOLVED_AT_SOURCE");
        }
        assertThat(suppressed("duplicate") - duplicatesBefore).isEqualTo(3);
    }

    @Test
    void alertsWithinTheGroupWindowGoOutAsOneItemCarryingAllTheirReasons() throws Exception {
        try (RouterHarness harness = new RouterHarness(RouterConfig.defaults());
                RouterHarness shuffled = new RouterHarness(RouterConfig.defaults())) {
            Alert.Builder risk = responder("a1", "c1", AT_RISK, Severity.HIGH, at(0));
            Alert.Builder breach = responder("a2", "c1", BREACHED, Severity.CRITICAL, at(10));
            Alert.Builder overdue = responder("a3", "c1", OVERDUE, Severity.WARNING, at(29));
            Alert.Builder later = responder("a4", "c1", AlertKind.CALLBACK_DUE_SOON,
                    Severity.INFO, at(45));
            Alert.Builder other = responder("b1", "c2", AT_RISK, Severity.WARNING, at(5));
            harness.send(risk, breach, other, overdue, later).watermark(at(29));
            assertThat(harness.responder()).as("the window is still open").isEmpty();

            harness.watermark(at(35));
            List<Alert> items = harness.responder();
            assertThat(items).hasSize(2);
            Alert item = items.stream().filter(i -> i.getCustomerId().equals("c1")).findFirst()
                    .orElseThrow();
            assertThat(item.getKind()).isEqualTo(BREACHED);
            assertThat(item.getSeverity()).isEqualTo(Severity.CRITICAL);
            assertThat(item.getSourceJob()).isEqualTo(AlertRouterJob.NAME);
            assertThat(item.getTriggeredAt()).isEqualTo(at(30));
            assertThat(item.getAlertId()).isEqualTo(EscalationPolicy.itemId("c1", "a1"));
            assertThat(item.getReasons()).extracting(Reason::getDetail).containsExactly(
                    "CALLBACK_BREACHED: evidence of a2", "AT_RISK_CUSTOMER: evidence of a1",
                    "FOLLOW_UP_OVERDUE: evidence of a3");
            assertThat(item.getTimeline()).hasSize(3);
            assertThat(item.getAttributes()).containsEntry("groupedAlertIds", "a1,a2,a3")
                    .containsEntry("priority", "P1").containsEntry("routeTo", "responders");
            assertThat(item.getDueBy()).isEqualTo(at(30).plus(Duration.ofMinutes(5)));

            harness.watermark(at(80));
            Alert updated = harness.responder().get(2);
            assertThat(updated.getStatus()).isEqualTo(AlertStatus.UPDATED);
            assertThat(updated.getAlertId()).isEqualTo(item.getAlertId());
            assertThat(updated.getReasons()).hasSize(4);
            assertThat(updated.getAttributes()).containsEntry("groupedAlertIds", "a1,a2,a3,a4");

            // The same records in another arrival order make the same items.
            shuffled.send(later, overdue, other, breach, risk).watermark(at(80));
            assertThat(comparable(shuffled.responder())).containsExactlyInAnyOrderElementsOf(
                    comparable(harness.responder()));
        }
    }

    @Test
    void outreachIsHeldBehindAHighItemAttachedToItAndReleasedWhenItEnds() throws Exception {
        double inhibitedBefore = suppressed("inhibited");
        try (RouterHarness harness = new RouterHarness(RouterConfig.defaults())) {
            Alert.Builder complaint = responder("a1", "c1", AT_RISK, Severity.HIGH, at(0));
            Alert.Builder voucher = outreach("o1", "c1", at(10));
            Alert.Builder stale = outreach("o2", "c1", at(60));
            Alert.Builder expiring = outreach("o3", "c1", at(70)).setDueBy(minutes(2));
            harness.send(complaint, voucher).watermark(at(30));
            assertThat(harness.outreach()).isEmpty();
            Alert item = harness.responder().get(0);
            assertThat(item.getAttributes()).containsEntry("inhibitedOutreach", "o1");
            assertThat(item.getReasons()).extracting(Reason::getSignal)
                    .contains(ResponderItems.OUTREACH_HELD);
            assertThat(item.getGesture()).as("the responder can offer it personally").isNotNull();

            harness.send(stale, expiring).watermark(at(100));
            assertThat(harness.responder().get(1).getAttributes())
                    .containsEntry("inhibitedOutreach", "o1,o2,o3");
            harness.send(revised(stale, AlertStatus.RESOLVED, 1, at(110))).watermark(at(140));
            assertThat(harness.responder().get(2).getAttributes())
                    .containsEntry("inhibitedOutreach", "o1,o3");
            assertThat(harness.outreach()).isEmpty();

            harness.send(revised(complaint, AlertStatus.RESOLVED, 1, at(150))).watermark(at(200));
            assertThat(harness.responder().get(3).getStatus()).isEqualTo(AlertStatus.RESOLVED);
            assertThat(harness.outreach()).as("o2 resolved and o3 past due while held")
                    .singleElement().satisfies(sent -> {
                        assertThat(sent.getAlertId()).isEqualTo("o1");
                        assertThat(sent.getStatus()).isEqualTo(AlertStatus.OPEN);
                        assertThat(sent.getSourceJob()).isEqualTo(AlertRouterJob.NAME);
                        assertThat(sent.getAttributes())
                                .containsEntry("releasedAfterInhibition", "true")
                                .containsEntry("originSourceJob", "shipping-delay");
                    });
        }
        assertThat(suppressed("inhibited") - inhibitedBefore).isEqualTo(3);
    }

    @Test
    void aWarningItemDoesNotHoldOutreachBack() throws Exception {
        try (RouterHarness harness = new RouterHarness(RouterConfig.defaults())) {
            harness.send(responder("a1", "c1", OVERDUE, Severity.WARNING, at(0)),
                    outreach("o1", "c1", at(5))).watermark(at(30));
            assertThat(harness.outreach()).extracting(Alert::getAlertId).containsExactly("o1");
            assertThat(harness.responder().get(0).getAttributes()).doesNotContainKey(
                    "inhibitedOutreach");
        }
    }

    @Test
    void theFatigueBudgetCapsOutreachAcrossKindsAndRecordsWhatIsOver() throws Exception {
        double overBefore = suppressed("over_budget");
        try (RouterHarness harness = RouterHarness.withSettings(Map.of(
                "outreach-budget", "2", "outreach-budget-period", "1d"))) {
            Alert.Builder first = outreach("o1", "c1", minutes(0));
            Alert.Builder second = outreach("o2", "c1", minutes(60)).setKind(AT_RISK);
            Alert.Builder third = outreach("o3", "c1", minutes(120));
            harness.send(first, second, third).watermark(minutes(180));
            assertThat(harness.outreach()).extracting(Alert::getAlertId).containsExactly("o1", "o2");

            // Revisions of a sent outreach follow it without using the budget; the refused stays refused.
            harness.send(revised(first, AlertStatus.UPDATED, 1, minutes(200)),
                    revised(third, AlertStatus.UPDATED, 1, minutes(200)),
                    revised(first, AlertStatus.RESOLVED, 2, minutes(210)))
                    .watermark(minutes(240));
            // A day after the first contact, the budget has room again.
            harness.send(outreach("o4", "c1", minutes(24 * 60 + 1))).watermark(minutes(24 * 60 + 5));

            List<Alert> sent = harness.outreach();
            assertThat(sent).extracting(a -> a.getAlertId() + "#" + a.getRevision() + " " + a.getStatus())
                    .containsExactly("o1#0 OPEN", "o2#0 OPEN", "o1#1 UPDATED", "o1#2 RESOLVED",
                            "o4#0 OPEN");
            assertThat(harness.responder()).isEmpty();
        }
        assertThat(suppressed("over_budget") - overBefore).isEqualTo(1);
    }

    @Test
    void silencesDropMatchingAlertsUntilTheyEndOrAreLifted() throws Exception {
        double silencedBefore = suppressed("silenced");
        try (RouterHarness harness = new RouterHarness(RouterConfig.defaults())) {
            harness.control("SILENCE", "{\"id\": \"storm\", \"region\": \"NE\", \"until\": \""
                    + minutes(60) + "\"}");
            harness.control("SILENCE", "{\"id\": \"vip\", \"customer\": \"c9\", \"for\": \"2h\"}");
            harness.control("SILENCE", "{\"id\": \"noise\", \"kind\": \"FOLLOW_UP_OVERDUE\","
                    + " \"for\": \"1d\"}");
            harness.control("SILENCE", "{\"id\": \"everything\", \"all\": true, \"for\": \"1d\"}");
            harness.control("UNSILENCE", "{\"id\": \"everything\"}");
            harness.control("SILENCE", "{\"id\": \"typo\", \"for\": \"1h\"}");
            harness.control("UNSILENCE", "{\"id\": \"never-was\"}");

            harness.send(outreach("o1", "c1", minutes(10)), outreach("o2", "c1", minutes(61)),
                    responder("a1", "c9", AT_RISK, Severity.HIGH, minutes(30)),
                    responder("a2", "c9", AT_RISK, Severity.HIGH, minutes(121)).setDedupKey("x"),
                    responder("a3", "c3", OVERDUE, Severity.WARNING, minutes(40)),
                    responder("a4", "c3", AT_RISK, Severity.WARNING, minutes(50)))
                    .watermark(minutes(180));

            assertThat(harness.outreach()).extracting(Alert::getAlertId).containsExactly("o2");
            assertThat(harness.responder()).filteredOn(i -> i.getStatus() == AlertStatus.OPEN
                            && i.getKind() != AlertKind.ALERT_UNACKNOWLEDGED)
                    .extracting(i -> i.getAttributes().get("groupedAlertIds"))
                    .containsExactlyInAnyOrder("a2", "a4");
            assertThat(harness.deadLetters()).hasSize(2).allSatisfy(letter ->
                    assertThat(letter.getReason()).startsWith("invalid-control: cmd-"));
            assertThat(harness.deadLetters().get(0).getReason()).contains("all\": true");
            assertThat(harness.deadLetters().get(1).getReason()).contains("never-was");
        }
        assertThat(suppressed("silenced") - silencedBefore).isEqualTo(3);
    }

    @Test
    void aFlappingAlertIsHeldOpenWithAFlapCountInsteadOfNotifyingEachTime() throws Exception {
        double flappingBefore = suppressed("flapping");
        try (RouterHarness harness = RouterHarness.withSettings(Map.of("flap-threshold", "3",
                "flap-window", "1h", "ack-deadline.warning", "6h"))) {
            for (int cycle = 0; cycle < 5; cycle++) {
                Alert.Builder open = responder("f" + cycle, "c1", AT_RISK, Severity.WARNING,
                        minutes(cycle * 10)).setDedupKey("AT_RISK_CUSTOMER:c1");
                harness.send(open).send(revised(open, AlertStatus.RESOLVED, 1,
                        minutes(cycle * 10 + 5)));
                harness.watermark(minutes(cycle * 10 + 9));
            }
            List<Alert> items = harness.responder();
            assertThat(items).extracting(Alert::getStatus).containsExactly(
                    AlertStatus.OPEN, AlertStatus.RESOLVED, AlertStatus.OPEN, AlertStatus.RESOLVED,
                    AlertStatus.OPEN);

            harness.watermark(minutes(45 + 60));
            assertThat(harness.responder()).as("held for a quiet window").hasSize(5);
            harness.watermark(minutes(45 + 61));
            Alert resolved = harness.responder().get(5);
            assertThat(resolved.getStatus()).isEqualTo(AlertStatus.RESOLVED);
            assertThat(resolved.getAlertId()).isEqualTo(items.get(4).getAlertId());
            assertThat(resolved.getAttributes()).containsEntry("flapCount", "2")
                    .containsEntry("groupedAlertIds", "f2,f3,f4");
        }
        // Three held resolves and two absorbed reopens.
        assertThat(suppressed("flapping") - flappingBefore).isEqualTo(5);
    }

    @Test
    void everyEscalationStepUpToTheMaximumLevelThenAcknowledgementEndsIt() throws Exception {
        double[] before = escalations();
        try (RouterHarness harness = new RouterHarness(RouterConfig.defaults())) {
            harness.send(responder("a1", "c1", OVERDUE, Severity.WARNING, at(0)));
            harness.watermark(at(30));
            String item = harness.responder().get(0).getAlertId();
            assertThat(harness.responder().get(0).getAttributes()).containsEntry("priority", "P3");

            harness.watermark(at(30).plus(Duration.ofHours(1)).minusMillis(1));
            assertThat(harness.responder()).hasSize(1);
            harness.watermark(at(30).plus(Duration.ofHours(1)));
            Alert level1 = harness.responder().get(1);
            assertThat(level1.getKind()).isEqualTo(AlertKind.ALERT_UNACKNOWLEDGED);
            assertThat(level1.getAlertId()).isEqualTo(EscalationPolicy.escalationId(item, 1));
            assertThat(level1.getEscalationLevel()).isEqualTo(1);
            assertThat(level1.getAttributes()).containsEntry("priority", "P2")
                    .containsEntry("routeTo", "responders").containsEntry("escalatedAlertId", item);
            assertThat(level1.getDueBy()).isEqualTo(at(30).plus(Duration.ofHours(2)));

            harness.watermark(at(30).plus(Duration.ofHours(2)));
            assertThat(harness.responder().subList(2, 4)).satisfiesExactly(
                    superseded -> {
                        assertThat(superseded.getAlertId()).isEqualTo(level1.getAlertId());
                        assertThat(superseded.getStatus()).isEqualTo(AlertStatus.RESOLVED);
                    },
                    level2 -> {
                        assertThat(level2.getEscalationLevel()).isEqualTo(2);
                        assertThat(level2.getAttributes()).containsEntry("routeTo", "supervisors")
                                .containsEntry("priority", "P1");
                    });

            harness.watermark(at(30).plus(Duration.ofHours(3)));
            Alert level3 = harness.responder().get(5);
            assertThat(level3.getEscalationLevel()).isEqualTo(3);
            assertThat(level3.getDueBy()).as("the maximum level").isNull();
            harness.watermark(at(30).plus(Duration.ofDays(2)));
            assertThat(harness.responder()).hasSize(6);
            assertThat(harness.eventTimeTimers()).as("only the clean-up check").isEqualTo(1);

            // Acknowledging the escalation itself counts for the item.
            harness.ack(ack(level3.getAlertId(), "c1", AckAction.ACKNOWLEDGED,
                    at(30).plus(Duration.ofDays(2)).plusSeconds(1)));
            harness.watermark(at(30).plus(Duration.ofDays(2)).plusSeconds(2));
            assertThat(harness.responder().subList(6, 8)).satisfiesExactly(
                    ended -> {
                        assertThat(ended.getAlertId()).isEqualTo(level3.getAlertId());
                        assertThat(ended.getStatus()).isEqualTo(AlertStatus.RESOLVED);
                        assertThat(ended.getAttributes()).containsEntry("endedBy", "acknowledged");
                    },
                    acked -> {
                        assertThat(acked.getAlertId()).isEqualTo(item);
                        assertThat(acked.getAttributes()).containsEntry("acknowledgedBy", "rita");
                    });
        }
        double[] after = escalations();
        for (int level = 1; level <= 3; level++) {
            assertThat(after[level] - before[level]).as("level %d", level).isEqualTo(1);
        }
        assertThat(after[4] - before[4]).isZero();
    }

    @Test
    void anAcknowledgementRacingTheEscalationTimerWinsExactlyWhenItIsEarlierInEventTime()
            throws Exception {
        try (RouterHarness harness = new RouterHarness(RouterConfig.defaults())) {
            // HIGH: opened at 30 s, ack deadline 15 min later.
            Instant deadline = at(30).plus(Duration.ofMinutes(15));
            for (String customer : List.of("early", "exact", "after", "late")) {
                harness.send(responder("a-" + customer, customer, AT_RISK, Severity.HIGH, at(0)));
            }
            harness.ack(ack("a-early", "early", AckAction.ACKNOWLEDGED, deadline.minusSeconds(1)),
                    ack("a-exact", "exact", AckAction.ACKNOWLEDGED, deadline),
                    ack("a-after", "after", AckAction.ACKNOWLEDGED, deadline.plusMillis(1)));
            harness.watermark(deadline.plusSeconds(5));
            // Ack dated before the deadline, but read only after the watermark passed it.
            harness.ack(ack("a-late", "late", AckAction.ACKNOWLEDGED, deadline.minusSeconds(2)));
            harness.watermark(deadline.plus(Duration.ofHours(2)));

            assertThat(escalationsOf(harness, "early")).isEmpty();
            assertThat(escalationsOf(harness, "exact")).isEmpty();
            assertThat(escalationsOf(harness, "after")).extracting(a -> a.getStatus() + "@"
                    + a.getEscalationLevel()).containsExactly("OPEN@1", "RESOLVED@1");
            assertThat(escalationsOf(harness, "late")).as("sent before the ack was read, then ended")
                    .extracting(a -> a.getStatus() + "@" + a.getEscalationLevel())
                    .containsExactly("OPEN@1", "RESOLVED@1");
        }
    }

    @Test
    void theLoopClosesWhenTheCustomerIsContactedAfterAcknowledgementThenAllStateEnds()
            throws Exception {
        double closedBefore = loops("closed");
        long closeTimesBefore = EwsMetrics.TIME_TO_CLOSE_LOOP.collect().getDataPoints().get(0)
                .getCount();
        try (RouterHarness inOrder = new RouterHarness(RouterConfig.defaults());
                RouterHarness contactReadFirst = new RouterHarness(RouterConfig.defaults())) {
            Alert.Builder complaint = responder("a1", "c1", AT_RISK, Severity.HIGH, at(0));
            inOrder.send(complaint).watermark(minutes(1));
            inOrder.ack(ack("a1", "c1", AckAction.ACKNOWLEDGED, minutes(5))).watermark(minutes(6));
            assertThat(inOrder.responder()).extracting(Alert::getStatus)
                    .containsExactly(AlertStatus.OPEN, AlertStatus.UPDATED);
            assertThat(inOrder.responder().get(1).getDueBy())
                    .as("the follow-through deadline").isEqualTo(minutes(5 + 240));

            inOrder.contact(outboundCall("call-1", "c1", minutes(20))).watermark(minutes(21));
            Alert closed = inOrder.responder().get(2);
            assertThat(closed.getStatus()).isEqualTo(AlertStatus.RESOLVED);
            assertThat(closed.getAttributes()).containsEntry("loopOutcome", "CLOSED")
                    .containsEntry("contactEventId", "call-1");
            assertThat(inOrder.eventTimeTimers()).as("the clean-up check").isEqualTo(1);

            // The same story with the contact and the ack read before the alert itself.
            contactReadFirst.contact(outboundCall("call-1", "c1", minutes(20)))
                    .ack(ack("a1", "c1", AckAction.ACKNOWLEDGED, minutes(5)))
                    .send(complaint).watermark(minutes(21));
            assertThat(comparable(contactReadFirst.responder()))
                    .isEqualTo(comparable(inOrder.responder()));

            // Nothing after the loop closed re-opens it: a redelivery is a duplicate.
            inOrder.send(complaint).watermark(minutes(30));
            assertThat(inOrder.responder()).hasSize(3);

            inOrder.watermark(minutes(30).plus(Duration.ofDays(7)).plus(Duration.ofHours(2)));
            assertThat(inOrder.eventTimeTimers()).isZero();
            assertThat(inOrder.keyedStateEntries()).isZero();
        }
        assertThat(loops("closed") - closedBefore).isEqualTo(2);
        assertThat(EwsMetrics.TIME_TO_CLOSE_LOOP.collect().getDataPoints().get(0).getCount()
                - closeTimesBefore).isEqualTo(2);
    }

    @Test
    void withoutAContactTheFollowThroughDeadlineRaisesLoopNotClosed() throws Exception {
        double notClosedBefore = loops("not_closed");
        try (RouterHarness harness = new RouterHarness(RouterConfig.defaults())) {
            harness.send(responder("a1", "c1", AT_RISK, Severity.HIGH, at(0)))
                    .ack(ack("a1", "c1", AckAction.ACKNOWLEDGED, minutes(5)))
                    .watermark(minutes(5 + 240).minusMillis(1));
            assertThat(harness.responder()).hasSize(2);

            harness.watermark(minutes(5 + 240));
            String item = harness.responder().get(0).getAlertId();
            assertThat(harness.responder().subList(2, 4)).satisfiesExactly(
                    loop -> {
                        assertThat(loop.getKind()).isEqualTo(AlertKind.LOOP_NOT_CLOSED);
                        assertThat(loop.getAlertId()).isEqualTo(EscalationPolicy.loopId(item, 0));
                        assertThat(loop.getAttributes()).containsEntry("routeTo", "supervisors")
                                .containsEntry("acknowledgedBy", "rita");
                    },
                    resolved -> assertThat(resolved.getAttributes())
                            .containsEntry("loopOutcome", "NOT_CLOSED"));

            harness.contact(outboundCall("late-call", "c1", minutes(300))).watermark(minutes(301));
            assertThat(harness.responder()).as("the loop was already judged").hasSize(4);
        }
        assertThat(loops("not_closed") - notClosedBefore).isEqualTo(1);
    }

    @Test
    void aResolvedAckWithoutContactIsRecordedAsSuchNotAsClosed() throws Exception {
        double closedBefore = loops("closed");
        double withoutBefore = loops("resolved_without_contact");
        try (RouterHarness harness = new RouterHarness(RouterConfig.defaults())) {
            harness.send(responder("a1", "c1", AT_RISK, Severity.HIGH, at(0)),
                    responder("b1", "c2", AT_RISK, Severity.HIGH, at(0)))
                    .ack(ack("a1", "c1", AckAction.RESOLVED, minutes(5)))
                    .contact(outboundCall("call-2", "c2", minutes(3)))
                    .ack(ack("b1", "c2", AckAction.RESOLVED, minutes(5)))
                    .watermark(minutes(6));
            assertThat(harness.responder()).filteredOn(a -> a.getStatus() == AlertStatus.RESOLVED)
                    .extracting(a -> a.getCustomerId() + " " + a.getAttributes().get("loopOutcome"))
                    .containsExactlyInAnyOrder("c1 RESOLVED_WITHOUT_CONTACT", "c2 CLOSED");
            harness.watermark(minutes(5 + 300));
            assertThat(harness.responder()).extracting(Alert::getKind)
                    .doesNotContain(AlertKind.LOOP_NOT_CLOSED, AlertKind.ALERT_UNACKNOWLEDGED);
        }
        assertThat(loops("resolved_without_contact") - withoutBefore).isEqualTo(1);
        assertThat(loops("closed") - closedBefore).isEqualTo(1);
    }

    @Test
    void snoozingPostponesTheEscalation() throws Exception {
        try (RouterHarness harness = new RouterHarness(RouterConfig.defaults())) {
            harness.send(responder("a1", "c1", AT_RISK, Severity.CRITICAL, at(0)))
                    .ack(ack("a1", "c1", AckAction.SNOOZED, minutes(4)))
                    .watermark(minutes(33));
            assertThat(harness.responder()).hasSize(1);
            harness.watermark(minutes(34));
            assertThat(harness.responder()).extracting(Alert::getKind)
                    .containsExactly(AT_RISK, AlertKind.ALERT_UNACKNOWLEDGED);
        }
    }

    @Test
    void anAckOfAnAlertStillInItsGroupWindowAppliesWhenTheItemOpens() throws Exception {
        try (RouterHarness harness = new RouterHarness(RouterConfig.defaults())) {
            harness.send(responder("a1", "c1", AT_RISK, Severity.CRITICAL, at(0)))
                    .ack(ack("a1", "c1", AckAction.ACKNOWLEDGED, at(10)))
                    .watermark(minutes(60));
            assertThat(harness.responder()).extracting(Alert::getStatus)
                    .containsExactly(AlertStatus.OPEN, AlertStatus.UPDATED);
            assertThat(harness.responder().get(1).getAttributes())
                    .containsEntry("acknowledgedBy", "rita");
        }
    }

    @Test
    void lateRecordsAreDeadLetteredAndRunTimeConfigApplies() throws Exception {
        try (RouterHarness harness = new RouterHarness(RouterConfig.defaults())) {
            harness.control("SET_CONFIG", "{\"group-wait\": \"2m\"}");
            harness.control("SET_CONFIG", "{\"group-wait\": \"2h\"}");
            harness.send(responder("a1", "c1", AT_RISK, Severity.HIGH, at(0)),
                    responder("a2", "c1", OVERDUE, Severity.HIGH, at(90)));
            harness.watermark(at(119));
            assertThat(harness.responder()).isEmpty();
            harness.watermark(minutes(10));
            assertThat(harness.responder()).singleElement().satisfies(item -> assertThat(
                    item.getAttributes()).containsEntry("groupedAlertIds", "a1,a2"));

            harness.watermark(minutes(30));
            harness.send(responder("old", "c2", AT_RISK, Severity.HIGH, minutes(19)));
            assertThat(harness.deadLetters()).satisfiesExactly(
                    control -> assertThat(control.getReason()).contains("group-wait", "2h"),
                    late -> {
                        assertThat(late.getReason()).startsWith("late: ");
                        assertThat(late.getSourceTopic()).isEqualTo("ews.alerts");
                        assertThat(late.getPayload().remaining()).isPositive();
                    });
        }
    }

    @Test
    void openItemsAreCountedInTheQueueGauge() throws Exception {
        Supplier<Double> highItems = () -> EwsMetrics.QUEUE_ITEMS.labelValues("responder", "HIGH")
                .get();
        double before = highItems.get();
        try (RouterHarness harness = new RouterHarness(RouterConfig.defaults())) {
            harness.send(responder("a1", "c1", AT_RISK, Severity.HIGH, at(0))).watermark(at(30));
            assertThat(highItems.get() - before).isEqualTo(1);
            harness.ack(ack("a1", "c1", AckAction.RESOLVED, at(40))).watermark(at(41));
            assertThat(highItems.get() - before).isZero();
        }
    }

    private static List<Alert> escalationsOf(RouterHarness harness, String customer) {
        return harness.responder().stream().filter(a -> a.getCustomerId().equals(customer))
                .filter(a -> a.getKind() == AlertKind.ALERT_UNACKNOWLEDGED).toList();
    }

    static List<String> comparable(List<Alert> alerts) {
        return alerts.stream()
                .map(a -> Alert.newBuilder(a).setEmittedAt(Instant.EPOCH).build().toString())
                .toList();
    }

    private static double suppressed(String reason) {
        return EwsMetrics.ROUTER_SUPPRESSED.labelValues(reason).get();
    }

    private static double loops(String outcome) {
        return EwsMetrics.LOOPS.labelValues(outcome).get();
    }

    private static double[] escalations() {
        double[] counts = new double[5];
        for (int level = 1; level <= 4; level++) {
            counts[level] = EwsMetrics.ESCALATIONS.labelValues(String.valueOf(level)).get();
        }
        return counts;
    }
}
