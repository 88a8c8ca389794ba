package dev.earlywarning.scoring;

import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.TimelineEntry;

/** How one interaction reads in a customer's cross-channel timeline. */
final class Timeline {

    private Timeline() {}

    static TimelineEntry entryOf(InteractionEvent e) {
        StringBuilder summary = new StringBuilder();
        summary.append(e.getDirection() == dev.earlywarning.schema.Direction.OUTBOUND ? "we " : "")
                .append(e.getType().name().toLowerCase().replace('_', ' '));
        if (e.getCaseId() != null) {
            summary.append(" (case ").append(e.getCaseId()).append(')');
        }
        if (e.getAgentId() != null) {
            summary.append(", agent ").append(e.getAgentId());
        }
        if (e.getWaitSeconds() != null && e.getWaitSeconds() > 0) {
            summary.append(", waited ")
                    .append(SignalDetector.human(java.time.Duration.ofSeconds(e.getWaitSeconds())));
        }
        if (e.getSurveyScore() != null) {
            summary.append(", score ").append(e.getSurveyScore());
        }
        summary.append(SignalDetector.quoted(e.getText()));
        return TimelineEntry.newBuilder()
                .setAt(e.getOccurredAt())
                .setChannel(e.getChannel())
                .setType(e.getType().name())
                .setSummary(summary.toString())
                .setEventId(e.getEventId())
                .build();
    }

    /** A broken promise reads as what we failed to do, on the channel we promised to use. */
    static TimelineEntry entryOf(Alert breach) {
        Channel channel = Channel.PHONE;
        String promised = breach.getAttributes().get("channel");
        if (promised != null) {
            try {
                channel = Channel.valueOf(promised);
            } catch (IllegalArgumentException e) {
                // Unknown channel names keep the default: the entry still tells the story.
            }
        }
        return TimelineEntry.newBuilder()
                .setAt(breach.getTriggeredAt())
                .setChannel(channel)
                .setType(breach.getKind().name())
                .setSummary((breach.getStatus() == AlertStatus.RESOLVED ? "withdrawn: " : "we ")
                        + BrokenPromises.describe(breach))
                .setEventId(breach.getAlertId())
                .build();
    }
}
