package dev.earlywarning.bench;

import dev.earlywarning.cli.local.JobCatalog;
import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The flat-memory check: the at-risk scoring job, wired as in production, on continuously
 * generated load for {@code --duration}, printing the resident memory of this JVM (which runs the
 * job) and of the broker every {@code --sample-every}, then the first-versus-last difference and
 * the least-squares slope in MB per minute. A slope near zero after the warm-up means memory has
 * levelled off; state grows on disk (RocksDB), not on the heap.
 *
 * <p>Usage: {@code MemoryBench [--duration 10m] [--rate 5000] [--sample-every 30s]
 * [--customers 1000000] [--parallelism 2] [--checkpoint-interval 2s] [--managed-memory 1400m]
 * [--bootstrap host:port]}.
 */
public final class MemoryBench {

    private record Sample(double minutes, long jvmMb, long brokerMb) {}

    private MemoryBench() {}

    public static void main(String[] args) throws Exception {
        try (BenchRuntime runtime = BenchRuntime.start("memory", args)) {
            Settings flags = runtime.flags;
            Duration duration = flags.durationIn("duration", Duration.ofMinutes(10),
                    Duration.ofSeconds(10), Duration.ofDays(7));
            Duration every = flags.durationIn("sample-every", Duration.ofSeconds(30),
                    Duration.ofSeconds(1), Duration.ofHours(1));
            double rate = flags.doubleIn("rate", 5_000, 1, 10_000_000);
            String id = "bench-memory-" + System.currentTimeMillis();
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("bootstrap", runtime.bootstrap);
            settings.put("group-id", id);
            for (String topic : List.of("interactions", "alerts", "control", "dead-letter")) {
                settings.put("topic." + topic, id + "." + topic);
            }
            JobConfig config = runtime.jobConfig(JobCatalog.AT_RISK_SCORING.name(), settings);
            runtime.createTopics(List.of(config.topics().interactions(), config.topics().alerts(),
                    config.topics().control(), config.topics().deadLetter()), 4, Map.of());
            EmbeddedJobs.Engine engine = EmbeddedJobs.Engine.from(flags, Duration.ofSeconds(2));
            System.out.printf(Locale.ROOT, "memory: at-risk-scoring at %,.0f events/s for %s, %s%n",
                    rate, duration, engine.describe());

            List<Sample> samples = new ArrayList<>();
            try (EmbeddedJobs jobs = EmbeddedJobs.start(runtime.scratch.resolve("flink"),
                    List.of(JobCatalog.AT_RISK_SCORING), settings, engine)) {
                LatencyBench.PacedLoad load = new LatencyBench.PacedLoad(runtime.clients(),
                        config.topics().interactions(),
                        flags.intIn("customers", 1_000_000, 2, Integer.MAX_VALUE), rate, 0.1,
                        new LatencyBench.Probes());
                long start = System.nanoTime();
                long end = start + duration.toNanos();
                Thread sender = new Thread(() -> sendUntil(load, end, runtime), "memory-load");
                sender.start();
                long next = start + every.toNanos();
                while (System.nanoTime() < end && !runtime.stopping() && jobs.failure() == null) {
                    if (System.nanoTime() >= next) {
                        next += every.toNanos();
                        Sample sample = new Sample((System.nanoTime() - start) / 60e9,
                                ProcessStats.rssMb(ProcessStats.selfPid()),
                                ProcessStats.rssMb(runtime.brokerPid));
                        samples.add(sample);
                        System.out.printf(Locale.ROOT, "rss at %.1f min: this JVM %,d MB,"
                                + " broker %,d MB%n", sample.minutes(), sample.jvmMb(),
                                sample.brokerMb());
                    }
                    Thread.sleep(200);
                }
                sender.join();
                if (jobs.failure() != null) {
                    System.out.println("the job failed: " + jobs.failure());
                }
                System.out.printf(Locale.ROOT, "memory load: sent %,.0f events/s%n",
                        load.sentPerSecond());
            }
            printSlope(samples);
        }
        System.exit(0);
    }

    private static void sendUntil(LatencyBench.PacedLoad load, long end, BenchRuntime runtime) {
        try {
            load.run(Duration.ofNanos(Math.max(0, end - System.nanoTime())), Duration.ZERO,
                    sent -> true, runtime::stopping);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void printSlope(List<Sample> samples) {
        if (samples.size() < 2) {
            System.out.println("memory slope: too few samples; run longer than two sample periods");
            return;
        }
        Sample first = samples.get(0);
        Sample last = samples.get(samples.size() - 1);
        System.out.printf(Locale.ROOT, "memory first vs last: this JVM %,d -> %,d MB, broker"
                        + " %,d -> %,d MB over %.1f min%n", first.jvmMb(), last.jvmMb(),
                first.brokerMb(), last.brokerMb(), last.minutes() - first.minutes());
        System.out.printf(Locale.ROOT, "memory slope: this JVM %+.1f MB/min, broker %+.1f MB/min"
                        + " (least squares over %d samples)%n",
                slope(samples, Sample::jvmMb), slope(samples, Sample::brokerMb), samples.size());
        System.out.printf(Locale.ROOT, "memory peak RSS: this JVM %,d MB, broker %,d MB%n",
                ProcessStats.peakRssMb(ProcessStats.selfPid()),
                samples.stream().mapToLong(Sample::brokerMb).max().orElse(-1));
    }

    private static double slope(List<Sample> samples,
            java.util.function.ToLongFunction<Sample> value) {
        double n = samples.size();
        double meanX = samples.stream().mapToDouble(Sample::minutes).sum() / n;
        double meanY = samples.stream().mapToDouble(s -> value.applyAsLong(s)).sum() / n;
        double covariance = 0;
        double variance = 0;
        for (Sample s : samples) {
            covariance += (s.minutes() - meanX) * (value.applyAsLong(s) - meanY);
            variance += (s.minutes() - meanX) * (s.minutes() - meanX);
        }
        return variance == 0 ? 0 : covariance / variance;
    }
}
