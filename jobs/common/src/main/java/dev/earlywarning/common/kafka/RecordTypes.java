package dev.earlywarning.common.kafka;

import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertAck;
import dev.earlywarning.schema.CallbackEvent;
import dev.earlywarning.schema.CallbackType;
import dev.earlywarning.schema.ControlCommand;
import dev.earlywarning.schema.DisruptionEvent;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.ShipmentEvent;
import dev.earlywarning.schema.SurveyKind;

/** The contract's rules for each topic's records, beyond what the Avro schema can say. */
public final class RecordTypes {

    public static final RecordType<InteractionEvent> INTERACTION = new RecordType<>(
            InteractionEvent.class, e -> e.getOccurredAt().toEpochMilli(),
            RecordTypes::interactionProblem);

    public static final RecordType<CallbackEvent> CALLBACK = new RecordType<>(
            CallbackEvent.class, e -> e.getOccurredAt().toEpochMilli(),
            RecordTypes::callbackProblem);

    public static final RecordType<Alert> ALERT = new RecordType<>(
            Alert.class, a -> a.getTriggeredAt().toEpochMilli(),
            (a, limits) -> firstProblem(
                    blank("alertId", a.getAlertId()),
                    blank("customerId", a.getCustomerId()),
                    limits.futureProblem("triggeredAt", a.getTriggeredAt().toEpochMilli())));

    public static final RecordType<AlertAck> ALERT_ACK = new RecordType<>(
            AlertAck.class, a -> a.getOccurredAt().toEpochMilli(),
            (a, limits) -> firstProblem(
                    blank("alertId", a.getAlertId()),
                    blank("customerId", a.getCustomerId()),
                    blank("responder", a.getResponder()),
                    limits.futureProblem("occurredAt", a.getOccurredAt().toEpochMilli())));

    public static final RecordType<ControlCommand> CONTROL = new RecordType<>(
            ControlCommand.class, c -> c.getOccurredAt().toEpochMilli(),
            (c, limits) -> firstProblem(
                    blank("commandId", c.getCommandId()),
                    blank("job", c.getJob()),
                    blank("kind", c.getKind())));

    public static final RecordType<ShipmentEvent> SHIPMENT = new RecordType<>(
            ShipmentEvent.class, e -> e.getOccurredAt().toEpochMilli(),
            RecordTypes::shipmentProblem);

    /** Event time is {@code issuedAt}: when the feed said it, not when the weather happens. */
    public static final RecordType<DisruptionEvent> DISRUPTION = new RecordType<>(
            DisruptionEvent.class, d -> d.getIssuedAt().toEpochMilli(),
            RecordTypes::disruptionProblem);

    private RecordTypes() {}

    static String shipmentProblem(ShipmentEvent e, RecordType.Limits limits) {
        return firstProblem(
                blank("eventId", e.getEventId()),
                blank("orderId", e.getOrderId()),
                blank("customerId", e.getCustomerId()),
                blank("carrier", e.getCarrier()),
                limits.futureProblem("occurredAt", e.getOccurredAt().toEpochMilli()),
                negative("orderValueCents", e.getOrderValueCents()),
                // Budgets are kept per currency: a free-form currency would open a budget per typo.
                e.getCurrency() == null || !e.getCurrency().matches("[A-Z]{3}")
                        ? "currency '" + e.getCurrency() + "' is not an ISO 4217 code" : null,
                e.getRemainingRoute().stream().anyMatch(r -> r == null || r.isBlank())
                        ? "remainingRoute has a blank region" : null,
                e.getRegionId() != null && e.getRegionId().isBlank() ? "regionId is blank" : null);
    }

    static String disruptionProblem(DisruptionEvent d, RecordType.Limits limits) {
        return firstProblem(
                blank("disruptionId", d.getDisruptionId()),
                blank("regionId", d.getRegionId()),
                d.getSeverity() < 1 || d.getSeverity() > 5
                        ? "severity " + d.getSeverity() + " is outside 1..5" : null,
                negative("expectedDelayMinutes", d.getExpectedDelayMinutes()),
                d.getEndsAt().isBefore(d.getStartsAt())
                        ? "endsAt " + d.getEndsAt() + " is before startsAt " + d.getStartsAt() : null,
                limits.futureProblem("issuedAt", d.getIssuedAt().toEpochMilli()));
    }

    static String interactionProblem(InteractionEvent e, RecordType.Limits limits) {
        return firstProblem(
                blank("eventId", e.getEventId()),
                blank("customerId", e.getCustomerId()),
                limits.futureProblem("occurredAt", e.getOccurredAt().toEpochMilli()),
                negative("waitSeconds", e.getWaitSeconds()),
                negative("handleSeconds", e.getHandleSeconds()),
                e.getSentiment() != null && !(Math.abs(e.getSentiment()) <= 1f)
                        ? "sentiment " + e.getSentiment() + " is outside -1..1" : null,
                surveyProblem(e));
    }

    static String callbackProblem(CallbackEvent e, RecordType.Limits limits) {
        return firstProblem(
                blank("eventId", e.getEventId()),
                blank("commitmentId", e.getCommitmentId()),
                blank("customerId", e.getCustomerId()),
                limits.futureProblem("occurredAt", e.getOccurredAt().toEpochMilli()),
                negative("windowMinutes", e.getWindowMinutes()),
                negative("withinBusinessHours", e.getWithinBusinessHours()),
                deadlineProblem(e),
                e.getType() == CallbackType.ATTEMPTED && e.getOutcome() == null
                        ? "ATTEMPTED has no outcome" : null);
    }

    /** A promise must say when it is due, and cannot be due before it was made. */
    private static String deadlineProblem(CallbackEvent e) {
        boolean promise = e.getType() == CallbackType.PROMISED
                || e.getType() == CallbackType.RESCHEDULED;
        if (promise && e.getDueAt() == null && e.getWithinBusinessHours() == null) {
            return e.getType() + " has neither dueAt nor withinBusinessHours";
        }
        return e.getDueAt() != null && e.getDueAt().isBefore(e.getOccurredAt())
                ? "dueAt " + e.getDueAt() + " is before occurredAt " + e.getOccurredAt() : null;
    }

    private static String surveyProblem(InteractionEvent e) {
        if (e.getSurveyScore() == null) {
            return null;
        }
        int max = e.getSurveyKind() == SurveyKind.NPS ? 10 : 5;
        int min = e.getSurveyKind() == SurveyKind.NPS ? 0 : 1;
        return e.getSurveyScore() < min || e.getSurveyScore() > max
                ? "surveyScore " + e.getSurveyScore() + " is outside " + min + ".." + max
                        + " for " + (e.getSurveyKind() == null ? "CSAT" : e.getSurveyKind())
                : null;
    }

    static String blank(String field, String value) {
        return value == null || value.isBlank() ? field + " is blank" : null;
    }

    static String negative(String field, Integer value) {
        return value != null && value < 0 ? field + " is negative (" + value + ")" : null;
    }

    static String negative(String field, Long value) {
        return value != null && value < 0 ? field + " is negative (" + value + ")" : null;
    }

    static String firstProblem(String... problems) {
        for (String problem : problems) {
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }
}
