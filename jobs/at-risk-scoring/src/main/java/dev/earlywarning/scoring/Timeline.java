package dev.earlywarning.scoring;

import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.AlertStatus;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.TimelineEntry;

/** How one interaction reads in a customer's cross-channel timeline. */
final class Timeline {

    /** How each interaction type reads, computed once: this runs for every interaction. */
    private static final String[] TYPE_WORDS = java.util.Arrays.stream(
                    dev.earlywarning.schema.InteractionType.values())
            .map(type -> type.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
            .toArray(String[]::new);

    private Timeline() {}

    static TimelineEntry entryOf(InteractionEvent e) {
        StringBuilder summary = new StringBuilder();
        summary.append(e.getDirection() == dev.earlywarning.schema.Direction.OUTBOUND ? "we " : "")
                .append(TYPE_WORDS[e.getType().ordinal()]);
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
        // One per interaction: the all-fields constructor skips the builder's default handling.
        return new TimelineEntry(e.getOccurredAt(), e.getChannel(), e.getType().name(),
                summary.toString(), e.getEventId());
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
