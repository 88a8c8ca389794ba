package dev.earlywarning.bench;

import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.Direction;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import dev.earlywarning.schema.SurveyKind;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * A deterministic interaction stream for load: customers drawn with a Zipf-like skew (a few very
 * busy customers, a long tail of quiet ones), event time advancing steadily, and a realistic mix
 * of contact types, a few of them risk signals.
 */
public final class SyntheticInteractions implements java.io.Serializable {

    private static final InteractionType[] ROUTINE = {
        InteractionType.CONTACT_STARTED, InteractionType.MESSAGE, InteractionType.MESSAGE,
        InteractionType.CONTACT_ENDED, InteractionType.MESSAGE, InteractionType.CONTACT_ENDED,
    };
    private static final InteractionType[] SIGNALS = {
        InteractionType.TRANSFER, InteractionType.ESCALATION, InteractionType.DISCONNECTED,
        InteractionType.ABANDONED, InteractionType.COMPLAINT, InteractionType.SURVEY_RESPONSE,
    };
    private static final Channel[] CHANNELS = {Channel.PHONE, Channel.CHAT, Channel.EMAIL, Channel.SMS};

    private final int customers;
    private final long startMillis;
    private final long stepMillis;

    public SyntheticInteractions(int customers, Instant start, long stepMillis) {
        this.customers = customers;
        this.startMillis = start.toEpochMilli();
        this.stepMillis = stepMillis;
    }

    public InteractionEvent event(long index) {
        SplittableRandom random = new SplittableRandom(index * 0x9E3779B97F4A7C15L);
        // u^3 skews towards 0: customer 0..1% get a large share of the traffic.
        long customer = (long) (Math.pow(random.nextDouble(), 3) * customers);
        boolean signal = random.nextInt(100) < 4;
        InteractionType type = signal ? SIGNALS[random.nextInt(SIGNALS.length)]
                : ROUTINE[random.nextInt(ROUTINE.length)];
        InteractionEvent.Builder event = InteractionEvent.newBuilder()
                .setEventId("ev-" + index)
                .setCustomerId("cust-" + customer)
                .setCaseId("case-" + customer + "-" + (index % 3))
                .setChannel(CHANNELS[random.nextInt(CHANNELS.length)])
                .setType(type)
                .setDirection(Direction.INBOUND)
                .setOccurredAt(Instant.ofEpochMilli(startMillis + index * stepMillis))
                .setWaitSeconds(random.nextInt(400))
                .setText("where is my parcel, it was due yesterday");
        if (type == InteractionType.SURVEY_RESPONSE) {
            event.setSurveyKind(SurveyKind.CSAT).setSurveyScore(1 + random.nextInt(5));
        }
        return event.build();
    }
}
