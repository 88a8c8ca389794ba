package dev.earlywarning.sla;

import dev.earlywarning.schema.CallbackEvent;
import dev.earlywarning.schema.Channel;
import dev.earlywarning.schema.Direction;
import dev.earlywarning.schema.InteractionEvent;
import dev.earlywarning.schema.TimelineEntry;
import java.util.Locale;

/**
 * How callback records and interactions read in a customer's cross-channel timeline, so that the
 * responder sees the promise and the attempts next to the calls, chats and messages around them.
 */
final class SlaTimeline {

    private SlaTimeline() {}

    static TimelineEntry entryOf(CallbackEvent e) {
        StringBuilder summary = new StringBuilder("callback ")
                .append(e.getType().name().toLowerCase(Locale.ROOT));
        if (e.getOutcome() != null) {
            summary.append(": ").append(words(e.getOutcome().name()));
        }
        if (e.getDueAt() != null) {
            summary.append(", due ").append(e.getDueAt());
        } else if (e.getWithinBusinessHours() != null) {
            summary.append(", within ").append(e.getWithinBusinessHours()).append(" business hours");
        }
        appendCaseAndAgent(summary, e.getCaseId(),
                e.getAgentName() != null ? e.getAgentName() : e.getAgentId());
        summary.append(" [").append(e.getCommitmentId()).append(']');
        return TimelineEntry.newBuilder()
                .setAt(e.getOccurredAt())
                .setChannel(e.getChannel() != null ? e.getChannel() : Channel.PHONE)
                .setType("CALLBACK_" + e.getType().name())
                .setSummary(summary.toString())
                .setEventId(e.getEventId())
                .build();
    }

    static TimelineEntry entryOf(InteractionEvent e) {
        StringBuilder summary = new StringBuilder();
        if (e.getDirection() == Direction.OUTBOUND) {
            summary.append("we ");
        }
        summary.append(words(e.getType().name()));
        String outcome = e.getAttributes().get(Evidence.OUTCOME);
        if (outcome != null) {
            summary.append(": ").append(words(outcome));
        }
        appendCaseAndAgent(summary, e.getCaseId(), e.getAgentId());
        if (e.getText() != null && !e.getText().isBlank()) {
            String text = e.getText().strip();
            summary.append(": \"").append(text.length() > 80 ? text.substring(0, 77) + "..." : text)
                    .append('"');
        }
        return TimelineEntry.newBuilder()
                .setAt(e.getOccurredAt())
                .setChannel(e.getChannel())
                .setType(e.getType().name())
                .setSummary(summary.toString())
                .setEventId(e.getEventId())
                .build();
    }

    private static void appendCaseAndAgent(StringBuilder summary, String caseId, String agent) {
        if (caseId != null) {
            summary.append(" (case ").append(caseId).append(')');
        }
        if (agent != null) {
            summary.append(", agent ").append(agent);
        }
    }

    static String words(String symbol) {
        return symbol.toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
