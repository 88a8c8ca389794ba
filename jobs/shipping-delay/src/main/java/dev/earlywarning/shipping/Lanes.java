package dev.earlywarning.shipping;

import dev.earlywarning.schema.ShipmentEvent;
import java.util.List;

/**
 * A lane is one carrier between one origin and one destination region: the unit whose transit
 * times are alike enough to learn from each other.
 */
final class Lanes {

    static final String UNKNOWN = "?";

    private Lanes() {}

    /** {@code carrier|origin>destination}, from the order's first event. */
    static String of(ShipmentEvent event) {
        String origin = event.getOriginRegionId() != null ? event.getOriginRegionId()
                : event.getRegionId() != null ? event.getRegionId() : UNKNOWN;
        List<String> route = event.getRemainingRoute();
        String destination = !route.isEmpty() ? route.get(route.size() - 1)
                : event.getRegionId() != null ? event.getRegionId() : UNKNOWN;
        return event.getCarrier() + "|" + origin + ">" + destination;
    }
}
