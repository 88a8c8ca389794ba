package dev.earlywarning.shipping;

import dev.earlywarning.schema.CustomerTier;
import dev.earlywarning.schema.ShipmentEvent;
import dev.earlywarning.schema.ShipmentType;

/**
 * One order in transit: where it was last scanned, what is left of its route, what was promised,
 * and the delay alert it has open. A flat POJO, written by Flink's POJO serializer; after delivery
 * or cancellation only a small tombstone of it remains (so stragglers are recognised) until the
 * closed-retention ends.
 */
public class ShipmentState {
    static final long NONE = Long.MIN_VALUE;

    public String customerId;
    public String carrier;
    public String currency;
    public CustomerTier tier;
    public long orderValueCents;
    public String lane;

    public long promisedBy;
    public long carrierEta;
    public long firstSeenAt;
    public long lastScanAt;
    public String lastScanEventId;
    public long lastEventAt;
    /** Stall checks never look at a time before this: re-evaluations on a disruption keep it. */
    public long lastEvaluatedAt;
    public String lastRegion;
    /** Regions still to cross, destination last. */
    public String[] route;
    /** Route length when first seen: the estimate spreads the lane's transit time over it. */
    public int initialHops;
    public boolean outForDelivery;
    public boolean exception;

    public boolean closed;
    public long closedAt;

    /** The open alert's id, or null. */
    public String alertId;
    public int alertSeq;
    public int alertRevision;
    public long alertOpenedAt;
    public long alertedArrival;
    public String budgetKey;
    public boolean holdout;

    public long evalTimerAt;
    public long cleanupTimerAt;

    public ShipmentState() {}

    static ShipmentState start(ShipmentEvent event) {
        ShipmentState state = new ShipmentState();
        long at = event.getOccurredAt().toEpochMilli();
        state.customerId = event.getCustomerId();
        state.carrier = event.getCarrier();
        state.lane = Lanes.of(event);
        state.firstSeenAt = at;
        state.lastScanAt = NONE;
        state.lastEventAt = at;
        state.lastEvaluatedAt = at;
        state.carrierEta = NONE;
        state.route = new String[0];
        state.initialHops = Math.max(1, event.getRemainingRoute().size());
        state.alertOpenedAt = NONE;
        state.evalTimerAt = NONE;
        state.cleanupTimerAt = NONE;
        state.apply(event);
        return state;
    }

    /**
     * Takes in one event. Position only moves forward in event time, so a scan delivered late
     * cannot move the parcel back; the newest record's promise, value and tier win.
     */
    void apply(ShipmentEvent event) {
        long at = event.getOccurredAt().toEpochMilli();
        ShipmentType type = event.getType();
        if (at >= lastEventAt || lastScanAt == NONE) {
            promisedBy = event.getPromisedBy().toEpochMilli();
            orderValueCents = event.getOrderValueCents();
            currency = event.getCurrency();
            tier = event.getCustomerTier();
            customerId = event.getCustomerId();
        }
        lastEventAt = Math.max(lastEventAt, at);
        if (at < lastScanAt || type == ShipmentType.DELIVERED || type == ShipmentType.CANCELLED) {
            return;
        }
        lastScanAt = at;
        lastScanEventId = event.getEventId();
        if (event.getRegionId() != null) {
            lastRegion = event.getRegionId();
        }
        // An exception report usually comes without a route: the parcel has not moved.
        if (type != ShipmentType.EXCEPTION || !event.getRemainingRoute().isEmpty()) {
            route = event.getRemainingRoute().toArray(String[]::new);
        }
        if (event.getCarrierEta() != null) {
            carrierEta = event.getCarrierEta().toEpochMilli();
        }
        outForDelivery = type == ShipmentType.OUT_FOR_DELIVERY;
        exception = type == ShipmentType.EXCEPTION;
    }

    boolean hasOpenAlert() {
        return alertId != null;
    }

    /** Whether the parcel still has to pass through any of {@code regions}. */
    boolean pathTouches(java.util.Collection<String> regions) {
        if (lastRegion != null && regions.contains(lastRegion)) {
            return true;
        }
        for (String region : route) {
            if (regions.contains(region)) {
                return true;
            }
        }
        return false;
    }

    /** What remains after the order ends: enough to ignore stragglers. */
    static ShipmentState tombstone(long closedAt) {
        ShipmentState state = new ShipmentState();
        state.closed = true;
        state.closedAt = closedAt;
        state.route = new String[0];
        state.lastScanAt = NONE;
        state.carrierEta = NONE;
        state.alertOpenedAt = NONE;
        state.evalTimerAt = NONE;
        state.cleanupTimerAt = NONE;
        return state;
    }
}
