package dev.earlywarning.cli.local;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real, standalone Kafka broker (KRaft, combined broker and controller, everything on
 * 127.0.0.1, replication factor 1) in its own JVM, with its storage, configuration and logs
 * under {@code dir}. Attached brokers (the default) die with the JVM that started them, however
 * it ends; detached ones run until {@link #stop(Path, Duration)}.
 *
 * <p>Layout of {@code dir}: {@code server.properties}, {@code data/} (the log dirs),
 * {@code broker.log} (Kafka's log), {@code broker.out} (its stdout and stderr) and
 * {@code broker.state} (pid and bootstrap address, for {@code status} and {@code stop}).
 */
public final class LocalKafkaBroker implements AutoCloseable {

    public static final String MAIN_CLASS = BrokerProcess.class.getName();
    private static final String STATE_FILE = "broker.state";

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final Process process;
    private final boolean detached;

    private LocalKafkaBroker(Path dir, int port, int controllerPort, Process process,
            boolean detached) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.process = process;
        this.detached = detached;
    }

    /** How to start a broker; {@code port} 0 picks a free port. */
    public record Options(Path dir, int port, boolean detached, Duration readyTimeout,
            List<String> jvmOptions) {

        public static Options in(Path dir) {
            return new Options(dir, 9092, false, Duration.ofSeconds(60),
                    List.of("-Xms256m", "-Xmx512m", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError"));
        }

        public Options port(int newPort) {
            return new Options(dir, newPort, detached, readyTimeout, jvmOptions);
        }

        public Options detached(boolean newDetached) {
            return new Options(dir, port, newDetached, readyTimeout, jvmOptions);
        }
    }

    /**
     * Starts the broker and returns once an admin client can describe the cluster, printing a
     * dot to {@code progress} every half second meanwhile.
     */
    public static LocalKafkaBroker start(Options options, PrintStream progress) throws IOException {
        Path dir = options.dir().toAbsolutePath().normalize();
        Files.createDirectories(dir.resolve("data"));
        Optional<ProcessHandle> running = running(dir);
        if (running.isPresent()) {
            throw new IllegalStateException("a broker is already running from " + dir + " (pid "
                    + running.get().pid() + "); stop it first with: ews broker stop --dir " + dir);
        }
        int port = options.port() == 0 ? LocalProcesses.freePort() : LocalProcesses.requireFree(options.port(), "another broker", "--port");
        int controllerPort = LocalProcesses.freePort();
        Path serverProperties = dir.resolve("server.properties");
        writeServerProperties(serverProperties, dir.resolve("data"), port, controllerPort);

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options.jvmOptions());
        command.add("-Dews.log.file=" + dir.resolve("broker.log"));
        // Ours, even when a test classpath carries a log4j2-test.properties that would win.
        command.add("-Dlog4j2.configurationFile=classpath:log4j2.properties");
        command.add("-Djava.awt.headless=true");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MAIN_CLASS);
        if (options.detached()) {
            command.add("--detached");
        }
        command.add(clusterId(dir));
        command.add(serverProperties.toString());

        Path out = dir.resolve("broker.out");
        Files.deleteIfExists(out);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
        if (options.detached()) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process process = builder.start();
        LocalKafkaBroker broker = new LocalKafkaBroker(dir, port, controllerPort, process,
                options.detached());
        try {
            broker.awaitReady(options.readyTimeout(), progress);
        } catch (RuntimeException | IOException e) {
            broker.close();
            throw e;
        }
        Files.writeString(dir.resolve(STATE_FILE), "pid=" + process.pid() + "\nbootstrap="
                + broker.bootstrap() + "\n", StandardCharsets.UTF_8);
        return broker;
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public Path dir() {
        return dir;
    }

    public Path logFile() {
        return dir.resolve("broker.log");
    }

    /** Stops the broker (cleanly, or forcibly after 30 s) and waits until its JVM is gone. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already closed: the broker sees end-of-file either way
        }
        // A detached broker does not watch its stdin; a signal is its way to stop.
        if (detached) {
            process.destroy();
        }
        LocalProcesses.awaitExit(process.toHandle(), Duration.ofSeconds(30));
        deleteStateIfOurs(dir, process.pid());
    }

    /** The broker started from {@code dir}, if its JVM is still alive. */
    public static Optional<ProcessHandle> running(Path dir) {
        return readState(dir).flatMap(state -> ProcessHandle.of(Long.parseLong(
                        state.getProperty("pid", "-1"))))
                .filter(ProcessHandle::isAlive)
                .filter(LocalKafkaBroker::isBrokerProcess);
    }

    /** Guards against a stale pid file whose pid now belongs to something else. */
    private static boolean isBrokerProcess(ProcessHandle handle) {
        // The JDK truncates long command lines (our classpath is long); /proc has all of it.
        Path cmdline = Path.of("/proc", String.valueOf(handle.pid()), "cmdline");
        try {
            if (Files.isReadable(cmdline)) {
                return new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8)
                        .contains(MAIN_CLASS);
            }
        } catch (IOException e) {
            // fall back to what the JDK knows
        }
        return handle.info().commandLine().map(line -> line.contains(MAIN_CLASS)).orElse(true);
    }

    /** The bootstrap address recorded by the broker started from {@code dir}. */
    public static Optional<String> recordedBootstrap(Path dir) {
        return readState(dir).map(state -> state.getProperty("bootstrap"));
    }

    /** Stops the broker started from {@code dir} (by another command); false if none ran. */
    public static boolean stop(Path dir, Duration timeout) {
        Path absolute = dir.toAbsolutePath().normalize();
        Optional<ProcessHandle> running = running(absolute);
        if (running.isEmpty()) {
            deleteStateIfOurs(absolute, -1);
            return false;
        }
        ProcessHandle handle = running.get();
        LocalProcesses.stop(handle, timeout);
        deleteStateIfOurs(absolute, handle.pid());
        return true;
    }

    /** Whether an admin client can describe the cluster at {@code bootstrap} within the timeout. */
    public static boolean answers(String bootstrap, Duration timeout) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(properties)) {
            return !admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    /** The last lines of the broker's output, to explain a failed start. */
    public String outputTail(int lines) {
        for (Path file : List.of(dir.resolve("broker.out"), logFile())) {
            try {
                List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (!all.isEmpty()) {
                    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
                }
            } catch (IOException e) {
                // try the next file
            }
        }
        return "(no output)";
    }

    private void awaitReady(Duration timeout, PrintStream progress) throws IOException {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 1000);
        properties.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        long deadline = System.nanoTime() + timeout.toNanos();
        // Until the port listens, an admin client only backs off further and further: poll the
        // socket cheaply first.
        long nextDot = System.nanoTime();
        while (!listening(port)) {
            checkAlive();
            if (System.nanoTime() > deadline) {
                throw new IOException("the broker did not listen on " + bootstrap() + " within "
                        + timeout + "; see " + logFile());
            }
            if (System.nanoTime() >= nextDot) {
                progress.print('.');
                progress.flush();
                nextDot += 500_000_000L;
            }
            LocalProcesses.sleep(Duration.ofMillis(50));
        }
        try (Admin admin = Admin.create(properties)) {
            while (true) {
                checkAlive();
                try {
                    if (!admin.describeCluster().nodes().get(500, TimeUnit.MILLISECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    // not answering yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("the broker did not answer within " + timeout
                            + "; see " + logFile());
                }
                progress.print('.');
                progress.flush();
                LocalProcesses.sleep(Duration.ofMillis(100));
            }
        }
    }

    private void checkAlive() throws IOException {
        if (!process.isAlive()) {
            throw new IOException("the broker exited with code " + process.exitValue()
                    + " while starting; its last output:\n" + outputTail(20));
        }
    }

    private static boolean listening(int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void writeServerProperties(Path file, Path dataDir, int port, int controllerPort)
            throws IOException {
        String properties = String.join("\n",
                "# Written by ews; rewritten on every start.",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dataDir,
                "num.partitions=4",
                "default.replication.factor=1",
                "min.insync.replicas=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=4",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                // A single consumer should not wait 3 s for company before it gets its partitions.
                "group.initial.rebalance.delay.ms=0",
                "log.retention.hours=168",
                "");
        Files.writeString(file, properties, StandardCharsets.UTF_8);
    }

    /** The cluster id of formatted storage in {@code dir}, or a new one. */
    private static String clusterId(Path dir) throws IOException {
        Path meta = dir.resolve("data").resolve("meta.properties");
        if (Files.exists(meta)) {
            Properties properties = new Properties();
            try (var reader = Files.newBufferedReader(meta)) {
                properties.load(reader);
            }
            String existing = properties.getProperty("cluster.id");
            if (existing != null) {
                return existing;
            }
        }
        return Uuid.randomUuid().toString();
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

    private static void deleteStateIfOurs(Path dir, long pid) {
        Optional<Properties> state = readState(dir);
        if (state.isPresent() && (pid < 0 || state.get().getProperty("pid", "").equals(String.valueOf(pid)))) {
            try {
                Files.deleteIfExists(dir.resolve(STATE_FILE));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
