package dev.earlywarning.shipping;

import dev.earlywarning.schema.CustomerTier;
import dev.earlywarning.schema.DisruptionEvent;
import dev.earlywarning.schema.DisruptionKind;
import dev.earlywarning.schema.ShipmentEvent;
import dev.earlywarning.schema.ShipmentType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A generated logistics history with its ground truth, for measuring prediction quality.
 *
 * <p>Twelve lanes over eight regions, two carriers (8 h and 14 h per hop, 12% log-normal noise
 * per hop, a 3 h last mile). Promises are the lane's typical transit plus 15% and 6 h. Storms and
 * carrier outages are forecast 6-48 h before they start; whether a forecast comes true depends on
 * its severity (probability 0.5 + 0.1 * severity), and a parcel in a region while a true one is
 * active loses the true delay, 0.6-1.4 times the announced one. Half the forecasts that do not
 * come true are cancelled an hour before their start; a third of the true ones are re-issued two
 * hours before their start with the delay corrected. 2% of parcels are held 30-80 h at one
 * sorting centre without any scan. So about 80% of forecasts are right and a delay is announced
 * at least 6 h ahead: what a good predictor can reach.
 */
final class DeliveryHistory {

    static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final String[] REGIONS = {"R0", "R1", "R2", "R3", "R4", "R5", "R6", "R7"};
    private static final DisruptionKind[] KINDS = {DisruptionKind.STORM, DisruptionKind.SNOW,
        DisruptionKind.FLOOD, DisruptionKind.CARRIER_OUTAGE};

    /** A record at its event time; {@code seq} keeps equal times in generation order. */
    record Timed(long at, long seq, ShipmentEvent shipment, DisruptionEvent disruption) {}

    /** What actually happened to an order. */
    record Truth(long promisedBy, long deliveredAt) {
        boolean late() {
            return deliveredAt > promisedBy;
        }
    }

    private record Lane(String carrier, List<String> path, long perHop) {}

    private record RealDisruption(String region, long from, long to, long delay) {}

    final List<Timed> records = new ArrayList<>();
    final Map<String, Truth> truth = new HashMap<>();
    private final Random random;
    private long seq;

    private DeliveryHistory(long seed) {
        random = new Random(seed);
    }

    static DeliveryHistory generate(long seed, int orders, int days, int disruptions) {
        DeliveryHistory history = new DeliveryHistory(seed);
        List<Lane> lanes = history.lanes();
        List<RealDisruption> real = history.disruptions(days, disruptions);
        long span = Duration.ofDays(days - 5).toMillis();
        for (int i = 0; i < orders; i++) {
            long shippedAt = START.toEpochMilli() + span * i / orders;
            history.parcel("order-" + i, lanes.get(history.random.nextInt(lanes.size())),
                    shippedAt, real);
        }
        history.records.sort(Comparator.comparingLong(Timed::at).thenComparingLong(Timed::seq));
        return history;
    }

    private List<Lane> lanes() {
        List<Lane> lanes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int hops = 2 + random.nextInt(2);
            List<String> path = new ArrayList<>();
            int region = random.nextInt(REGIONS.length);
            for (int h = 0; h <= hops; h++) {
                path.add(REGIONS[region]);
                region = (region + 1 + random.nextInt(REGIONS.length - 1)) % REGIONS.length;
            }
            String carrier = i % 2 == 0 ? "FAST" : "SLOW";
            lanes.add(new Lane(carrier, path, (carrier.equals("FAST") ? 8 : 14) * HOUR));
        }
        return lanes;
    }

    private List<RealDisruption> disruptions(int days, int count) {
        List<RealDisruption> real = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String region = REGIONS[random.nextInt(REGIONS.length)];
            long from = START.toEpochMilli() + (long) (random.nextDouble() * (days - 3) * 24 * HOUR);
            long to = from + (12 + random.nextInt(37)) * HOUR;
            int severity = 1 + random.nextInt(5);
            long announced = (12 + random.nextInt(37)) * HOUR;
            long issuedAt = from - (6 + random.nextInt(43)) * HOUR;
            boolean comesTrue = random.nextDouble() < 0.5 + 0.1 * severity;
            long actual = Math.round(announced * (0.6 + 0.8 * random.nextDouble()));
            DisruptionEvent forecast = DisruptionEvent.newBuilder()
                    .setDisruptionId("d-" + i)
                    .setRegionId(region)
                    .setKind(KINDS[random.nextInt(KINDS.length)])
                    .setSeverity(severity)
                    .setExpectedDelayMinutes((int) (announced / 60_000))
                    .setStartsAt(Instant.ofEpochMilli(from))
                    .setEndsAt(Instant.ofEpochMilli(to))
                    .setIssuedAt(Instant.ofEpochMilli(issuedAt))
                    .build();
            add(issuedAt, null, forecast);
            if (comesTrue) {
                real.add(new RealDisruption(region, from, to, actual));
                if (random.nextInt(3) == 0) {
                    add(from - 2 * HOUR, null, DisruptionEvent.newBuilder(forecast)
                            .setExpectedDelayMinutes((int) (actual / 60_000))
                            .setIssuedAt(Instant.ofEpochMilli(from - 2 * HOUR)).build());
                }
            } else if (random.nextBoolean()) {
                add(from - HOUR, null, DisruptionEvent.newBuilder(forecast).setCancelled(true)
                        .setIssuedAt(Instant.ofEpochMilli(from - HOUR)).build());
            }
        }
        return real;
    }

    private void parcel(String orderId, Lane lane, long shippedAt, List<RealDisruption> real) {
        List<String> path = lane.path();
        int hops = path.size() - 1;
        long lastMile = 3 * HOUR;
        long typical = hops * lane.perHop() + lastMile;
        long promisedBy = shippedAt + Math.round(typical * 1.15) + 6 * HOUR;
        int stallAt = random.nextDouble() < 0.02 ? 1 + random.nextInt(hops) : -1;
        ShipmentEvent.Builder base = ShipmentEvent.newBuilder()
                .setOrderId(orderId)
                .setCustomerId("customer-" + orderId.substring(6))
                .setCarrier(lane.carrier())
                .setOriginRegionId(path.get(0))
                .setPromisedBy(Instant.ofEpochMilli(promisedBy))
                .setOrderValueCents(1000 + random.nextInt(30000))
                .setCurrency("EUR")
                .setCustomerTier(CustomerTier.values()[random.nextInt(3)]);

        long t = shippedAt + held(path.get(0), shippedAt, lane.perHop(), real);
        shipment(base, orderId + "-0", ShipmentType.SHIPPED, shippedAt, path.get(0),
                path.subList(1, path.size()));
        for (int h = 1; h <= hops; h++) {
            long hop = Math.round(lane.perHop() * Math.exp(0.12 * random.nextGaussian()));
            long arrival = t + hop + (h == stallAt ? (30 + random.nextInt(51)) * HOUR : 0);
            shipment(base, orderId + "-" + h, ShipmentType.SCANNED, arrival, path.get(h),
                    path.subList(h + 1, path.size()));
            t = arrival + held(path.get(h), arrival, lane.perHop(), real);
        }
        String destination = path.get(hops);
        long outForDelivery = t + HOUR;
        shipment(base, orderId + "-ofd", ShipmentType.OUT_FOR_DELIVERY, outForDelivery,
                destination, List.of());
        long delivered = outForDelivery + Math.round((lastMile - HOUR)
                * Math.exp(0.2 * random.nextGaussian()));
        shipment(base, orderId + "-delivered", ShipmentType.DELIVERED, delivered, destination,
                List.of());
        truth.put(orderId, new Truth(promisedBy, delivered));
    }

    /** How long true disruptions hold a parcel that is in {@code region} around {@code at}. */
    private static long held(String region, long at, long perHop, List<RealDisruption> real) {
        long held = 0;
        for (RealDisruption d : real) {
            if (d.region().equals(region) && d.from() <= at + perHop / 2
                    && d.to() >= at - perHop / 2) {
                held += d.delay();
            }
        }
        return held;
    }

    private void shipment(ShipmentEvent.Builder base, String eventId, ShipmentType type, long at,
            String region, List<String> route) {
        add(at, ShipmentEvent.newBuilder(base).setEventId(eventId).setType(type)
                .setOccurredAt(Instant.ofEpochMilli(at)).setRegionId(region)
                .setRemainingRoute(new ArrayList<>(route)).build(), null);
    }

    private void add(long at, ShipmentEvent shipment, DisruptionEvent disruption) {
        records.add(new Timed(at, seq++, shipment, disruption));
    }
}
