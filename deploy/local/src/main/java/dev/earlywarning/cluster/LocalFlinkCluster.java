package dev.earlywarning.cluster;

import dev.earlywarning.cli.local.LocalProcesses;
import dev.earlywarning.common.engine.PointLookupOptions;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real Flink standalone cluster on this machine: one JobManager and one or more
 * TaskManagers, each its own JVM started from the Maven-resolved classpath of module
 * {@code ews-flink-dist}, configured the way {@code bin/jobmanager.sh} and
 * {@code bin/taskmanager.sh} would (config.yaml, JVM sizes computed by Flink's own
 * {@code BashJavaUtils}). RPC, blob, data and REST ports are bound to 127.0.0.1; RocksDB state
 * with incremental checkpoints and savepoints under {@code dir}; the Prometheus reporter on.
 *
 * <p>Layout of {@code dir}: {@code conf/} (config.yaml, log4j.properties), {@code log/} (one log
 * and one .out per process), {@code checkpoints/}, {@code savepoints/}, {@code tmp/} and
 * {@code cluster.state} (pids and REST address, for {@code status} and {@code stop}).
 *
 * <p>Attached clusters (the default) die with the JVM that started them, however it ends; detached
 * ones run until {@link #stop(Path, Duration)}, which ends exactly the processes recorded at start.
 */
public final class LocalFlinkCluster implements AutoCloseable {

    public static final String SUPERVISOR = "dev.earlywarning.cluster.dist.Supervised";
    static final String JOB_MANAGER_MAIN =
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    private static final String STATE_FILE = "cluster.state";

    /** How to start a cluster; {@code restPort} 0 picks a free port. */
    public record Options(Path dir, int taskManagers, int slotsPerTaskManager, int restPort,
            boolean detached, Duration checkpointInterval, String jobManagerMemory,
            String taskManagerMemory, Map<String, String> extraConfig, Duration readyTimeout) {

        public static Options in(Path dir) {
            return new Options(dir, 1, 4, 8081, false, Duration.ofSeconds(10), "1024m", "2048m",
                    Map.of(), Duration.ofSeconds(90));
        }

        public Options taskManagers(int count, int slots) {
            return new Options(dir, count, slots, restPort, detached, checkpointInterval,
                    jobManagerMemory, taskManagerMemory, extraConfig, readyTimeout);
        }

        public Options restPort(int port) {
            return new Options(dir, taskManagers, slotsPerTaskManager, port, detached,
                    checkpointInterval, jobManagerMemory, taskManagerMemory, extraConfig,
                    readyTimeout);
        }

        public Options detached(boolean newDetached) {
            return new Options(dir, taskManagers, slotsPerTaskManager, restPort, newDetached,
                    checkpointInterval, jobManagerMemory, taskManagerMemory, extraConfig,
                    readyTimeout);
        }

        public Options checkpointInterval(Duration interval) {
            return new Options(dir, taskManagers, slotsPerTaskManager, restPort, detached, interval,
                    jobManagerMemory, taskManagerMemory, extraConfig, readyTimeout);
        }

        public Options memory(String jobManager, String taskManager) {
            return new Options(dir, taskManagers, slotsPerTaskManager, restPort, detached,
                    checkpointInterval, jobManager, taskManager, extraConfig, readyTimeout);
        }

        /** More Flink settings for config.yaml; they win over the defaults written here. */
        public Options config(Map<String, String> more) {
            Map<String, String> merged = new LinkedHashMap<>(extraConfig);
            merged.putAll(more);
            return new Options(dir, taskManagers, slotsPerTaskManager, restPort, detached,
                    checkpointInterval, jobManagerMemory, taskManagerMemory, Map.copyOf(merged),
                    readyTimeout);
        }
    }

    private final Path dir;
    private final int restPort;
    private final boolean detached;
    private final List<Process> processes;

    private LocalFlinkCluster(Path dir, int restPort, boolean detached, List<Process> processes) {
        this.dir = dir;
        this.restPort = restPort;
        this.detached = detached;
        this.processes = processes;
    }

    /**
     * Starts the JobManager, waits for its REST endpoint (a TaskManager started earlier only
     * retries its registration after a back-off), then the TaskManagers, and returns once every
     * slot is registered.
     */
    public static LocalFlinkCluster start(Options options, PrintStream progress)
            throws IOException {
        Path dir = options.dir().toAbsolutePath().normalize();
        Optional<List<ProcessHandle>> running = running(dir);
        if (running.isPresent()) {
            throw new IllegalStateException("a Flink cluster is already running from " + dir
                    + " (pids " + running.get().stream().map(ProcessHandle::pid).toList()
                    + "); stop it first");
        }
        for (String sub : List.of("conf", "log", "checkpoints", "savepoints", "tmp", "upload")) {
            Files.createDirectories(dir.resolve(sub));
        }
        int restPort = options.restPort() == 0 ? LocalProcesses.freePort()
                : LocalProcesses.requireFree(options.restPort(), "another cluster", "--rest-port");
        int prometheusBase = freePortRange(options.taskManagers() + 1);
        writeConfig(dir, options, restPort, prometheusBase);

        String classpath = Build.flinkClasspath();
        List<Process> processes = new ArrayList<>();
        LocalFlinkCluster cluster = new LocalFlinkCluster(dir, restPort, options.detached(),
                processes);
        try {
            processes.add(launch(dir, classpath, "jobmanager", JOB_MANAGER_MAIN,
                    resourceParams(dir, classpath, "GET_JM_RESOURCE_PARAMS"), options.detached()));
            FlinkRest rest = cluster.rest();
            awaitTrue(() -> rest.answers(), options.readyTimeout(), progress, cluster,
                    "the JobManager's REST endpoint " + rest.baseUrl());
            ResourceParams tmParams = resourceParams(dir, classpath, "GET_TM_RESOURCE_PARAMS");
            for (int i = 0; i < options.taskManagers(); i++) {
                processes.add(launch(dir, classpath, "taskmanager-" + i, TASK_MANAGER_MAIN,
                        tmParams, options.detached()));
            }
            int slots = options.taskManagers() * options.slotsPerTaskManager();
            awaitTrue(() -> rest.overview().path("slots-total").asInt() >= slots,
                    options.readyTimeout(), progress, cluster, slots + " task slots");
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        StringBuilder state = new StringBuilder("rest=" + cluster.restUrl() + "\npids=");
        state.append(String.join(",", processes.stream().map(p -> String.valueOf(p.pid())).toList()));
        Files.writeString(dir.resolve(STATE_FILE), state + "\n", StandardCharsets.UTF_8);
        return cluster;
    }

    public String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    public FlinkRest rest() {
        return new FlinkRest(restUrl());
    }

    public Path dir() {
        return dir;
    }

    public Path savepointDir() {
        return dir.resolve("savepoints");
    }

    public Path logDir() {
        return dir.resolve("log");
    }

    public List<Long> pids() {
        return processes.stream().map(Process::pid).toList();
    }

    /** Stops the TaskManagers, then the JobManager, and waits until their JVMs are gone. */
    @Override
    public void close() {
        List<ProcessHandle> handles = new ArrayList<>();
        for (int i = processes.size() - 1; i >= 0; i--) {
            handles.add(processes.get(i).toHandle());
        }
        if (!detached) {
            for (Process process : processes) {
                try {
                    process.getOutputStream().close();
                } catch (IOException e) {
                    // already closed: the process sees end-of-file either way
                }
            }
        }
        terminate(handles, Duration.ofSeconds(30));
        deleteStateIfOurs(dir, pids());
    }

    /** The processes of the cluster started from {@code dir}, if they are still alive. */
    public static Optional<List<ProcessHandle>> running(Path dir) {
        Optional<Properties> state = readState(dir);
        if (state.isEmpty()) {
            return Optional.empty();
        }
        List<ProcessHandle> alive = new ArrayList<>();
        for (String pid : state.get().getProperty("pids", "").split(",")) {
            if (pid.isBlank()) {
                continue;
            }
            ProcessHandle.of(Long.parseLong(pid.strip()))
                    .filter(ProcessHandle::isAlive)
                    .filter(handle -> isOurs(handle, dir))
                    .ifPresent(alive::add);
        }
        return alive.isEmpty() ? Optional.empty() : Optional.of(alive);
    }

    /** The REST address recorded by the cluster started from {@code dir}. */
    public static Optional<String> recordedRest(Path dir) {
        return readState(dir).map(state -> state.getProperty("rest"));
    }

    /**
     * Stops the cluster started from {@code dir} (by another command): exactly the recorded
     * processes that still run Flink from that directory; false if none ran.
     */
    public static boolean stop(Path dir, Duration timeout) {
        Path absolute = dir.toAbsolutePath().normalize();
        Optional<List<ProcessHandle>> running = running(absolute);
        if (running.isEmpty()) {
            deleteStateIfOurs(absolute, List.of());
            return false;
        }
        List<ProcessHandle> handles = new ArrayList<>(running.get());
        // TaskManagers (started later) first, so they do not report a lost JobManager.
        java.util.Collections.reverse(handles);
        terminate(handles, timeout);
        deleteStateIfOurs(absolute, List.of());
        return true;
    }

    private static void terminate(List<ProcessHandle> handles, Duration timeout) {
        for (ProcessHandle handle : handles) {
            LocalProcesses.stop(handle, timeout);
        }
    }

    /** Guards against a stale pid that now belongs to something else. */
    private static boolean isOurs(ProcessHandle handle, Path dir) {
        // The JDK truncates long command lines (the classpath is long); /proc has all of it.
        Path cmdline = Path.of("/proc", String.valueOf(handle.pid()), "cmdline");
        String marker = dir.resolve("conf").toString();
        try {
            if (Files.isReadable(cmdline)) {
                String line = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8);
                return line.contains(SUPERVISOR) && line.contains(marker);
            }
        } catch (IOException e) {
            // fall back to what the JDK knows
        }
        return handle.info().commandLine().map(line -> line.contains(SUPERVISOR)).orElse(false);
    }

    /** JVM flags and dynamic settings, as Flink's own scripts compute them. */
    record ResourceParams(List<String> jvm, List<String> dynamic) {}

    private static ResourceParams resourceParams(Path dir, String classpath, String which)
            throws IOException {
        List<String> command = List.of(java(), "-Xmx128m", "-cp", classpath,
                "-Dlog4j2.level=WARN", "-Dlog4j.configurationFile="
                        + dir.resolve("conf").resolve("log4j-console.properties"),
                "org.apache.flink.runtime.util.bash.BashJavaUtils", which,
                "--configDir", dir.resolve("conf").toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("BashJavaUtils " + which + " failed:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        List<String> results = output.lines()
                .filter(line -> line.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
                .map(line -> line.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()).strip())
                .toList();
        if (results.size() < 2) {
            throw new IOException("BashJavaUtils " + which + " printed no sizes:\n" + output);
        }
        return new ResourceParams(List.of(results.get(0).split("\\s+")),
                List.of(results.get(1).split("\\s+")));
    }

    private static Process launch(Path dir, String classpath, String name, String mainClass,
            ResourceParams params, boolean detached) throws IOException {
        Path conf = dir.resolve("conf");
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(params.jvm());
        command.addAll(Build.jvmOpens());
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-Dlog.file=" + dir.resolve("log").resolve(name + ".log"));
        command.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties"));
        command.add("-Djava.io.tmpdir=" + dir.resolve("tmp"));
        command.add("-cp");
        command.add(classpath);
        command.add(SUPERVISOR);
        if (detached) {
            command.add("--detached");
        }
        command.add(mainClass);
        command.add("--configDir");
        command.add(conf.toString());
        command.addAll(params.dynamic());

        Path out = dir.resolve("log").resolve(name + ".out");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(out.toFile()));
        if (detached) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        return builder.start();
    }

    private static void writeConfig(Path dir, Options options, int restPort, int prometheusBase)
            throws IOException {
        Map<String, String> conf = new LinkedHashMap<>();
        // Every socket Flink opens on its own is bound to the loopback interface.
        conf.put("jobmanager.rpc.address", "127.0.0.1");
        conf.put("jobmanager.bind-host", "127.0.0.1");
        conf.put("jobmanager.rpc.port", String.valueOf(LocalProcesses.freePort()));
        conf.put("taskmanager.host", "127.0.0.1");
        conf.put("taskmanager.bind-host", "127.0.0.1");
        conf.put("taskmanager.rpc.port", "0");
        conf.put("taskmanager.data.port", "0");
        conf.put("blob.server.port", "0");
        conf.put("metrics.internal.query-service.port", "0");
        conf.put("rest.address", "127.0.0.1");
        conf.put("rest.bind-address", "127.0.0.1");
        conf.put("rest.port", String.valueOf(restPort));
        conf.put("jobmanager.memory.process.size", options.jobManagerMemory());
        conf.put("taskmanager.memory.process.size", options.taskManagerMemory());
        conf.put("taskmanager.numberOfTaskSlots", String.valueOf(options.slotsPerTaskManager()));
        conf.put("parallelism.default", "1");
        // The same engine settings as an embedded run (LocalEngine), here for every job.
        conf.put("state.backend.type", "rocksdb");
        conf.put("execution.checkpointing.incremental", "true");
        conf.put("state.backend.rocksdb.use-bloom-filter", "true");
        conf.put("state.backend.rocksdb.compression.per.level", "NO_COMPRESSION");
        conf.put("state.backend.rocksdb.compaction.style", "UNIVERSAL");
        conf.put("state.backend.rocksdb.options-factory", PointLookupOptions.class.getName());
        conf.put("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        conf.put("execution.checkpointing.savepoint-dir", dir.resolve("savepoints").toUri().toString());
        conf.put("execution.checkpointing.interval", options.checkpointInterval().toMillis() + " ms");
        conf.put("execution.checkpointing.mode", "EXACTLY_ONCE");
        conf.put("execution.checkpointing.externalized-checkpoint-retention",
                "RETAIN_ON_CANCELLATION");
        conf.put("execution.checkpointing.num-retained", "3");
        conf.put("pipeline.object-reuse", "true");
        conf.put("pipeline.generic-types", "false");
        conf.put("restart-strategy.type", "exponential-delay");
        conf.put("io.tmp.dirs", dir.resolve("tmp").toString());
        conf.put("web.upload.dir", dir.resolve("upload").toString());
        conf.put("web.submit.enable", "true");
        // Flink's Prometheus reporter binds every interface (it has no host option): a port per
        // process from a range found free on this machine; see deploy/local/README.md.
        conf.put("metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.put("metrics.reporter.prom.port", prometheusBase + "-"
                + (prometheusBase + options.taskManagers()));
        conf.putAll(options.extraConfig());

        StringBuilder yaml = new StringBuilder("# Written by the local cluster launcher on every start.\n");
        conf.forEach((key, value) -> yaml.append(key).append(": ").append(yamlScalar(value))
                .append('\n'));
        Path confDir = dir.resolve("conf");
        Files.writeString(confDir.resolve("config.yaml"), yaml, StandardCharsets.UTF_8);
        Files.writeString(confDir.resolve("log4j.properties"), String.join("\n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = MainAppender",
                "logger.kafka.name = org.apache.kafka",
                "logger.kafka.level = WARN",
                "appender.main.name = MainAppender",
                "appender.main.type = RollingFile",
                "appender.main.append = true",
                "appender.main.fileName = ${sys:log.file}",
                "appender.main.filePattern = ${sys:log.file}.%i",
                "appender.main.layout.type = PatternLayout",
                "appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
                "appender.main.policies.type = Policies",
                "appender.main.policies.size.type = SizeBasedTriggeringPolicy",
                "appender.main.policies.size.size = 100MB",
                "appender.main.strategy.type = DefaultRolloverStrategy",
                "appender.main.strategy.max = 5",
                ""), StandardCharsets.UTF_8);
        Files.writeString(confDir.resolve("log4j-console.properties"), String.join("\n",
                "rootLogger.level = WARN",
                "rootLogger.appenderRef.console.ref = ConsoleAppender",
                "appender.console.name = ConsoleAppender",
                "appender.console.type = Console",
                "appender.console.target = SYSTEM_ERR",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = %m%n",
                ""), StandardCharsets.UTF_8);
    }

    private static String yamlScalar(String value) {
        return value.matches("[A-Za-z0-9_./:\\- ]*") && !value.contains(": ") ? value
                : "'" + value.replace("'", "''") + "'";
    }

    @FunctionalInterface
    private interface Check {
        boolean ok() throws IOException;
    }

    private static void awaitTrue(Check check, Duration timeout, PrintStream progress,
            LocalFlinkCluster cluster, String what) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextDot = System.nanoTime();
        while (true) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (IOException notYet) {
                // not answering yet
            }
            for (Process process : cluster.processes) {
                if (!process.isAlive()) {
                    throw new IOException("a cluster process exited with code "
                            + process.exitValue() + " while starting; see " + cluster.logDir());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("no " + what + " within " + timeout + "; see "
                        + cluster.logDir());
            }
            if (System.nanoTime() >= nextDot) {
                progress.print('.');
                progress.flush();
                nextDot += 500_000_000L;
            }
            LocalProcesses.sleep(Duration.ofMillis(100));
        }
    }

    private static Optional<Properties> readState(Path dir) {
        Path file = dir.toAbsolutePath().normalize().resolve(STATE_FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties state = new Properties();
        try (var reader = Files.newBufferedReader(file)) {
            state.load(reader);
            return Optional.of(state);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void deleteStateIfOurs(Path dir, List<Long> pids) {
        Optional<Properties> state = readState(dir);
        if (state.isPresent() && (pids.isEmpty()
                || state.get().getProperty("pids", "").startsWith(String.valueOf(pids.get(0))))) {
            try {
                Files.deleteIfExists(dir.resolve(STATE_FILE));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The first of {@code count} consecutive ports free on every interface. */
    private static int freePortRange(int count) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20000 + (int) (Math.random() * 20000);
            boolean free = true;
            for (int port = base; port < base + count && free; port++) {
                try (ServerSocket socket = new ServerSocket(port)) {
                    free = socket.getLocalPort() == port;
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IOException("no " + count + " consecutive free ports found");
    }
}
