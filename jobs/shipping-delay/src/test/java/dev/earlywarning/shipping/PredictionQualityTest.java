package dev.earlywarning.shipping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Prediction quality on a generated history whose ground truth is known ({@link DeliveryHistory}):
 * every record in event-time order through the job's functions, then each prediction still
 * standing at delivery checked against the delivery time.
 *
 * <p>The floors follow from the generator: about 80% of forecasts come true, so trusting forecasts
 * alone gives about 0.8 precision, and withdrawing when a parcel passes a region undelayed (or the
 * forecast is cancelled) can only raise it; forecasts come 6-48 h (27 h on average) before their
 * start and parcels meet them later still, so the mean lead time should reach 24 h. Stalls (2%)
 * and delays from noise have no forecast, and a forecast issued after a parcel's slack was
 * already spent comes too late, so recall is lower by design; 0.7 leaves room for those.
 */
class PredictionQualityTest {

    private static final Map<String, String> SETTINGS = Map.of(
            "prior.transit", "30h", "prior.scan-gap", "10h", "out-for-delivery-window", "4h");

    @Test
    void predictionsOnAGeneratedHistoryAreMostlyRightAndEarly() throws Exception {
        DeliveryHistory history = DeliveryHistory.generate(42, 2500, 25, 10);
        double truePositivesBefore = DelayPredictionFunctionTest.predictions("true_positive");
        double falsePositivesBefore = DelayPredictionFunctionTest.predictions("false_positive");
        long started = System.nanoTime();
        List<Alert> alerts;
        try (ShippingHarness h = ShippingHarness.withSettings(SETTINGS)) {
            long watermark = Long.MIN_VALUE;
            for (DeliveryHistory.Timed record : history.records) {
                if (record.at() - watermark >= Duration.ofMinutes(30).toMillis()) {
                    watermark = record.at() - 1;
                    h.watermark(Instant.ofEpochMilli(watermark));
                }
                if (record.shipment() != null) {
                    h.send(dev.earlywarning.schema.ShipmentEvent.newBuilder(record.shipment()));
                } else {
                    h.disruption(dev.earlywarning.schema.DisruptionEvent.newBuilder(
                            record.disruption()));
                }
            }
            alerts = h.alerts();
        }

        Map<String, Alert> opened = new HashMap<>();
        List<Double> leadTimes = new ArrayList<>();
        int truePositives = 0;
        int falsePositives = 0;
        int withdrawn = 0;
        for (Alert alert : alerts) {
            if (alert.getStatus() == AlertStatus.OPEN) {
                opened.put(alert.getAlertId(), alert);
            } else if (alert.getStatus() == AlertStatus.RESOLVED) {
                String resolution = alert.getAttributes().get("resolution");
                if (resolution.equals("delivered")) {
                    boolean late = history.truth.get(alert.getOrderId()).late();
                    truePositives += late ? 1 : 0;
                    falsePositives += late ? 0 : 1;
                    leadTimes.add(Double.parseDouble(opened.get(alert.getAlertId())
                            .getAttributes().get("leadTimeHours")));
                } else if (resolution.equals("back_on_time")) {
                    withdrawn++;
                }
            }
        }
        long late = history.truth.values().stream().filter(DeliveryHistory.Truth::late).count();
        double precision = truePositives / (double) (truePositives + falsePositives);
        double recall = truePositives / (double) late;
        double meanLead = leadTimes.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        System.out.printf("Prediction quality: %d orders, %d delivered late; %d predictions"
                + " standing at delivery (%d withdrawn before): precision %.3f, recall %.3f,"
                + " mean lead time %.1f h; %d ms%n", history.truth.size(), late,
                truePositives + falsePositives, withdrawn, precision, recall, meanLead,
                (System.nanoTime() - started) / 1_000_000);

        assertThat(late).as("the history has delays to find").isGreaterThan(100);
        assertThat(precision).isGreaterThanOrEqualTo(0.8);
        assertThat(recall).isGreaterThanOrEqualTo(0.7);
        assertThat(meanLead).isGreaterThanOrEqualTo(24);
        assertThat(DelayPredictionFunctionTest.predictions("true_positive") - truePositivesBefore)
                .as("the metric counts what the alerts show").isEqualTo(truePositives);
        assertThat(DelayPredictionFunctionTest.predictions("false_positive") - falsePositivesBefore)
                .isEqualTo(falsePositives);
    }
}
