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
import java.util.concurrent.Future;
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
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a test does with a real Kafka broker, whichever it is (the in-JVM {@link KafkaTestCluster}
 * or a broker in its own process): create topics, write Avro or raw bytes, and read back what was
 * committed. Clients reconnect by themselves, so one instance survives a restart of its broker on
 * the same address.
 *
 * <p>Readers see only committed records, as every consumer of our topics does.
 */
public final class KafkaTestClient implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final AtomicInteger FRESH = new AtomicInteger();

    private final String bootstrap;
    private final Map<Class<?>, AvroCodec<?>> codecs = new ConcurrentHashMap<>();
    private final Admin admin;
    private final KafkaProducer<String, byte[]> producer;

    public KafkaTestClient(String bootstrap) {
        this.bootstrap = bootstrap;
        Properties client = new Properties();
        client.put("bootstrap.servers", bootstrap);
        admin = Admin.create(client);

        Properties producerProps = new Properties();
        producerProps.putAll(client);
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        producer = new KafkaProducer<>(producerProps, new StringSerializer(),
                new ByteArraySerializer());
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    /** Creates the topics (one replica each) and returns once the broker serves all of them. */
    public void createTopics(int partitions, String... topics) {
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

    /**
     * Writes many records at once (in order per key) and returns when all are acknowledged: for
     * volumes where one round trip per record would dominate a test's time.
     */
    public void produceAll(String topic, List<Map.Entry<String, byte[]>> keysAndValues) {
        List<Future<RecordMetadata>> sends = new ArrayList<>(keysAndValues.size());
        for (Map.Entry<String, byte[]> record : keysAndValues) {
            sends.add(producer.send(new ProducerRecord<>(topic, record.getKey(), record.getValue())));
        }
        producer.flush();
        try {
            for (Future<RecordMetadata> send : sends) {
                send.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write to " + topic, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Single-object encoded, as every topic of the contract expects. */
    public <T extends SpecificRecordBase> byte[] encode(T record) {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) record.getClass();
        return codec(type).encode(record);
    }

    /** Writes arbitrary bytes, e.g. to see how a job copes with a record that is not Avro. */
    public void produceRaw(String topic, String key, byte[] value) {
        try {
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

}
