package dev.earlywarning.cli.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.earlywarning.cli.sim.Responders.Plan;
import dev.earlywarning.cli.sim.Responders.Response;
import dev.earlywarning.common.kafka.RecordType;
import dev.earlywarning.common.kafka.RecordTypes;
import dev.earlywarning.schema.AckAction;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertAck;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.Audience;
import dev.earlywarning.schema.Direction;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.InteractionType;
import dev.earlywarning.schema.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RespondersTest {

    private static final long NOW = Instant.parse("2025-03-03T09:00:00Z").toEpochMilli();
    private final Responders responders = new Responders(42, 0.5, 0.25);

    @Test
    void theSameItemGetsTheSameResponseAndEachResponseHasItsShare() {
        Map<Response, Integer> counts = new EnumMap<>(Response.class);
        for (int i = 0; i < 2_000; i++) {
            Alert item = item("item-" + i, AlertKind.AT_RISK_CUSTOMER, AlertStatus.OPEN, 0);
            Plan plan = responders.respond(item, NOW).orElseThrow();
            assertThat(new Responders(42, 0.5, 0.25).respond(item, NOW + 5_000).orElseThrow()
                    .response()).isEqualTo(plan.response());
            counts.merge(plan.response(), 1, Integer::sum);
        }
        assertThat(counts.get(Response.ACK_AND_CALL) / 2_000.0).isBetween(0.45, 0.55);
        assertThat(counts.get(Response.ACK_ONLY) / 2_000.0).isBetween(0.21, 0.29);
        assertThat(counts.get(Response.IGNORE) / 2_000.0).isBetween(0.21, 0.29);
    }

    @Test
    void anAcknowledgementIsAValidAckOfTheItemAndTheCallBackFollowsIt() {
        Plan plan = firstWith(Response.ACK_AND_CALL);
        assertThat(plan.events()).extracting(Emission.Valid::target)
                .containsExactly(Emission.Target.ALERT_ACKS, Emission.Target.INTERACTIONS);
        assertThat(plan.events()).extracting(Emission.Valid::at).isSorted();
        AlertAck ack = (AlertAck) plan.events().get(0).value();
        assertThat(RecordTypes.ALERT_ACK.validator().problem(ack,
                new RecordType.Limits(NOW, Duration.ofDays(1).toMillis()))).isNull();
        assertThat(ack.getAction()).isEqualTo(AckAction.ACKNOWLEDGED);
        assertThat(ack.getOccurredAt().toEpochMilli()).isGreaterThan(NOW);
        assertThat(plan.events().get(0).key()).isEqualTo("c-1").isEqualTo(ack.getCustomerId());

        InteractionEvent call = (InteractionEvent) plan.events().get(1).value();
        assertThat(call.getType()).isEqualTo(InteractionType.OUTBOUND_CONTACT);
        assertThat(call.getDirection()).isEqualTo(Direction.OUTBOUND);
        assertThat(call.getCustomerId()).isEqualTo("c-1");
        assertThat(call.getCaseId()).isEqualTo("K-1");
        assertThat(RecordTypes.INTERACTION.validator().problem(call,
                new RecordType.Limits(NOW, Duration.ofDays(1).toMillis()))).isNull();
        // The router's follow-through (4 h by default) must still be open when the call comes.
        assertThat(call.getOccurredAt().toEpochMilli() - ack.getOccurredAt().toEpochMilli())
                .isLessThan(Duration.ofHours(1).toMillis());

        assertThat(firstWith(Response.ACK_ONLY).events()).extracting(Emission.Valid::target)
                .containsExactly(Emission.Target.ALERT_ACKS);
        assertThat(firstWith(Response.IGNORE).events()).isEmpty();
    }

    @Test
    void escalationsAreAnsweredTooButUpdatesLoopReportsAndOutreachAreNot() {
        assertThat(responders.respond(item("e", AlertKind.ALERT_UNACKNOWLEDGED, AlertStatus.OPEN,
                2), NOW)).isPresent();
        assertThat(responders.respond(item("u", AlertKind.AT_RISK_CUSTOMER, AlertStatus.UPDATED,
                0), NOW)).isEmpty();
        assertThat(responders.respond(item("l", AlertKind.LOOP_NOT_CLOSED, AlertStatus.OPEN, 1),
                NOW)).isEmpty();
        Alert outreach = item("o", AlertKind.SHIPPING_DELAY_PREDICTED, AlertStatus.OPEN, 0);
        outreach.setAudience(Audience.OUTREACH);
        assertThat(responders.respond(outreach, NOW)).isEmpty();
    }

    private Plan firstWith(Response response) {
        for (int i = 0; ; i++) {
            Optional<Plan> plan = responders.respond(
                    item("item-" + i, AlertKind.AT_RISK_CUSTOMER, AlertStatus.OPEN, 0), NOW);
            if (plan.orElseThrow().response() == response) {
                return plan.get();
            }
        }
    }

    private static Alert item(String id, AlertKind kind, AlertStatus status, int level) {
        return Alert.newBuilder()
                .setAlertId(id)
                .setDedupKey(id)
                .setKind(kind)
                .setSeverity(Severity.HIGH)
                .setStatus(status)
                .setCustomerId("c-1")
                .setCustomerName("Ana Silva")
                .setCaseId("K-1")
                .setTriggeredAt(Instant.ofEpochMilli(NOW - 60_000))
                .setEmittedAt(Instant.ofEpochMilli(NOW))
                .setSourceJob("alert-router")
                .setEscalationLevel(level)
                .build();
    }
}
