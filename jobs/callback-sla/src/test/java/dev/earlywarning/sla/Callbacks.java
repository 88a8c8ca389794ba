package dev.earlywarning.sla;

import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.common.testing.Interactions;
import dev.earlywarning.schema.CallbackEvent;
import dev.earlywarning.schema.CallbackOutcome;
import dev.earlywarning.schema.CallbackType;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.InteractionType;
import java.time.Duration;
import java.time.Instant;

/**
 * Test data for the callback SLA job: Ana Silva (customer c1, case K7) and agent Rui Costa, on
 * Monday 2 March 2026 from 09:00 UTC, minute by minute.
 */
final class Callbacks {

    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    static final String CUSTOMER = "c1";

    private Callbacks() {}

    static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    static CallbackEvent.Builder callback(String eventId, String commitmentId, CallbackType type,
            int minute) {
        return CallbackEvent.newBuilder()
                .setEventId(eventId)
                .setCommitmentId(commitmentId)
                .setCustomerId(CUSTOMER)
                .setCustomerName("Ana Silva")
                .setCaseId("K7")
                .setType(type)
                .setOccurredAt(at(minute))
                .setAgentId("a7")
                .setAgentName("Rui Costa")
                .setChannel(Channel.PHONE);
    }

    static CallbackEvent.Builder promised(String eventId, String commitmentId, int minute,
            int dueMinute) {
        return callback(eventId, commitmentId, CallbackType.PROMISED, minute).setDueAt(at(dueMinute));
    }

    static CallbackEvent.Builder rescheduled(String eventId, String commitmentId, int minute,
            int dueMinute) {
        return callback(eventId, commitmentId, CallbackType.RESCHEDULED, minute)
                .setDueAt(at(dueMinute));
    }

    static CallbackEvent.Builder attempted(String eventId, String commitmentId, int minute,
            CallbackOutcome outcome) {
        return callback(eventId, commitmentId, CallbackType.ATTEMPTED, minute).setOutcome(outcome);
    }

    static CallbackEvent.Builder completed(String eventId, String commitmentId, int minute) {
        return callback(eventId, commitmentId, CallbackType.COMPLETED, minute);
    }

    static CallbackEvent.Builder cancelled(String eventId, String commitmentId, int minute) {
        return callback(eventId, commitmentId, CallbackType.CANCELLED, minute);
    }

    /** An interaction of Ana's at {@code minute}; defaults as in the common test kit. */
    static Interactions interaction(String eventId, int minute, InteractionType type) {
        return Interactions.event(eventId, CUSTOMER).type(type).at(at(minute))
                .customerName("Ana Silva");
    }

    static <T> Ingested<T> ingested(T record) {
        return new Ingested<>(record, 0, 0, System.currentTimeMillis());
    }
}
