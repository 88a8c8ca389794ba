package dev.earlywarning.cli;

import dev.earlywarning.cli.alerts.AlertRenderer;
import dev.earlywarning.cli.alerts.TopicFollower;
import dev.earlywarning.cli.local.JobCatalog;
import dev.earlywarning.cli.local.LocalFlink;
import dev.earlywarning.cli.local.LocalKafkaBroker;
import dev.earlywarning.cli.local.TopicSetup;
import dev.earlywarning.cli.sim.TrafficPlan;
import dev.earlywarning.cli.sim.TrafficSender;
import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.kafka.AvroCodec;
import dev.earlywarning.common.kafka.KafkaIo;
import dev.earlywarning.common.metrics.EwsMetrics;
import dev.earlywarning.schema.Alert;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
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
        description = {"Everything at once: broker, topics, scoring job, simulated traffic, live alerts.",
            "Starts a real Kafka broker (own JVM), creates the topics, serves Prometheus metrics,"
                    + " runs the at-risk-scoring job on an embedded Flink, starts the traffic"
                    + " simulator, and prints the alerts as they are committed, with a status line"
                    + " every 10 s.",
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

        Settings settings = Settings.of(Map.of("bootstrap", broker.bootstrap()));
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

        // 4. the jobs, on one MiniCluster
        start = System.nanoTime();
        List<JobCatalog.Job> jobs = JobCatalog.all();
        System.out.print("[4/5] embedded Flink for " + jobs.size() + " jobs (" + flink.describe()
                + ") ... ");
        System.out.flush();
        LocalFlink.Cluster cluster = LocalFlink.Cluster.start(dir.resolve("flink"),
                flink.parallelism * jobs.size());
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
        JobClient client = running.values().iterator().next();

        // 5. traffic
        TrafficPlan plan = simulation.plan(Instant.now());
        TrafficSender sender = new TrafficSender(plan, clients, topics);
        shutdown.add("simulator", sender::close);
        sender.start();
        System.out.println("[5/5] simulator: " + simulation.describe(plan));
        System.out.println("up in " + Shutdown.seconds(demoStart) + ". Alerts from " + topics.alerts()
                + " appear once their checkpoint commits (every " + FlinkOptions.human(
                        flink.checkpointInterval) + ")." + (duration == null ? " Ctrl-C to stop."
                : " Stopping after " + FlinkOptions.human(duration) + "."));
        System.out.println();

        int exit = watch(shutdown, clients, topics, sender, client, broker);
        if (shutdown.requested()) {
            // Ctrl-C: the shutdown hook is stopping everything and reports as it goes.
            return exit;
        }
        printMemory(broker);
        shutdown.runAll();
        System.out.println("demo ran " + Shutdown.seconds(demoStart) + "; journeys started: "
                + SimulateCommand.storyCounts(plan));
        return exit;
    }

    /** Prints alerts as they arrive and a status line every 10 s, until the end or Ctrl-C. */
    private int watch(Shutdown shutdown, Properties clients, Topics topics, TrafficSender sender,
            JobClient client, LocalKafkaBroker broker) {
        AlertRenderer renderer = new AlertRenderer(!noColor && !json && System.console() != null,
                ZoneId.systemDefault());
        AvroCodec<Alert> codec = new AvroCodec<>(Alert.class);
        long alerts = 0;
        long deadLetters = 0;
        long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        long nextStatus = System.nanoTime() + STATUS_EVERY.toNanos();
        long lastStatus = 0;
        try (TopicFollower follower = new TopicFollower(clients,
                List.of(topics.alerts(), topics.deadLetter()), false, Duration.ofSeconds(10))) {
            shutdown.add(null, follower::wakeup);
            while (!shutdown.requested() && System.nanoTime() < end) {
                for (ConsumerRecord<byte[], byte[]> record : follower.poll(Duration.ofMillis(500))) {
                    if (record.topic().equals(topics.alerts())) {
                        alerts++;
                        System.out.println(AlertsCommand.show(record, codec, renderer, json));
                    } else {
                        deadLetters++;
                    }
                }
                if (System.nanoTime() >= nextStatus) {
                    nextStatus += STATUS_EVERY.toNanos();
                    lastStatus = System.nanoTime();
                    System.out.println(statusLine(sender, alerts, deadLetters, client));
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
            System.out.println(statusLine(sender, alerts, deadLetters, client));
        }
        return 0;
    }

    private static String statusLine(TrafficSender sender, long alerts, long deadLetters,
            JobClient client) {
        String job = "";
        if (client != null) {
            try {
                job = " | job " + client.getJobStatus().get().name().toLowerCase(Locale.ROOT);
            } catch (Exception e) {
                job = " | job ?";
            }
        }
        return String.format(Locale.ROOT, "-- %tT  %s | alerts %d | dead letters %d%s",
                System.currentTimeMillis(), SimulationOptions.status(sender.stats()), alerts,
                deadLetters, job);
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
