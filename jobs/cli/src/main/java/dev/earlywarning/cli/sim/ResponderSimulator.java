package dev.earlywarning.cli.sim;

import dev.earlywarning.cli.alerts.TopicFollower;
import dev.earlywarning.common.kafka.AvroCodec;
import dev.earlywarning.schema.Alert;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Runs the {@link Responders} against the live responder queue: follows it as a responder's
 * desktop would (committed items only), and schedules their acks and calls into the traffic, dated
 * on the simulation's clock so that the router sees them in the same event time as everything
 * else.
 */
public final class ResponderSimulator implements AutoCloseable {

    private final Responders responders;
    private final TrafficPlan plan;
    private final TopicFollower follower;
    private final AvroCodec<Alert> codec = new AvroCodec<>(Alert.class);
    private final Map<Responders.Response, AtomicLong> counts =
            new EnumMap<>(Responders.Response.class);
    private volatile boolean running;
    private Thread thread;

    public ResponderSimulator(Responders responders, TrafficPlan plan, Properties clientProperties,
            String responderQueue) {
        this.responders = responders;
        this.plan = plan;
        this.follower = new TopicFollower(clientProperties, List.of(responderQueue), false,
                Duration.ofSeconds(10));
        for (Responders.Response response : Responders.Response.values()) {
            counts.put(response, new AtomicLong());
        }
    }

    public synchronized void start() {
        running = true;
        thread = new Thread(this::loop, "ews-responders");
        thread.setDaemon(true);
        thread.start();
    }

    /** Items answered so far, by response. */
    public long count(Responders.Response response) {
        return counts.get(response).get();
    }

    @Override
    public synchronized void close() {
        running = false;
        follower.wakeup();
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (thread == null || !thread.isAlive()) {
            follower.close();
        }
    }

    private void loop() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : follower.poll(Duration.ofMillis(500))) {
                    Alert item;
                    try {
                        item = codec.decode(record.value());
                    } catch (AvroCodec.DecodeException e) {
                        continue;
                    }
                    long now = plan.clock().simAt(System.currentTimeMillis());
                    responders.respond(item, now).ifPresent(response -> {
                        counts.get(response.response()).incrementAndGet();
                        plan.schedule(response.events());
                    });
                }
            }
        } catch (WakeupException e) {
            // closing
        }
    }
}
