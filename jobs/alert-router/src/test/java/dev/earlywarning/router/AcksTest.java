package dev.earlywarning.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earlywarning.common.kafka.AvroCodec;
import dev.earlywarning.schema.AckAction;
import dev.earlywarning.schema.AlertAck;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.Severity;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AcksTest {

    @Test
    void readsActionsAsPeopleTypeThem() {
        assertThat(Acks.action(" ack ")).isEqualTo(AckAction.ACKNOWLEDGED);
        assertThat(Acks.action("Resolved")).isEqualTo(AckAction.RESOLVED);
        assertThat(Acks.action("snooze")).isEqualTo(AckAction.SNOOZED);
        assertThatThrownBy(() -> Acks.action("close")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("close").hasMessageContaining("ACKNOWLEDGED");
    }

    @Test
    void buildsAnAckOfAQueueItemThatTheRouterWillAccept() throws Exception {
        var item = TestAlerts.responder("item-1", "c1", AlertKind.AT_RISK_CUSTOMER, Severity.HIGH,
                TestAlerts.at(0)).build();
        Instant now = Instant.now();
        AlertAck ack = Acks.forAlert(item, " rita ", AckAction.ACKNOWLEDGED, now, "  ");
        assertThat(ack.getAlertId()).isEqualTo("item-1");
        assertThat(ack.getCustomerId()).isEqualTo("c1");
        assertThat(ack.getResponder()).isEqualTo("rita");
        assertThat(ack.getNote()).isNull();
        AvroCodec<AlertAck> codec = new AvroCodec<>(AlertAck.class);
        assertThat(codec.decode(codec.encode(ack))).isEqualTo(ack);
    }

    @Test
    void refusesAcksTheRouterWouldDeadLetter() {
        Instant now = Instant.now();
        assertThatThrownBy(() -> Acks.build("a1", "c1", " ", AckAction.RESOLVED, now, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("responder");
        assertThatThrownBy(() -> Acks.build("", "c1", "rita", AckAction.RESOLVED, now, null))
                .hasMessageContaining("alertId");
        assertThatThrownBy(() -> Acks.build("a1", "c1", "rita", AckAction.RESOLVED,
                now.plus(Duration.ofDays(2)), null)).hasMessageContaining("future");
        assertThatThrownBy(() -> Acks.build("a1", "c1", "rita", null, now, null))
                .hasMessageContaining("action");
    }
}
