package dev.earlywarning.scoring;

import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.Direction;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import java.time.Duration;
import java.time.Instant;

/** Interaction events for scoring tests: one customer's day, minute by minute. */
final class Events {

    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    private Events() {}

    static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    static InteractionEvent.Builder event(String id, String customer, int minute, Channel channel,
            InteractionType type) {
        return InteractionEvent.newBuilder()
                .setEventId(id)
                .setCustomerId(customer)
                .setCustomerName("Ana Silva")
                .setChannel(channel)
                .setType(type)
                .setDirection(Direction.INBOUND)
                .setOccurredAt(at(minute));
    }

    static Ingested<InteractionEvent> ingested(InteractionEvent event) {
        return new Ingested<>(event, 0, 0, System.currentTimeMillis());
    }
}
