package dev.earlywarning.bench;

import dev.earlywarning.cli.Shutdown;
import dev.earlywarning.cli.local.LocalKafkaBroker;
import dev.earlywarning.cli.local.TopicSetup;
import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.kafka.KafkaIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.flink.util.ParameterTool;

/**
 * What every Kafka benchmark stands on: its flags, a scratch directory, and a broker, either a
 * real standalone broker process started here (the project's own, as {@code ews demo} starts it)
 * or an existing one given by {@code --bootstrap} (with {@code --broker-pid} to count its CPU).
 * Everything started here is stopped, and the scratch directory deleted, at the end or on Ctrl-C.
 */
final class BenchRuntime implements AutoCloseable {

    final Settings flags;
    final Path scratch;
    final String bootstrap;
    /** The broker's process id, or -1 when unknown (an outside broker without --broker-pid). */
    final long brokerPid;
    private final Shutdown shutdown;

    private BenchRuntime(Settings flags, Path scratch, String bootstrap, long brokerPid,
            Shutdown shutdown) {
        this.flags = flags;
        this.scratch = scratch;
        this.bootstrap = bootstrap;
        this.brokerPid = brokerPid;
        this.shutdown = shutdown;
    }

    /** {@code --key value} flags, typed and validated by the project's {@link Settings}. */
    static Settings flags(String[] args) {
        return Settings.of(ParameterTool.fromArgs(args).toMap());
    }

    static BenchRuntime start(String name, String[] args) throws Exception {
        Settings flags = flags(args);
        Shutdown shutdown = new Shutdown();
        Path scratch = Files.createTempDirectory("ews-" + name + "-");
        shutdown.add("scratch dir", () -> deleteRecursively(scratch));
        try {
            if (flags.has("bootstrap")) {
                return new BenchRuntime(flags, scratch, flags.requiredString("bootstrap"),
                        flags.has("broker-pid") ? Long.parseLong(flags.requiredString("broker-pid"))
                                : -1, shutdown);
            }
            System.out.print("starting a Kafka broker (own JVM) ");
            LocalKafkaBroker broker = LocalKafkaBroker.start(
                    LocalKafkaBroker.Options.in(scratch.resolve("broker")).port(0), System.out);
            shutdown.add("Kafka broker", broker::close);
            System.out.println(" ready at " + broker.bootstrap() + " (pid " + broker.pid() + ")");
            return new BenchRuntime(flags, scratch, broker.bootstrap(), broker.pid(), shutdown);
        } catch (Exception e) {
            shutdown.runAll();
            throw e;
        }
    }

    /** Stops {@code step} with everything else, in reverse order of registration. */
    void onClose(String name, Shutdown.Step step) {
        shutdown.add(name, step);
    }

    boolean stopping() {
        return shutdown.requested();
    }

    /** Client properties for the broker, with any {@code kafka.*} flags. */
    Properties clients() {
        return KafkaIo.clientProperties(jobConfig("bench", Map.of()));
    }

    /** The job settings every run shares: this broker, plus the given ones. */
    JobConfig jobConfig(String job, Map<String, String> settings) {
        Map<String, String> all = new java.util.LinkedHashMap<>(flags.scoped("kafka.").asMap()
                .entrySet().stream().collect(java.util.stream.Collectors.toMap(
                        e -> "kafka." + e.getKey(), Map.Entry::getValue)));
        all.putAll(settings);
        all.put("bootstrap", bootstrap);
        return JobConfig.from(job, Settings.of(all));
    }

    void createTopics(Collection<String> topics, int partitions, Map<String, String> configs)
            throws Exception {
        TopicSetup.createAll(clients(), topics, partitions, (short) 1, configs);
    }

    double brokerCpuSeconds() {
        return brokerPid < 0 ? -1 : ProcessStats.cpuSeconds(brokerPid);
    }

    @Override
    public void close() {
        shutdown.runAll();
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path file : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
