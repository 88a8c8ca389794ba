package dev.earlywarning.common.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.common.testing.Interactions;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeduplicatorTest {

    private static final Duration RETENTION = Duration.ofHours(1);

    private KeyedOneInputStreamOperatorTestHarness<String, InteractionEvent, String> harness;

    /** Emits "customer/event" for each first sighting; a closed contact forgets the customer. */
    static final class FirstSightings extends KeyedProcessFunction<String, InteractionEvent, String> {
        private transient Deduplicator dedup;

        @Override
        public void open(OpenContext openContext) {
            dedup = new Deduplicator(getRuntimeContext(), "seen-event-ids", RETENTION);
        }

        @Override
        public void processElement(InteractionEvent event, Context ctx, Collector<String> out)
                throws Exception {
            if (event.getType() == InteractionType.CONTACT_ENDED) {
                dedup.clear();
            } else if (dedup.firstTime(event.getEventId())) {
                out.collect(ctx.getCurrentKey() + "/" + event.getEventId());
            }
        }
    }

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new FirstSightings(),
                InteractionEvent::getCustomerId, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void aRedeliveredEventPassesOncePerKey() throws Exception {
        harness.processElement(event("e1", "alice"), 1L);
        harness.processElement(event("e2", "alice"), 2L);
        harness.processElement(event("e1", "alice"), 3L);
        // Ids are only unique per customer as far as the deduplicator is concerned.
        harness.processElement(event("e1", "bob"), 4L);
        harness.processElement(event("e2", "alice"), 5L);
        harness.processElement(event("e1", "bob"), 6L);

        assertThat(harness.extractOutputValues())
                .containsExactly("alice/e1", "alice/e2", "bob/e1");
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
    }

    @Test
    void idsAreForgottenAfterTheRetention() throws Exception {
        harness.setStateTtlProcessingTime(0);
        harness.processElement(event("e1", "alice"), 1L);

        harness.setStateTtlProcessingTime(RETENTION.toMillis() - 1);
        harness.processElement(event("e1", "alice"), 2L);
        harness.setStateTtlProcessingTime(RETENTION.toMillis() + 1);
        harness.processElement(event("e1", "alice"), 3L);

        assertThat(harness.extractOutputValues()).containsExactly("alice/e1", "alice/e1");
    }

    @Test
    void clearForgetsOnlyTheCurrentKey() throws Exception {
        harness.processElement(event("e1", "alice"), 1L);
        harness.processElement(event("e1", "bob"), 2L);
        harness.processElement(Interactions.event("end", "alice")
                .type(InteractionType.CONTACT_ENDED).build(), 3L);

        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        harness.processElement(event("e1", "alice"), 4L);
        harness.processElement(event("e1", "bob"), 5L);

        assertThat(harness.extractOutputValues()).containsExactly("alice/e1", "bob/e1", "alice/e1");
    }

    private static InteractionEvent event(String eventId, String customerId) {
        return Interactions.event(eventId, customerId).build();
    }
}
