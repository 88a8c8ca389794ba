package dev.earlywarning.router;

import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertAck;
import dev.earlywarning.schema.InteractionEvent;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * The router's one input: exactly one of an alert, an acknowledgement or a customer contact, with
 * where it came from (to dead-letter it when late) and when it entered the job (for latency).
 * One envelope lets a single keyed function see all three in one per-customer state.
 */
public class RouterInput {
    public Alert alert;
    public AlertAck ack;
    public InteractionEvent contact;
    public int partition;
    public long offset;
    public long ingestedAt;

    public RouterInput() {}

    static final TypeInformation<RouterInput> TYPE = Types.POJO(RouterInput.class, Map.of(
            "alert", new AvroTypeInfo<>(Alert.class),
            "ack", new AvroTypeInfo<>(AlertAck.class),
            "contact", new AvroTypeInfo<>(InteractionEvent.class),
            "partition", Types.INT,
            "offset", Types.LONG,
            "ingestedAt", Types.LONG));

    static RouterInput ofAlert(Ingested<Alert> in) {
        RouterInput input = from(in);
        input.alert = in.value;
        return input;
    }

    static RouterInput ofAck(Ingested<AlertAck> in) {
        RouterInput input = from(in);
        input.ack = in.value;
        return input;
    }

    static RouterInput ofContact(Ingested<InteractionEvent> in) {
        RouterInput input = from(in);
        input.contact = in.value;
        return input;
    }

    String customerId() {
        return alert != null ? alert.getCustomerId()
                : ack != null ? ack.getCustomerId() : contact.getCustomerId();
    }

    long eventTime() {
        return alert != null ? alert.getTriggeredAt().toEpochMilli()
                : ack != null ? ack.getOccurredAt().toEpochMilli()
                : contact.getOccurredAt().toEpochMilli();
    }

    /** Unique per acknowledgement or contact, so a redelivery lands on the same inbox entry. */
    String inboxKey() {
        return ack != null
                ? "ack/" + ack.getAlertId() + "/" + ack.getAction() + "/" + ack.getResponder() + "/"
                        + ack.getOccurredAt().toEpochMilli()
                : "contact/" + contact.getEventId();
    }

    private static RouterInput from(Ingested<?> in) {
        RouterInput input = new RouterInput();
        input.partition = in.partition;
        input.offset = in.offset;
        input.ingestedAt = in.ingestedAt;
        return input;
    }
}
