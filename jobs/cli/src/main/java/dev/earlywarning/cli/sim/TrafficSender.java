package dev.earlywarning.cli.sim;

import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.kafka.AvroCodec;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends a {@link TrafficPlan} to Kafka from its own thread, the way the contact-center systems
 * would: Avro single-object encoded, keyed by customer id, with the event time as the Kafka
 * timestamp too.
 */
public final class TrafficSender implements AutoCloseable {

    /**
     * Counters so far; {@code simNow} is the simulated clock's current event time and
     * {@code byTarget} counts the records sent to each topic.
     */
    public record Stats(long sent, long redeliveries, long malformed, long failed, long simNow,
            Map<Emission.Target, Long> byTarget) {

        public long sentTo(Emission.Target target) {
            return byTarget.getOrDefault(target, 0L);
        }
    }

    private static final Duration TICK = Duration.ofMillis(100);

    private final TrafficPlan plan;
    private final Topics topics;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<Class<?>, AvroCodec<?>> codecs = new ConcurrentHashMap<>();
    private final Map<Emission.Target, AtomicLong> byTarget = new EnumMap<>(Emission.Target.class);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong redeliveries = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> lastFailure = new AtomicReference<>();
    private volatile boolean running;
    private Thread thread;

    public TrafficSender(TrafficPlan plan, Properties clientProperties, Topics topics) {
        this.plan = plan;
        this.topics = topics;
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "ews-simulator");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        this.producer = new KafkaProducer<>(properties, new StringSerializer(),
                new ByteArraySerializer());
        for (Emission.Target target : Emission.Target.values()) {
            byTarget.put(target, new AtomicLong());
        }
    }

    public TrafficPlan plan() {
        return plan;
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "ews-simulator");
        thread.setDaemon(true);
        thread.start();
    }

    public Stats stats() {
        Map<Emission.Target, Long> counts = new EnumMap<>(Emission.Target.class);
        byTarget.forEach((target, count) -> counts.put(target, count.get()));
        return new Stats(sent.get(), redeliveries.get(), malformed.get(), failed.get(),
                plan.clock().simAt(System.currentTimeMillis()), counts);
    }

    /** The last send failure, if any (for example the broker went away). */
    public Exception lastFailure() {
        return lastFailure.get();
    }

    /** Stops generating, then flushes what was already handed to the producer. */
    @Override
    public synchronized void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(Duration.ofSeconds(5));
    }

    private void loop() {
        while (running) {
            long tickStart = System.currentTimeMillis();
            for (Emission emission : plan.advance(tickStart)) {
                if (!running) {
                    return;
                }
                send(emission);
            }
            long sleep = TICK.toMillis() - (System.currentTimeMillis() - tickStart);
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void send(Emission emission) {
        String topic = switch (emission.target()) {
            case INTERACTIONS -> topics.interactions();
            case CALLBACKS -> topics.callbacks();
            case SHIPMENTS -> topics.shipments();
            case DISRUPTIONS -> topics.disruptions();
            case ALERT_ACKS -> topics.alertAcks();
        };
        byte[] value = emission instanceof Emission.Malformed malformedRecord
                ? malformedRecord.bytes() : encode(((Emission.Valid) emission).value());
        try {
            producer.send(new ProducerRecord<>(topic, null, emission.at(), emission.key(), value),
                    (metadata, error) -> {
                        if (error != null) {
                            failed.incrementAndGet();
                            lastFailure.set(error);
                        }
                    });
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            lastFailure.set(e);
            return;
        }
        sent.incrementAndGet();
        byTarget.get(emission.target()).incrementAndGet();
        if (emission instanceof Emission.Malformed) {
            malformed.incrementAndGet();
        } else if (((Emission.Valid) emission).redelivery()) {
            redeliveries.incrementAndGet();
        }
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecordBase> byte[] encode(SpecificRecord value) {
        AvroCodec<T> codec = (AvroCodec<T>) codecs.computeIfAbsent(value.getClass(),
                type -> new AvroCodec<>((Class<T>) type));
        return codec.encode((T) value);
    }
}
