package dev.earlywarning.cli.alerts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows topics the way the contract's consumers must: only committed records
 * ({@code read_committed}), so an alert shows once its job's checkpoint has committed it. Reads
 * every partition without a consumer group (nothing to clean up afterwards), from the end as it
 * was when following started, or from the beginning.
 */
public final class TopicFollower implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, Long> endAtStart;
    private volatile boolean closed;

    public TopicFollower(Properties clientProperties, Collection<String> topics,
            boolean fromBeginning, Duration waitForTopics) {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "ews-follow");
        this.consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                partitions.addAll(partitionsOf(topic, waitForTopics));
            }
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            // Pin the start positions now, not at the first poll.
            partitions.forEach(consumer::position);
            endAtStart = consumer.endOffsets(partitions);
        } catch (RuntimeException e) {
            consumer.close(Duration.ofSeconds(1));
            throw e;
        }
    }

    public List<ConsumerRecord<byte[], byte[]>> poll(Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        consumer.poll(timeout).forEach(records::add);
        return records;
    }

    /**
     * True once every committed record that was in the topics when following started has been
     * polled: for reading a topic to its end rather than following it.
     */
    public boolean caughtUp() {
        return endAtStart.entrySet().stream()
                .allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    /** Makes a blocked {@link #poll} return early; safe from any thread. */
    public void wakeup() {
        if (!closed) {
            consumer.wakeup();
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.close(Duration.ofSeconds(2));
    }

    private List<TopicPartition> partitionsOf(String topic, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " does not exist"
                        + " (create the topics with: ews topics create)");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic " + topic);
            }
        }
    }
}
