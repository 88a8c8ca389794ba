package dev.earlywarning.cli;

import dev.earlywarning.cli.alerts.TopicFollower;
import dev.earlywarning.common.kafka.AvroCodec;
import dev.earlywarning.router.Acks;
import dev.earlywarning.schema.AckAction;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertAck;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ews ack}: a responder acknowledges (or resolves) a queue item. The ack is keyed by the
 * item's customer, so that it reaches the router instance that holds the item; the customer is
 * looked up in the responder queue unless given.
 */
@Command(name = "ack", mixinStandardHelpOptions = true,
        description = {"Acknowledges a responder-queue item, writing an AlertAck to ews.alert-acks.",
            "ALERT_ID is the item's id, the id of an alert grouped into it, or of one of its"
                    + " escalations (as ews alerts tail shows them). Acknowledging stops the"
                    + " escalation; the loop closes when the customer is contacted (or with"
                    + " --resolve, which records that no contact was needed)."})
public final class AckCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ALERT_ID", description = "The item or alert to acknowledge.")
    String alertId;

    @Option(names = "--by", required = true, paramLabel = "NAME", description = "Who acknowledges.")
    String responder;

    @Option(names = "--resolve", description = "Resolve the item instead of only acknowledging it.")
    boolean resolve;

    @Option(names = "--snooze", description = "Postpone the escalation instead of acknowledging.")
    boolean snooze;

    @Option(names = "--note", paramLabel = "TEXT", description = "A note for the item's history.")
    String note;

    @Option(names = "--customer", paramLabel = "ID",
            description = "The item's customer; default: looked up in the responder queue.")
    String customer;

    @Option(names = "--at", paramLabel = "INSTANT",
            description = "When the ack happened, ISO-8601 (e.g. 2026-03-02T10:15:00Z); default:"
                    + " now. The router applies it in event time.")
    String at;

    @Mixin
    KafkaOptions kafka;

    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(30);

    @Override
    public Integer call() throws Exception {
        if (resolve && snooze) {
            throw new IllegalStateException("--resolve and --snooze exclude each other");
        }
        Instant occurredAt = occurredAt();
        AckAction action = resolve ? AckAction.RESOLVED
                : snooze ? AckAction.SNOOZED : AckAction.ACKNOWLEDGED;
        String topic = kafka.topics().responderQueue();
        String customerId = customer != null ? customer
                : findCustomer(kafka.clientProperties(), topic, alertId.strip()).orElseThrow(() ->
                        new IllegalStateException("no item with alert id '" + alertId.strip()
                                + "' in " + topic + "; check the id (ews alerts tail"
                                + " --from-beginning lists the items) or name the customer with"
                                + " --customer"));
        AlertAck ack;
        try {
            ack = Acks.build(alertId, customerId, responder, action, occurredAt, note);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage());
        }
        send(ack);
        System.out.println(action.name().toLowerCase() + " " + ack.getAlertId() + " (customer "
                + customerId + ") by " + ack.getResponder() + " at " + occurredAt + " -> "
                + kafka.topics().alertAcks());
        return 0;
    }

    private Instant occurredAt() {
        if (at == null) {
            return Instant.now();
        }
        try {
            return Instant.parse(at.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalStateException("--at '" + at + "' is not an ISO-8601 instant such as"
                    + " 2026-03-02T10:15:00Z");
        }
    }

    /**
     * The customer of the responder-queue item that {@code alertId} names: the item itself, an
     * escalation of it, or an alert grouped into it. Reads the committed queue to its end.
     */
    static Optional<String> findCustomer(Properties clients, String topic, String alertId) {
        AvroCodec<Alert> codec = new AvroCodec<>(Alert.class);
        long deadline = System.nanoTime() + LOOKUP_TIMEOUT.toNanos();
        try (TopicFollower queue = new TopicFollower(clients, List.of(topic), true,
                Duration.ofSeconds(10))) {
            while (!queue.caughtUp()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within "
                            + LOOKUP_TIMEOUT.toSeconds() + " s; give the customer with --customer");
                }
                for (ConsumerRecord<byte[], byte[]> record : queue.poll(Duration.ofMillis(500))) {
                    try {
                        Alert item = codec.decode(record.value());
                        if (names(item, alertId)) {
                            return Optional.of(item.getCustomerId());
                        }
                    } catch (AvroCodec.DecodeException e) {
                        // not an item: nothing to match
                    }
                }
            }
        }
        return Optional.empty();
    }

    static boolean names(Alert item, String alertId) {
        return item.getAlertId().equals(alertId)
                || Arrays.asList(item.getAttributes().getOrDefault("groupedAlertIds", "")
                        .split(",")).contains(alertId);
    }

    private void send(AlertAck ack) throws InterruptedException {
        Properties properties = new Properties();
        properties.putAll(kafka.clientProperties());
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "ews-ack");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties,
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(kafka.topics().alertAcks(), null,
                    ack.getOccurredAt().toEpochMilli(), ack.getCustomerId(),
                    new AvroCodec<>(AlertAck.class).encode(ack))).get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer from Kafka at " + kafka.bootstrap
                    + " within 60 s; the ack was not written");
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not write the ack to " + kafka.topics().alertAcks()
                    + ": " + e.getCause().getMessage());
        }
    }
}
