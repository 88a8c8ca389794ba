package dev.earlywarning.scoring;

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
}
