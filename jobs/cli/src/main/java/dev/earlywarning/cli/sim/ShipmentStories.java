package dev.earlywarning.cli.sim;

import dev.earlywarning.cli.sim.Emission.Target;
import dev.earlywarning.cli.sim.JourneyGenerator.Customer;
import dev.earlywarning.schema.CustomerTier;
import dev.earlywarning.schema.DisruptionEvent;
import dev.earlywarning.schema.DisruptionKind;
import dev.earlywarning.schema.ShipmentEvent;
import dev.earlywarning.schema.ShipmentType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Writes the logistics side of the simulated shop: parcels from a distribution center through
 * one or two hubs to the customer's region ({@link LogisticsNetwork}), and the disruptions that
 * delay them. Timings follow the shipping-delay job's priors (about 48 h door to door, a scan
 * every 10-16 h, promised 54-66 h after shipping), so an undisturbed parcel is on time and a
 * storm, an outage or a damaged label makes it late.
 *
 * <p>Each parcel's events are in event-time order, keyed by order id; disruptions are keyed by
 * region, and a revision or cancellation reuses the disruption's id.
 */
final class ShipmentStories {

    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;

    private final Draws draw;
    private final Supplier<String> orderIds;
    private long disruptionCounter;

    ShipmentStories(Draws draw, Supplier<String> orderIds) {
        this.draw = draw;
        this.orderIds = orderIds;
        this.disruptionCounter = 1_000 + draw.between(0, 8_999);
    }

    /** A parcel that arrives before its promise. */
    List<Emission.Valid> onTime(Story story, Customer customer, long start) {
        Parcel parcel = parcel(story, customer, start, draw.pick(LogisticsNetwork.CARRIERS),
                LogisticsNetwork.route(draw, customer.regionId()));
        parcel.shipped();
        parcel.continueRoute();
        return parcel.events;
    }

    /** A parcel damaged at its first hub: an exception, then cancelled or sent on a day late. */
    List<Emission.Valid> exception(Story story, Customer customer, long start) {
        Parcel parcel = parcel(story, customer, start, draw.pick(LogisticsNetwork.CARRIERS),
                LogisticsNetwork.route(draw, customer.regionId()));
        parcel.shipped();
        parcel.scanNext(10, 16);
        parcel.at += draw.between(2, 6) * HOUR;
        parcel.emit(ShipmentType.EXCEPTION, parcel.here);
        if (draw.chance(0.3)) {
            parcel.at += draw.between(4, 10) * HOUR;
            parcel.emit(ShipmentType.CANCELLED, parcel.here);
            return parcel.events;
        }
        parcel.at += draw.between(18, 26) * HOUR;
        parcel.emit(ShipmentType.SCANNED, parcel.here);
        parcel.continueRoute();
        return parcel.events;
    }

    /**
     * Parcels leave through one hub; then the weather service warns of a storm over it. Sometimes
     * the warning is revised upwards later, sometimes called off; the parcels are as late as the
     * storm finally is.
     */
    List<Emission.Valid> storm(Story story, Customer first, Supplier<Customer> customers,
            long start) {
        String hub = draw.pick(LogisticsNetwork.REGIONAL_HUBS);
        List<Parcel> parcels = parcelsThrough(story, first, customers, start, hub, null,
                draw.between(3, 5));
        long issued = parcels.get(parcels.size() - 1).at + draw.between(10, 30) * MINUTE;
        long startsAt = issued + draw.between(1, 3) * HOUR;
        DisruptionKind kind = draw.pick(new DisruptionKind[] {
            DisruptionKind.STORM, DisruptionKind.STORM, DisruptionKind.SNOW, DisruptionKind.FLOOD});
        DisruptionEvent.Builder warning = DisruptionEvent.newBuilder()
                .setDisruptionId("dis-" + disruptionCounter++)
                .setRegionId(hub)
                .setKind(kind)
                .setSeverity(draw.between(3, 5))
                .setExpectedDelayMinutes(draw.between(24, 40) * 60)
                .setStartsAt(Instant.ofEpochMilli(startsAt))
                .setEndsAt(Instant.ofEpochMilli(startsAt + draw.between(18, 30) * HOUR))
                .setIssuedAt(Instant.ofEpochMilli(issued))
                .setCancelled(false);
        List<Emission.Valid> events = new ArrayList<>();
        events.add(disruption(story, warning.build()));
        double fate = draw.nextDouble();
        long delay = warning.getExpectedDelayMinutes() * MINUTE;
        if (fate < 0.2) {
            warning.setIssuedAt(Instant.ofEpochMilli(issued + draw.between(60, 180) * MINUTE))
                    .setCancelled(true);
            events.add(disruption(story, warning.build()));
            delay = 0;
        } else if (fate < 0.5) {
            warning.setIssuedAt(Instant.ofEpochMilli(issued + draw.between(60, 180) * MINUTE))
                    .setSeverity(Math.min(5, warning.getSeverity() + 1))
                    .setExpectedDelayMinutes(warning.getExpectedDelayMinutes() + 12 * 60);
            events.add(disruption(story, warning.build()));
            delay = warning.getExpectedDelayMinutes() * MINUTE;
        }
        for (Parcel parcel : parcels) {
            parcel.continueRouteDelayedAt(hub, delay);
            events.addAll(parcel.events);
        }
        events.sort(Comparator.comparingLong(Emission.Valid::at));
        return events;
    }

    /** One carrier's depot at a hub goes down; only that carrier's parcels there are late. */
    List<Emission.Valid> carrierOutage(Story story, Customer first, Supplier<Customer> customers,
            long start) {
        String hub = draw.pick(LogisticsNetwork.REGIONAL_HUBS);
        String carrier = draw.pick(LogisticsNetwork.CARRIERS);
        List<Parcel> parcels = parcelsThrough(story, first, customers, start, hub, carrier,
                draw.between(2, 4));
        long issued = parcels.get(parcels.size() - 1).at + draw.between(5, 20) * MINUTE;
        long startsAt = issued + draw.between(0, 60) * MINUTE;
        DisruptionEvent outage = DisruptionEvent.newBuilder()
                .setDisruptionId("dis-" + disruptionCounter++)
                .setRegionId(hub)
                .setKind(DisruptionKind.CARRIER_OUTAGE)
                .setCarrier(carrier)
                .setSeverity(draw.between(3, 4))
                .setExpectedDelayMinutes(draw.between(12, 30) * 60)
                .setStartsAt(Instant.ofEpochMilli(startsAt))
                .setEndsAt(Instant.ofEpochMilli(startsAt + draw.between(12, 24) * HOUR))
                .setIssuedAt(Instant.ofEpochMilli(issued))
                .setCancelled(false)
                .build();
        List<Emission.Valid> events = new ArrayList<>();
        events.add(disruption(story, outage));
        for (Parcel parcel : parcels) {
            parcel.continueRouteDelayedAt(hub, outage.getExpectedDelayMinutes() * MINUTE);
            events.addAll(parcel.events);
        }
        events.sort(Comparator.comparingLong(Emission.Valid::at));
        return events;
    }

    static CustomerTier tierOf(Customer customer) {
        int n = Math.floorMod(customer.id().hashCode(), 20);
        return n == 0 ? CustomerTier.VIP : n < 5 ? CustomerTier.PLUS : CustomerTier.STANDARD;
    }

    /** Parcels shipped a few minutes apart, each routed through {@code hub} first. */
    private List<Parcel> parcelsThrough(Story story, Customer first, Supplier<Customer> customers,
            long start, String hub, String carrier, int count) {
        List<Parcel> parcels = new ArrayList<>();
        long at = start;
        for (int i = 0; i < count; i++) {
            Customer customer = i == 0 ? first : customers.get();
            Parcel parcel = parcel(story, customer, at,
                    carrier != null ? carrier : draw.pick(LogisticsNetwork.CARRIERS),
                    LogisticsNetwork.routeThrough(draw, hub, customer.regionId()));
            parcel.shipped();
            parcels.add(parcel);
            at += draw.between(2, 8) * MINUTE;
        }
        return parcels;
    }

    private Parcel parcel(Story story, Customer customer, long start, String carrier,
            List<String> route) {
        return new Parcel(story, customer, orderIds.get(), carrier, route, start);
    }

    private static Emission.Valid disruption(Story story, DisruptionEvent event) {
        return new Emission.Valid(Target.DISRUPTIONS, event.getRegionId(),
                event.getIssuedAt().toEpochMilli(), event, story, false);
    }

    /** One order's parcel: its position on the route and the events it has produced. */
    private final class Parcel {
        final Story story;
        final Customer customer;
        final String orderId;
        final String carrier;
        final String origin;
        final List<String> ahead;
        final long promisedBy;
        final long valueCents;
        final String trackingId;
        final List<Emission.Valid> events = new ArrayList<>();
        String here;
        long at;

        Parcel(Story story, Customer customer, String orderId, String carrier, List<String> route,
                long start) {
            this.story = story;
            this.customer = customer;
            this.orderId = orderId;
            this.carrier = carrier;
            this.origin = draw.pick(LogisticsNetwork.ORIGINS);
            this.ahead = new ArrayList<>(route);
            this.here = origin;
            this.at = start;
            this.promisedBy = start + draw.between(54, 66) * HOUR;
            // Mostly small baskets, a few large ones: large ones earn a voucher when late.
            this.valueCents = draw.chance(0.2) ? draw.between(20_000, 60_000)
                    : draw.between(1_500, 15_000);
            this.trackingId = carrier.substring(0, 2).toUpperCase() + draw.between(10_000_000,
                    99_999_999);
        }

        void shipped() {
            emit(ShipmentType.SHIPPED, origin);
        }

        void continueRoute() {
            while (ahead.size() > 1) {
                scanNext(10, 16);
            }
            deliver();
        }

        /** The rest of the route, held up by {@code delay} at {@code hub}. */
        void continueRouteDelayedAt(String hub, long delay) {
            while (ahead.size() > 1) {
                boolean delayed = ahead.get(0).equals(hub);
                scanNext(10, 16);
                if (delayed && delay > 0) {
                    at += Math.round(delay * (0.8 + 0.4 * draw.nextDouble()));
                    emit(ShipmentType.SCANNED, here);
                }
            }
            deliver();
        }

        void scanNext(int minHours, int maxHours) {
            at += draw.between(minHours, maxHours) * HOUR + draw.between(0, 59) * MINUTE;
            here = ahead.remove(0);
            emit(ShipmentType.SCANNED, here);
        }

        void deliver() {
            at += draw.between(10, 14) * HOUR + draw.between(0, 59) * MINUTE;
            here = ahead.remove(0);
            emit(ShipmentType.OUT_FOR_DELIVERY, here);
            at += draw.between(2, 7) * HOUR;
            emit(ShipmentType.DELIVERED, here);
        }

        void emit(ShipmentType type, String region) {
            ShipmentEvent event = ShipmentEvent.newBuilder()
                    .setEventId(draw.uuid())
                    .setOrderId(orderId)
                    .setCustomerId(customer.id())
                    .setTrackingId(trackingId)
                    .setCarrier(carrier)
                    .setType(type)
                    .setOccurredAt(Instant.ofEpochMilli(at))
                    .setFacilityId(region == null ? null : region + "-" + carrier.charAt(0) + "1")
                    .setRegionId(region)
                    .setRemainingRoute(type == ShipmentType.DELIVERED
                            || type == ShipmentType.CANCELLED ? List.of() : List.copyOf(ahead))
                    .setPromisedBy(Instant.ofEpochMilli(promisedBy))
                    .setOrderValueCents(valueCents)
                    .setCurrency("EUR")
                    .setCustomerTier(tierOf(customer))
                    .setOriginRegionId(origin)
                    .build();
            events.add(new Emission.Valid(Target.SHIPMENTS, orderId, at, event, story, false));
        }
    }
}
