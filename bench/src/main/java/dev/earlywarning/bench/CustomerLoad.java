package dev.earlywarning.bench;

import dev.earlywarning.cli.sim.LogisticsNetwork;
import dev.earlywarning.schema.CallbackEvent;
import dev.earlywarning.schema.CallbackOutcome;
import dev.earlywarning.schema.CallbackType;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.CustomerTier;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.ShipmentEvent;
import dev.earlywarning.schema.ShipmentType;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The records a contact center and its carriers publish, in event-time order per topic: the
 * {@link SyntheticInteractions} stream, plus callback promises that follow some contacts (most
 * completed in time, some attempted without answer, some forgotten) and parcels shipped to the same
 * customers, scanned at a hub, out for delivery and delivered (a few stall). Follow-up events are
 * held back until the interaction stream reaches their time, so each topic is in event-time order.
 *
 * <p>Proportions: one commitment per 40 interactions (about 1 callback event per 20
 * interactions) and one parcel per 80 interactions (about 1 shipment event per 20).
 */
public final class CustomerLoad implements Iterator<CustomerLoad.Record> {

    /** The contract topic a record belongs on. */
    public enum Stream { INTERACTIONS, CALLBACKS, SHIPMENTS }

    /** One record to send: its topic, Kafka key (customer or order id) and value. */
    public record Record(Stream stream, String key, SpecificRecordBase value, long at) {}

    private record Pending(long seq, Record record) {}

    private static final int COMMITMENT_EVERY = 40;
    private static final int PARCEL_EVERY = 80;
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final List<String> REGIONS = LogisticsNetwork.regions();
    private static final String[] CARRIERS = {"DPX", "Correo", "SwiftLine"};

    private final SyntheticInteractions interactions;
    private final long interactionCount;
    private final long startMillis;
    private final long stepMillis;
    private final SplittableRandom random;
    private final PriorityQueue<Pending> pending = new PriorityQueue<>(
            Comparator.comparingLong((Pending p) -> p.record().at()).thenComparingLong(Pending::seq));
    private long next;
    private long seq;

    /**
     * {@code interactionCount} interactions spread evenly over {@code span}, ending two days
     * before now, so that the last parcels' follow-ups are in the past too.
     */
    public static CustomerLoad endingNow(long interactionCount, int customers, long seed,
            Duration span) {
        long step = Math.max(1, span.toMillis() / Math.max(1, interactionCount));
        Instant start = Instant.now().minus(Duration.ofDays(2)).minusMillis(step * interactionCount);
        return new CustomerLoad(interactionCount, customers, seed, start, step);
    }

    public CustomerLoad(long interactionCount, int customers, long seed, Instant start,
            long stepMillis) {
        this.interactions = new SyntheticInteractions(customers, seed, start, stepMillis);
        this.interactionCount = interactionCount;
        this.startMillis = start.toEpochMilli();
        this.stepMillis = stepMillis;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public boolean hasNext() {
        return next < interactionCount || !pending.isEmpty();
    }

    @Override
    public Record next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        long nextInteractionAt = startMillis + next * stepMillis;
        if (!pending.isEmpty() && (next >= interactionCount
                || pending.peek().record().at() <= nextInteractionAt)) {
            return pending.poll().record();
        }
        InteractionEvent event = interactions.event(next);
        next++;
        if (random.nextInt(COMMITMENT_EVERY) == 0) {
            promiseCallback(event);
        }
        if (random.nextInt(PARCEL_EVERY) == 0) {
            shipParcel(event);
        }
        return new Record(Stream.INTERACTIONS, event.getCustomerId(), event, nextInteractionAt);
    }

    /** A callback promised now, due in 1-4 h: 80% completed in time, 8% tried, 12% forgotten. */
    private void promiseCallback(InteractionEvent contact) {
        long at = contact.getOccurredAt().toEpochMilli();
        long due = at + HOUR + random.nextLong(3 * HOUR);
        String commitment = "cmt-" + contact.getEventId();
        CallbackEvent.Builder promise = callback(contact, commitment, "-p", at)
                .setType(CallbackType.PROMISED).setDueAt(Instant.ofEpochMilli(due))
                .setWindowMinutes(60);
        schedule(Stream.CALLBACKS, contact.getCustomerId(), promise.build(), at);
        int fate = random.nextInt(100);
        if (fate < 80) {
            long done = at + 10 * MINUTE + random.nextLong(Math.max(1, due - at - 10 * MINUTE));
            schedule(Stream.CALLBACKS, contact.getCustomerId(),
                    callback(contact, commitment, "-c", done).setType(CallbackType.COMPLETED)
                            .build(), done);
        } else if (fate < 88) {
            long tried = due - 10 * MINUTE;
            schedule(Stream.CALLBACKS, contact.getCustomerId(),
                    callback(contact, commitment, "-a", tried).setType(CallbackType.ATTEMPTED)
                            .setOutcome(CallbackOutcome.NO_ANSWER).build(), tried);
        }
    }

    private static CallbackEvent.Builder callback(InteractionEvent contact, String commitment,
            String suffix, long at) {
        return CallbackEvent.newBuilder()
                .setEventId(commitment + suffix)
                .setCommitmentId(commitment)
                .setCustomerId(contact.getCustomerId())
                .setCaseId(contact.getCaseId())
                .setOccurredAt(Instant.ofEpochMilli(at))
                .setAgentId(contact.getAgentId())
                .setChannel(Channel.PHONE);
    }

    /** Shipped now, scanned at a hub, out for delivery and delivered within the promise; 3% stall. */
    private void shipParcel(InteractionEvent contact) {
        long at = contact.getOccurredAt().toEpochMilli();
        String order = "ord-" + contact.getEventId();
        String origin = REGIONS.get(random.nextInt(REGIONS.size()));
        String hub = REGIONS.get(random.nextInt(REGIONS.size()));
        String destination = REGIONS.get(random.nextInt(REGIONS.size()));
        long promised = at + 48 * HOUR;
        String carrier = CARRIERS[random.nextInt(CARRIERS.length)];
        long scanned = at + 6 * HOUR + random.nextLong(12 * HOUR);
        long out = scanned + 12 * HOUR + random.nextLong(10 * HOUR);
        long delivered = out + HOUR + random.nextLong(6 * HOUR);
        ship(contact, order, carrier, promised, ShipmentType.SHIPPED, at, origin,
                List.of(hub, destination));
        ship(contact, order, carrier, promised, ShipmentType.SCANNED, scanned, hub,
                List.of(destination));
        if (random.nextInt(100) < 3) {
            return;
        }
        ship(contact, order, carrier, promised, ShipmentType.OUT_FOR_DELIVERY, out, destination,
                List.of(destination));
        ship(contact, order, carrier, promised, ShipmentType.DELIVERED, delivered, destination,
                List.of());
    }

    private void ship(InteractionEvent contact, String order, String carrier, long promised,
            ShipmentType type, long at, String region, List<String> remainingRoute) {
        ShipmentEvent event = ShipmentEvent.newBuilder()
                .setEventId(order + "-" + type.name().toLowerCase())
                .setOrderId(order)
                .setCustomerId(contact.getCustomerId())
                .setTrackingId("trk-" + order)
                .setCarrier(carrier)
                .setType(type)
                .setOccurredAt(Instant.ofEpochMilli(at))
                .setFacilityId(region + "-1")
                .setRegionId(region)
                .setRemainingRoute(remainingRoute)
                .setPromisedBy(Instant.ofEpochMilli(promised))
                .setOrderValueCents(1_000 + random.nextInt(20_000))
                .setCustomerTier(CustomerTier.STANDARD)
                .build();
        schedule(Stream.SHIPMENTS, order, event, at);
    }

    private void schedule(Stream stream, String key, SpecificRecordBase value, long at) {
        pending.add(new Pending(seq++, new Record(stream, key, value, at)));
    }
}
