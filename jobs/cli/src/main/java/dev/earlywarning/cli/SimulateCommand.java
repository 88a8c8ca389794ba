package dev.earlywarning.cli;

import dev.earlywarning.cli.sim.TrafficPlan;
import dev.earlywarning.cli.sim.TrafficSender;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ews simulate}: contact-center and logistics traffic into the input topics. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Sends realistic traffic: contacts to cx.interactions, callback commitments to"
                + " cx.callbacks, parcels to logistics.shipments and disruptions to"
                + " logistics.disruptions.",
            "Records are Avro (single-object encoding), keyed by customer id (order id for"
                    + " parcels, region id for disruptions).",
            "Most customers are fine (a chat that ends well, a good survey, an order question,"
                    + " a callback kept); the problem stories repeat throughout:",
            "  - a package never ordered: bounced chat -> email -> supervisor, repeating the story,"
                    + " 'cancel my account'",
            "  - a promised callback never made, then a call disconnected by our side",
            "  - a detractor survey (CSAT 1 / NPS 0-2) with an angry remark",
            "  - failed self-service, then a phone call abandoned after a long wait",
            "  - a public complaint answered by a proactive outbound call",
            "  - callbacks kept late, tried without an answer, calls dropped by our side",
            "  - a storm over a regional hub with parcels routed through it (sometimes revised or"
                    + " called off), a carrier's outage, a parcel damaged at a hub",
            "Event time runs faster than the wall clock (see --speed) but never ahead of it."
                    + " Some records are redelivered (same eventId), a few are malformed bytes."})
public final class SimulateCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafka;

    @Mixin
    SimulationOptions simulation;

    @Option(names = "--duration", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Stop after this long (e.g. 90s, 10m); default: until Ctrl-C.")
    Duration duration;

    @Override
    public Integer call() throws Exception {
        TrafficPlan plan = simulation.plan(Instant.now());
        TrafficSender sender = new TrafficSender(plan, kafka.clientProperties(), kafka.topics());
        Shutdown shutdown = new Shutdown();
        shutdown.add("simulator", sender::close);
        System.out.println("simulating: " + simulation.describe(plan));
        System.out.println("to " + kafka.topics().interactions() + ", " + kafka.topics().callbacks()
                + ", " + kafka.topics().shipments() + " and " + kafka.topics().disruptions()
                + " at " + kafka.bootstrap + (duration == null ? "; Ctrl-C to stop"
                        : " for " + FlinkOptions.human(duration)));
        sender.start();
        long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        long nextStatus = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!shutdown.requested() && System.nanoTime() < end) {
            Thread.sleep(200);
            if (System.nanoTime() >= nextStatus) {
                nextStatus += Duration.ofSeconds(10).toNanos();
                System.out.println(SimulationOptions.status(sender.stats()));
                if (sender.lastFailure() != null) {
                    System.out.println("  last send failure: " + sender.lastFailure().getMessage());
                }
            }
        }
        shutdown.runAll();
        System.out.println(SimulationOptions.status(sender.stats()));
        System.out.println("journeys started: " + storyCounts(plan));
        return sender.stats().failed() > 0 ? 1 : 0;
    }

    static String storyCounts(TrafficPlan plan) {
        StringBuilder text = new StringBuilder();
        plan.journeysByStory().forEach((story, count) -> text.append(text.length() > 0 ? ", " : "")
                .append(story.name().toLowerCase().replace('_', '-')).append(' ').append(count)
                .append(story.problem() ? "*" : ""));
        return text + "  (* problem stories)";
    }
}
