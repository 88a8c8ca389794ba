package dev.earlywarning.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.cli.local.JobCatalog;
import dev.earlywarning.cli.local.LocalFlink;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.testing.Interactions;
import dev.earlywarning.common.testing.KafkaTestCluster;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.Audience;
import dev.earlywarning.schema.InteractionType;
import dev.earlywarning.schema.Severity;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ews ack} against the real alert router (embedded, real broker): an unacknowledged item
 * escalates, the ack a responder types stops the chain, and a wrong id is refused.
 *
 * <p>Event time is driven by a clock customer's interactions, written every 200 ms at the time
 * the test sets; the idle topics (acks, alerts between writes) stop holding the watermark back
 * after a second.
 */
class AckCommandITCase {

    @RegisterExtension
    static final KafkaTestCluster KAFKA = new KafkaTestCluster();

    private static final Instant T0 = Instant.now().minus(Duration.ofHours(2))
            .truncatedTo(ChronoUnit.SECONDS);

    @TempDir
    Path temp;

    private final AtomicLong eventTime = new AtomicLong(T0.toEpochMilli());
    private volatile boolean ticking = true;
    private Thread clock;
    private JobClient router;

    @AfterEach
    void stop() throws InterruptedException {
        ticking = false;
        if (clock != null) {
            clock.join(5_000);
        }
        if (router != null) {
            LocalFlink.cancel(router, Duration.ofSeconds(30));
        }
    }

    @Test
    void anAckTypedAfterTheFirstEscalationStopsTheChainAndAWrongIdIsRefused() throws Exception {
        Topics topics = KAFKA.freshTopics("ack");
        Map<String, String> settings = KAFKA.settingsFor(topics, "ack-router");
        settings.put("source-idleness", "1s");
        settings.put("max-out-of-order", "1s");
        settings.put("router.group-wait", "0s");
        settings.put("router.ack-deadline.high", "1m");
        // Data first: the clock's interactions drive the router's event time from the start.
        startClock(topics);
        KAFKA.produce(topics.alerts(), "c-1", alert("risk-1", "c-1", T0));
        router = LocalFlink.submit(JobCatalog.ALERT_ROUTER, Settings.of(settings),
                new LocalFlink.Options(temp, 1, Duration.ofMillis(300)));
        // Event time moves past the first deadline only once the alert is in: an alert read
        // after its idle topic let the watermark run ahead would be late.
        eventTime.set(T0.plusSeconds(5).toEpochMilli());
        await(topics, item -> item.getCustomerId().equals("c-1"));
        eventTime.set(T0.plusSeconds(90).toEpochMilli());
        Alert escalation = await(topics, item -> item.getKind() == AlertKind.ALERT_UNACKNOWLEDGED
                && item.getCustomerId().equals("c-1") && item.getEscalationLevel() == 1);

        // The customer is found in the queue: the command names only the escalation.
        List<String> args = new ArrayList<>(List.of("ack", escalation.getAlertId(), "--by",
                "dana", "--note", "calling her now", "--at", T0.plusSeconds(100).toString(),
                "--bootstrap", KAFKA.bootstrapServers()));
        topicSettings(topics).forEach(setting -> args.addAll(List.of("--set", setting)));
        StringWriter err = new StringWriter();
        assertThat(execute(args, err)).as("%s", err).isZero();
        eventTime.set(T0.plusSeconds(110).toEpochMilli());
        await(topics, item -> item.getCustomerId().equals("c-1")
                && "dana".equals(item.getAttributes().get("acknowledgedBy")));

        // A second customer's alert, and the watermark well past c-1's next two deadlines.
        KAFKA.produce(topics.alerts(), "c-2", alert("risk-2", "c-2", T0.plusSeconds(300)));
        eventTime.set(T0.plus(Duration.ofMinutes(12)).toEpochMilli());
        await(topics, item -> item.getKind() == AlertKind.ALERT_UNACKNOWLEDGED
                && item.getCustomerId().equals("c-2") && item.getEscalationLevel() == 3);
        List<Alert> queue = KAFKA.readCommitted(topics.responderQueue(), Alert.class,
                Integer.MAX_VALUE, Duration.ofSeconds(2));
        assertThat(queue).filteredOn(item -> item.getCustomerId().equals("c-1")
                        && item.getKind() == AlertKind.ALERT_UNACKNOWLEDGED
                        && item.getStatus() == AlertStatus.OPEN)
                .extracting(Alert::getEscalationLevel).containsExactly(1);

        List<String> unknown = new ArrayList<>(List.of("ack", "no-such-alert", "--by", "dana",
                "--bootstrap", KAFKA.bootstrapServers()));
        topicSettings(topics).forEach(setting -> unknown.addAll(List.of("--set", setting)));
        StringWriter refused = new StringWriter();
        assertThat(execute(unknown, refused)).isEqualTo(1);
        assertThat(refused.toString()).contains("no item with alert id 'no-such-alert'")
                .contains(topics.responderQueue()).contains("--customer");
    }

    private static int execute(List<String> args, StringWriter err) {
        CommandLine commandLine = Ews.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args.toArray(String[]::new));
    }

    private static List<String> topicSettings(Topics topics) {
        return List.of("topic.responder-queue=" + topics.responderQueue(),
                "topic.alert-acks=" + topics.alertAcks());
    }

    /**
     * Writes the clock customer's interactions at the test's event time until the test ends, each
     * a millisecond later than the one before: a watermark that stood still would never fire a
     * timer set behind it, which is what the router sets for an alert read after the watermark
     * passed it (on a slow machine its topic can start after the clock's).
     */
    private void startClock(Topics topics) {
        clock = new Thread(() -> {
            int n = 0;
            while (ticking) {
                KAFKA.produce(topics.interactions(), "c-clock", Interactions
                        .event("tick-" + n, "c-clock").type(InteractionType.MESSAGE)
                        .at(Instant.ofEpochMilli(eventTime.get() + n)).build());
                n++;
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "event-clock");
        clock.start();
    }

    private static Alert await(Topics topics, Predicate<Alert> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<Alert> queue = List.of();
        while (System.nanoTime() < deadline) {
            queue = KAFKA.readCommitted(topics.responderQueue(), Alert.class, Integer.MAX_VALUE,
                    Duration.ofSeconds(1));
            for (Alert item : queue) {
                if (wanted.test(item)) {
                    return item;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not in the responder queue within 60 s; it holds: " + queue);
    }

    private static Alert alert(String id, String customer, Instant at) {
        return Alert.newBuilder()
                .setAlertId(id)
                .setDedupKey("AT_RISK_CUSTOMER:" + customer)
                .setKind(AlertKind.AT_RISK_CUSTOMER)
                .setSeverity(Severity.HIGH)
                .setStatus(AlertStatus.OPEN)
                .setCustomerId(customer)
                .setTriggeredAt(at)
                .setEmittedAt(at)
                .setSourceJob("at-risk-scoring")
                .setAudience(Audience.RESPONDER)
                .setSuggestedAction("Call the customer back")
                .build();
    }
}
