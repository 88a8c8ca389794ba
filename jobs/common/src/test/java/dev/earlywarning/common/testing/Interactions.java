package dev.earlywarning.common.testing;

import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.Direction;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import dev.earlywarning.schema.SurveyKind;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test data for {@link InteractionEvent}: only what a test is about needs saying, e.g.
 * {@code Interactions.event("e1", "c1").channel(CHAT).type(COMPLAINT).at(T0.plusSeconds(5)).build()}.
 * Defaults: an inbound {@code PHONE} {@code MESSAGE} at {@link #T0}, no case and no optional fields.
 */
public final class Interactions {

    /** A fixed instant in the past, so that tests are repeatable and never "in the future". */
    public static final Instant T0 = Instant.parse("2025-03-03T09:00:00Z");

    private final InteractionEvent.Builder builder;
    private final Map<String, String> attributes = new LinkedHashMap<>();

    private Interactions(String eventId, String customerId) {
        builder = InteractionEvent.newBuilder()
                .setEventId(eventId)
                .setCustomerId(customerId)
                .setChannel(Channel.PHONE)
                .setType(InteractionType.MESSAGE)
                .setDirection(Direction.INBOUND)
                .setOccurredAt(T0);
    }

    public static Interactions event(String eventId, String customerId) {
        return new Interactions(eventId, customerId);
    }

    public Interactions channel(Channel channel) {
        builder.setChannel(channel);
        return this;
    }

    public Interactions type(InteractionType type) {
        builder.setType(type);
        return this;
    }

    public Interactions direction(Direction direction) {
        builder.setDirection(direction);
        return this;
    }

    public Interactions at(Instant occurredAt) {
        builder.setOccurredAt(occurredAt);
        return this;
    }

    /** At {@link #T0} plus {@code offset}: reads well in timelines ("at(minutes(5))"). */
    public Interactions at(Duration offset) {
        return at(T0.plus(offset));
    }

    public Interactions caseId(String caseId) {
        builder.setCaseId(caseId);
        return this;
    }

    public Interactions agentId(String agentId) {
        builder.setAgentId(agentId);
        return this;
    }

    public Interactions waitSeconds(int seconds) {
        builder.setWaitSeconds(seconds);
        return this;
    }

    public Interactions handleSeconds(int seconds) {
        builder.setHandleSeconds(seconds);
        return this;
    }

    public Interactions sentiment(float sentiment) {
        builder.setSentiment(sentiment);
        return this;
    }

    /** A survey answer; the type becomes {@code SURVEY_RESPONSE} unless set otherwise later. */
    public Interactions survey(SurveyKind kind, int score) {
        builder.setType(InteractionType.SURVEY_RESPONSE).setSurveyKind(kind).setSurveyScore(score);
        return this;
    }

    public Interactions text(String text) {
        builder.setText(text);
        return this;
    }

    public Interactions customerName(String name) {
        builder.setCustomerName(name);
        return this;
    }

    public Interactions region(String regionId) {
        builder.setRegionId(regionId);
        return this;
    }

    public Interactions attribute(String key, String value) {
        attributes.put(key, value);
        return this;
    }

    public InteractionEvent build() {
        return builder.setAttributes(new LinkedHashMap<>(attributes)).build();
    }
}
