package dev.earlywarning.cluster;

import dev.earlywarning.cli.local.LocalProcesses;
import dev.earlywarning.cli.local.BrokerProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker (its own JVM, the same {@link BrokerProcess} as {@code ews broker}) that
 * accepts clients only over SASL with SCRAM-SHA-512 and authorizes every request with ACLs
 * (StandardAuthorizer; nothing is allowed without an ACL). The SCRAM credentials are written into
 * the KRaft metadata when the storage is formatted, as a production cluster is bootstrapped.
 */
final class ScramBroker implements AutoCloseable {

    static final String ADMIN = "admin";

    private final Process process;
    private final int port;
    private final Map<String, String> passwords;

    private ScramBroker(Process process, int port, Map<String, String> passwords) {
        this.process = process;
        this.port = port;
        this.passwords = passwords;
    }

    /** {@code users}: name to password; {@link #ADMIN} among them is the super user. */
    static ScramBroker start(Path dir, Map<String, String> users) throws Exception {
        Files.createDirectories(dir.resolve("data"));
        int port = LocalProcesses.freePort();
        int controllerPort = LocalProcesses.freePort();
        Path properties = dir.resolve("server.properties");
        Files.writeString(properties, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=SASL_PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=SASL_PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=SASL_PLAINTEXT",
                "listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
                "sasl.enabled.mechanisms=SCRAM-SHA-512",
                "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
                "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=" + jaas(ADMIN, users.get(ADMIN)),
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                // The controller listener is loopback-only plaintext inside this one process.
                "super.users=User:" + ADMIN + ";User:ANONYMOUS",
                "allow.everyone.if.no.acl.found=false",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                ""), StandardCharsets.UTF_8);
        String clusterId = Uuid.randomUuid().toString();
        List<String> format = new ArrayList<>(List.of("format", "--cluster-id", clusterId,
                "--config", properties.toString()));
        users.forEach((name, password) -> {
            format.add("--add-scram");
            format.add("SCRAM-SHA-512=[name=" + name + ",password=" + password + "]");
        });
        int formatted = kafka.tools.StorageTool.execute(format.toArray(String[]::new),
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        if (formatted != 0) {
            throw new IllegalStateException("formatting the SCRAM broker's storage failed");
        }
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx512m", "-Dews.log.file=" + dir.resolve("broker.log"),
                "-cp", System.getProperty("java.class.path"), BrokerProcess.class.getName(),
                clusterId, properties.toString());
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("broker.out").toFile()).start();
        ScramBroker broker = new ScramBroker(process, port, Map.copyOf(users));
        try {
            broker.awaitReady(Duration.ofSeconds(60));
        } catch (Exception e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** Client settings to connect as {@code user}. */
    Properties client(String user) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrap());
        properties.put("security.protocol", "SASL_PLAINTEXT");
        properties.put("sasl.mechanism", "SCRAM-SHA-512");
        properties.put("sasl.jaas.config", jaas(user, passwords.get(user)));
        return properties;
    }

    static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";";
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!listening()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the SCRAM broker did not start");
            }
            Thread.sleep(100);
        }
        Properties properties = client(ADMIN);
        properties.put("default.api.timeout.ms", "2000");
        properties.put("request.timeout.ms", "2000");
        try (Admin admin = Admin.create(properties)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException("the SCRAM broker did not answer", notYet);
                    }
                }
                Thread.sleep(200);
            }
        }
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Closing stdin is the broker's signal to shut down cleanly (see BrokerProcess). */
    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
