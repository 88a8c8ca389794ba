package dev.earlywarning.bench;

import dev.earlywarning.cli.local.JobCatalog;
import dev.earlywarning.cli.sim.LogisticsNetwork;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.config.Topics;
import dev.earlywarning.router.AlertRouterJob;
import dev.earlywarning.scoring.AtRiskScoringJob;
import dev.earlywarning.shipping.ShippingDelayJob;
import dev.earlywarning.sla.CallbackSlaJob;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Sustained throughput of the jobs, each wired exactly as in production (Kafka in and out through
 * {@code wire}, RocksDB, exactly-once sinks, checkpoints), against topics pre-loaded by
 * {@link LoadGenerator}: a pass-through job (the ceiling), the at-risk scoring job, the callback
 * SLA job and the full pipeline (all four jobs on one MiniCluster, as {@code ews demo} runs them).
 * Each run is bounded ({@code stop-at-latest}) with a fresh consumer group and its own output
 * topics.
 *
 * <p>Measured between the moments when 10% and 100% of a run's input has been read (the jobs'
 * own {@code ews_events_in_total}), so start-up, the first checkpoints and the end-of-input timers
 * do not count: events/s, CPU seconds per million events (this JVM and the broker's process, from
 * /proc), each job's ratio to the pass-through, and resident memory.
 *
 * <p>Usage: {@code ThroughputBench [--events 20000000] [--customers 1000000] [--seed 42]
 * [--span 7d] [--partitions 4] [--runs pass-through,at-risk-scoring,callback-sla,full-pipeline]
 * [--parallelism 2] [--checkpoint-interval 2s] [--managed-memory 1400m] [--warmup 0.1]
 * [--drain 60s] [--bootstrap host:port [--broker-pid PID] [--skip-load true]]}.
 */
public final class ThroughputBench {

    /** A run: its name and the jobs it starts together. */
    record Run(String name, List<JobCatalog.Job> jobs) {}

    /** What a run measured. */
    record Figures(String run, long events, double seconds, double jvmCpu, double brokerCpu,
            long peakRssMb, long brokerRssMb, Map<String, Long> alerts,
            Map<String, Long> stateCache, String ending) {
        double eventsPerSecond() {
            return events / seconds;
        }

        double cpuPerMillion(double cpu) {
            return cpu < 0 ? Double.NaN : cpu / (events / 1e6);
        }
    }

    static final JobCatalog.Job PASS_THROUGH = new JobCatalog.Job(PassThroughJob.NAME,
            "Kafka -> Avro decode -> Avro encode -> Kafka, exactly-once", PassThroughJob::wire);
    static final JobCatalog.Job KEYED_PASS_THROUGH = new JobCatalog.Job(
            PassThroughJob.KEYED_NAME, "the pass-through with a shuffle by customer before the"
            + " encode", PassThroughJob::wireKeyed);

    private static final Map<String, Run> RUNS = runs();

    private ThroughputBench() {}

    public static void main(String[] args) throws Exception {
        try (BenchRuntime runtime = BenchRuntime.start("throughput", args)) {
            Settings flags = runtime.flags;
            LoadGenerator.Size size = LoadGenerator.Size.from(flags);
            EmbeddedJobs.Engine engine = EmbeddedJobs.Engine.from(flags, Duration.ofSeconds(2));
            Topics topics = Topics.from(flags);
            runtime.createTopics(LoadGenerator.contractTopics(topics), size.partitions(), Map.of());
            if (!flags.bool("skip-load", false)) {
                System.out.println("load: " + size.describe());
                LoadGenerator.print(LoadGenerator.load(runtime.clients(), topics, size.load()));
            }
            Map<String, Long> topicSizes = topicSizes(runtime.clients(), List.of(
                    topics.interactions(), topics.callbacks(), topics.shipments()));
            System.out.println("input: " + topicSizes + "; engine: " + engine.describe());

            List<Figures> results = new ArrayList<>();
            for (String name : flags.list("runs", List.copyOf(RUNS.keySet()))) {
                Run run = RUNS.get(name);
                if (run == null) {
                    throw new IllegalArgumentException("unknown run " + name + "; one of "
                            + RUNS.keySet());
                }
                if (runtime.stopping()) {
                    break;
                }
                Figures figures = measure(runtime, run, topics, topicSizes, engine, size);
                results.add(figures);
                print(figures, ceiling(results));
            }
            summary(results);
            save(results);
        }
        System.exit(0);
    }

    private static Map<String, Run> runs() {
        Map<String, Run> runs = new LinkedHashMap<>();
        runs.put(PASS_THROUGH.name(), new Run(PASS_THROUGH.name(), List.of(PASS_THROUGH)));
        runs.put(KEYED_PASS_THROUGH.name(), new Run(KEYED_PASS_THROUGH.name(),
                List.of(KEYED_PASS_THROUGH)));
        runs.put(AtRiskScoringJob.NAME, new Run(AtRiskScoringJob.NAME,
                List.of(JobCatalog.AT_RISK_SCORING)));
        runs.put(CallbackSlaJob.NAME, new Run(CallbackSlaJob.NAME,
                List.of(JobCatalog.CALLBACK_SLA)));
        runs.put("full-pipeline", new Run("full-pipeline", JobCatalog.all()));
        return runs;
    }

    /** The data topics each job reads (control, acks and alert inputs are empty or tiny here). */
    static List<String> dataInputs(String job, Topics topics) {
        return switch (job) {
            case PassThroughJob.NAME, PassThroughJob.KEYED_NAME, AtRiskScoringJob.NAME,
                    AlertRouterJob.NAME ->
                    List.of(topics.interactions());
            case CallbackSlaJob.NAME -> List.of(topics.callbacks(), topics.interactions());
            case ShippingDelayJob.NAME -> List.of(topics.shipments());
            default -> throw new IllegalArgumentException("no inputs known for " + job);
        };
    }

    private static Figures measure(BenchRuntime runtime, Run run, Topics topics,
            Map<String, Long> topicSizes, EmbeddedJobs.Engine engine, LoadGenerator.Size size)
            throws Exception {
        List<Counters.Input> inputs = new ArrayList<>();
        Set<String> distinctTopics = new LinkedHashSet<>();
        for (JobCatalog.Job job : run.jobs()) {
            for (String topic : dataInputs(job.name(), topics)) {
                inputs.add(new Counters.Input(job.name(), topic));
                distinctTopics.add(topic);
            }
        }
        long expectedReads = inputs.stream().mapToLong(in -> topicSizes.get(in.topic())).sum();
        long distinctRecords = distinctTopics.stream().mapToLong(topicSizes::get).sum();
        double warmup = runtime.flags.doubleIn("warmup", 0.1, 0, 0.9);
        Map<String, String> settings = runSettings(runtime, run, topics, size);
        runtime.createTopics(outputTopics(settings), size.partitions(), Map.of());
        List<String> jobNames = run.jobs().stream().map(JobCatalog.Job::name).toList();

        System.out.printf(Locale.ROOT, "%n== %s: %s; reads %,d records (%,d distinct)%n",
                run.name(), String.join(", ", jobNames), expectedReads, distinctRecords);
        long readBefore = Counters.eventsIn(inputs);
        Map<Counters.Input, Long> startCounts = inputs.stream().collect(Collectors.toMap(
                in -> in, in -> Counters.eventsIn(List.of(in)), (a, b) -> a));
        Map<String, Long> alertsBefore = Counters.alertsByKind(jobNames);
        Map<String, Long> cacheBefore = Counters.stateCache(jobNames);
        Sample atWarm = null;
        Sample atEnd;
        long maxRss = 0;
        long maxBrokerRss = 0;
        Path dir = runtime.scratch.resolve("flink").resolve(run.name());
        try (EmbeddedJobs jobs = EmbeddedJobs.start(dir, run.jobs(), settings, engine)) {
            long deadline = System.nanoTime() + runtime.flags.durationIn("run-timeout",
                    Duration.ofHours(2), Duration.ofSeconds(10), Duration.ofDays(1)).toNanos();
            long nextRss = 0;
            long nextProgress = System.nanoTime() + 30_000_000_000L;
            while (true) {
                long read = Counters.eventsIn(inputs) - readBefore;
                if (atWarm == null && read >= warmup * expectedReads) {
                    atWarm = Sample.now(runtime, read);
                }
                if (read >= expectedReads) {
                    atEnd = Sample.now(runtime, read);
                    break;
                }
                if (System.nanoTime() > nextRss) {
                    nextRss = System.nanoTime() + 1_000_000_000L;
                    maxRss = Math.max(maxRss, ProcessStats.rssMb(ProcessStats.selfPid()));
                    maxBrokerRss = Math.max(maxBrokerRss, ProcessStats.rssMb(runtime.brokerPid));
                    String failure = jobs.failure();
                    if (failure != null || runtime.stopping() || System.nanoTime() > deadline) {
                        throw new IllegalStateException(run.name() + " did not read its input: "
                                + (failure != null ? failure : "stopped or timed out") + "; read "
                                + progress(inputs, startCounts) + "; see bench/target/bench.log");
                    }
                    if (System.nanoTime() > nextProgress) {
                        nextProgress = System.nanoTime() + 30_000_000_000L;
                        System.out.println("  ... read " + progress(inputs, startCounts));
                    }
                }
                Thread.sleep(20);
            }
            String ending = drain(jobs, runtime.flags.durationIn("drain", Duration.ofSeconds(60),
                    Duration.ZERO, Duration.ofHours(1)));
            double seconds = (atEnd.nanos - atWarm.nanos) / 1e9;
            // Scale reads back to distinct input records, so a run of several jobs over the
            // same topic counts each record once.
            long events = Math.round((atEnd.read - atWarm.read) * (double) distinctRecords
                    / expectedReads);
            return new Figures(run.name(), events, seconds, atEnd.jvmCpu - atWarm.jvmCpu,
                    atWarm.brokerCpu < 0 ? -1 : atEnd.brokerCpu - atWarm.brokerCpu,
                    Math.max(maxRss, ProcessStats.peakRssMb(ProcessStats.selfPid())),
                    maxBrokerRss, Counters.minus(Counters.alertsByKind(jobNames), alertsBefore),
                    Counters.minus(Counters.stateCache(jobNames), cacheBefore), ending);
        }
    }

    /** Records read so far in this run, per job and topic. */
    private static String progress(List<Counters.Input> inputs, Map<Counters.Input, Long> start) {
        return inputs.stream().map(in -> String.format(Locale.ROOT, "%s<-%s %,d", in.job(),
                in.topic(), Counters.eventsIn(List.of(in)) - start.get(in)))
                .collect(Collectors.joining(", "));
    }

    /** One moment of a run: records read so far, the clock and the CPU used. */
    private record Sample(long read, long nanos, double jvmCpu, double brokerCpu) {
        static Sample now(BenchRuntime runtime, long read) {
            return new Sample(read, System.nanoTime(), ProcessStats.selfCpuSeconds(),
                    runtime.brokerCpuSeconds());
        }
    }

    /** Lets the bounded jobs fire their end-of-input timers and commit, for at most {@code limit}. */
    private static String drain(EmbeddedJobs jobs, Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (jobs.allFinished()) {
                return String.format(Locale.ROOT, "finished %.1f s after the last record was read",
                        (System.nanoTime() - start) / 1e9);
            }
            Thread.sleep(200);
        }
        return "cancelled " + limit.toSeconds() + " s after the last record was read";
    }

    private static Map<String, String> runSettings(BenchRuntime runtime, Run run, Topics topics,
            LoadGenerator.Size size) {
        Map<String, String> settings = new LinkedHashMap<>(runtime.flags.asMap());
        settings.put("bootstrap", runtime.bootstrap);
        settings.put("stop-at-latest", "true");
        settings.put("start-from", "earliest");
        // Fresh group and transactional ids, and outputs of its own: no run sees another's.
        String id = "bench-" + run.name() + "-" + System.currentTimeMillis();
        settings.put("group-id", id);
        for (String output : List.of("alerts", "dead-letter", "responder-queue", "outreach-queue",
                "pass-through")) {
            settings.put("topic." + output, id + "." + output);
        }
        settings.put("shipping.regions", String.join(",", LogisticsNetwork.regions()));
        return settings;
    }

    private static List<String> outputTopics(Map<String, String> settings) {
        return settings.entrySet().stream()
                .filter(e -> e.getKey().startsWith("topic.") && e.getValue().startsWith("bench-"))
                .map(Map.Entry::getValue).toList();
    }

    /** Records in each topic now: end minus start offsets over its partitions. */
    static Map<String, Long> topicSizes(Properties clients, Collection<String> topics)
            throws Exception {
        try (Admin admin = Admin.create(clients)) {
            Map<String, TopicDescription> descriptions = admin.describeTopics(topics)
                    .allTopicNames().get();
            List<TopicPartition> partitions = descriptions.values().stream()
                    .flatMap(d -> d.partitions().stream()
                            .map(p -> new TopicPartition(d.name(), p.partition())))
                    .toList();
            var latest = admin.listOffsets(partitions.stream().collect(Collectors.toMap(
                    p -> p, p -> OffsetSpec.latest()))).all().get();
            var earliest = admin.listOffsets(partitions.stream().collect(Collectors.toMap(
                    p -> p, p -> OffsetSpec.earliest()))).all().get();
            Map<String, Long> sizes = new LinkedHashMap<>();
            for (String topic : topics) {
                sizes.put(topic, 0L);
            }
            for (TopicPartition partition : partitions) {
                sizes.merge(partition.topic(), latest.get(partition).offset()
                        - earliest.get(partition).offset(), Long::sum);
            }
            return sizes;
        }
    }

    /** The pass-through's figures of this invocation, or null when it did not run. */
    private static Figures ceiling(List<Figures> results) {
        return results.stream().filter(f -> f.run().equals(PASS_THROUGH.name())).findFirst()
                .orElse(null);
    }

    private static String ratio(Figures f, Figures ceiling) {
        return ceiling == null ? "n/a (no pass-through in this run)" : String.format(Locale.ROOT,
                "%.2f", f.eventsPerSecond() / ceiling.eventsPerSecond());
    }

    private static void print(Figures f, Figures ceiling) {
        String run = f.run();
        System.out.printf(Locale.ROOT, "throughput %s: %,.0f events/s (%,d events in %.1f s,"
                + " after the first %s)%n", run, f.eventsPerSecond(), f.events(), f.seconds(),
                "10%");
        System.out.printf(Locale.ROOT, "cpu %s: %.1f CPU-s per million events (this JVM %.1f"
                        + " + broker %.1f)%n", run,
                f.cpuPerMillion(f.jvmCpu()) + (f.brokerCpu() < 0 ? 0 : f.cpuPerMillion(f.brokerCpu())),
                f.cpuPerMillion(f.jvmCpu()), f.cpuPerMillion(f.brokerCpu()));
        System.out.println("ratio " + run + ": " + ratio(f, ceiling) + " of the pass-through"
                + " ceiling");
        System.out.printf(Locale.ROOT, "memory %s: peak RSS this JVM %,d MB, broker %,d MB%n",
                run, f.peakRssMb(), f.brokerRssMb());
        System.out.println("alerts " + run + ": " + f.alerts() + "; " + f.ending());
        if (!f.stateCache().isEmpty()) {
            long hits = f.stateCache().getOrDefault("hit", 0L);
            long misses = f.stateCache().getOrDefault("miss", 0L);
            System.out.printf(Locale.ROOT, "state %s: %,d look-ups, %.1f%% answered from the"
                    + " cache; %,d reads and %,d writes of the state backend, whole run%n", run,
                    hits + misses, 100.0 * hits / Math.max(1, hits + misses), misses,
                    f.stateCache().getOrDefault("write", 0L));
        }
    }

    private static void summary(List<Figures> results) {
        if (results.isEmpty()) {
            return;
        }
        System.out.println();
        System.out.println("| run | events/s | CPU-s per million (JVM + broker) | ratio to pass-through |");
        System.out.println("|---|---|---|---|");
        for (Figures f : results) {
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %.1f (%.1f + %.1f) | %s |%n", f.run(),
                    f.eventsPerSecond(),
                    f.cpuPerMillion(f.jvmCpu()) + (f.brokerCpu() < 0 ? 0 : f.cpuPerMillion(f.brokerCpu())),
                    f.cpuPerMillion(f.jvmCpu()), f.cpuPerMillion(f.brokerCpu()),
                    ratio(f, ceiling(results)));
        }
    }

    /** Later benchmarks (the latency harness) take their default load from these figures. */
    static Path resultsFile() {
        return Path.of(System.getProperty("bench.log", "target/bench.log"))
                .resolveSibling("throughput.properties");
    }

    private static void save(List<Figures> results) throws IOException {
        Properties saved = new Properties();
        if (Files.exists(resultsFile())) {
            try (var in = Files.newBufferedReader(resultsFile())) {
                saved.load(in);
            }
        }
        for (Figures f : results) {
            saved.setProperty(f.run() + ".events-per-second",
                    String.valueOf(Math.round(f.eventsPerSecond())));
        }
        Files.createDirectories(resultsFile().toAbsolutePath().getParent());
        try (Writer out = Files.newBufferedWriter(resultsFile())) {
            saved.store(out, "ThroughputBench figures");
        }
    }
}
