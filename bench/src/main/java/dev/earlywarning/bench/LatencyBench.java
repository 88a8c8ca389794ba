package dev.earlywarning.bench;

import dev.earlywarning.cli.local.JobCatalog;
import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.engine.LocalEngine;
import dev.earlywarning.common.kafka.AvroCodec;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.InteractionEvent;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * End-to-end alert latency of the at-risk scoring job: from a triggering event's arrival in Kafka
 * (its broker timestamp: the input topic uses {@code LogAppendTime}) to the alert being readable by
 * a {@code read_committed} consumer, at shares of a maximum rate of background load. Triggers are
 * detractor surveys of fresh customers (the job always alerts on one, with the survey's event id as
 * {@code triggerEventId}), mixed into the background stream at {@code --trigger-rate} per second.
 *
 * <p>Two modes: {@code exactly-once} (transactional sinks, checkpoints every second: alerts are
 * readable when their checkpoint completes; target p99 under 2 s) and {@code at-least-once}, the
 * low-latency mode as {@code ews run --low-latency} runs it (alerts sent as they come, the engine
 * settings of {@code LocalEngine.lowLatency}, 10 s checkpoints, the job's smaller default cache;
 * target p99 under 250 ms). {@code --flink.<option>} flags win over the mode's engine settings.
 *
 * <p>Usage: {@code LatencyBench [--max-rate N] [--saturate true] [--saturation-rate N]
 * [--loads 0.5,0.8] [--modes exactly-once,at-least-once] [--prewarm true] [--warmup 20s]
 * [--measure 60s] [--trigger-rate 20] [--customers 1000000] [--parallelism 2]
 * [--managed-memory 1400m] [--job.<setting> value] [--flink.<option> value]
 * [--bootstrap host:port]}. The loads are shares of each mode's maximum in this harness, found
 * first by offering {@code --saturation-rate} (default {@code --max-rate}, itself by default the
 * scoring figure of the last {@link ThroughputBench}); {@code --saturate false} takes {@code
 * --max-rate} as the maximum instead. Each window's job first gets one quiet contact of every
 * customer ({@code --prewarm}), so that it measures a job whose customers have history.
 */
public final class LatencyBench {

    private static final String TRIGGER_PREFIX = "trigger-";
    private static final long MAX_LATENCY_MS = 600_000;
    private static final int SLOW_PROBES_SHOWN = 40;
    /** The job has caught up when what it has not read yet is less than this much load. */
    private static final double CAUGHT_UP_SECONDS = 0.2;
    /** Measure anyway after this long past the warm-up: the load is beyond what the job takes. */
    private static final Duration MAX_CATCH_UP = Duration.ofMinutes(3);

    /** One latency measurement's set-up. */
    record Mode(JobConfig.Delivery delivery, Duration checkpointInterval, Configuration engine,
            Duration target) {}

    private LatencyBench() {}

    public static void main(String[] args) throws Exception {
        try (BenchRuntime runtime = BenchRuntime.start("latency", args)) {
            Settings flags = runtime.flags;
            double maxRate = maxRate(flags);
            boolean saturate = flags.bool("saturate", true);
            System.out.printf(Locale.ROOT, "max rate: %,.0f events/s%s%n", maxRate, saturate
                    ? " (offered to find each mode's maximum in this harness)" : "");
            for (String modeName : flags.list("modes", List.of("exactly-once", "at-least-once"))) {
                Mode mode = mode(modeName, flags, runtime.scratch.resolve("changelog"));
                double modeMax = saturate ? saturate(runtime, mode, flags.doubleIn(
                        "saturation-rate", maxRate, 1, 10_000_000)) : maxRate;
                for (String load : flags.list("loads", List.of("0.5", "0.8"))) {
                    if (runtime.stopping()) {
                        break;
                    }
                    measure(runtime, mode, Double.parseDouble(load), modeMax);
                }
            }
        }
        System.exit(0);
    }

    private static double maxRate(Settings flags) throws IOException {
        if (flags.has("max-rate")) {
            return flags.doubleIn("max-rate", 0, 1, 10_000_000);
        }
        Properties saved = new Properties();
        if (Files.exists(ThroughputBench.resultsFile())) {
            try (Reader in = Files.newBufferedReader(ThroughputBench.resultsFile())) {
                saved.load(in);
            }
        }
        String figure = saved.getProperty("at-risk-scoring.events-per-second");
        if (figure == null) {
            throw new IllegalArgumentException("no --max-rate given and no scoring figure in "
                    + ThroughputBench.resultsFile() + ": run ThroughputBench first or pass"
                    + " --max-rate");
        }
        return Double.parseDouble(figure);
    }

    static Mode mode(String name, Settings flags, Path changelogDir) {
        JobConfig.Delivery delivery = JobConfig.from("bench", Settings.of(Map.of("delivery", name)))
                .delivery();
        if (delivery == JobConfig.Delivery.AT_LEAST_ONCE) {
            Configuration engine = LocalEngine.lowLatency(changelogDir);
            flags.scoped("flink.").asMap().forEach(engine::setString);
            return new Mode(delivery, flags.durationIn("alo-checkpoint-interval",
                    LocalEngine.LOW_LATENCY_CHECKPOINT_INTERVAL, Duration.ofMillis(100),
                    Duration.ofMinutes(10)), engine, Duration.ofMillis(250));
        }
        return new Mode(delivery, flags.durationIn("eo-checkpoint-interval", Duration.ofSeconds(1),
                Duration.ofMillis(100), Duration.ofMinutes(10)), new Configuration(),
                Duration.ofSeconds(2));
    }

    /**
     * The job's maximum under this harness's conditions (pre-warmed customers, event time = now,
     * the load's producer in this JVM, the mode's sinks and checkpoints): the load is offered
     * faster than the job can take it, and the job's reading rate over a window after the
     * warm-up is its maximum. The throughput benchmark's figure is higher: it reads a backlog
     * with nothing else running, and its customers start without history.
     */
    private static double saturate(BenchRuntime runtime, Mode mode, double offered)
            throws Exception {
        String label = mode.delivery().label() + " saturation";
        try (Rig rig = new Rig(runtime, mode, label, offered)) {
            long[] windowStart = new long[2];
            rig.paced.run(rig.warmup, rig.window, sent -> {
                windowStart[0] = rig.eventsRead();
                windowStart[1] = System.nanoTime();
                return true;
            }, runtime::stopping);
            double seconds = (System.nanoTime() - windowStart[1]) / 1e9;
            double read = (rig.eventsRead() - windowStart[0]) / seconds;
            boolean saturated = read < 0.95 * rig.paced.sentPerSecond();
            System.out.printf(Locale.ROOT, "max rate %s: %,.0f events/s read while %,.0f were"
                            + " offered%s%n", mode.delivery().label(), read,
                    rig.paced.sentPerSecond(), saturated ? ""
                            : " (the job kept up: offer more with --saturation-rate)");
            return read;
        }
    }

    private static void measure(BenchRuntime runtime, Mode mode, double load, double maxRate)
            throws Exception {
        double rate = load * maxRate;
        String label = String.format(Locale.ROOT, "%s %.0f%%", mode.delivery().label(), load * 100);
        try (Rig rig = new Rig(runtime, mode, label, rate)) {
            long readBefore = rig.eventsRead();
            long measureFromMillis = rig.paced.run(rig.warmup, rig.window,
                    sent -> sent - (rig.eventsRead() - readBefore)
                            <= Math.max(100, rate * CAUGHT_UP_SECONDS),
                    runtime::stopping);
            // Alerts of the last triggers may still be on their way: wait for them a while.
            long grace = System.nanoTime() + Duration.ofSeconds(10).toNanos()
                    + 2 * mode.checkpointInterval().toNanos();
            while (rig.probes.pending() > 0 && System.nanoTime() < grace && !runtime.stopping()) {
                Thread.sleep(100);
            }
            if (rig.jobs.failure() != null) {
                System.out.println("the job failed: " + rig.jobs.failure());
            }
            print(label, mode, rig.probes, rig.paced.sentPerSecond());
            System.out.println("checkpoints " + label + " (whole run): "
                    + rig.jobs.checkpointSummary());
            printTimeline(label, mode, rig.probes, rig.jobs.checkpointsSince(measureFromMillis),
                    measureFromMillis);
        }
    }

    /** A fresh scoring job on fresh topics, its alert reader and its pre-warmed load. */
    private static final class Rig implements AutoCloseable {
        final EmbeddedJobs jobs;
        final AlertReader reader;
        final Probes probes = new Probes();
        final PacedLoad paced;
        final Counters.Input input;
        final Duration warmup;
        final Duration window;

        Rig(BenchRuntime runtime, Mode mode, String label, double rate) throws Exception {
            Settings flags = runtime.flags;
            String id = "bench-latency-" + label.replaceAll("[^a-z0-9]+", "-")
                    .replaceAll("-$", "") + "-" + System.currentTimeMillis();
            Map<String, String> settings = settings(runtime, mode, id);
            JobConfig config = runtime.jobConfig(JobCatalog.AT_RISK_SCORING.name(), settings);
            runtime.createTopics(List.of(config.topics().interactions()), 4,
                    Map.of("message.timestamp.type", "LogAppendTime"));
            runtime.createTopics(List.of(config.topics().alerts(), config.topics().control(),
                    config.topics().deadLetter()), 4, Map.of());
            EmbeddedJobs.Engine engine = EmbeddedJobs.Engine.from(flags, mode.checkpointInterval())
                    .with(mode.engine());
            System.out.printf(Locale.ROOT, "%n== latency %s: %,.0f events/s, %s%n", label, rate,
                    engine.describe());
            warmup = flags.durationIn("warmup", Duration.ofSeconds(20), Duration.ZERO,
                    Duration.ofHours(1));
            window = flags.durationIn("measure", Duration.ofSeconds(60), Duration.ofSeconds(1),
                    Duration.ofHours(24));
            input = new Counters.Input(JobCatalog.AT_RISK_SCORING.name(),
                    config.topics().interactions());
            jobs = EmbeddedJobs.start(runtime.scratch.resolve("flink").resolve(id),
                    List.of(JobCatalog.AT_RISK_SCORING), settings, engine);
            reader = AlertReader.start(runtime.clients(), config.topics().alerts(), probes);
            int customers = flags.intIn("customers", 1_000_000, 2, Integer.MAX_VALUE);
            paced = new PacedLoad(runtime.clients(), config.topics().interactions(), customers,
                    rate, flags.doubleIn("trigger-rate", 20, 0.1, 10_000), probes);
            if (flags.bool("prewarm", true)) {
                paced.prewarm(customers, input, runtime::stopping);
            }
        }

        long eventsRead() {
            return Counters.eventsIn(List.of(input));
        }

        @Override
        public void close() throws Exception {
            try {
                reader.close();
            } finally {
                jobs.close();
            }
        }
    }

    /**
     * The window's checkpoints and its slowest probes in time order, to see whether the tail of
     * the latencies lines up with checkpoints (their synchronous phase stops the task).
     */
    private static void printTimeline(String label, Mode mode, Probes probes,
            List<EmbeddedJobs.Checkpoint> checkpoints, long windowStart) {
        List<Map.Entry<Long, String>> lines = new ArrayList<>();
        for (EmbeddedJobs.Checkpoint c : checkpoints) {
            lines.add(Map.entry(c.triggeredAt(), String.format(Locale.ROOT,
                    "checkpoint %d: end-to-end %d ms; slowest synchronous phase %d ms (%s),"
                            + " its asynchronous phase %d ms, barrier delay %d ms",
                    c.id(), c.endToEnd(), c.sync(), c.slowestTask(), c.async(), c.startDelay())));
        }
        for (long[] probe : probes.slowest(SLOW_PROBES_SHOWN, mode.target().toMillis())) {
            lines.add(Map.entry(probe[0], "probe appended, alert read " + probe[1] + " ms later"));
        }
        lines.sort(Map.Entry.comparingByKey());
        System.out.println("timeline " + label + " (seconds into the measured window; probes over"
                + " the target, the " + SLOW_PROBES_SHOWN + " slowest at most):");
        for (Map.Entry<Long, String> line : lines) {
            System.out.printf(Locale.ROOT, "  %+8.3f s  %s%n",
                    (line.getKey() - windowStart) / 1000.0, line.getValue());
        }
    }

    private static Map<String, String> settings(BenchRuntime runtime, Mode mode, String id) {
        Map<String, String> settings = new LinkedHashMap<>();
        runtime.flags.scoped("kafka.").asMap().forEach((k, v) -> settings.put("kafka." + k, v));
        settings.put("bootstrap", runtime.bootstrap);
        settings.put("group-id", id);
        settings.put("delivery", mode.delivery().label());
        settings.put("start-from", "earliest");
        for (String topic : List.of("interactions", "alerts", "control", "dead-letter")) {
            settings.put("topic." + topic, id + "." + topic);
        }
        // A quiet partition must not hold back event time for long during the warm-up.
        settings.put("source-idleness", "5s");
        // Any job setting, e.g. --job.dirty-customers 2000.
        settings.putAll(runtime.flags.scoped("job.").asMap());
        return settings;
    }

    private static void print(String label, Mode mode, Probes probes, double sentPerSecond) {
        Histogram h = probes.histogram;
        System.out.printf(Locale.ROOT, "latency %s: p50 %d ms, p99 %d ms, p99.9 %d ms, max %d ms"
                        + " (%d triggers measured, %d without alert; background sent %,.0f"
                        + " events/s)%n", label, h.getValueAtPercentile(50),
                h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue(),
                h.getTotalCount(), probes.pending(), sentPerSecond);
        boolean met = h.getTotalCount() > 0 && probes.pending() == 0
                && h.getValueAtPercentile(99) < mode.target().toMillis();
        System.out.printf(Locale.ROOT, "target %s: p99 < %d ms %s%n", label,
                mode.target().toMillis(), met ? "met" : "NOT met");
    }

    /** Triggers sent in the measured window, their broker timestamps, and the latencies seen. */
    static final class Probes {
        final Histogram histogram = new Histogram(MAX_LATENCY_MS, 3);
        private final Map<String, Long> appendedAt = new ConcurrentHashMap<>();
        /** Alerts read before their trigger's send callback ran (the callback thread lagged). */
        private final Map<String, Long> readEarly = new ConcurrentHashMap<>();
        /** Per measured probe: when it was appended and its latency, both in ms. */
        private final List<long[]> samples = new ArrayList<>();

        synchronized void sent(String eventId, long brokerTimestamp) {
            Long readAt = readEarly.remove(eventId);
            if (readAt != null) {
                record(brokerTimestamp, readAt - brokerTimestamp);
            } else {
                appendedAt.put(eventId, brokerTimestamp);
            }
        }

        synchronized void alerted(String eventId, long readAt) {
            Long appended = appendedAt.remove(eventId);
            if (appended != null) {
                record(appended, readAt - appended);
            } else {
                readEarly.putIfAbsent(eventId, readAt);
            }
        }

        private void record(long appendedAt, long latencyMillis) {
            histogram.recordValue(Math.max(0, Math.min(MAX_LATENCY_MS, latencyMillis)));
            samples.add(new long[] {appendedAt, latencyMillis});
        }

        /** Up to {@code limit} probes slower than {@code overMillis}: {appended at, latency}. */
        synchronized List<long[]> slowest(int limit, long overMillis) {
            return samples.stream().filter(sample -> sample[1] > overMillis)
                    .sorted((a, b) -> Long.compare(b[1], a[1])).limit(limit).toList();
        }

        int pending() {
            return appendedAt.size();
        }
    }

    /**
     * Background interactions at a steady rate, event time = now, with a detractor survey of a
     * fresh customer every {@code 1 / triggerRate} seconds; only the triggers sent inside the
     * measured window are probes.
     */
    static final class PacedLoad {
        private final Properties clients;
        private final String topic;
        private final SyntheticInteractions background;
        private final double rate;
        private final double triggerRate;
        private final Probes probes;
        private final AvroCodec<InteractionEvent> codec = new AvroCodec<>(InteractionEvent.class);
        private final AtomicLong failures = new AtomicLong();
        private long sent;
        private double seconds;

        PacedLoad(Properties clients, String topic, int customers, double rate,
                double triggerRate, Probes probes) {
            this.clients = clients;
            this.topic = topic;
            this.background = new SyntheticInteractions(customers, 7, java.time.Instant.now(), 1);
            this.rate = rate;
            this.triggerRate = triggerRate;
            this.probes = probes;
        }

        /**
         * Sends the load through the warm-up and until the job has caught up with it (its
         * backlog under {@link #CAUGHT_UP_SECONDS} of load, or {@link #MAX_CATCH_UP} has passed),
         * then for the measured window; returns when the window started (epoch ms).
         */
        long run(Duration warmup, Duration window, java.util.function.LongPredicate caughtUp,
                java.util.function.BooleanSupplier stop) throws InterruptedException {
            long start = System.nanoTime();
            long warmedAt = start + warmup.toNanos();
            long measureFrom = Long.MAX_VALUE;
            long measureUntil = Long.MAX_VALUE;
            long windowStart = 0;
            long triggers = 0;
            try (Producer<byte[], byte[]> producer = lowLatencyProducer()) {
                while (System.nanoTime() < measureUntil && !stop.getAsBoolean()) {
                    long clock = System.nanoTime();
                    if (measureFrom == Long.MAX_VALUE && clock >= warmedAt) {
                        boolean behind = !caughtUp.test(sent + triggers);
                        if (!behind || clock >= warmedAt + MAX_CATCH_UP.toNanos()) {
                            measureFrom = clock;
                            measureUntil = clock + window.toNanos();
                            windowStart = System.currentTimeMillis();
                            if (!window.isZero()) {
                                System.out.printf(Locale.ROOT, "  window starts after %.1f s of"
                                        + " load%s%n", (clock - start) / 1e9, behind
                                        ? ": the job never caught up with the load" : "");
                            }
                        }
                    }
                    double elapsed = (clock - start) / 1e9;
                    long now = System.currentTimeMillis();
                    while (sent < elapsed * rate) {
                        InteractionEvent event = background.event(sent++, now);
                        send(producer, event, false);
                    }
                    if (triggers < elapsed * triggerRate) {
                        String eventId = TRIGGER_PREFIX + triggers++;
                        boolean probe = clock >= measureFrom;
                        send(producer, SyntheticInteractions.detractorSurvey(eventId,
                                "probe-" + eventId, now), probe);
                    }
                    Thread.sleep(1);
                }
            }
            seconds = (System.nanoTime() - start) / 1e9;
            if (failures.get() > 0) {
                System.out.println("  " + failures.get() + " sends failed");
            }
            return windowStart;
        }

        /**
         * Makes every customer of the load known to the job before the clock starts: one quiet
         * contact each, as fast as the job takes them. Without it the measured windows meet a
         * million first contacts (the most expensive kind: a miss, a new timer, a new entry),
         * which a job in production, whose customers have history, does not see.
         */
        void prewarm(int customers, Counters.Input input, java.util.function.BooleanSupplier stop)
                throws InterruptedException {
            long start = System.nanoTime();
            long readBefore = Counters.eventsIn(List.of(input));
            long now = System.currentTimeMillis();
            try (Producer<byte[], byte[]> producer = LoadGenerator.fastProducer(clients)) {
                for (int rank = 0; rank < customers && !stop.getAsBoolean(); rank++) {
                    send(producer, SyntheticInteractions.quietContact("warm-" + rank, rank, now),
                            false);
                }
            }
            while (Counters.eventsIn(List.of(input)) - readBefore < customers
                    && !stop.getAsBoolean()) {
                Thread.sleep(100);
            }
            System.out.printf(Locale.ROOT, "  pre-warm: %,d customers known to the job in %.1f s%n",
                    customers, (System.nanoTime() - start) / 1e9);
        }

        double sentPerSecond() {
            return sent / seconds;
        }

        private void send(Producer<byte[], byte[]> producer, InteractionEvent event,
                boolean probe) {
            String eventId = event.getEventId();
            producer.send(new ProducerRecord<>(topic,
                    event.getCustomerId().getBytes(StandardCharsets.UTF_8), codec.encode(event)),
                    (metadata, e) -> {
                        if (e != null) {
                            failures.incrementAndGet();
                        } else if (probe) {
                            // LogAppendTime: the broker's clock when the record was appended.
                            probes.sent(eventId, metadata.timestamp());
                        }
                    });
        }

        private Producer<byte[], byte[]> lowLatencyProducer() {
            Properties properties = new Properties();
            properties.putAll(clients);
            properties.put("linger.ms", 1);
            return LoadGenerator.fastProducer(properties);
        }
    }

    /** A read_committed consumer of the alerts that stamps each trigger's alert when it reads it. */
    static final class AlertReader implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        private AlertReader(KafkaConsumer<byte[], byte[]> consumer, Probes probes) {
            this.consumer = consumer;
            this.thread = new Thread(() -> readLoop(probes), "alert-reader");
        }

        static AlertReader start(Properties clients, String topic, Probes probes) {
            Properties properties = new Properties();
            properties.putAll(clients);
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, "latency-reader-" + topic);
            properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
            properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                    ByteArrayDeserializer.class);
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties);
            consumer.subscribe(List.of(topic));
            AlertReader reader = new AlertReader(consumer, probes);
            reader.thread.start();
            return reader;
        }

        private void readLoop(Probes probes) {
            AvroCodec<Alert> codec = new AvroCodec<>(Alert.class);
            try {
                while (running) {
                    var records = consumer.poll(Duration.ofMillis(100));
                    long readAt = System.currentTimeMillis();
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        String trigger = trigger(codec, record.value());
                        if (trigger != null) {
                            probes.alerted(trigger, readAt);
                        }
                    }
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                // closing
            } finally {
                consumer.close();
            }
        }

        private static String trigger(AvroCodec<Alert> codec, byte[] value) {
            try {
                Alert alert = codec.decode(value);
                String trigger = alert.getAttributes().get("triggerEventId");
                return alert.getKind() == AlertKind.AT_RISK_CUSTOMER && trigger != null
                        && trigger.startsWith(TRIGGER_PREFIX) ? trigger : null;
            } catch (AvroCodec.DecodeException e) {
                return null;
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            consumer.wakeup();
            thread.join(10_000);
        }
    }
}
