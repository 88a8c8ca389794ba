package dev.earlywarning.bench;

import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.engine.LocalEngine;
import dev.earlywarning.common.kafka.Decoded;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.ControlCommand;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.Severity;
import dev.earlywarning.scoring.AtRiskScoringJob;
import dev.earlywarning.scoring.AtRiskScoringPipeline;
import dev.earlywarning.scoring.ScoringConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The scoring topology alone, on RocksDB with checkpoints, fed by an in-memory generator and
 * writing to a discarding sink: what the state path costs without Kafka. Prints events per second
 * and CPU seconds per million events.
 *
 * <p>Usage: {@code ScoringOperatorBench [events] [customers]} (defaults 3,000,000 and 1,000,000).
 */
public final class ScoringOperatorBench {

    public static void main(String[] args) throws Exception {
        long events = args.length > 0 ? Long.parseLong(args[0]) : 3_000_000L;
        int customers = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Path scratch = Files.createTempDirectory("ews-bench");
        Configuration conf = LocalEngine.configuration(scratch.resolve("checkpoints"),
                Duration.ofSeconds(2));
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE,
                MemorySize.parse(EmbeddedJobs.Engine.MANAGED_MEMORY));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "disable");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);

        SyntheticInteractions traffic = new SyntheticInteractions(customers,
                Instant.parse("2026-01-01T00:00:00Z"), 2);
        DataGeneratorSource<Decoded<InteractionEvent>> interactions = new DataGeneratorSource<>(
                index -> decoded(traffic.event(index)), events, RateLimiterStrategy.noOp(),
                Decoded.typeInfo(InteractionEvent.class));
        DataGeneratorSource<Decoded<Alert>> alerts = new DataGeneratorSource<>(
                index -> decoded(unrelatedAlert()), 1, RateLimiterStrategy.noOp(),
                Decoded.typeInfo(Alert.class));
        DataGeneratorSource<Decoded<ControlCommand>> control = new DataGeneratorSource<>(
                index -> decoded(ControlCommand.newBuilder().setCommandId("noop").setJob("other")
                        .setKind("SET_CONFIG").setOccurredAt(Instant.EPOCH).build()),
                1, RateLimiterStrategy.noOp(), Decoded.typeInfo(ControlCommand.class));

        JobConfig config = JobConfig.from(AtRiskScoringJob.NAME, Settings.of(Map.of()));
        AtRiskScoringPipeline.build(env, config, ScoringConfig.defaults(), interactions, alerts,
                control, out -> out.sinkTo(new DiscardingSink<>()),
                dead -> dead.sinkTo(new DiscardingSink<>()));

        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        try {
            env.execute("scoring-operator-bench");
        } finally {
            BenchRuntime.deleteRecursively(scratch);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = (processCpuNanos() - cpuBefore) / 1e9;
        System.out.printf("scoring operator (RocksDB, generator source, no Kafka): %,d events, "
                        + "%,d customers: %.1f s, %,.0f events/s, %.1f CPU-s per million events%n",
                events, customers, seconds, events / seconds, cpu / (events / 1e6));
    }

    static <T> Decoded<T> decoded(T value) {
        Decoded<T> decoded = new Decoded<>();
        decoded.value = value;
        decoded.topic = "generated";
        decoded.ingestedAt = System.currentTimeMillis();
        return decoded;
    }

    private static Alert unrelatedAlert() {
        return Alert.newBuilder().setAlertId("x").setDedupKey("x").setKind(AlertKind.AT_RISK_CUSTOMER)
                .setSeverity(Severity.INFO).setStatus(AlertStatus.OPEN).setCustomerId("nobody")
                .setTriggeredAt(Instant.EPOCH).setEmittedAt(Instant.EPOCH).setSourceJob("bench")
                .build();
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
