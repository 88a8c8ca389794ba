package dev.earlywarning.scoring;

import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.Direction;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import dev.earlywarning.schema.SurveyKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A deterministic mix of customer journeys over a few days for pipeline tests: bounced customers
 * and angry surveys that must alert, dropped calls, and plenty of customers who are fine.
 * Each customer's events are in time order, as they would be in their Kafka partition.
 */
final class CustomerJourneys {

    private CustomerJourneys() {}

    static List<InteractionEvent> generate(int customers, Instant start) {
        List<InteractionEvent> events = new ArrayList<>();
        for (int i = 0; i < customers; i++) {
            String customer = "cust-" + i;
            Instant t = start.plus(Duration.ofMinutes(7L * i));
            switch (i % 4) {
                case 0 -> bounced(events, customer, t, i);
                case 1 -> angrySurvey(events, customer, t, i);
                case 2 -> droppedAndAbandoned(events, customer, t, i);
                default -> fine(events, customer, t, i);
            }
        }
        events.sort(Comparator.comparing(InteractionEvent::getOccurredAt));
        return events;
    }

    private static void bounced(List<InteractionEvent> out, String customer, Instant t, int i) {
        String kase = "K-" + i;
        out.add(e(customer, i, 0, t, Channel.CHAT, InteractionType.CONTACT_STARTED, kase)
                .setText("I received a package I never ordered").build());
        out.add(e(customer, i, 1, t.plusSeconds(3600), Channel.EMAIL, InteractionType.MESSAGE, kase)
                .setText("Nobody answered my chat about the package").build());
        out.add(e(customer, i, 2, t.plusSeconds(7200), Channel.PHONE, InteractionType.TRANSFER, kase)
                .build());
        out.add(e(customer, i, 3, t.plusSeconds(7300), Channel.PHONE, InteractionType.ESCALATION, kase)
                .setSentiment(-0.7f).build());
        // Two days later the customer writes again: by then the first alert has decayed away.
        out.add(e(customer, i, 4, t.plus(Duration.ofDays(4)), Channel.EMAIL, InteractionType.COMPLAINT,
                kase).setText("I will cancel my account if this is not fixed").build());
    }

    private static void angrySurvey(List<InteractionEvent> out, String customer, Instant t, int i) {
        out.add(e(customer, i, 0, t, Channel.PHONE, InteractionType.CONTACT_STARTED, "K-" + i)
                .setWaitSeconds(1200).build());
        out.add(e(customer, i, 1, t.plusSeconds(1800), Channel.SURVEY, InteractionType.SURVEY_RESPONSE,
                "K-" + i).setSurveyKind(SurveyKind.CSAT).setSurveyScore(1)
                .setText("Furious. Nobody listened.").build());
        out.add(e(customer, i, 2, t.plus(Duration.ofDays(1)), Channel.PHONE,
                InteractionType.OUTBOUND_CONTACT, "K-" + i).setDirection(Direction.OUTBOUND).build());
    }

    private static void droppedAndAbandoned(List<InteractionEvent> out, String customer, Instant t,
            int i) {
        out.add(e(customer, i, 0, t, Channel.SELF_SERVICE, InteractionType.SELF_SERVICE_FAILED, null)
                .build());
        out.add(e(customer, i, 1, t.plusSeconds(600), Channel.PHONE, InteractionType.CONTACT_STARTED,
                null).setWaitSeconds(700).build());
        out.add(e(customer, i, 2, t.plusSeconds(900), Channel.PHONE, InteractionType.DISCONNECTED,
                null).build());
        out.add(e(customer, i, 3, t.plusSeconds(1500), Channel.PHONE, InteractionType.ABANDONED, null)
                .setWaitSeconds(900).build());
    }

    private static void fine(List<InteractionEvent> out, String customer, Instant t, int i) {
        out.add(e(customer, i, 0, t, Channel.CHAT, InteractionType.CONTACT_STARTED, "K-" + i)
                .setText("Where is my order?").build());
        out.add(e(customer, i, 1, t.plusSeconds(300), Channel.CHAT, InteractionType.CONTACT_ENDED,
                "K-" + i).setSentiment(0.6f).build());
        out.add(e(customer, i, 2, t.plusSeconds(900), Channel.SURVEY, InteractionType.SURVEY_RESPONSE,
                "K-" + i).setSurveyKind(SurveyKind.NPS).setSurveyScore(9).build());
    }

    private static InteractionEvent.Builder e(String customer, int i, int step, Instant at,
            Channel channel, InteractionType type, String caseId) {
        return InteractionEvent.newBuilder()
                .setEventId("ev-" + i + "-" + step)
                .setCustomerId(customer)
                .setCustomerName("Customer " + i)
                .setCaseId(caseId)
                .setChannel(channel)
                .setType(type)
                .setDirection(Direction.INBOUND)
                .setOccurredAt(at);
    }
}
