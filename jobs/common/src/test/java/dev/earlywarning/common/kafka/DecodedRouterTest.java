package dev.earlywarning.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.common.metrics.EwsMetrics;
import dev.earlywarning.common.testing.Interactions;
import dev.earlywarning.schema.DeadLetter;
import dev.earlywarning.schema.InteractionEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DecodedRouterTest {

    private static final String TOPIC = "cx.interactions";
    private static final long NOW = Instant.parse("2025-03-03T12:00:00Z").toEpochMilli();

    private final DecodingDeserializer<InteractionEvent> deserializer =
            new DecodingDeserializer<>(RecordTypes.INTERACTION, 60_000);
    // A job name of its own keeps the global metric registry's counts to this test.
    private final String job = "router-test-" + UUID.randomUUID();
    private OneInputStreamOperatorTestHarness<Decoded<InteractionEvent>, Ingested<InteractionEvent>>
            harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(new DecodedRouter<>(job, TOPIC,
                dev.earlywarning.common.config.Settings.of(java.util.Map.of())));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void validRecordsPassWithTheirOrigin() throws Exception {
        InteractionEvent event = Interactions.event("e1", "c1").build();

        harness.processElement(decoded(3, 17L, new AvroCodec<>(InteractionEvent.class)
                .encode(event)), 1L);

        List<Ingested<InteractionEvent>> out = harness.extractOutputValues();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).value).isEqualTo(event);
        assertThat(out.get(0).partition).isEqualTo(3);
        assertThat(out.get(0).offset).isEqualTo(17L);
        assertThat(out.get(0).ingestedAt).isEqualTo(NOW);
        assertThat(harness.getSideOutput(DeadLetters.TAG)).isNullOrEmpty();
        assertThat(eventsIn()).isEqualTo(1.0);
        assertThat(deadLetters(DeadLetterReason.UNDECODABLE)).isZero();
    }

    @Test
    void rejectedRecordsGoToTheDeadLetterSideOutputWithReasonAndPayload() throws Exception {
        byte[] garbage = "plain text, not avro".getBytes(StandardCharsets.UTF_8);
        byte[] negativeWait = new AvroCodec<>(InteractionEvent.class)
                .encode(Interactions.event("e2", "c1").waitSeconds(-3).build());

        harness.processElement(decoded(0, 5L, garbage), 1L);
        harness.processElement(decoded(1, 6L, negativeWait), 2L);
        harness.processElement(decoded(1, 7L, new AvroCodec<>(InteractionEvent.class)
                .encode(Interactions.event("e3", "c1").build())), 3L);

        assertThat(harness.extractOutputValues()).extracting(i -> i.value.getEventId())
                .containsExactly("e3");
        List<DeadLetter> dead = harness.getSideOutput(DeadLetters.TAG).stream()
                .map(StreamRecord::getValue).toList();
        assertThat(dead).extracting(DeadLetter::getReason).containsExactly(
                "undecodable: not Avro single-object encoding: Unrecognized header bytes: 0x70 0x6C",
                "invalid: waitSeconds is negative (-3)");
        assertThat(dead.get(0).getPayload().array()).isEqualTo(garbage);
        assertThat(dead.get(1).getPayload().array()).isEqualTo(negativeWait);
        assertThat(dead).extracting(DeadLetter::getSourceTopic).containsOnly(TOPIC);
        assertThat(dead).extracting(DeadLetter::getPartition).containsExactly(0, 1);
        assertThat(dead).extracting(DeadLetter::getOffset).containsExactly(5L, 6L);
        assertThat(dead).extracting(DeadLetter::getKey).containsOnly("c1");
        assertThat(dead).extracting(DeadLetter::getJob).containsOnly(job);

        assertThat(eventsIn()).isEqualTo(3.0);
        assertThat(deadLetters(DeadLetterReason.UNDECODABLE)).isEqualTo(1.0);
        assertThat(deadLetters(DeadLetterReason.INVALID)).isEqualTo(1.0);
        assertThat(deadLetters(DeadLetterReason.UNKNOWN_SCHEMA)).isZero();
    }

    private Decoded<InteractionEvent> decoded(int partition, long offset, byte[] value) {
        return deserializer.decode(TOPIC, partition, offset,
                "c1".getBytes(StandardCharsets.UTF_8), value, NOW);
    }

    private double eventsIn() {
        return EwsMetrics.EVENTS_IN.labelValues(job, TOPIC).get();
    }

    private double deadLetters(DeadLetterReason reason) {
        return EwsMetrics.DEAD_LETTERS.labelValues(job, reason.label()).get();
    }
}
