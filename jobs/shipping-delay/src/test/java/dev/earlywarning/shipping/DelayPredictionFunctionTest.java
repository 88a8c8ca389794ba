package dev.earlywarning.shipping;

import static dev.earlywarning.shipping.Shipments.at;
import static dev.earlywarning.shipping.Shipments.cancelled;
import static dev.earlywarning.shipping.Shipments.delivered;
import static dev.earlywarning.shipping.Shipments.scanned;
import static dev.earlywarning.shipping.Shipments.shipped;
import static dev.earlywarning.shipping.Shipments.storm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.common.AlertIds;
import dev.earlywarning.common.metrics.EwsMetrics;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.Audience;
import dev.earlywarning.schema.CustomerTier;
import dev.earlywarning.schema.DisruptionEvent;
import dev.earlywarning.schema.GestureKind;
import dev.earlywarning.schema.Reason;
import dev.earlywarning.schema.ShipmentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The prediction with its neighbours in harnesses: re-evaluation on disruptions, withdrawal,
 * budget, holdout, the stall timer, outcomes, run-time control and state hygiene.
 */
class DelayPredictionFunctionTest {

    /** 40 h of storm in C while the default order crosses it: 30 h late, a shipping refund. */
    static DisruptionEvent.Builder bigStorm() {
        return storm("s1", "C", 15, 40, 40);
    }

    @Test
    void aNewDisruptionReachesShipmentsAlreadyInTransit() throws Exception {
        try (ShippingHarness h = new ShippingHarness(ShippingConfig.defaults())) {
            h.send(shipped("o1", 0), shipped("o2", 0).setRemainingRoute(List.of("E", "F")),
                    scanned("o1", 10, "B", "C", "D"));
            assertThat(h.alerts()).as("on time before the storm").isEmpty();

            h.disruption(bigStorm());
            Alert alert = single(h.alerts());
            assertThat(alert.getStatus()).isEqualTo(AlertStatus.OPEN);
            assertThat(alert.getKind()).isEqualTo(AlertKind.SHIPPING_DELAY_PREDICTED);
            assertThat(alert.getAlertId()).isEqualTo(
                    AlertIds.of(AlertKind.SHIPPING_DELAY_PREDICTED.name(), "o1", "1"));
            assertThat(alert.getOrderId()).isEqualTo("o1");
            assertThat(alert.getCustomerId()).isEqualTo("cust-o1");
            assertThat(alert.getAudience()).isEqualTo(Audience.OUTREACH);
            assertThat(alert.getSourceJob()).isEqualTo(ShippingDelayJob.NAME);
            assertThat(alert.getTriggeredAt()).isEqualTo(at(10));
            assertThat(alert.getDueBy()).isEqualTo(at(56));
            assertThat(alert.getAttributes())
                    .containsEntry("predictedArrival", at(86).toString())
                    .containsEntry("predictedDelayMinutes", String.valueOf(30 * 60))
                    .containsEntry("leadTimeHours", "46.0")
                    .containsEntry("cause", "a storm along its route")
                    .containsEntry("causeCode", "disruption:STORM:s1")
                    .containsEntry("holdout", "false")
                    .containsEntry("overBudget", "false")
                    .containsEntry("trigger", "s1");
            assertThat(Double.parseDouble(alert.getAttributes().get("confidence")))
                    .isGreaterThan(0.9).isEqualTo(alert.getScore());
            assertThat(alert.getReasons()).singleElement().satisfies(reason -> {
                assertThat(reason.getSignal()).isEqualTo("DISRUPTION");
                assertThat(reason.getDetail()).contains("STORM", "severity 4", "region C",
                        "+40.0h");
                assertThat(reason.getEvidenceEventIds()).containsExactly("s1");
            });
            assertThat(alert.getGesture()).satisfies(gesture -> {
                assertThat(gesture.getKind()).isEqualTo(GestureKind.SHIPPING_REFUND);
                assertThat(gesture.getAmountCents()).isEqualTo(499);
                assertThat(gesture.getCurrency()).isEqualTo("EUR");
                assertThat(gesture.getMessage()).isEqualTo("Your order o1 may arrive about 1 day"
                        + " later than promised because of a storm along its route. We are sorry:"
                        + " we refund your shipping cost of 4.99 EUR.");
            });
        }
    }

    @Test
    void aLiftedDisruptionWithdrawsTheGestureUnderTheSameAlertId() throws Exception {
        try (ShippingHarness h = new ShippingHarness(ShippingConfig.defaults())) {
            h.send(shipped("o1", 0), scanned("o1", 10, "B", "C", "D")).disruption(bigStorm());
            h.disruption(storm("s1", "C", 15, 40, 40).setIssuedAt(at(12)).setCancelled(true));

            List<Alert> alerts = h.alerts();
            assertThat(alerts).extracting(Alert::getStatus)
                    .containsExactly(AlertStatus.OPEN, AlertStatus.RESOLVED);
            Alert withdrawal = alerts.get(1);
            assertThat(withdrawal.getAlertId()).isEqualTo(alerts.get(0).getAlertId());
            assertThat(withdrawal.getRevision()).isEqualTo(1);
            assertThat(withdrawal.getGesture()).isNull();
            assertThat(withdrawal.getAttributes()).containsEntry("withdrawn", "true")
                    .containsEntry("withdrawnGesture", "SHIPPING_REFUND")
                    .containsEntry("resolution", "back_on_time")
                    .containsEntry("predictedArrival", at(46).toString());

            h.disruption(storm("s1", "C", 15, 40, 40).setIssuedAt(at(11)));
            assertThat(h.alerts()).as("an older issue arriving late changes nothing").hasSize(2);

            h.disruption(storm("s1", "C", 15, 40, 40).setIssuedAt(at(13)));
            Alert again = h.alerts().get(2);
            assertThat(again.getStatus()).isEqualTo(AlertStatus.OPEN);
            assertThat(again.getAlertId()).isEqualTo(
                    AlertIds.of(AlertKind.SHIPPING_DELAY_PREDICTED.name(), "o1", "2"));
        }
    }

    @Test
    void aChangedDisruptionUpdatesTheAlertAndTheOrderKeepsItsOneGesture() throws Exception {
        try (ShippingHarness h = new ShippingHarness(ShippingConfig.defaults())) {
            h.send(shipped("o1", 0), scanned("o1", 10, "B", "C", "D")).disruption(bigStorm());
            h.disruption(storm("s1", "C", 15, 40, 80).setIssuedAt(at(12)));
            h.disruption(storm("s1", "C", 15, 40, 82).setIssuedAt(at(13)));

            List<Alert> alerts = h.alerts();
            assertThat(alerts).extracting(Alert::getStatus)
                    .as("a 2 h change is below the update delta")
                    .containsExactly(AlertStatus.OPEN, AlertStatus.UPDATED);
            Alert updated = alerts.get(1);
            assertThat(updated.getRevision()).isEqualTo(1);
            assertThat(updated.getAttributes()).containsEntry("predictedArrival", at(126).toString());
            assertThat(updated.getGesture()).isEqualTo(alerts.get(0).getGesture());
        }
    }

    @Test
    void theDailyBudgetPerCurrencyIsNeverExceededAndAlertsStillGoOut() throws Exception {
        try (ShippingHarness h = ShippingHarness.withSettings(Map.of("budget.EUR", "1000"))) {
            for (int i = 1; i <= 5; i++) {
                h.send(shipped("o" + i, 0));
            }
            h.send(shipped("u1", 0).setCurrency("USD"));
            h.disruption(storm("s1", "C", 15, 40, 40));

            List<Alert> eur = h.alerts().stream()
                    .filter(a -> !a.getOrderId().equals("u1")).toList();
            assertThat(eur).hasSize(5).allSatisfy(a -> assertThat(a.getStatus())
                    .isEqualTo(AlertStatus.OPEN));
            List<Alert> granted = eur.stream()
                    .filter(a -> a.getAttributes().get("overBudget").equals("false")).toList();
            assertThat(granted).hasSize(2).allSatisfy(a ->
                    assertThat(a.getGesture().getKind()).isEqualTo(GestureKind.SHIPPING_REFUND));
            assertThat(granted.stream().mapToLong(a -> a.getGesture().getAmountCents()).sum())
                    .isLessThanOrEqualTo(1000);
            assertThat(eur).filteredOn(a -> a.getAttributes().get("overBudget").equals("true"))
                    .hasSize(3).allSatisfy(a -> {
                        assertThat(a.getGesture().getKind()).isEqualTo(GestureKind.APOLOGY);
                        assertThat(a.getGesture().getAmountCents()).isZero();
                        assertThat(a.getGesture().getMessage()).contains("We are sorry");
                    });
            assertThat(h.alerts()).filteredOn(a -> a.getOrderId().equals("u1")).singleElement()
                    .satisfies(a -> assertThat(a.getGesture().getCurrency()).isEqualTo("USD"))
                    .satisfies(a -> assertThat(a.getAttributes()).containsEntry("overBudget",
                            "false"));
        }
    }

    @Test
    void holdoutCustomersAreChosenByIdAndGetNoGesture() throws Exception {
        try (ShippingHarness h = ShippingHarness.withSettings(Map.of("holdout-share", "0.3"))) {
            for (int i = 0; i < 30; i++) {
                h.send(shipped("o" + i, 0).setCustomerId("customer-" + i));
            }
            h.disruption(bigStorm());

            List<Alert> alerts = h.alerts();
            assertThat(alerts).hasSize(30);
            assertThat(alerts).allSatisfy(a -> {
                boolean held = Holdout.isHeldOut(a.getCustomerId(), 0.3);
                assertThat(a.getAttributes()).containsEntry("holdout", String.valueOf(held));
                assertThat(a.getGesture() == null).isEqualTo(held);
                if (held) {
                    assertThat(a.getSuggestedAction()).startsWith("Holdout: do not contact");
                }
            });
            assertThat(alerts).filteredOn(a -> a.getGesture() == null).hasSizeBetween(3, 15);
        }
    }

    @Test
    void deliveredAndCancelledOrdersGetNoGestureAndACancellationWithdrawsOne() throws Exception {
        try (ShippingHarness h = new ShippingHarness(ShippingConfig.defaults())) {
            h.send(shipped("o1", 0), shipped("o2", 0), shipped("o3", 0));
            h.send(delivered("o1", 9), cancelled("o2", 9));
            h.disruption(bigStorm());
            assertThat(h.alerts()).extracting(Alert::getOrderId).containsExactly("o3");

            h.send(cancelled("o3", 12));
            assertThat(h.alerts()).extracting(Alert::getStatus)
                    .containsExactly(AlertStatus.OPEN, AlertStatus.RESOLVED);
            assertThat(h.alerts().get(1)).satisfies(a -> {
                assertThat(a.getGesture()).isNull();
                assertThat(a.getAttributes()).containsEntry("resolution", "cancelled")
                        .containsEntry("withdrawn", "true");
            });

            h.send(scanned("o1", 13, "C", "D"), scanned("o3", 13, "C", "D"));
            h.disruption(storm("s2", "D", 10, 60, 60));
            assertThat(h.alerts()).as("stragglers after the end do nothing").hasSize(2);
        }
    }

    @Test
    void aParcelWithoutScansStallsOnTheEventTimeTimer() throws Exception {
        try (ShippingHarness h = new ShippingHarness(ShippingConfig.defaults())) {
            h.send(shipped("o1", 0), scanned("o1", 10, "B", "C", "D"));
            h.watermark(at(45));
            assertThat(h.alerts()).isEmpty();

            h.watermark(at(47));
            Alert alert = single(h.alerts());
            assertThat(alert.getTriggeredAt()).isBetween(at(46), at(46.1));
            assertThat(alert.getAttributes()).containsEntry("trigger", "periodic")
                    .containsEntry("causeCode", "stall")
                    .containsEntry("cause", "a hold-up at a sorting centre");
            assertThat(alert.getReasons()).extracting(Reason::getSignal).containsExactly("STALL");
            assertThat(alert.getReasons().get(0).getEvidenceEventIds())
                    .containsExactly("o1-SCANNED-10.0");

            h.send(scanned("o1", 48, "C", "D"));
            assertThat(h.alerts()).extracting(Alert::getStatus)
                    .as("moving again, but still 16 h late").containsExactly(AlertStatus.OPEN,
                            AlertStatus.UPDATED);
            assertThat(h.alerts().get(1).getAttributes())
                    .containsEntry("predictedArrival", at(72).toString());
        }
    }

    @Test
    void scanningAgainAfterAFalseStallWithdrawsTheAlert() throws Exception {
        try (ShippingHarness h = ShippingHarness.withSettings(Map.of("stall.extra", "24h"))) {
            h.send(shipped("o1", 0).setPromisedBy(at(70)), scanned("o1", 10, "B", "C", "D")
                    .setPromisedBy(at(70)));
            h.watermark(at(46.5));
            assertThat(single(h.alerts()).getAttributes()).containsEntry("causeCode", "stall");

            // Scanned at the destination's depot: only the 12 h last leg left, before 70 h.
            h.send(scanned("o1", 46.6, "D").setPromisedBy(at(70)));
            assertThat(h.alerts()).extracting(Alert::getStatus)
                    .containsExactly(AlertStatus.OPEN, AlertStatus.RESOLVED);
        }
    }

    @Test
    void deliveriesTeachTheLaneAndOutliersHardlyMoveIt() throws Exception {
        try (ShippingHarness learning = new ShippingHarness(ShippingConfig.defaults());
                ShippingHarness prior = new ShippingHarness(ShippingConfig.defaults())) {
            for (int i = 0; i < 4; i++) {
                learning.send(shipped("l" + i, 0), delivered("l" + i, 30 + i * 0.5));
            }
            assertThat(learning.laneEstimates()).as("fewer than lane.min-samples").isEmpty();
            learning.send(shipped("l4", 0), delivered("l4", 300), shipped("l5", 0),
                    delivered("l5", 31));
            LaneEstimate lane = learning.laneEstimates().get(learning.laneEstimates().size() - 1);
            assertThat(lane.lane).isEqualTo("ACME|A>D");
            assertThat(lane.samples).isGreaterThanOrEqualTo(5);
            assertThat(Duration.ofMillis(lane.transitMillis)).isBetween(Duration.ofHours(30),
                    Duration.ofHours(32));

            // Promised 40 h out: late by the 48 h prior, on time by the lane's 31 h.
            for (ShippingHarness h : List.of(learning, prior)) {
                h.send(shipped("n1", 400).setPromisedBy(at(440)));
            }
            assertThat(learning.alerts()).isEmpty();
            assertThat(prior.alerts()).singleElement().satisfies(a ->
                    assertThat(a.getReasons()).extracting(Reason::getSignal)
                            .containsExactly("LANE_TRANSIT"));
        }
    }

    @Test
    void deliveriesRecordWhetherThePredictionCameTrueOnceEach() throws Exception {
        double truePositives = predictions("true_positive");
        double falsePositives = predictions("false_positive");
        double falseNegatives = predictions("false_negative");
        try (ShippingHarness h = new ShippingHarness(ShippingConfig.defaults())) {
            h.send(shipped("o1", 0), shipped("o2", 0), shipped("o3", 0).setRemainingRoute(
                    List.of("E", "D")));
            h.disruption(bigStorm());
            assertThat(h.alerts()).hasSize(2);
            h.send(delivered("o1", 70), delivered("o2", 50), delivered("o3", 60));
            h.send(delivered("o1", 70), delivered("o1", 71));
        }
        assertThat(predictions("true_positive") - truePositives).isEqualTo(1);
        assertThat(predictions("false_positive") - falsePositives).isEqualTo(1);
        assertThat(predictions("false_negative") - falseNegatives).isEqualTo(1);
        assertThat(EwsMetrics.registry().scrape().stream()
                .filter(m -> m.getMetadata().getName().equals("ews_delay_prediction_precision"))
                .findFirst()).isPresent();
    }

    @Test
    void allStateAndTimersEndAfterDeliveryOrTheMaximumAge() throws Exception {
        try (ShippingHarness h = ShippingHarness.withSettings(Map.of("max-age", "3d"))) {
            h.send(shipped("o1", 0), scanned("o1", 10, "B", "C", "D"), delivered("o1", 40));
            h.send(shipped("o2", 0));
            h.disruption(bigStorm());
            assertThat(h.orderStateEntries()).isPositive();
            assertThat(h.budgetStateEntries()).isPositive();

            h.watermark(at(24 * 3 + 1));
            List<Alert> alerts = h.alerts();
            assertThat(alerts).extracting(Alert::getOrderId).containsOnly("o2");
            assertThat(alerts.get(0).getStatus()).isEqualTo(AlertStatus.OPEN);
            assertThat(alerts.get(alerts.size() - 1)).satisfies(last -> {
                assertThat(last.getStatus()).isEqualTo(AlertStatus.RESOLVED);
                assertThat(last.getAttributes()).containsEntry("resolution", "expired")
                        .doesNotContainKey("withdrawn");
            });
            assertThat(h.orderStateEntries()).isZero();
            assertThat(h.predictionTimers()).isZero();

            h.watermark(at(24 * 6));
            assertThat(h.budgetStateEntries()).isZero();
        }
    }

    @Test
    void eventsForUnknownOrdersAreCountedAndAScanStartsTracking() throws Exception {
        double unmatchedDeliveries = unmatched("DELIVERED");
        double unmatchedScans = unmatched("SCANNED");
        try (ShippingHarness h = new ShippingHarness(ShippingConfig.defaults())) {
            h.send(delivered("ghost", 5));
            assertThat(h.orderStateEntries()).isZero();

            h.send(scanned("o1", 10, "B", "C", "D"));
            h.disruption(bigStorm());
            assertThat(single(h.alerts()).getOrderId()).isEqualTo("o1");
        }
        assertThat(unmatched("DELIVERED") - unmatchedDeliveries).isEqualTo(1);
        assertThat(unmatched("SCANNED") - unmatchedScans).isEqualTo(1);
    }

    @Test
    void tooLateEventsAreDeadLetteredAndSlightlyLateOnesCount() throws Exception {
        try (ShippingHarness h = new ShippingHarness(ShippingConfig.defaults())) {
            h.send(shipped("o1", 0), scanned("o1", 10, "B", "C", "D"));
            h.watermark(at(11));
            h.send(scanned("o1", 10.95, "C", "D").setEventId("late-ok"));
            h.send(scanned("o1", 10.5, "B", "C", "D").setEventId("too-late"));
            h.disruption(bigStorm());
            assertThat(single(h.alerts()).getAttributes()).as("the late scan moved the parcel")
                    .containsEntry("predictedArrival", at(10.95 + 12 + 12 + 40).toString());
            assertThat(h.deadLetters()).singleElement().satisfies(letter -> {
                assertThat(letter.getReason()).startsWith("late: ");
                assertThat(letter.getSourceTopic()).isEqualTo("logistics.shipments");
                assertThat(letter.getKey()).isEqualTo("o1");
                assertThat(letter.getPayload().remaining()).isPositive();
            });
        }
    }

    @Test
    void controlCommandsChangeThePolicyAtRunTimeAndBadOnesAreDeadLettered() throws Exception {
        try (ShippingHarness h = new ShippingHarness(ShippingConfig.defaults())) {
            h.control(ShippingDelayJob.NAME, "SET_CONFIG",
                    "{\"gesture.rules\": \"*|0|1h|VOUCHER|700\"}");
            h.control(ShippingDelayJob.NAME, "SET_CONFIG", "{\"gesture.rules\": \"*|0|1h|CASH|1\"}");
            h.control(ShippingDelayJob.NAME, "SET_CONFIG", "{\"holdout-shar\": 0.1}");
            h.control(ShippingDelayJob.NAME, "SET_CONFIG", "{\"max-age\": \"9d\"}");
            h.control(ShippingDelayJob.NAME, "SET_CONFIG", "not json");
            h.control(ShippingDelayJob.NAME, "REBOOT", "{}");
            h.control("at-risk-scoring", "SET_CONFIG", "{\"raise-threshold\": 0.9}");

            assertThat(h.deadLetters()).hasSize(5).allSatisfy(letter ->
                    assertThat(letter.getReason()).startsWith("invalid-control: cmd-"));
            assertThat(h.deadLetters().get(0).getReason()).contains("CASH");
            assertThat(h.deadLetters().get(2).getReason()).contains("max-age", "start-up");

            h.send(shipped("o1", 0).setCustomerTier(CustomerTier.VIP));
            h.disruption(bigStorm());
            assertThat(single(h.alerts()).getGesture()).satisfies(g -> {
                assertThat(g.getKind()).isEqualTo(GestureKind.VOUCHER);
                assertThat(g.getAmountCents()).isEqualTo(700);
            });
        }
    }

    private static Alert single(List<Alert> alerts) {
        assertThat(alerts).hasSize(1);
        return alerts.get(0);
    }

    static double predictions(String outcome) {
        return counter("ews_delay_predictions", "outcome", outcome);
    }

    private static double unmatched(String type) {
        return counter("ews_shipment_events_unmatched", "type", type);
    }

    private static double counter(String name, String label, String value) {
        return EwsMetrics.registry().scrape().stream()
                .filter(m -> m.getMetadata().getName().equals(name))
                .flatMap(m -> m.getDataPoints().stream())
                .filter(p -> Objects.equals(p.getLabels().get(label), value))
                .mapToDouble(p -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot
                        .CounterDataPointSnapshot) p).getValue())
                .sum();
    }
}
