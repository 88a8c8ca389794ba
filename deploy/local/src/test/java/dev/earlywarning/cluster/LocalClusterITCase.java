package dev.earlywarning.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.cli.local.LocalKafkaBroker;
import dev.earlywarning.cli.local.TopicSetup;
import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.testing.Interactions;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.CallbackEvent;
import dev.earlywarning.schema.CallbackType;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.CustomerTier;
import dev.earlywarning.schema.DeadLetter;
import dev.earlywarning.schema.DisruptionEvent;
import dev.earlywarning.schema.DisruptionKind;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import dev.earlywarning.schema.ShipmentEvent;
import dev.earlywarning.schema.ShipmentType;
import dev.earlywarning.schema.SurveyKind;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production path on this machine: a real Kafka broker and a real Flink standalone cluster
 * (JobManager and TaskManager in their own JVMs, RocksDB, checkpoints and savepoints on local
 * disk), the four job jars uploaded and run through Flink's REST API. Traffic for each detector
 * must come out of the router's queues; then the scoring job is stopped with a savepoint and
 * resumed from it by a new build whose state type gained a field, and nothing is lost or doubled.
 *
 * <p>Every topic has one partition, and a clock keeps event time moving: every second a "tick" (a
 * harmless interaction, callback promise and parcel scan of a new clock customer, one event-time
 * minute later than the last) moves the watermark of every job, so that their timers fire. The
 * clock also keeps each job's main input from turning idle: an idle main input would leave the
 * watermark to the side inputs (control commands, disruptions), which never hold it back.
 */
class LocalClusterITCase {

    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Stands for a SASL password: it must never reach a log, an alert or a queue. */
    private static final String SECRET = "s3cret-" + UUID.randomUUID();
    private static final Topics TOPICS = Topics.defaults();
    /** Recent enough for every job's future-skew check, and on a whole hour. */
    private static final Instant T0 = Instant.now().minus(Duration.ofHours(12))
            .truncatedTo(ChronoUnit.HOURS);

    @TempDir
    static Path temp;

    private static LocalKafkaBroker broker;
    private static LocalFlinkCluster cluster;
    private static TopicClient kafka;
    private static final AtomicInteger CLOCK = new AtomicInteger();
    private static final ScheduledExecutorService TICKER = Executors.newSingleThreadScheduledExecutor();

    @BeforeAll
    static void startBrokerAndCluster() throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.in(temp.resolve("broker")).port(0),
                quiet);
        Properties client = new Properties();
        client.setProperty("bootstrap.servers", broker.bootstrap());
        TopicSetup.createAll(client, TOPICS.all(), 1, (short) 1);
        kafka = new TopicClient(client);
        cluster = LocalFlinkCluster.start(LocalFlinkCluster.Options.in(temp.resolve("flink"))
                .restPort(0).taskManagers(1, 4).checkpointInterval(Duration.ofSeconds(2))
                .memory("768m", "1600m"), quiet);
    }

    @AfterAll
    static void stopEverything() throws InterruptedException {
        TICKER.shutdownNow();
        TICKER.awaitTermination(10, TimeUnit.SECONDS);
        if (kafka != null) {
            kafka.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void runsTheFourJobsOnAStandaloneClusterAndUpgradesScoringFromASavepointWithEvolvedState()
            throws Exception {
        FlinkRest rest = cluster.rest();
        Map<String, String> jobIds = new LinkedHashMap<>();
        for (JobJars.Job job : JobJars.all()) {
            jobIds.put(job.name(), submit(rest, job, job.jar(), null));
        }
        assertThat(rest.jobs()).extracting(FlinkRest.JobSummary::state)
                .containsExactly("RUNNING", "RUNNING", "RUNNING", "RUNNING");

        // One case per detector: a furious survey, a callback promise left to expire, a parcel
        // whose route crosses a storm.
        interaction(Interactions.event("r1-survey", "r1").survey(SurveyKind.CSAT, 1)
                .channel(Channel.SURVEY).at(at(1)).customerName("Ana Silva").build());
        callback("s1", "p-s1", CallbackEvent.newBuilder().setEventId("p-s1").setCommitmentId("cb-s1")
                .setCustomerId("s1").setCustomerName("Rui Costa").setCaseId("K1")
                .setType(CallbackType.PROMISED).setOccurredAt(at(0)).setDueAt(at(30))
                .setAgentId("a7").setChannel(Channel.PHONE).build());
        kafka.produce(TOPICS.disruptions(), "C", DisruptionEvent.newBuilder().setDisruptionId("storm-1")
                .setRegionId("C").setKind(DisruptionKind.STORM).setSeverity(4)
                .setExpectedDelayMinutes(40 * 60).setStartsAt(at(15 * 60)).setEndsAt(at(40 * 60))
                .setIssuedAt(at(2)).build());
        kafka.produce(TOPICS.shipments(), "o1", ShipmentEvent.newBuilder().setEventId("o1-shipped")
                .setOrderId("o1").setCustomerId("p1").setCarrier("ACME").setType(ShipmentType.SHIPPED)
                .setOccurredAt(at(3)).setRegionId("A").setOriginRegionId("A")
                .setRemainingRoute(List.of("B", "C", "D")).setPromisedBy(at(56 * 60))
                .setOrderValueCents(8000).setCurrency("EUR").setCustomerTier(CustomerTier.STANDARD)
                .build());
        TICKER.scheduleWithFixedDelay(LocalClusterITCase::tick, 1, 1, TimeUnit.SECONDS);

        List<Alert> detected = awaitTicking(TOPICS.alerts(), alerts -> kinds(alerts).containsAll(
                List.of(AlertKind.AT_RISK_CUSTOMER, AlertKind.CALLBACK_BREACHED,
                        AlertKind.SHIPPING_DELAY_PREDICTED)), "an alert of each detector");
        Alert opened = only(detected, "r1");
        assertThat(opened.getStatus()).isEqualTo(AlertStatus.OPEN);
        assertThat(opened.getRevision()).isZero();
        awaitTicking(TOPICS.responderQueue(), items -> customers(items).containsAll(List.of("r1", "s1")),
                "responder items for r1 and s1");
        awaitTicking(TOPICS.outreachQueue(), items -> customers(items).contains("p1"),
                "the outreach for p1");

        // Upgrade: stop with a savepoint, write while the job is down, resume the new build.
        String savepoint = rest.stopWithSavepoint(jobIds.get(JobJars.AT_RISK_SCORING.name()),
                cluster.savepointDir().toUri().toString(), WAIT);
        assertThat(rest.awaitTerminal(jobIds.get(JobJars.AT_RISK_SCORING.name()), WAIT))
                .isEqualTo("FINISHED");
        int now = 120 + CLOCK.get();
        interaction(Interactions.event("r1-complaint", "r1").type(InteractionType.COMPLAINT)
                .channel(Channel.EMAIL).at(at(now)).text("third time I write about this").build());
        interaction(Interactions.event("r3-survey", "r3").survey(SurveyKind.CSAT, 1)
                .channel(Channel.SURVEY).at(at(now)).customerName("Eva Lopes").build());
        Path evolvedJar = EvolvedJobJar.build(JobJars.AT_RISK_SCORING.jar(), temp.resolve("evolved"));
        try (URLClassLoader build = new URLClassLoader(new URL[] {evolvedJar.toUri().toURL()}, null)) {
            assertThat(build.loadClass(EvolvedJobJar.STATE_CLASS.replace('/', '.'))
                    .getField(EvolvedJobJar.ADDED_FIELD).getType()).isEqualTo(String.class);
        }
        String resumed = submit(rest, JobJars.AT_RISK_SCORING, evolvedJar, savepoint);
        assertThat(rest.job(resumed).path("state").asText()).isEqualTo("RUNNING");

        List<Alert> alerts = awaitTicking(TOPICS.alerts(), all -> scoring(all).size() >= 3,
                "the scoring alerts written after the restore");
        // Only the restored state knows r1's open alert: a fresh start would open a new one.
        assertThat(scoring(alerts)).extracting(a -> a.getCustomerId() + " " + a.getAlertId()
                        + "#" + a.getRevision() + " " + a.getStatus())
                .containsExactlyInAnyOrder(
                        "r1 " + opened.getAlertId() + "#0 OPEN",
                        "r1 " + opened.getAlertId() + "#1 UPDATED",
                        "r3 " + only(alerts, "r3").getAlertId() + "#0 OPEN");
        List<Alert> responder = awaitTicking(TOPICS.responderQueue(),
                items -> customers(items).contains("r3") && items.stream().anyMatch(
                        i -> i.getCustomerId().equals("r1") && i.getStatus() == AlertStatus.UPDATED),
                "the responder items after the restore");
        List<Alert> outreach = kafka.readAll(TOPICS.outreachQueue(), Alert.class);
        for (List<Alert> topic : List.of(alerts, responder, outreach)) {
            assertThat(topic).extracting(a -> a.getAlertId() + "#" + a.getRevision())
                    .doesNotHaveDuplicates();
        }
        assertThat(kafka.readAll(TOPICS.deadLetter(), DeadLetter.class)).isEmpty();
        assertThat(rest.jobs()).filteredOn(job -> job.state().equals("RUNNING")).hasSize(4);

        // The password went to every job as a program argument and must show up nowhere.
        List<String> leaks = new ArrayList<>();
        try (Stream<Path> files = Files.walk(cluster.logDir())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (Files.readString(file, StandardCharsets.ISO_8859_1).contains(SECRET)) {
                    leaks.add(file.getFileName().toString());
                }
            }
        }
        Stream.of(alerts, responder, outreach).flatMap(List::stream)
                .filter(a -> a.toString().contains(SECRET)).forEach(a -> leaks.add(a.getAlertId()));
        assertThat(leaks).isEmpty();
    }

    private static String submit(FlinkRest rest, JobJars.Job job, Path jar, String savepoint)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("--bootstrap", broker.bootstrap(),
                "--max-out-of-order", "1s", "--allowed-lateness", "1d",
                // Unused on a PLAINTEXT listener; here to prove that no secret is ever logged.
                "--kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule"
                        + " required username=\"ews\" password=\"" + SECRET + "\";"));
        switch (job.name()) {
            case "shipping-delay" -> args.addAll(List.of("--shipping.regions", "A,B,C,D",
                    "--shipping.budget.EUR", "2000"));
            case "alert-router" -> {
                args.addAll(List.of("--router.group-wait", "5s"));
                // No escalations within the few hours of event time this test covers.
                for (String severity : List.of("info", "warning", "high", "critical")) {
                    args.addAll(List.of("--router.ack-deadline." + severity, "7d"));
                }
            }
            default -> { }
        }
        FlinkRest.Run run = FlinkRest.Run.of(job.mainClass(), args);
        String jobId = rest.run(rest.uploadJar(jar), savepoint == null ? run : run.fromSavepoint(savepoint));
        rest.awaitRunning(jobId, WAIT);
        return jobId;
    }

    /** Reads {@code topic} until {@code done}, while the clock moves event time on. */
    private static List<Alert> awaitTicking(String topic, Predicate<List<Alert>> done, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<Alert> alerts;
        do {
            alerts = kafka.readAll(topic, Alert.class);
            if (done.test(alerts)) {
                return alerts;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no " + what + " in " + topic + " within " + WAIT + "; it holds "
                + alerts.stream().map(a -> a.getCustomerId() + " " + a.getKind() + " "
                        + a.getStatus() + " " + a.getAlertId() + "#" + a.getRevision()).toList()
                + "; dead letters: " + kafka.readAll(TOPICS.deadLetter(), DeadLetter.class).stream()
                        .map(d -> d.getJob() + " " + d.getReason()).toList());
    }

    /** Moves every job's main input to the next event-time minute. */
    private static void tick() {
        try {
            writeTick(120 + CLOCK.incrementAndGet());
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: say why the clock stopped.
            e.printStackTrace();
            throw e;
        }
    }

    private static void writeTick(int minute) {
        String customer = "clock-" + minute;
        interaction(Interactions.event("tick-i-" + minute, customer).type(InteractionType.MESSAGE)
                .channel(Channel.CHAT).at(at(minute)).build());
        callback(customer, "tick-c-" + minute, CallbackEvent.newBuilder()
                .setEventId("tick-c-" + minute).setCommitmentId("tick-" + minute)
                .setCustomerId(customer).setType(CallbackType.PROMISED).setOccurredAt(at(minute))
                .setDueAt(at(minute + 60 * 24 * 20)).setChannel(Channel.PHONE).build());
        // A parcel far from any storm, for the shipping-delay job's clock.
        kafka.produce(TOPICS.shipments(), customer, ShipmentEvent.newBuilder()
                .setEventId("tick-s-" + minute).setOrderId(customer).setCustomerId(customer)
                .setCarrier("ACME").setType(ShipmentType.SCANNED).setOccurredAt(at(minute))
                .setRegionId("D").setOriginRegionId("A").setRemainingRoute(List.of("D"))
                .setPromisedBy(at(minute + 60 * 24 * 20)).setOrderValueCents(1000)
                .setCurrency("EUR").setCustomerTier(CustomerTier.STANDARD).build());
    }

    private static void interaction(InteractionEvent event) {
        kafka.produce(TOPICS.interactions(), event.getCustomerId(), event);
    }

    private static void callback(String customer, String id, CallbackEvent event) {
        kafka.produce(TOPICS.callbacks(), customer, event);
    }

    private static List<Alert> scoring(List<Alert> alerts) {
        return alerts.stream().filter(a -> a.getSourceJob().equals(JobJars.AT_RISK_SCORING.name()))
                .toList();
    }

    private static Alert only(List<Alert> alerts, String customer) {
        return scoring(alerts).stream().filter(a -> a.getCustomerId().equals(customer))
                .filter(a -> a.getStatus() == AlertStatus.OPEN).findFirst()
                .orElseThrow(() -> new AssertionError("no scoring alert opened for " + customer));
    }

    private static List<AlertKind> kinds(List<Alert> alerts) {
        return alerts.stream().map(Alert::getKind).toList();
    }

    private static List<String> customers(List<Alert> alerts) {
        return alerts.stream().map(Alert::getCustomerId).toList();
    }

    private static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }
}
