package dev.earlywarning.cluster;

import dev.earlywarning.common.kafka.AvroCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A test's view of a broker outside this JVM: writes records single-object encoded as the
 * contract wants, and reads whole topics as every consumer of our topics does
 * ({@code read_committed}).
 */
final class TopicClient implements AutoCloseable {

    private final Properties client;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<Class<?>, AvroCodec<?>> codecs = new ConcurrentHashMap<>();

    TopicClient(Properties client) {
        this.client = client;
        Properties producerProperties = new Properties();
        producerProperties.putAll(client);
        producerProperties.put("acks", "all");
        producerProperties.put("enable.idempotence", "true");
        this.producer = new KafkaProducer<>(producerProperties, new StringSerializer(),
                new ByteArraySerializer());
    }

    /** Safe from several threads: the clock of a test writes beside its main thread. */
    synchronized <T extends SpecificRecordBase> void produce(String topic, String key, T record) {
        try {
            producer.send(new ProducerRecord<>(topic, key, codec(record.getClass()).encode(record)))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to " + topic, e);
        }
    }

    /** Every committed record of {@code topic} up to its last stable offset now. */
    <T extends SpecificRecordBase> List<T> readAll(String topic, Class<T> type) {
        Properties properties = new Properties();
        properties.putAll(client);
        properties.put("isolation.level", "read_committed");
        properties.put("enable.auto.commit", "false");
        AvroCodec<T> codec = codec(type);
        List<T> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties,
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10))
                    .stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // With read_committed, the end offsets are the last stable offsets.
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        records.add(codec.decode(record.value()));
                    } catch (AvroCodec.DecodeException e) {
                        throw new AssertionError("a record in " + topic + " is not a " + type, e);
                    }
                }
            }
        }
        return records;
    }

    /** Reads {@code topic} again and again until {@code done} holds for what it holds. */
    <T extends SpecificRecordBase> List<T> awaitRecords(String topic, Class<T> type,
            Predicate<List<T>> done, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<T> records;
        do {
            records = readAll(topic, type);
            if (done.test(records)) {
                return records;
            }
            sleep(Duration.ofMillis(500));
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no " + what + " in " + topic + " within " + timeout
                + "; it holds " + records.size() + " records: " + records.stream()
                        .map(Object::toString).map(s -> s.length() > 300 ? s.substring(0, 300) : s)
                        .toList());
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecordBase> AvroCodec<T> codec(Class<?> type) {
        return (AvroCodec<T>) codecs.computeIfAbsent(type, t -> new AvroCodec<>((Class<T>) t));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
