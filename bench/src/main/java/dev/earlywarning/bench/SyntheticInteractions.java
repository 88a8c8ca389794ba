package dev.earlywarning.bench;

import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.Direction;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import dev.earlywarning.schema.SurveyKind;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A deterministic interaction stream for load: event {@code index} is the same for a given seed,
 * whoever asks, so parallel generators and re-runs agree. Customers are drawn from a YCSB Zipfian
 * (constant 0.99: a few very busy customers, a long tail of quiet ones); event time advances a
 * fixed step per event; the mix is mostly routine contact traffic, with about 4% of events that are
 * risk signals on their own (transfers, escalations, dropped and abandoned calls, failed
 * self-service, complaints, surveys, a third of them detractors) plus long waits, negative
 * sentiment and churn words inside otherwise routine contacts.
 */
public final class SyntheticInteractions implements java.io.Serializable {

    private static final long serialVersionUID = 1L;
    /** Share of events, in percent, that are a risk-signal type. */
    private static final int SIGNAL_PERCENT = 4;

    private static final InteractionType[] ROUTINE = {
        InteractionType.CONTACT_STARTED, InteractionType.MESSAGE, InteractionType.MESSAGE,
        InteractionType.MESSAGE, InteractionType.CONTACT_ENDED, InteractionType.CONTACT_ENDED,
        InteractionType.HOLD,
    };
    private static final InteractionType[] SIGNALS = {
        InteractionType.TRANSFER, InteractionType.TRANSFER, InteractionType.ESCALATION,
        InteractionType.DISCONNECTED, InteractionType.ABANDONED, InteractionType.SELF_SERVICE_FAILED,
        InteractionType.COMPLAINT, InteractionType.SURVEY_RESPONSE, InteractionType.SURVEY_RESPONSE,
    };
    /** Weighted: phone and chat carry most contacts. */
    private static final Channel[] CHANNELS = {
        Channel.PHONE, Channel.PHONE, Channel.PHONE, Channel.CHAT, Channel.CHAT, Channel.CHAT,
        Channel.EMAIL, Channel.EMAIL, Channel.SMS, Channel.IVR, Channel.SELF_SERVICE, Channel.SOCIAL,
    };
    private static final String[] TEXTS = {
        "where is my parcel, it was due yesterday", "change of delivery address",
        "invoice shows the wrong amount", "how do I return the blender",
        "refund not received yet", "voucher code does not work",
    };
    private static final String[] CHURN_TEXTS = {
        "third time I write, I want to cancel my subscription",
        "close my account, your competitor delivers on time",
    };

    private static final String[] AGENTS =
            IntStream.range(0, 400).mapToObj(i -> "agent-" + i).toArray(String[]::new);

    private final Zipfian customers;
    private final long seed;
    private final long startMillis;
    private final long stepMillis;

    public SyntheticInteractions(int customers, Instant start, long stepMillis) {
        this(customers, 42, start, stepMillis);
    }

    public SyntheticInteractions(int customers, long seed, Instant start, long stepMillis) {
        this.customers = new Zipfian(customers, Zipfian.YCSB_CONSTANT);
        this.seed = seed;
        this.startMillis = start.toEpochMilli();
        this.stepMillis = stepMillis;
    }

    /** Event {@code index}, at the stream's start plus {@code index} steps. */
    public InteractionEvent event(long index) {
        return event(index, startMillis + index * stepMillis);
    }

    /** Event {@code index} at the given event time (for load paced by the wall clock). */
    public InteractionEvent event(long index, long occurredAtMillis) {
        SplittableRandom random = random(index);
        String customer = customerId(customers.rank(random.nextDouble()));
        boolean signal = random.nextInt(100) < SIGNAL_PERCENT;
        InteractionType type = signal ? pick(random, SIGNALS) : pick(random, ROUTINE);
        Channel channel = type == InteractionType.SELF_SERVICE_FAILED ? Channel.SELF_SERVICE
                : pick(random, CHANNELS);
        // Setters on a new record, not a builder: the builder deep-copies and validates every
        // field, which made generation, not Kafka, the limit of the load generator.
        InteractionEvent event = new InteractionEvent();
        event.setEventId("ev-" + seed + "-" + index);
        event.setCustomerId(customer);
        // Most customers have one open case at a time; busy ones a few.
        event.setCaseId("case-" + customer + "-" + random.nextInt(3));
        event.setChannel(channel);
        event.setType(type);
        event.setDirection(Direction.INBOUND);
        event.setOccurredAt(Instant.ofEpochMilli(occurredAtMillis));
        event.setAgentId(AGENTS[random.nextInt(AGENTS.length)]);
        event.setWaitSeconds(waitSeconds(random));
        event.setHandleSeconds(30 + random.nextInt(600));
        event.setSentiment((float) Math.round((random.nextDouble() * 1.6 - 0.6) * 100) / 100f);
        event.setText(random.nextInt(200) == 0 ? pick(random, CHURN_TEXTS) : pick(random, TEXTS));
        event.setAttributes(Map.of());
        if (type == InteractionType.SURVEY_RESPONSE) {
            event.setChannel(Channel.SURVEY);
            event.setSurveyKind(SurveyKind.CSAT);
            event.setSurveyScore(1 + random.nextInt(5));
        }
        return event;
    }

    /**
     * A routine contact of the customer of Zipfian rank {@code rank} that shows no risk signal:
     * what makes the customer known to the jobs without raising anything.
     */
    /** {@code count} interactions of 100,000 customers from a fixed start: the JMH input. */
    static InteractionEvent[] sample(int count) {
        SyntheticInteractions traffic = new SyntheticInteractions(100_000,
                Instant.parse("2026-01-01T00:00:00Z"), 30);
        InteractionEvent[] events = new InteractionEvent[count];
        for (int i = 0; i < count; i++) {
            events[i] = traffic.event(i);
        }
        return events;
    }

    public static InteractionEvent quietContact(String eventId, long rank, long occurredAtMillis) {
        String customer = customerId(rank);
        InteractionEvent event = new InteractionEvent();
        event.setEventId(eventId);
        event.setCustomerId(customer);
        event.setCaseId("case-" + customer + "-0");
        event.setChannel(Channel.CHAT);
        event.setType(InteractionType.CONTACT_ENDED);
        event.setDirection(Direction.INBOUND);
        event.setOccurredAt(Instant.ofEpochMilli(occurredAtMillis));
        event.setAttributes(Map.of());
        return event;
    }

    /** The customer id of a Zipfian rank: the same string for the same customer everywhere. */
    public static String customerId(long rank) {
        return "cust-" + rank;
    }

    /**
     * A CSAT 1 survey for {@code customerId}: the scoring job always raises (or updates) an
     * AT_RISK_CUSTOMER alert for a detractor survey, whatever the score, with this event's id as
     * its trigger.
     */
    public static InteractionEvent detractorSurvey(String eventId, String customerId,
            long occurredAtMillis) {
        return InteractionEvent.newBuilder()
                .setEventId(eventId)
                .setCustomerId(customerId)
                .setCaseId("case-" + customerId)
                .setChannel(Channel.SURVEY)
                .setType(InteractionType.SURVEY_RESPONSE)
                .setDirection(Direction.INBOUND)
                .setOccurredAt(Instant.ofEpochMilli(occurredAtMillis))
                .setSurveyKind(SurveyKind.CSAT)
                .setSurveyScore(1)
                .setText("nobody called me back")
                .build();
    }

    /** Mostly short queues, an exponential tail: a few percent wait past the long-wait limits. */
    private static int waitSeconds(SplittableRandom random) {
        return (int) Math.min(3600, -60 * Math.log(1 - random.nextDouble()));
    }

    private SplittableRandom random(long index) {
        return new SplittableRandom((index + seed * 0x632BE59BD9B4E019L) * 0x9E3779B97F4A7C15L);
    }

    private static <T> T pick(SplittableRandom random, T[] values) {
        return values[random.nextInt(values.length)];
    }
}
