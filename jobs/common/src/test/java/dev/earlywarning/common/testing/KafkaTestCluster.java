package dev.earlywarning.common.testing;

import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.kafka.AvroCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker (one combined KRaft node) in the test JVM, started once per test class:
 * {@code @RegisterExtension static final KafkaTestCluster KAFKA = new KafkaTestCluster();}.
 *
 * <p>Topics are never auto-created, so a job that reads or writes a topic nobody created fails
 * like it would in production. Tests isolate themselves with {@link #freshTopics(String)} instead
 * of cleaning up. Readers see only committed records, as every consumer of our topics does.
 */
public final class KafkaTestCluster implements BeforeAllCallback, AfterAllCallback {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final AtomicInteger FRESH = new AtomicInteger();

    private final Map<Class<?>, AvroCodec<?>> codecs = new ConcurrentHashMap<>();
    private KafkaClusterTestKit cluster;
    private Admin admin;
    private KafkaProducer<String, byte[]> producer;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build();
        cluster = new KafkaClusterTestKit.Builder(nodes)
                // One broker: the internal topics cannot have the default three replicas.
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();

        Properties client = new Properties();
        client.put("bootstrap.servers", cluster.bootstrapServers());
        admin = Admin.create(client);

        Properties producerProps = new Properties();
        producerProps.putAll(client);
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                new ByteArraySerializer());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    public String bootstrapServers() {
        return started().bootstrapServers();
    }

    /** Creates the topics (one replica each) and returns once the broker serves all of them. */
    public void createTopics(int partitions, String... topics) {
        started();
        List<NewTopic> newTopics = new ArrayList<>();
        for (String topic : topics) {
            newTopics.add(new NewTopic(topic, partitions, (short) 1));
        }
        try {
            admin.createTopics(newTopics).all().get();
            // The controller acknowledges creation before the broker serves the partitions.
            awaitTopics(List.of(topics), partitions);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics " + List.of(topics), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every topic of the contract under a name no other call returns, created with 2 partitions. */
    public Topics freshTopics(String prefix) {
        String unique = prefix.replaceAll("[^A-Za-z0-9_-]", "-") + FRESH.incrementAndGet() + ".";
        List<String> names = Topics.defaults().all().stream().map(name -> unique + name).toList();
        createTopics(2, names.toArray(String[]::new));
        return new Topics(names.get(0), names.get(1), names.get(2), names.get(3), names.get(4),
                names.get(5), names.get(6), names.get(7), names.get(8), names.get(9));
    }

    /** Writes one record, single-object encoded as every topic of the contract expects. */
    public <T extends SpecificRecordBase> void produce(String topic, String key, T record) {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) record.getClass();
        produceRaw(topic, key, codec(type).encode(record));
    }

    /** Writes arbitrary bytes, e.g. to see how a job copes with a record that is not Avro. */
    public void produceRaw(String topic, String key, byte[] value) {
        try {
            started();
            producer.send(new ProducerRecord<>(topic, key, value)).get();
            producer.flush();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write to " + topic, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The committed records of {@code topic} from its beginning, once at least {@code atLeast} have
     * arrived or when {@code timeout} has passed; then it returns what it has, so a test can assert
     * on the shortfall with a useful message instead of a timeout.
     */
    public <T extends SpecificRecordBase> List<T> readCommitted(String topic, Class<T> type,
            int atLeast, Duration timeout) {
        return read(topic, type, timeout, (records, sinceLast) -> records.size() >= atLeast);
    }

    /**
     * The committed records of {@code topic} from its beginning, once no new one arrived for
     * {@code quiet} (or {@code timeout} has passed): for asserting that nothing more shows up.
     */
    public <T extends SpecificRecordBase> List<T> readCommittedUntilQuiet(String topic,
            Class<T> type, Duration quiet, Duration timeout) {
        return read(topic, type, timeout, (records, sinceLast) -> sinceLast.compareTo(quiet) >= 0);
    }

    /**
     * The settings a job needs to run against this broker with these topics, as a new mutable map
     * so that a test can add its own.
     */
    public Map<String, String> settingsFor(Topics topics, String groupId) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bootstrap", bootstrapServers());
        settings.put("group-id", groupId);
        settings.put("topic.interactions", topics.interactions());
        settings.put("topic.callbacks", topics.callbacks());
        settings.put("topic.shipments", topics.shipments());
        settings.put("topic.disruptions", topics.disruptions());
        settings.put("topic.alerts", topics.alerts());
        settings.put("topic.responder-queue", topics.responderQueue());
        settings.put("topic.outreach-queue", topics.outreachQueue());
        settings.put("topic.alert-acks", topics.alertAcks());
        settings.put("topic.control", topics.control());
        settings.put("topic.dead-letter", topics.deadLetter());
        return settings;
    }

    private <T extends SpecificRecordBase> List<T> read(String topic, Class<T> type,
            Duration timeout, BiPredicate<List<T>, Duration> done) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        AvroCodec<T> codec = codec(type);
        List<T> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props,
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            long lastArrival = System.nanoTime();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    records.add(decode(codec, record));
                    lastArrival = System.nanoTime();
                }
                if (done.test(records, Duration.ofNanos(System.nanoTime() - lastArrival))) {
                    break;
                }
            }
        }
        return records;
    }

    private static <T extends SpecificRecordBase> T decode(AvroCodec<T> codec,
            ConsumerRecord<byte[], byte[]> record) {
        try {
            return codec.decode(record.value());
        } catch (AvroCodec.DecodeException e) {
            throw new IllegalStateException("record " + record.topic() + "-" + record.partition()
                    + "@" + record.offset() + " is not a " + codec.type().getSimpleName() + ": "
                    + e.reason().describe(e.getMessage()), e);
        }
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecordBase> AvroCodec<T> codec(Class<T> type) {
        return (AvroCodec<T>) codecs.computeIfAbsent(type, t -> new AvroCodec<>(type));
    }

    /** Listing offsets needs each partition's leader to be serving, not just to be known. */
    private void awaitTopics(List<String> topics, int partitions)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (String topic : topics) {
            for (int partition = 0; partition < partitions; partition++) {
                latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                admin.listOffsets(latest).all().get();
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private KafkaClusterTestKit started() {
        if (cluster == null) {
            throw new IllegalStateException("KafkaTestCluster is not started: register it as a"
                    + " static field with @RegisterExtension");
        }
        return cluster;
    }
}
