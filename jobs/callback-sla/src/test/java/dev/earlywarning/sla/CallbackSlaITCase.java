package dev.earlywarning.sla;

import static dev.earlywarning.sla.Callbacks.at;
import static dev.earlywarning.sla.Callbacks.attempted;
import static dev.earlywarning.sla.Callbacks.completed;
import static dev.earlywarning.sla.Callbacks.promised;
import static dev.earlywarning.sla.Callbacks.rescheduled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.testing.Interactions;
import dev.earlywarning.common.testing.JobRunner;
import dev.earlywarning.common.testing.KafkaTestCluster;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.CallbackEvent;
import dev.earlywarning.schema.CallbackOutcome;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.DeadLetter;
import dev.earlywarning.schema.Direction;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The callback SLA job end to end: real broker, Avro on the wire, RocksDB, exactly-once sinks. */
class CallbackSlaITCase {

    @RegisterExtension
    static final KafkaTestCluster KAFKA = new KafkaTestCluster();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final int CUSTOMERS = 20;
    private static final int DUE = 330;

    @TempDir
    Path temp;

    @Test
    void watchesCommitmentsFromBothTopicsAndDeadLettersWhatItCannotUse() throws Exception {
        Topics topics = KAFKA.freshTopics("sla");
        Outbox outbox = new Outbox(topics);
        for (int i = 0; i < CUSTOMERS; i++) {
            String customer = "cust-" + i;
            String commitment = "cb-" + i;
            switch (i % 5) {
                case 0 -> outbox.callbacks(customer, promised("p" + i, commitment, 0, DUE),
                        completed("c" + i, commitment, 300));
                case 1 -> outbox.callbacks(customer, promised("p" + i, commitment, 0, DUE),
                        promised("p" + i, commitment, 0, DUE),
                        attempted("t" + i, commitment, DUE + 1, CallbackOutcome.NO_ANSWER),
                        attempted("u" + i, commitment, DUE + 3, CallbackOutcome.BUSY));
                case 2 -> outbox.interactions(dropped("d" + i, customer));
                case 3 -> outbox.interactions(dropped("d" + i, customer),
                        event("o" + i, customer, 105, InteractionType.OUTBOUND_CONTACT)
                                .direction(Direction.OUTBOUND).build());
                default -> outbox.interactions(event("f" + i, customer, 100,
                                InteractionType.CONTACT_ENDED).caseId("K" + i)
                        .attribute("followUpBy", at(220).toString()).build());
            }
        }
        outbox.callbacks("cust-0", rescheduled("r0", "cb-0", 310, 400));
        outbox.callbacks("cust-1", promised("bad-due", "cb-x", 60, 30));
        outbox.callbacks("cust-2", attempted("orphan", "cb-unknown", 50, CallbackOutcome.BUSY));

        KAFKA.produceRaw(topics.callbacks(), "cust-0", "not avro".getBytes(StandardCharsets.UTF_8));
        outbox.sendInEventTimeOrder();

        JobClient job = JobRunner.runBounded(CallbackSlaJob::wire, CallbackSlaJob.NAME,
                KAFKA.settingsFor(topics, "it-sla"),
                temp.resolve("checkpoints"));
        job.getJobExecutionResult().get();
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.FINISHED);

        List<Alert> alerts = KAFKA.readCommittedUntilQuiet(topics.alerts(), Alert.class,
                Duration.ofSeconds(2), Duration.ofSeconds(30));
        Map<String, List<String>> byCustomer = alerts.stream().collect(Collectors.groupingBy(
                Alert::getCustomerId,
                Collectors.mapping(a -> a.getKind() + "/" + a.getStatus(), Collectors.toList())));
        for (int i = 0; i < CUSTOMERS; i++) {
            List<String> kinds = byCustomer.getOrDefault("cust-" + i, List.of());
            switch (i % 5) {
                case 0, 3 -> assertThat(kinds).as("kept cust-%d", i).isEmpty();
                case 1 -> assertThat(kinds).as("breached cust-%d", i).containsExactly(
                        "CALLBACK_DUE_SOON/OPEN", "CALLBACK_DUE_SOON/RESOLVED",
                        "CALLBACK_BREACHED/OPEN");
                case 2 -> assertThat(kinds).as("dropped cust-%d", i)
                        .containsExactly("CALLBACK_BREACHED/OPEN");
                default -> assertThat(kinds).as("follow-up cust-%d", i).containsExactly(
                        "CALLBACK_DUE_SOON/OPEN", "CALLBACK_DUE_SOON/RESOLVED",
                        "FOLLOW_UP_OVERDUE/OPEN");
            }
        }
        assertThat(alerts).filteredOn(a -> a.getCustomerId().equals("cust-1")
                        && a.getKind() == AlertKind.CALLBACK_BREACHED).singleElement()
                .satisfies(a -> assertThat(a.getSuggestedAction())
                        .isEqualTo("Call Ana Silva now: promised 14:30, two unanswered attempts."));
        assertThat(alerts).extracting(a -> a.getAlertId() + "#" + a.getRevision())
                .doesNotHaveDuplicates();

        List<DeadLetter> deadLetters = KAFKA.readCommittedUntilQuiet(topics.deadLetter(),
                DeadLetter.class, Duration.ofSeconds(2), Duration.ofSeconds(30));
        assertThat(deadLetters).extracting(d -> d.getReason().substring(0, d.getReason().indexOf(':')))
                .containsExactlyInAnyOrder("undecodable", "invalid", "invalid", "invalid");
        assertThat(deadLetters).extracting(DeadLetter::getReason).anySatisfy(reason ->
                        assertThat(reason).contains("after commitment cb-0 was already completed"))
                .anySatisfy(reason -> assertThat(reason).contains("dueAt"))
                .anySatisfy(reason -> assertThat(reason).contains("unknown commitment cb-unknown"));
        assertThat(deadLetters).allSatisfy(d -> {
            assertThat(d.getPayload().remaining()).isPositive();
            assertThat(d.getJob()).isEqualTo(CallbackSlaJob.NAME);
            assertThat(d.getSourceTopic()).isEqualTo(topics.callbacks());
        });
    }

    @Test
    void aDeadlineThatPassesWhileStoppedFiresOnceAfterRestoreAndAKeptOneNever() throws Exception {
        Topics topics = KAFKA.freshTopics("restore");
        Map<String, String> settings = KAFKA.settingsFor(topics, "it-restore");
        settings.put("max-out-of-order", "1s");
        callbacks(topics, "due", promised("p-due", "cb-due", 0, DUE));
        callbacks(topics, "kept", promised("p-kept", "cb-kept", 0, DUE));
        // Every partition of both topics moves past the warnings, none past the deadline.
        tick(topics, DUE - 10);

        JobClient first = JobRunner.runUnbounded(CallbackSlaJob::wire, CallbackSlaJob.NAME,
                settings, temp.resolve("first"), null);
        List<Alert> warnings = KAFKA.readCommitted(topics.alerts(), Alert.class, 2,
                Duration.ofSeconds(60));
        assertThat(warnings).extracting(Alert::getKind).containsExactly(
                AlertKind.CALLBACK_DUE_SOON, AlertKind.CALLBACK_DUE_SOON);
        String savepoint = first.stopWithSavepoint(false,
                temp.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL).get();

        // While stopped: one promise is kept before its deadline, then time passes both deadlines.
        callbacks(topics, "kept", completed("c-kept", "cb-kept", DUE - 5).setCustomerId("kept"));
        tick(topics, DUE + 40);

        JobClient second = JobRunner.runUnbounded(CallbackSlaJob::wire, CallbackSlaJob.NAME,
                settings, temp.resolve("second"), savepoint);
        KAFKA.readCommitted(topics.alerts(), Alert.class, 5, Duration.ofSeconds(60));
        List<Alert> alerts = KAFKA.readCommittedUntilQuiet(topics.alerts(), Alert.class,
                Duration.ofSeconds(3), Duration.ofSeconds(30));
        second.cancel().get();

        assertThat(alerts).filteredOn(a -> a.getKind() == AlertKind.CALLBACK_BREACHED)
                .singleElement().satisfies(breach -> {
                    assertThat(breach.getCustomerId()).isEqualTo("due");
                    assertThat(breach.getTriggeredAt()).isEqualTo(at(DUE + 15));
                });
        assertThat(alerts).filteredOn(a -> a.getCustomerId().equals("kept"))
                .extracting(Alert::getStatus, a -> a.getReasons().get(0).getSignal())
                .containsExactly(tuple(AlertStatus.OPEN, "COMMITMENT"),
                        tuple(AlertStatus.RESOLVED, "kept"));
        assertThat(alerts).hasSize(5).extracting(a -> a.getAlertId() + "#" + a.getRevision())
                .doesNotHaveDuplicates();
    }

    /**
     * Harmless records on every partition of both topics at {@code minute}, so that each
     * partition's watermark passes the minute before it (no partition is left behind or idle).
     */
    private static void tick(Topics topics, int minute) {
        for (int partition = 0; partition < 2; partition++) {
            String customer = customerOnPartition(partition);
            interactions(topics, event("tick-i-" + minute + "-" + partition, customer, minute,
                    InteractionType.MESSAGE).build());
            callbacks(topics, customer, promised("tick-c-" + minute + "-" + partition,
                    "tick-" + minute, minute, minute + 60 * 24 * 30));
        }
    }

    /** A customer id that the default partitioner puts on {@code partition} of two. */
    private static String customerOnPartition(int partition) {
        for (int i = 0; ; i++) {
            String key = "clock-" + i;
            if (Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % 2
                    == partition) {
                return key;
            }
        }
    }

    private static InteractionEvent dropped(String id, String customer) {
        return event(id, customer, 100, InteractionType.DISCONNECTED).channel(Channel.PHONE)
                .caseId("K1").build();
    }

    private static Interactions event(String id, String customer, int minute, InteractionType type) {
        return Interactions.event(id, customer).type(type).at(at(minute)).customerName("Ana Silva");
    }

    private static void callbacks(Topics topics, String customer, CallbackEvent.Builder... events) {
        for (CallbackEvent.Builder event : events) {
            KAFKA.produce(topics.callbacks(), customer, event.setCustomerId(customer).build());
        }
    }

    private static void interactions(Topics topics, InteractionEvent... events) {
        for (InteractionEvent event : events) {
            KAFKA.produce(topics.interactions(), event.getCustomerId(), event);
        }
    }

    /**
     * Collects a test's records and sends each topic's in event-time order. Sent in the order they
     * are written, one customer's promise at minute 0 would follow another's records at minute 333
     * on the same partition, and a watermark that happened to move in between would make it late.
     */
    private static final class Outbox {
        private final Topics topics;
        private final List<Map.Entry<Instant, Runnable>> records = new ArrayList<>();

        Outbox(Topics topics) {
            this.topics = topics;
        }

        void callbacks(String customer, CallbackEvent.Builder... events) {
            for (CallbackEvent.Builder event : events) {
                CallbackEvent record = event.setCustomerId(customer).build();
                records.add(Map.entry(record.getOccurredAt(),
                        () -> KAFKA.produce(topics.callbacks(), customer, record)));
            }
        }

        void interactions(InteractionEvent... events) {
            for (InteractionEvent event : events) {
                records.add(Map.entry(event.getOccurredAt(), () ->
                        KAFKA.produce(topics.interactions(), event.getCustomerId(), event)));
            }
        }

        /** A stable sort: records of the same moment keep the order they were written in. */
        void sendInEventTimeOrder() {
            records.sort(Map.Entry.comparingByKey());
            records.forEach(record -> record.getValue().run());
        }
    }
}
