package dev.earlywarning.common.config;

import java.io.Serializable;
import java.util.List;

/** The topic names of the contract; each can be renamed (tests use fresh names per run). */
public record Topics(
        String interactions,
        String callbacks,
        String shipments,
        String disruptions,
        String alerts,
        String responderQueue,
        String outreachQueue,
        String alertAcks,
        String control,
        String deadLetter)
        implements Serializable {

    public static Topics defaults() {
        return from(Settings.of(java.util.Map.of()));
    }

    /** Reads {@code topic.<name>} overrides, e.g. {@code topic.interactions=cx.interactions.test}. */
    public static Topics from(Settings settings) {
        Settings topic = settings.scoped("topic.");
        return new Topics(
                topic.string("interactions", "cx.interactions"),
                topic.string("callbacks", "cx.callbacks"),
                topic.string("shipments", "logistics.shipments"),
                topic.string("disruptions", "logistics.disruptions"),
                topic.string("alerts", "ews.alerts"),
                topic.string("responder-queue", "ews.responder-queue"),
                topic.string("outreach-queue", "ews.outreach-queue"),
                topic.string("alert-acks", "ews.alert-acks"),
                topic.string("control", "ews.control"),
                topic.string("dead-letter", "ews.dead-letter"));
    }

    public List<String> all() {
        return List.of(interactions, callbacks, shipments, disruptions, alerts, responderQueue,
                outreachQueue, alertAcks, control, deadLetter);
    }
}
