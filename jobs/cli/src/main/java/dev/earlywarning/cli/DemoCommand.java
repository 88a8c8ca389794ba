package dev.earlywarning.cli;

import dev.earlywarning.cli.alerts.AlertRenderer;
import dev.earlywarning.cli.alerts.TopicFollower;
import dev.earlywarning.cli.local.JobCatalog;
import dev.earlywarning.cli.local.LocalFlink;
import dev.earlywarning.cli.local.LocalKafkaBroker;
import dev.earlywarning.cli.local.TopicSetup;
import dev.earlywarning.cli.sim.Emission;
import dev.earlywarning.cli.sim.LogisticsNetwork;
import dev.earlywarning.cli.sim.ResponderSimulator;
import dev.earlywarning.cli.sim.Responders;
import dev.earlywarning.cli.sim.TrafficPlan;
import dev.earlywarning.cli.sim.TrafficSender;
import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.kafka.AvroCodec;
import dev.earlywarning.common.kafka.KafkaIo;
import dev.earlywarning.common.metrics.EwsMetrics;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.AlertStatus;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ews demo}: the whole system on this machine, in one command. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Everything at once: broker, topics, every job, simulated traffic and"
                + " responders, the live queues.",
            "Starts a real Kafka broker (own JVM), creates the topics, serves Prometheus metrics,"
                    + " starts the traffic simulator (contacts, callbacks, parcels, disruptions)"
                    + " and simulated responders who acknowledge items and call customers back,"
                    + " runs every job on one embedded Flink, and prints the responder and"
                    + " outreach queues as items are committed, with a status line every 10 s.",
            "Each run starts from an empty broker in DIR/broker. Ctrl-C (or the end of --duration)"
                    + " stops everything and leaves no process behind."})
public final class DemoCommand implements Callable<Integer> {

    @Mixin
    DataDirOption dataDir;

    @Mixin
    SimulationOptions simulation;

    @Mixin
    FlinkOptions flink;

    @Option(names = "--port", defaultValue = "9092",
            description = "Broker port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--metrics-port", defaultValue = "9464",
            description = "Port of this JVM's /metrics endpoint on 127.0.0.1; -1 for none"
                    + " (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--duration", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Stop after this long (e.g. 90s, 2m) and exit 0; default: until Ctrl-C.")
    Duration duration;

    @Option(names = "--json", description = "Print alerts as JSON lines instead of text.")
    boolean json;

    @Option(names = "--no-color", description = "No ANSI colors even on a terminal.")
    boolean noColor;

    private static final Duration STATUS_EVERY = Duration.ofSeconds(10);

    @Override
    public Integer call() throws Exception {
        long demoStart = System.nanoTime();
        Path dir = dataDir.prepare();
        Path brokerDir = BrokerCommand.brokerDir(dir);
        if (LocalKafkaBroker.running(brokerDir).isPresent()) {
            throw new IllegalStateException("a broker started from " + brokerDir
                    + " is still running; stop it first: ews broker stop --dir " + dataDir.dir);
        }
        deleteRecursively(brokerDir);
        deleteRecursively(dir.resolve("flink"));
        Shutdown shutdown = new Shutdown();
        System.out.println("ews demo: data in " + dir + ", logs in " + dir.resolve("logs"));

        // 1. broker
        long start = System.nanoTime();
        System.out.print("[1/5] Kafka broker (own JVM, log " + brokerDir.resolve("broker.log") + ") ");
        System.out.flush();
        LocalKafkaBroker broker = LocalKafkaBroker.start(
                LocalKafkaBroker.Options.in(brokerDir).port(port), System.out);
        shutdown.add("Kafka broker", broker::close);
        System.out.println(" ready in " + Shutdown.seconds(start) + " at " + broker.bootstrap());

        Settings settings = flink.jobSettings(Settings.of(demoSettings(broker.bootstrap())));
        Topics topics = Topics.from(settings);
        Properties clients = KafkaIo.clientProperties(JobConfig.from("ews-demo", settings));

        // 2. topics
        start = System.nanoTime();
        List<String> created = TopicSetup.createAll(clients, topics.all(), 4, (short) 1);
        System.out.println("[2/5] topics: created " + created.size() + " in " + Shutdown.seconds(start));

        // 3. metrics
        if (metricsPort >= 0) {
            try {
                HTTPServer server = EwsMetrics.serve("127.0.0.1", metricsPort);
                shutdown.add("metrics endpoint", server::close);
                System.out.println("[3/5] metrics: http://127.0.0.1:" + server.getPort() + "/metrics");
            } catch (RuntimeException e) {
                System.out.println("[3/5] metrics: not served (" + e.getMessage()
                        + "); choose another --metrics-port");
            }
        } else {
            System.out.println("[3/5] metrics: off");
        }

        // 4. traffic and responders, first: a job that starts with nothing to read would idle
        TrafficPlan plan = simulation.plan(Instant.now());
        TrafficSender sender = new TrafficSender(plan, clients, topics);
        shutdown.add("simulator", sender::close);
        ResponderSimulator responders = new ResponderSimulator(
                new Responders(simulation.seed, ACK_AND_CALL_SHARE, ACK_ONLY_SHARE), plan, clients,
                topics.responderQueue());
        shutdown.add("simulated responders", responders::close);
        responders.start();
        sender.start();
        System.out.println("[4/5] simulator: " + simulation.describe(plan));
        System.out.printf(Locale.ROOT, "      responders: of each new item, %.0f%% acknowledged and"
                + " the customer called back, %.0f%% acknowledged only, the rest left to"
                + " escalate%n", ACK_AND_CALL_SHARE * 100, ACK_ONLY_SHARE * 100);

        // 5. the jobs, on one MiniCluster
        start = System.nanoTime();
        List<JobCatalog.Job> jobs = JobCatalog.all();
        System.out.print("[5/5] embedded Flink for " + jobs.size() + " jobs (" + flink.describe()
                + ") ... ");
        System.out.flush();
        LocalFlink.Cluster cluster = LocalFlink.Cluster.start(dir.resolve("flink"),
                flink.parallelism * jobs.size(), flink.engine(dir));
        shutdown.add("embedded Flink", cluster::close);
        Map<String, JobClient> running = new LinkedHashMap<>();
        for (JobCatalog.Job job : jobs) {
            JobClient client = cluster.submit(job, settings, flink.options(dir, job.name()));
            shutdown.add(job.name(), () -> LocalFlink.cancel(client, Duration.ofSeconds(30)));
            running.put(job.name(), client);
        }
        for (Map.Entry<String, JobClient> job : running.entrySet()) {
            JobStatus status = LocalFlink.awaitRunning(job.getValue(), Duration.ofSeconds(60));
            if (status != JobStatus.RUNNING) {
                throw new IllegalStateException(job.getKey() + " did not start ("
                        + status.name().toLowerCase(Locale.ROOT) + "); see " + dir.resolve("logs"));
            }
        }
        System.out.println(String.join(", ", running.keySet()) + " running in "
                + Shutdown.seconds(start));
        System.out.println("up in " + Shutdown.seconds(demoStart) + ". Queue items appear "
                + (flink.lowLatency ? "as they come (at least once)" : "once their checkpoint"
                        + " commits (every " + FlinkOptions.human(flink.checkpointInterval()) + ")")
                + "; demo settings: " + DEMO_OVERRIDES + "." + (duration == null
                        ? " Ctrl-C to stop." : " Stopping after " + FlinkOptions.human(duration) + "."));
        System.out.println();

        long watchStart = System.nanoTime();
        long eventsInBefore = eventsIn();
        int exit = watch(shutdown, clients, topics, sender, responders, running, broker);
        double watched = (System.nanoTime() - watchStart) / 1e9;
        if (shutdown.requested()) {
            // Ctrl-C: the shutdown hook is stopping everything and reports as it goes.
            return exit;
        }
        printMemory(broker);
        System.out.printf(Locale.ROOT, "throughput: simulator sent %.1f records/s, jobs read"
                        + " %.1f records/s%n", sender.stats().sent() / watched,
                (eventsIn() - eventsInBefore) / watched);
        shutdown.runAll();
        System.out.println("demo ran " + Shutdown.seconds(demoStart) + "; journeys started: "
                + SimulateCommand.storyCounts(plan));
        return exit;
    }

    /** The settings of every job: time-related ones scaled to the simulated clock's speed. */
    static Map<String, String> demoSettings(String bootstrap) {
        Map<String, String> settings = new LinkedHashMap<>(DEMO_OVERRIDES);
        settings.put("bootstrap", bootstrap);
        settings.put("shipping.regions", String.join(",", LogisticsNetwork.regions()));
        return settings;
    }

    /**
     * Event time runs 60 times faster than the wall clock. The default minute of idleness would
     * hold the router back an hour of event time while ews.alert-acks is still empty, and a
     * four-hour follow-through would take four minutes to show a loop left open. Idleness stays
     * well above a scheduling hiccup on a busy machine.
     */
    private static final Map<String, String> DEMO_OVERRIDES = orderedMap(
            "source-idleness", "10s", "router.follow-through", "1h");

    private static final double ACK_AND_CALL_SHARE = 0.5;
    private static final double ACK_ONLY_SHARE = 0.25;

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }

    /**
     * Prints the responder and outreach queues as items arrive (new items in full, updates on
     * one line) and a status line every 10 s, until the end or Ctrl-C.
     */
    private int watch(Shutdown shutdown, Properties clients, Topics topics, TrafficSender sender,
            ResponderSimulator responders, Map<String, JobClient> jobs, LocalKafkaBroker broker) {
        AlertRenderer renderer = new AlertRenderer(!noColor && !json && System.console() != null,
                ZoneId.systemDefault());
        AvroCodec<Alert> codec = new AvroCodec<>(Alert.class);
        DemoTally tally = new DemoTally();
        long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        long nextStatus = System.nanoTime() + STATUS_EVERY.toNanos();
        long lastStatus = 0;
        try (TopicFollower follower = new TopicFollower(clients, List.of(topics.alerts(),
                topics.responderQueue(), topics.outreachQueue(), topics.deadLetter()), false,
                Duration.ofSeconds(10))) {
            shutdown.add(null, follower::wakeup);
            while (!shutdown.requested() && System.nanoTime() < end) {
                for (ConsumerRecord<byte[], byte[]> record : follower.poll(Duration.ofMillis(500))) {
                    String shown = see(record, topics, codec, renderer, tally);
                    if (shown != null) {
                        System.out.println(shown);
                    }
                }
                if (System.nanoTime() >= nextStatus) {
                    nextStatus += STATUS_EVERY.toNanos();
                    lastStatus = System.nanoTime();
                    System.out.println(statusLine(sender, responders, tally, jobs));
                }
                if (!broker.handle().isAlive()) {
                    System.out.println("the broker stopped unexpectedly; see " + broker.logFile());
                    return 1;
                }
            }
        } catch (WakeupException e) {
            // Ctrl-C
        }
        if (System.nanoTime() - lastStatus > 1_000_000_000L) {
            System.out.println(statusLine(sender, responders, tally, jobs));
        }
        return 0;
    }

    /** Counts one record and says what to print for it, if anything. */
    private String see(ConsumerRecord<byte[], byte[]> record, Topics topics,
            AvroCodec<Alert> codec, AlertRenderer renderer, DemoTally tally) {
        if (record.topic().equals(topics.deadLetter())) {
            tally.deadLetter();
            return null;
        }
        Alert alert;
        try {
            alert = codec.decode(record.value());
        } catch (AvroCodec.DecodeException e) {
            return AlertsCommand.show(record, codec, renderer, json);
        }
        if (record.topic().equals(topics.alerts())) {
            tally.alert(alert);
            return null;
        }
        boolean responder = record.topic().equals(topics.responderQueue());
        if (responder) {
            tally.responderItem(alert);
        } else {
            tally.outreachItem(alert);
        }
        if (json) {
            return renderer.json(alert);
        }
        String queue = responder ? "responder> " : "outreach>  ";
        if (alert.getStatus() != AlertStatus.OPEN) {
            return queue + renderer.renderChange(alert);
        }
        // Escalations and loop reports repeat the evidence of an item already shown.
        boolean aboutShownItem = alert.getKind() == AlertKind.ALERT_UNACKNOWLEDGED
                || alert.getKind() == AlertKind.LOOP_NOT_CLOSED;
        return queue + (aboutShownItem ? renderer.renderBrief(alert)
                : renderer.renderCompact(alert));
    }

    private static String statusLine(TrafficSender sender, ResponderSimulator responders,
            DemoTally tally, Map<String, JobClient> jobs) {
        long running = jobs.values().stream().filter(DemoCommand::isRunning).count();
        TrafficSender.Stats stats = sender.stats();
        return String.format(Locale.ROOT, "-- %tT %s%n   %s | acks sent %d (%d then called),"
                        + " %d ignored | jobs %d/%d running",
                System.currentTimeMillis(), SimulationOptions.status(stats), tally.summary(),
                stats.sentTo(Emission.Target.ALERT_ACKS),
                responders.count(Responders.Response.ACK_AND_CALL),
                responders.count(Responders.Response.IGNORE), running, jobs.size());
    }

    private static boolean isRunning(JobClient client) {
        try {
            return client.getJobStatus().get(5, java.util.concurrent.TimeUnit.SECONDS)
                    == JobStatus.RUNNING;
        } catch (Exception e) {
            return false;
        }
    }

    /** Records read by the jobs of this JVM so far, valid or not. */
    private static long eventsIn() {
        return (long) EwsMetrics.EVENTS_IN.collect().getDataPoints().stream()
                .mapToDouble(point -> point.getValue()).sum();
    }

    /** Peak resident memory of this JVM and of the broker's, where the OS tells (Linux). */
    private static void printMemory(LocalKafkaBroker broker) {
        String self = peakRss(ProcessHandle.current().pid());
        String other = peakRss(broker.pid());
        if (self != null && other != null) {
            System.out.println("memory (peak RSS): this JVM " + self + ", broker JVM " + other);
        }
    }

    private static String peakRss(long pid) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(pid), "status"))) {
            return lines.filter(line -> line.startsWith("VmHWM:"))
                    .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024 + " MB")
                    .findFirst().orElse(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path file : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
