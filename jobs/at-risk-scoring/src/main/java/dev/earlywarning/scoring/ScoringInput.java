package dev.earlywarning.scoring;

import dev.earlywarning.common.kafka.Ingested;
import dev.earlywarning.common.serde.AvroRecordTypeInfo;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.InteractionEvent;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * What the scoring function consumes per customer: an interaction, or a broken-promise alert of
 * the callback-sla job. Broken promises are decided there, once, and only read here, so that the
 * two jobs never disagree about whether a promise was kept.
 */
public class ScoringInput {
    public InteractionEvent interaction;
    public Alert brokenPromise;
    public int partition;
    public long offset;
    public long ingestedAt;

    public ScoringInput() {}

    static ScoringInput of(Ingested<InteractionEvent> in) {
        ScoringInput input = from(in);
        input.interaction = in.value;
        return input;
    }

    static ScoringInput ofBrokenPromise(Ingested<Alert> in) {
        ScoringInput input = from(in);
        input.brokenPromise = in.value;
        return input;
    }

    /** The alerts of the callback-sla job that mean we did not keep our word to the customer. */
    static boolean isBrokenPromise(Ingested<Alert> in) {
        AlertKind kind = in.value.getKind();
        return kind == AlertKind.CALLBACK_BREACHED || kind == AlertKind.FOLLOW_UP_OVERDUE;
    }

    String customerId() {
        return interaction != null ? interaction.getCustomerId() : brokenPromise.getCustomerId();
    }

    long eventTime() {
        return interaction != null ? interaction.getOccurredAt().toEpochMilli()
                : brokenPromise.getTriggeredAt().toEpochMilli();
    }

    /** Unique per input record; a redelivery repeats it. */
    String id() {
        return interaction != null ? interaction.getEventId()
                : brokenPromise.getAlertId() + "#" + brokenPromise.getRevision();
    }

    private static ScoringInput from(Ingested<?> in) {
        ScoringInput input = new ScoringInput();
        input.partition = in.partition;
        input.offset = in.offset;
        input.ingestedAt = in.ingestedAt;
        return input;
    }

    static TypeInformation<ScoringInput> typeInfo() {
        return Types.POJO(ScoringInput.class, Map.of(
                "interaction", new AvroRecordTypeInfo<>(InteractionEvent.class),
                "brokenPromise", new AvroRecordTypeInfo<>(Alert.class),
                "partition", Types.INT,
                "offset", Types.LONG,
                "ingestedAt", Types.LONG));
    }
}
