package dev.earlywarning.reliability;

import dev.earlywarning.common.config.Topics;
import dev.earlywarning.common.testing.Interactions;
import dev.earlywarning.common.testing.KafkaTestClient;
import dev.earlywarning.schema.CallbackEvent;
import dev.earlywarning.schema.CallbackOutcome;
import dev.earlywarning.schema.CallbackType;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.Direction;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import dev.earlywarning.schema.SurveyKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.utils.Utils;

/**
 * Seeded input for the scoring and callback-sla jobs together, in event-time order.
 *
 * <p>Two disjoint groups of customers keep every job's alerts a function of the input alone, so
 * that runs can be compared alert for alert: "scored" customers only send interactions (none that
 * opens a commitment), "promised" customers only have callback commitments. The scoring job then
 * sees, per customer, either its interactions or the callback-sla job's broken promises, never
 * both: the order in which two different topics arrive cannot change a score.
 *
 * <p>Commitments are kept, kept late, attempted without answer, rescheduled, cancelled or
 * forgotten, with deadlines minutes to hours after the promise, so that whenever a run is
 * interrupted some deadlines are still pending. The input ends with a tick on every partition of
 * both input topics three days after the last event, which moves every watermark past every
 * deadline of the input.
 */
final class Traffic {

    static final Instant START = Instant.parse("2026-01-05T08:00:00Z");
    static final int PARTITIONS = 2;
    private static final List<String> CHURN_TEXT = List.of("I want to cancel",
            "close my account please", "your competitor is cheaper", "my lawyer will call");

    /** One record for one of the two input topics. */
    record Send(boolean callback, String key, SpecificRecordBase record, Instant at) {}

    /** A commitment's deadline (due plus window) that no record of the input keeps. */
    record Deadline(String commitmentId, Instant at) {}

    private final List<Send> sends;
    private final List<Deadline> deadlines;

    private Traffic(List<Send> sends, List<Deadline> deadlines) {
        this.sends = sends;
        this.deadlines = deadlines;
    }

    static Traffic generate(long seed, int scoredCustomers, int promisedCustomers) {
        Random random = new Random(seed);
        List<Send> sends = new ArrayList<>();
        List<Deadline> deadlines = new ArrayList<>();
        for (int i = 0; i < scoredCustomers; i++) {
            journey(random, "scored-" + i, sends);
        }
        for (int i = 0; i < promisedCustomers; i++) {
            promises(random, "promised-" + i, sends, deadlines);
        }
        // Stable sort: a customer's records keep their order when they share an instant.
        sends.sort(Comparator.comparing(Send::at));
        return new Traffic(List.copyOf(sends), List.copyOf(deadlines));
    }

    List<Send> sends() {
        return sends;
    }

    int interactions() {
        return (int) sends.stream().filter(s -> !s.callback()).count();
    }

    int callbacks() {
        return (int) sends.stream().filter(Send::callback).count();
    }

    /**
     * Harmless records on every partition of both topics, {@code round} times three days after
     * the last event: they move every watermark past every deadline of the input.
     *
     * <p>An event-time timer that falls behind the watermark fires only when the watermark moves
     * on. The scoring job reads broken promises after its watermark has passed their time (they
     * are decided downstream of it), so the resolve timers of the alerts they open need a second
     * round of ticks, written after the first round's breaches have been read; a live system's
     * watermark keeps moving anyway.
     */
    void writeTicks(KafkaTestClient kafka, Topics topics, int round) {
        Instant at = sends.get(sends.size() - 1).at().plus(Duration.ofDays(3L * round));
        List<Map.Entry<String, byte[]>> interactions = new ArrayList<>();
        List<Map.Entry<String, byte[]>> callbacks = new ArrayList<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            String clock = keyOnPartition(partition);
            String id = "tick-" + round + "-" + partition;
            interactions.add(Map.entry(clock, kafka.encode(Interactions.event(id, clock).at(at)
                    .build())));
            callbacks.add(Map.entry(clock, kafka.encode(callback(clock, id, "p",
                    CallbackType.PROMISED, at).setDueAt(at.plus(Duration.ofDays(30))).build())));
        }
        kafka.produceAll(topics.interactions(), interactions);
        kafka.produceAll(topics.callbacks(), callbacks);
    }

    /** Commitments written before {@code sent} records whose unkept deadline is after them. */
    long pendingDeadlinesAfter(int sent) {
        Instant now = sends.get(Math.max(0, Math.min(sent, sends.size()) - 1)).at();
        return deadlines.stream().filter(d -> d.at().isAfter(now))
                .filter(d -> sends.subList(0, Math.min(sent, sends.size())).stream()
                        .anyMatch(s -> s.record() instanceof CallbackEvent c
                                && c.getCommitmentId().equals(d.commitmentId())))
                .count();
    }

    /** Writes records {@code from} (inclusive) to {@code to} (exclusive) to their topics. */
    void write(KafkaTestClient kafka, Topics topics, int from, int to) {
        List<Map.Entry<String, byte[]>> interactions = new ArrayList<>();
        List<Map.Entry<String, byte[]>> callbacks = new ArrayList<>();
        for (Send send : sends.subList(from, to)) {
            (send.callback() ? callbacks : interactions)
                    .add(Map.entry(send.key(), kafka.encode(send.record())));
        }
        kafka.produceAll(topics.interactions(), interactions);
        kafka.produceAll(topics.callbacks(), callbacks);
    }

    /** A few days of contacts; some customers get angry enough to be alerted, some calm down. */
    private static void journey(Random random, String customer, List<Send> out) {
        Instant at = START.plus(Duration.ofMinutes(random.nextInt(60 * 24)));
        String caseId = "case-" + customer;
        int events = 3 + random.nextInt(8);
        for (int e = 0; e < events; e++) {
            at = at.plus(Duration.ofMinutes(5 + random.nextInt(random.nextBoolean() ? 60 : 900)));
            Channel channel = Channel.values()[random.nextInt(4)];
            Interactions event = Interactions.event(customer + "-e" + e, customer)
                    .at(at).channel(channel).caseId(random.nextInt(4) == 0 ? null : caseId)
                    .customerName("Customer " + customer);
            switch (random.nextInt(10)) {
                case 0 -> event.type(InteractionType.COMPLAINT).sentiment(-0.8f);
                case 1 -> event.type(InteractionType.TRANSFER);
                case 2 -> event.type(InteractionType.ESCALATION);
                case 3 -> event.type(InteractionType.CONTACT_STARTED)
                        .waitSeconds(random.nextInt(1500));
                case 4 -> event.survey(random.nextBoolean() ? SurveyKind.CSAT : SurveyKind.NPS,
                        1 + random.nextInt(5));
                case 5 -> event.type(InteractionType.OUTBOUND_CONTACT)
                        .direction(Direction.OUTBOUND);
                case 6 -> event.type(InteractionType.ABANDONED);
                case 7 -> event.text(CHURN_TEXT.get(random.nextInt(CHURN_TEXT.size())))
                        .sentiment(-0.5f);
                default -> event.type(InteractionType.MESSAGE)
                        .sentiment(random.nextFloat() * 2 - 1);
            }
            InteractionEvent record = event.build();
            out.add(new Send(false, customer, record, at));
            if (random.nextInt(15) == 0) {
                // A redelivery: the jobs must count it once.
                out.add(new Send(false, customer, record, at));
            }
        }
    }

    /** One or two callback promises and what became of them. */
    private static void promises(Random random, String customer, List<Send> out,
            List<Deadline> deadlines) {
        Instant at = START.plus(Duration.ofMinutes(random.nextInt(60 * 36)));
        int commitments = 1 + random.nextInt(2);
        for (int c = 0; c < commitments; c++) {
            String id = customer + "-cb" + c;
            Instant promisedAt = at.plus(Duration.ofMinutes(random.nextInt(600)));
            Instant due = promisedAt.plus(Duration.ofMinutes(30 + random.nextInt(240)));
            int window = 15;
            add(out, callback(customer, id, "p", CallbackType.PROMISED, promisedAt).setDueAt(due)
                    .setWindowMinutes(window).build());
            Instant deadline = due.plus(Duration.ofMinutes(window));
            switch (random.nextInt(6)) {
                case 0 -> add(out, callback(customer, id, "c", CallbackType.COMPLETED,
                        due.minus(Duration.ofMinutes(10))).build());
                case 1 -> add(out, callback(customer, id, "late", CallbackType.COMPLETED,
                        deadline.plus(Duration.ofMinutes(40))).build());
                case 2 -> {
                    add(out, callback(customer, id, "a", CallbackType.ATTEMPTED,
                            due.minus(Duration.ofMinutes(5))).setOutcome(CallbackOutcome.NO_ANSWER)
                            .build());
                    deadlines.add(new Deadline(id, deadline));
                }
                case 3 -> {
                    Instant later = due.plus(Duration.ofHours(2));
                    add(out, callback(customer, id, "r", CallbackType.RESCHEDULED,
                            due.minus(Duration.ofMinutes(20))).setDueAt(later).build());
                    deadlines.add(new Deadline(id, later.plus(Duration.ofMinutes(window))));
                }
                case 4 -> add(out, callback(customer, id, "x", CallbackType.CANCELLED,
                        due.minus(Duration.ofMinutes(25))).build());
                default -> deadlines.add(new Deadline(id, deadline));
            }
            at = promisedAt;
        }
    }

    private static void add(List<Send> out, CallbackEvent event) {
        out.add(new Send(true, event.getCustomerId(), event, event.getOccurredAt()));
    }

    private static CallbackEvent.Builder callback(String customer, String commitmentId,
            String step, CallbackType type, Instant at) {
        return CallbackEvent.newBuilder().setEventId(commitmentId + "-" + step)
                .setCommitmentId(commitmentId).setCustomerId(customer).setType(type)
                .setOccurredAt(at).setAgentId("agent-7").setChannel(Channel.PHONE)
                .setCustomerName("Customer " + customer);
    }

    /** A key that the default partitioner puts on {@code partition}. */
    static String keyOnPartition(int partition) {
        for (int i = 0; ; i++) {
            String key = "clock-" + i;
            if (Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS
                    == partition) {
                return key;
            }
        }
    }
}
