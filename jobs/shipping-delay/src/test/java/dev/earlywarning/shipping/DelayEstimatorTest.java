package dev.earlywarning.shipping;

import static dev.earlywarning.shipping.Shipments.at;
import static dev.earlywarning.shipping.Shipments.scanned;
import static dev.earlywarning.shipping.Shipments.shipped;
import static dev.earlywarning.shipping.Shipments.storm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.schema.DisruptionEvent;
import dev.earlywarning.schema.ShipmentType;
import dev.earlywarning.shipping.DelayEstimator.Base;
import dev.earlywarning.shipping.DelayEstimator.Cause;
import dev.earlywarning.shipping.DelayEstimator.CauseKind;
import dev.earlywarning.shipping.DelayEstimator.Estimate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The estimate: base arrival, disruption overlap along the route, stall rule, confidence. */
class DelayEstimatorTest {

    private static final ShippingConfig CONFIG = ShippingConfig.defaults();
    private static final long HOUR = Duration.ofHours(1).toMillis();

    @Test
    void baseArrivalIsTheCarrierEtaElseTheLaneElseThePrior() {
        ShipmentState s = ShipmentState.start(shipped("o1", 0).build());
        assertThat(estimate(s, null, 0)).satisfies(e -> {
            assertThat(e.base()).isEqualTo(Base.PRIOR);
            assertThat(e.arrival()).isEqualTo(at(48).toEpochMilli());
        });
        LaneEstimate lane = new LaneEstimate(s.lane, 30 * HOUR, 2 * HOUR, 8 * HOUR, ShipmentState.NONE, 9, 0);
        assertThat(estimate(s, lane, 0)).satisfies(e -> {
            assertThat(e.base()).isEqualTo(Base.LANE);
            assertThat(e.arrival()).isEqualTo(at(30).toEpochMilli());
        });
        s.apply(scanned("o1", 10, "B", "C", "D").setCarrierEta(at(61)).build());
        assertThat(estimate(s, lane, 10)).satisfies(e -> {
            assertThat(e.base()).isEqualTo(Base.CARRIER_ETA);
            assertThat(e.arrival()).isEqualTo(at(61).toEpochMilli());
        });
    }

    @Test
    void aParcelRunningLateKeepsTheDelayItHasCollected() {
        ShipmentState s = ShipmentState.start(shipped("o1", 0).build());
        s.apply(scanned("o1", 20, "B", "C", "D").build());
        // The prior's 48 h split into three hops of 12 h and a last leg of 12 h: two hops left.
        assertThat(estimate(s, null, 20).arrival()).isEqualTo(at(56).toEpochMilli());
        LaneEstimate lane = new LaneEstimate(s.lane, 39 * HOUR, HOUR, 8 * HOUR, 3 * HOUR, 9, 0);
        assertThat(DelayEstimator.estimate(s, Map.of(), lane, CONFIG, at(20).toEpochMilli())
                .arrival()).as("12 h per hop, 3 h last leg").isEqualTo(at(47).toEpochMilli());
    }

    @Test
    void aDisruptionCountsOnlyWhenItOverlapsTheParcelsSlotInItsRegion() {
        ShipmentState s = ShipmentState.start(shipped("o1", 0).build());
        s.apply(scanned("o1", 20, "B", "C", "D").build());
        // Path B, C, D spread over 20..56 h: C is crossed from 32 h to 44 h.
        assertThat(causes(s, storm("during", "C", 30, 40, 12))).containsExactly("during");
        assertThat(causes(s, storm("just-after", "C", 45, 50, 12)))
                .as("within the 2 h margin").containsExactly("just-after");
        assertThat(causes(s, storm("later", "C", 47, 60, 12))).isEmpty();
        assertThat(causes(s, storm("over", "C", 2, 15, 12))).isEmpty();
        assertThat(causes(s, storm("passed", "A", 20, 30, 12))).as("behind the parcel").isEmpty();
        assertThat(causes(s, storm("here", "B", 10, 22, 12))).as("where it sits")
                .containsExactly("here");
        assertThat(causes(s, storm("dest", "D", 48, 55, 6))).containsExactly("dest");
        assertThat(causes(s, storm("cancelled", "C", 30, 40, 12).setCancelled(true))).isEmpty();
        assertThat(causes(s, storm("other-carrier", "C", 30, 40, 12).setCarrier("ZIPPY")))
                .isEmpty();
        assertThat(causes(s, storm("this-carrier", "C", 30, 40, 12).setCarrier("ACME")))
                .containsExactly("this-carrier");

        Estimate two = DelayEstimator.estimate(s, index(storm("s1", "C", 30, 40, 12),
                storm("s2", "D", 48, 55, 6)), null, CONFIG, at(20).toEpochMilli());
        assertThat(two.arrival()).isEqualTo(at(56 + 18).toEpochMilli());
        assertThat(two.mainCause().reference()).isEqualTo("s1");
    }

    @Test
    void aParcelSilentForMuchLongerThanTheLanesScanGapStalls() {
        ShipmentState s = ShipmentState.start(shipped("o1", 0).build());
        s.apply(scanned("o1", 20, "B", "C", "D").build());
        // Prior scan gap 12 h, stall factor 3: silent for more than 36 h.
        assertThat(estimate(s, null, 56).causes()).isEmpty();
        Estimate stalled = estimate(s, null, 80);
        assertThat(stalled.causes()).singleElement().satisfies(cause -> {
            assertThat(cause.kind()).isEqualTo(CauseKind.STALL);
            // Overdue by 60 - 12 h, plus the 12 h extra.
            assertThat(cause.delayMillis()).isEqualTo(60 * HOUR);
        });

        LaneEstimate quickScans = new LaneEstimate(s.lane, 48 * HOUR, 4 * HOUR, 4 * HOUR, ShipmentState.NONE, 9, 0);
        assertThat(DelayEstimator.estimate(s, Map.of(), quickScans, CONFIG, at(33).toEpochMilli())
                .causes()).as("a lane that scans every 4 h stalls after 12 h").hasSize(1);
    }

    @Test
    void aStallWhereADisruptionSitsIsNotCountedTwice() {
        ShipmentState s = ShipmentState.start(shipped("o1", 0).build());
        s.apply(scanned("o1", 20, "B", "C", "D").build());
        Estimate estimate = DelayEstimator.estimate(s, index(storm("here", "B", 10, 80, 48)),
                null, CONFIG, at(62).toEpochMilli());
        // Silent 42 h: overdue 30 h + 12 h extra, but the storm in B explains 48 h of it.
        assertThat(estimate.causes()).extracting(Cause::kind).containsExactly(CauseKind.DISRUPTION);
    }

    @Test
    void anOpenCarrierExceptionAddsItsPenaltyUntilTheNextScan() {
        ShipmentState s = ShipmentState.start(shipped("o1", 0).build());
        s.apply(Shipments.event("o1", ShipmentType.EXCEPTION, 10, "B").build());
        assertThat(s.route).containsExactly("B", "C", "D");
        assertThat(estimate(s, null, 10).causes()).extracting(Cause::kind)
                .containsExactly(CauseKind.EXCEPTION);
        s.apply(scanned("o1", 14, "B", "C", "D").build());
        assertThat(estimate(s, null, 14).causes()).isEmpty();
    }

    @Test
    void confidenceGrowsWithTheDelayAndTheDisruptionsSeverity() {
        ShipmentState s = ShipmentState.start(shipped("o1", 0).build());
        double small = confidence(s, storm("s", "C", 20, 30, 10).setSeverity(4));
        double large = confidence(s, storm("s", "C", 20, 30, 30).setSeverity(4));
        double mild = confidence(s, storm("s", "C", 20, 30, 30).setSeverity(1));
        assertThat(small).isLessThan(large);
        assertThat(mild).isLessThan(large);
        assertThat(large).isGreaterThan(0.9).isLessThanOrEqualTo(1);
        assertThat(confidence(s, storm("s", "Z", 20, 30, 30))).as("on time").isLessThan(0.5);
    }

    @Test
    void aLateOutOfOrderScanCannotMoveTheParcelBack() {
        ShipmentState s = ShipmentState.start(shipped("o1", 0).build());
        s.apply(scanned("o1", 20, "C", "D").build());
        s.apply(scanned("o1", 10, "B", "C", "D").build());
        assertThat(s.lastRegion).isEqualTo("C");
        assertThat(s.route).containsExactly("D");
    }

    private static Estimate estimate(ShipmentState s, LaneEstimate lane, double clockHours) {
        return DelayEstimator.estimate(s, Map.of(), lane, CONFIG, at(clockHours).toEpochMilli());
    }

    private static List<String> causes(ShipmentState s, DisruptionEvent.Builder disruption) {
        return DelayEstimator.estimate(s, index(disruption), null, CONFIG,
                        s.lastScanAt).causes().stream()
                .map(Cause::reference).toList();
    }

    private static double confidence(ShipmentState s, DisruptionEvent.Builder disruption) {
        return DelayEstimator.estimate(s, index(disruption), null, CONFIG, s.lastScanAt)
                .confidence();
    }

    static Map<String, List<DisruptionEvent>> index(DisruptionEvent.Builder... disruptions) {
        return Arrays.stream(disruptions).map(DisruptionEvent.Builder::build)
                .collect(Collectors.groupingBy(DisruptionEvent::getRegionId));
    }
}
