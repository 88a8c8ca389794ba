package dev.earlywarning.shipping;

import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.schema.CustomerTier;
import dev.earlywarning.schema.DisruptionEvent;
import dev.earlywarning.schema.DisruptionKind;
import dev.earlywarning.schema.ShipmentEvent;
import dev.earlywarning.schema.ShipmentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Shipment and disruption records for tests, hour by hour from {@link #T0}. The default order
 * travels A (origin) -> B -> C -> D (destination) with carrier ACME, promised 56 h after T0: on
 * time with the default 48 h prior transit.
 */
final class Shipments {

    static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

    private Shipments() {}

    static Instant at(double hours) {
        return T0.plus(Duration.ofMinutes(Math.round(hours * 60)));
    }

    static ShipmentEvent.Builder event(String order, ShipmentType type, double hours,
            String region, String... route) {
        return ShipmentEvent.newBuilder()
                .setEventId(order + "-" + type + "-" + hours)
                .setOrderId(order)
                .setCustomerId("cust-" + order)
                .setCarrier("ACME")
                .setType(type)
                .setOccurredAt(at(hours))
                .setRegionId(region)
                .setOriginRegionId("A")
                .setRemainingRoute(List.of(route))
                .setPromisedBy(at(56))
                .setOrderValueCents(8000)
                .setCurrency("EUR")
                .setCustomerTier(CustomerTier.STANDARD);
    }

    static ShipmentEvent.Builder shipped(String order, double hours) {
        return event(order, ShipmentType.SHIPPED, hours, "A", "B", "C", "D");
    }

    static ShipmentEvent.Builder scanned(String order, double hours, String region,
            String... route) {
        return event(order, ShipmentType.SCANNED, hours, region, route);
    }

    static ShipmentEvent.Builder delivered(String order, double hours) {
        return event(order, ShipmentType.DELIVERED, hours, "D");
    }

    static ShipmentEvent.Builder cancelled(String order, double hours) {
        return event(order, ShipmentType.CANCELLED, hours, null);
    }

    static DisruptionEvent.Builder storm(String id, String region, double fromHours,
            double toHours, int delayHours) {
        return DisruptionEvent.newBuilder()
                .setDisruptionId(id)
                .setRegionId(region)
                .setKind(DisruptionKind.STORM)
                .setSeverity(4)
                .setExpectedDelayMinutes(delayHours * 60)
                .setStartsAt(at(fromHours))
                .setEndsAt(at(toHours))
                .setIssuedAt(at(Math.max(0, fromHours - 5)));
    }

    static <T> Ingested<T> ingested(T value) {
        return new Ingested<>(value, 0, 0, System.currentTimeMillis());
    }
}
