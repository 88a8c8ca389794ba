package dev.earlywarning.cli.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.cli.sim.JourneyGenerator.Journey;
import dev.earlywarning.common.kafka.RecordType;
import dev.earlywarning.common.kafka.RecordTypes;
import dev.earlywarning.schema.DisruptionEvent;
import dev.earlywarning.schema.DisruptionKind;
import dev.earlywarning.schema.ShipmentEvent;
import dev.earlywarning.schema.ShipmentType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ShipmentStoriesTest {

    private static final long START = Instant.parse("2025-03-03T09:00:00Z").toEpochMilli();
    private static final RecordType.Limits NO_FUTURE_LIMIT =
            new RecordType.Limits(Long.MAX_VALUE / 2, 0);

    @Test
    void anUndisturbedParcelCrossesItsRouteInOrderAndArrivesBeforeItsPromise() {
        for (long seed = 1; seed <= 20; seed++) {
            List<ShipmentEvent> parcel = shipments(story(Story.PARCEL_ON_TIME, seed));
            assertThat(parcel).extracting(ShipmentEvent::getType).first()
                    .isEqualTo(ShipmentType.SHIPPED);
            assertThat(parcel).extracting(ShipmentEvent::getType).endsWith(
                    ShipmentType.OUT_FOR_DELIVERY, ShipmentType.DELIVERED);
            ShipmentEvent shipped = parcel.get(0);
            ShipmentEvent delivered = parcel.get(parcel.size() - 1);
            assertThat(delivered.getOccurredAt()).isBefore(shipped.getPromisedBy());
            // Each scan is where the previous record said the parcel was going next.
            for (int i = 1; i < parcel.size(); i++) {
                List<String> before = parcel.get(i - 1).getRemainingRoute();
                ShipmentEvent now = parcel.get(i);
                if (now.getType() == ShipmentType.SCANNED
                        || now.getType() == ShipmentType.OUT_FOR_DELIVERY) {
                    assertThat(now.getRegionId()).isEqualTo(before.get(0));
                    assertThat(now.getRemainingRoute()).isEqualTo(before.subList(1, before.size()));
                }
            }
            assertThat(delivered.getRegionId()).isEqualTo(
                    shipped.getRemainingRoute().get(shipped.getRemainingRoute().size() - 1));
        }
    }

    @Test
    void aStormIsWarnedOfOverAHubTheStorysParcelsCrossAndRevisionsKeepItsId() {
        Set<String> fates = new HashSet<>();
        for (long seed = 1; seed <= 40; seed++) {
            Journey journey = story(Story.STORM_OVER_HUB, seed);
            List<DisruptionEvent> warnings = disruptions(journey);
            DisruptionEvent first = warnings.get(0);
            assertThat(first.getKind()).isIn(DisruptionKind.STORM, DisruptionKind.SNOW,
                    DisruptionKind.FLOOD);
            assertThat(warnings).extracting(DisruptionEvent::getDisruptionId)
                    .containsOnly(first.getDisruptionId());
            assertThat(warnings).extracting(DisruptionEvent::getRegionId)
                    .containsOnly(first.getRegionId());
            fates.add(warnings.size() == 1 ? "kept" : warnings.get(1).getCancelled() ? "cancelled"
                    : "revised");
            Map<String, List<ShipmentEvent>> parcels = byOrder(journey);
            assertThat(parcels).hasSizeBetween(3, 5);
            for (List<ShipmentEvent> parcel : parcels.values()) {
                ShipmentEvent shipped = parcel.get(0);
                assertThat(shipped.getRemainingRoute().get(0)).isEqualTo(first.getRegionId());
                // The warning comes while the parcel is on its way, before it reaches the hub.
                assertThat(shipped.getOccurredAt()).isBefore(first.getIssuedAt());
                assertThat(parcel.get(1).getOccurredAt()).isAfter(first.getIssuedAt());
            }
        }
        assertThat(fates).containsExactlyInAnyOrder("kept", "cancelled", "revised");
    }

    @Test
    void aCarrierOutageNamesTheCarrierOfItsParcels() {
        Journey journey = story(Story.CARRIER_OUTAGE, 5);
        DisruptionEvent outage = disruptions(journey).get(0);
        assertThat(outage.getKind()).isEqualTo(DisruptionKind.CARRIER_OUTAGE);
        assertThat(shipments(journey)).extracting(ShipmentEvent::getCarrier)
                .containsOnly(outage.getCarrier());
    }

    @Test
    void aDamagedParcelHasAnExceptionThenIsEitherCancelledOrDeliveredLate() {
        Set<ShipmentType> endings = new HashSet<>();
        for (long seed = 1; seed <= 30; seed++) {
            List<ShipmentEvent> parcel = shipments(story(Story.PARCEL_EXCEPTION, seed));
            assertThat(parcel).extracting(ShipmentEvent::getType).contains(ShipmentType.EXCEPTION);
            ShipmentEvent last = parcel.get(parcel.size() - 1);
            endings.add(last.getType());
            ShipmentEvent exception = parcel.stream()
                    .filter(e -> e.getType() == ShipmentType.EXCEPTION).findFirst().orElseThrow();
            ShipmentEvent next = parcel.get(parcel.indexOf(exception) + 1);
            if (next.getType() == ShipmentType.SCANNED) {
                // held at the hub for relabelling for most of a day
                assertThat(Duration.between(exception.getOccurredAt(), next.getOccurredAt()))
                        .isGreaterThanOrEqualTo(Duration.ofHours(18));
                assertThat(next.getRegionId()).isEqualTo(exception.getRegionId());
            }
        }
        assertThat(endings).containsExactlyInAnyOrder(ShipmentType.CANCELLED,
                ShipmentType.DELIVERED);
    }

    @Test
    void everyLogisticsRecordMeetsTheContractNamesKnownRegionsAndHasAUniqueId() {
        Set<String> known = Set.copyOf(LogisticsNetwork.regions());
        Set<String> ids = new HashSet<>();
        JourneyGenerator generator = new JourneyGenerator(3, 200, 0.5);
        for (int i = 0; i < 2_000; i++) {
            for (Emission.Valid event : generator.next(START + i * 60_000L).events()) {
                if (event.value() instanceof ShipmentEvent s) {
                    assertThat(RecordTypes.SHIPMENT.validator().problem(s, NO_FUTURE_LIMIT))
                            .as("%s", s).isNull();
                    assertThat(event.key()).isEqualTo(s.getOrderId());
                    assertThat(ids.add(s.getEventId())).isTrue();
                    List<String> regions = new ArrayList<>(s.getRemainingRoute());
                    regions.add(s.getOriginRegionId());
                    if (s.getRegionId() != null) {
                        regions.add(s.getRegionId());
                    }
                    assertThat(known).containsAll(regions);
                } else if (event.value() instanceof DisruptionEvent d) {
                    assertThat(RecordTypes.DISRUPTION.validator().problem(d, NO_FUTURE_LIMIT))
                            .as("%s", d).isNull();
                    assertThat(event.key()).isEqualTo(d.getRegionId());
                    assertThat(event.at()).isEqualTo(d.getIssuedAt().toEpochMilli());
                    assertThat(known).contains(d.getRegionId());
                }
            }
        }
        assertThat(ids).hasSizeGreaterThan(500);
    }

    static Journey story(Story story, long seed) {
        return new JourneyGenerator(seed, 50, 0.15).next(story, START);
    }

    static List<ShipmentEvent> shipments(Journey journey) {
        assertThat(journey.events()).extracting(Emission.Valid::at).isSorted();
        return journey.events().stream().filter(e -> e.value() instanceof ShipmentEvent)
                .map(e -> (ShipmentEvent) e.value()).toList();
    }

    private static Map<String, List<ShipmentEvent>> byOrder(Journey journey) {
        return shipments(journey).stream().collect(Collectors.groupingBy(
                ShipmentEvent::getOrderId, LinkedHashMap::new, Collectors.toList()));
    }

    private static List<DisruptionEvent> disruptions(Journey journey) {
        return journey.events().stream().filter(e -> e.value() instanceof DisruptionEvent)
                .map(e -> (DisruptionEvent) e.value()).toList();
    }
}
