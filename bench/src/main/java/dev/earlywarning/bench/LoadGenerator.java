package dev.earlywarning.bench;

import dev.earlywarning.common.config.Settings;
import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.kafka.AvroCodec;
import dev.earlywarning.schema.CallbackEvent;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.ShipmentEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Pre-loads a broker with a {@link CustomerLoad}: interactions, callbacks and shipments, Avro
 * single-object encoded with the jobs' own {@link AvroCodec}, keyed as the contract says, from one
 * producer thread tuned for throughput (large batches, linger, lz4).
 *
 * <p>Usage: {@code LoadGenerator [--events 20000000] [--customers 1000000] [--seed 42]
 * [--span 7d] [--partitions 4] [--bootstrap host:port]}. Without {@code --bootstrap} it starts
 * its own broker, loads it, prints the producer's rate and stops it again (a producer benchmark);
 * {@link ThroughputBench} and {@link MemoryBench} call {@link #load} on their broker.
 */
public final class LoadGenerator {

    /** What a load sent, per stream, and how long it took. */
    public record Sent(Map<CustomerLoad.Stream, Long> records, double seconds) {
        long total() {
            return records.values().stream().mapToLong(Long::longValue).sum();
        }

        long of(CustomerLoad.Stream stream) {
            return records.getOrDefault(stream, 0L);
        }
    }

    /** The load's size and shape, from flags with the scale as defaults. */
    record Size(long events, int customers, long seed, Duration span, int partitions) {
        static Size from(Settings flags) {
            return new Size(
                    Long.parseLong(flags.string("events", "20000000")),
                    flags.intIn("customers", 1_000_000, 2, Integer.MAX_VALUE),
                    Long.parseLong(flags.string("seed", "42")),
                    flags.durationIn("span", Duration.ofDays(7), Duration.ofMinutes(1),
                            Duration.ofDays(365)),
                    flags.intIn("partitions", 4, 1, 1024));
        }

        CustomerLoad load() {
            return CustomerLoad.endingNow(events, customers, seed, span);
        }

        String describe() {
            return String.format(Locale.ROOT, "%,d interactions over %,d customers (YCSB Zipfian"
                    + " 0.99, seed %d, event time spread over %s), %d partitions per topic",
                    events, customers, seed, span, partitions);
        }
    }

    private LoadGenerator() {}

    public static void main(String[] args) throws Exception {
        try (BenchRuntime runtime = BenchRuntime.start("load", args)) {
            Size size = Size.from(runtime.flags);
            Topics topics = Topics.from(runtime.flags);
            System.out.println("load: " + size.describe());
            runtime.createTopics(contractTopics(topics), size.partitions(), Map.of());
            Sent sent = load(runtime.clients(), topics, size.load());
            print(sent);
        }
        System.exit(0);
    }

    static List<String> contractTopics(Topics topics) {
        return List.of(topics.interactions(), topics.callbacks(), topics.shipments(),
                topics.disruptions(), topics.alerts(), topics.control(), topics.alertAcks(),
                topics.deadLetter(), topics.responderQueue(), topics.outreachQueue());
    }

    /** Sends every record of {@code load} and waits until the broker has acknowledged all. */
    static Sent load(Properties clients, Topics topics, CustomerLoad load) {
        Map<CustomerLoad.Stream, Long> counts = new EnumMap<>(CustomerLoad.Stream.class);
        AtomicReference<Exception> failure = new AtomicReference<>();
        Codecs codecs = new Codecs();
        long start = System.nanoTime();
        long nextReport = start + 10_000_000_000L;
        try (Producer<byte[], byte[]> producer = fastProducer(clients)) {
            while (load.hasNext()) {
                CustomerLoad.Record record = load.next();
                producer.send(new ProducerRecord<>(topicOf(record.stream(), topics),
                        record.key().getBytes(StandardCharsets.UTF_8), codecs.encode(record)),
                        (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
                counts.merge(record.stream(), 1L, Long::sum);
                if (failure.get() != null) {
                    throw new IllegalStateException("sending failed", failure.get());
                }
                if (System.nanoTime() > nextReport) {
                    nextReport += 10_000_000_000L;
                    long sent = counts.values().stream().mapToLong(Long::longValue).sum();
                    System.out.printf(Locale.ROOT, "  ... %,d records sent%n", sent);
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("sending failed", failure.get());
        }
        return new Sent(counts, (System.nanoTime() - start) / 1e9);
    }

    static void print(Sent sent) {
        System.out.printf(Locale.ROOT, "load: %,d records (%,d interactions, %,d callbacks,"
                        + " %,d shipments) in %.1f s%n", sent.total(),
                sent.of(CustomerLoad.Stream.INTERACTIONS), sent.of(CustomerLoad.Stream.CALLBACKS),
                sent.of(CustomerLoad.Stream.SHIPMENTS), sent.seconds());
        System.out.printf(Locale.ROOT, "load producer rate: %,.0f records/s%n",
                sent.total() / sent.seconds());
    }

    /** One producer thread reaches its best rate with large, lingering, lz4-compressed batches. */
    static Producer<byte[], byte[]> fastProducer(Properties clients) {
        Properties properties = new Properties();
        properties.putAll(clients);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        properties.put(ProducerConfig.ACKS_CONFIG, "1");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        return new KafkaProducer<>(properties);
    }

    static String topicOf(CustomerLoad.Stream stream, Topics topics) {
        return switch (stream) {
            case INTERACTIONS -> topics.interactions();
            case CALLBACKS -> topics.callbacks();
            case SHIPMENTS -> topics.shipments();
        };
    }

    /** The jobs' codecs, one per record type. */
    static final class Codecs {
        private final AvroCodec<InteractionEvent> interactions = new AvroCodec<>(InteractionEvent.class);
        private final AvroCodec<CallbackEvent> callbacks = new AvroCodec<>(CallbackEvent.class);
        private final AvroCodec<ShipmentEvent> shipments = new AvroCodec<>(ShipmentEvent.class);

        byte[] encode(CustomerLoad.Record record) {
            SpecificRecordBase value = record.value();
            return switch (record.stream()) {
                case INTERACTIONS -> interactions.encode((InteractionEvent) value);
                case CALLBACKS -> callbacks.encode((CallbackEvent) value);
                case SHIPMENTS -> shipments.encode((ShipmentEvent) value);
            };
        }

        byte[] encode(InteractionEvent event) {
            return interactions.encode(event);
        }
    }
}
