package dev.earlywarning.cli.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the simulated parcels go: from a distribution center through one or two hubs to the
 * customer's region. Most parcels cross the main hubs; the disruption stories strike the small
 * regional hubs that few parcels cross, so that a storm delays a handful of parcels, not a third
 * of all traffic. Its {@link #regions()} are the catalogue the demo gives the shipping-delay
 * job ({@code shipping.regions}), so a region the simulator names is never dead-lettered as
 * unknown.
 */
public final class LogisticsNetwork {

    static final String[] ORIGINS = {"NL-VEN", "ES-ZAZ"};
    static final String[] HUBS = {"DE-FRA", "FR-LYS", "BE-LGG"};
    static final String[] REGIONAL_HUBS = {"AT-INN", "CH-BSL", "DK-AAR", "PL-POZ"};
    static final String[] CARRIERS = {"DPX", "Correo", "SwiftLine"};

    private LogisticsNetwork() {}

    /** Every region a simulated record can name. */
    public static List<String> regions() {
        return Stream.of(Stream.of(ORIGINS), Stream.of(HUBS), Stream.of(REGIONAL_HUBS),
                        Stream.of(JourneyGenerator.REGIONS))
                .flatMap(s -> s).distinct().sorted().toList();
    }

    /** One or two main hubs, rarely a regional one, then the destination. */
    static List<String> route(Draws draw, String destination) {
        return routeThrough(draw, draw.chance(0.02) ? draw.pick(REGIONAL_HUBS) : draw.pick(HUBS),
                destination);
    }

    /** {@code hub} first, sometimes a main hub after it, then the destination. */
    static List<String> routeThrough(Draws draw, String hub, String destination) {
        List<String> route = new ArrayList<>(List.of(hub));
        if (draw.chance(0.3)) {
            String second = draw.pick(HUBS);
            if (!second.equals(hub)) {
                route.add(second);
            }
        }
        route.add(destination);
        return route;
    }
}
