package dev.earlywarning.cli;

import dev.earlywarning.cli.sim.JourneyGenerator;
import dev.earlywarning.cli.sim.SimClock;
import dev.earlywarning.cli.sim.TrafficPlan;
import dev.earlywarning.cli.sim.TrafficSender;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import picocli.CommandLine.Option;

/** How the simulated contact center behaves: shared by {@code simulate} and {@code demo}. */
public final class SimulationOptions {

    @Option(names = "--rate", defaultValue = "20", paramLabel = "N",
            description = "Events per second (wall clock), on average (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--speed", defaultValue = "60", paramLabel = "X",
            description = "How much faster than the wall clock event time runs until it has"
                    + " caught up with now; then 1x (default: ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--start-before", defaultValue = "3d", paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Event time starts this long before now (default: ${DEFAULT-VALUE}).")
    Duration startBefore;

    @Option(names = "--customers", defaultValue = "20000", paramLabel = "N",
            description = "Distinct customers (default: ${DEFAULT-VALUE}).")
    int customers;

    @Option(names = "--problem-share", defaultValue = "0.06", paramLabel = "SHARE",
            description = "Share of journeys that are problem stories, 0..1 (default: ${DEFAULT-VALUE}).")
    double problemShare;

    @Option(names = "--duplicates", defaultValue = "0.01", paramLabel = "SHARE",
            description = "Share of records that are redeliveries (same eventId) (default: ${DEFAULT-VALUE}).")
    double duplicates;

    @Option(names = "--malformed", defaultValue = "0.005", paramLabel = "SHARE",
            description = "Share of records that are random bytes, for the dead-letter path"
                    + " (default: ${DEFAULT-VALUE}).")
    double malformed;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed of every random choice and id: same seed, same stories"
                    + " (default: ${DEFAULT-VALUE}).")
    long seed;

    public TrafficPlan plan(Instant now) {
        if (!(speed >= 1)) {
            throw new IllegalStateException("--speed must be at least 1");
        }
        SimClock clock = SimClock.startingBefore(now, startBefore, speed);
        JourneyGenerator generator = new JourneyGenerator(seed, customers, problemShare);
        // A minute of back-dated journeys, so stories are already under way at the start.
        return new TrafficPlan(generator, clock,
                new TrafficPlan.Options(rate, duplicates, malformed, Duration.ofMinutes(1)), seed);
    }

    String describe(TrafficPlan plan) {
        return String.format(Locale.ROOT,
                "%.0f events/s, %d customers, event time from %s at %.0fx (catches up with now at %s), seed %d",
                rate, customers, DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT)
                        .withZone(ZoneId.systemDefault()).format(Instant.ofEpochMilli(
                                plan.clock().simStartMillis())),
                speed, DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT)
                        .withZone(ZoneId.systemDefault()).format(Instant.ofEpochMilli(
                                Math.min(plan.clock().catchUpWallMillis(), 253402300799000L))),
                seed);
    }

    static String status(TrafficSender.Stats stats) {
        return String.format(Locale.ROOT, "sent %d (%d redelivered, %d malformed%s), event time %s",
                stats.sent(), stats.redeliveries(), stats.malformed(),
                stats.failed() > 0 ? ", " + stats.failed() + " FAILED" : "",
                DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT)
                        .withZone(ZoneId.systemDefault()).format(Instant.ofEpochMilli(stats.simNow())));
    }
}
