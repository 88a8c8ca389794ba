package dev.earlywarning.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.common.testing.Interactions;
import dev.earlywarning.schema.InteractionEvent;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class KeyedAvroSerializerTest {

    @Test
    void writesTheKeyAndSingleObjectAvroAndLeavesTheTimestampToTheProducer() throws Exception {
        InteractionEvent event = Interactions.event("e1", "alice").build();
        KafkaIo.KeyedAvroSerializer<InteractionEvent> serializer = new KafkaIo.KeyedAvroSerializer<>(
                "cx.interactions", InteractionEvent.class, InteractionEvent::getCustomerId);

        // The Flink record timestamp is the event time, here a year in the past.
        ProducerRecord<byte[], byte[]> record = serializer.serialize(event, null,
                event.getOccurredAt().toEpochMilli());

        assertThat(record.topic()).isEqualTo("cx.interactions");
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("alice");
        assertThat(new AvroCodec<>(InteractionEvent.class).decode(record.value())).isEqualTo(event);
        assertThat(record.timestamp()).as("retention must see write time, not event time").isNull();
    }
}
