package dev.earlywarning.cli.sim;

import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.kafka.AvroCodec;
import dev.earlywarning.schema.CallbackEvent;
import dev.earlywarning.schema.InteractionEvent;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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

    /** Counters so far; {@code simNow} is the simulated clock's current event time. */
    public record Stats(long sent, long redeliveries, long malformed, long failed, long simNow) {}

    private static final Duration TICK = Duration.ofMillis(100);

    private final TrafficPlan plan;
    private final Topics topics;
    private final KafkaProducer<String, byte[]> producer;
    private final AvroCodec<InteractionEvent> interactions = new AvroCodec<>(InteractionEvent.class);
    private final AvroCodec<CallbackEvent> callbacks = new AvroCodec<>(CallbackEvent.class);
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
        return new Stats(sent.get(), redeliveries.get(), malformed.get(), failed.get(),
                plan.clock().simAt(System.currentTimeMillis()));
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
        String topic = emission.target() == Emission.Target.INTERACTIONS
                ? topics.interactions() : topics.callbacks();
        byte[] value;
        if (emission instanceof Emission.Malformed malformedRecord) {
            value = malformedRecord.bytes();
        } else if (((Emission.Valid) emission).value() instanceof InteractionEvent event) {
            value = interactions.encode(event);
        } else {
            value = callbacks.encode((CallbackEvent) ((Emission.Valid) emission).value());
        }
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
        if (emission instanceof Emission.Malformed) {
            malformed.incrementAndGet();
        } else if (((Emission.Valid) emission).redelivery()) {
            redeliveries.incrementAndGet();
        }
    }
}
