package dev.earlywarning.common.kafka;

import dev.earlywarning.schema.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.flink.util.OutputTag;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/** The side output every job sends unusable records to, and how a dead letter is built. */
public final class DeadLetters {

    public static final OutputTag<DeadLetter> TAG =
            new OutputTag<>("dead-letter", new AvroTypeInfo<>(DeadLetter.class));

    private DeadLetters() {}

    public static DeadLetter of(String job, Decoded<?> failed) {
        return build(job, failed.topic, failed.partition, failed.offset, failed.key,
                failed.failureReason.describe(failed.failureDetail), failed.payload);
    }

    public static DeadLetter build(String job, String topic, int partition, long offset, String key,
            String reason, byte[] payload) {
        return DeadLetter.newBuilder()
                .setJob(job)
                .setSourceTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setKey(key)
                .setReason(reason)
                .setPayload(ByteBuffer.wrap(payload == null ? new byte[0] : payload))
                .setAt(Instant.now())
                .build();
    }
}
