package dev.earlywarning.cli.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.earlywarning.schema.Alert;
import dev.earlywarning.schema.Gesture;
import dev.earlywarning.schema.Reason;
import dev.earlywarning.schema.Severity;
import dev.earlywarning.schema.TimelineEntry;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;

/**
 * Shows an {@link Alert} the way a responder reads it: who and how bad in one line, then why
 * (each reason with its share of the score), what happened across channels (newest first), and
 * what to do. Or, for scripts, as one plain JSON object per line (timestamps as ISO-8601 text,
 * no Avro union wrappers).
 */
public final class AlertRenderer {

    private static final int MAX_TIMELINE = 12;
    private static final int COMPACT_REASONS = 3;
    private static final int COMPACT_TIMELINE = 4;
    private static final int MAX_SUMMARY = 96;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean color;
    private final DateTimeFormatter full;
    private final DateTimeFormatter compact;

    public AlertRenderer(boolean color, ZoneId zone) {
        this.color = color;
        this.full = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT).withZone(zone);
        this.compact = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT).withZone(zone);
    }

    public String render(Alert alert) {
        return render(alert, Integer.MAX_VALUE, MAX_TIMELINE);
    }

    /** Shorter, for a live stream of many items: the main reasons and the latest entries only. */
    public String renderCompact(Alert alert) {
        return render(alert, COMPACT_REASONS, COMPACT_TIMELINE);
    }

    /** Header, times and action only: for an escalation or report of an item shown before. */
    public String renderBrief(Alert alert) {
        return render(alert, 0, 0);
    }

    /** The header and what changed, on one line: for updates and endings of a queue item. */
    public String renderChange(Alert alert) {
        Map<String, String> attributes = alert.getAttributes();
        List<String> notes = new ArrayList<>();
        if (attributes.containsKey("loopOutcome")) {
            notes.add("loop " + attributes.get("loopOutcome").toLowerCase(Locale.ROOT)
                    .replace('_', ' '));
        }
        if (attributes.containsKey("endedBy")) {
            notes.add("ended: " + attributes.get("endedBy"));
        }
        if (attributes.containsKey("acknowledgedBy")) {
            notes.add("acknowledged by " + attributes.get("acknowledgedBy"));
        }
        if (attributes.containsKey("contactedAt")) {
            notes.add("customer contacted " + compact.format(
                    Instant.parse(attributes.get("contactedAt"))));
        }
        return header(alert) + (notes.isEmpty() ? "" : "  " + dim("(" + String.join(", ", notes)
                + ")"));
    }

    private String render(Alert alert, int maxReasons, int maxTimeline) {
        StringBuilder out = new StringBuilder();
        out.append(header(alert)).append('\n');
        out.append("  ").append(dim("triggered " + full.format(alert.getTriggeredAt())
                + " by " + alert.getSourceJob() + ", alert " + alert.getAlertId()
                + (alert.getRevision() > 0 ? " rev " + alert.getRevision() : "")
                + (alert.getEscalationLevel() > 0 ? ", escalation level " + alert.getEscalationLevel() : "")
                + route(alert)
                + (alert.getDueBy() != null ? ", due by " + full.format(alert.getDueBy()) : "")))
                .append('\n');
        if (!alert.getReasons().isEmpty() && maxReasons > 0) {
            out.append("  why:\n");
            int width = alert.getReasons().stream().mapToInt(r -> r.getSignal().length()).max()
                    .orElse(0);
            List<Reason> reasons = alert.getReasons();
            for (Reason reason : reasons.subList(0, Math.min(maxReasons, reasons.size()))) {
                out.append("    ").append(pad(reason.getSignal(), width)).append(' ')
                        .append(String.format(Locale.ROOT, "%3d%%",
                                Math.round(reason.getContribution() * 100)))
                        .append("  ").append(reason.getDetail()).append('\n');
            }
            if (reasons.size() > maxReasons) {
                out.append("    ... ").append(reasons.size() - maxReasons).append(" more\n");
            }
        }
        if (!alert.getTimeline().isEmpty() && maxTimeline > 0) {
            out.append("  timeline (newest first):\n");
            List<TimelineEntry> entries = new ArrayList<>(alert.getTimeline());
            entries.sort(Comparator.comparing(TimelineEntry::getAt).reversed());
            for (TimelineEntry entry : entries.subList(0, Math.min(maxTimeline, entries.size()))) {
                out.append("    ").append(compact.format(entry.getAt())).append("  ")
                        .append(pad(entry.getChannel().name(), 12)).append(' ')
                        .append(pad(entry.getType(), 19)).append(' ')
                        .append(shorten(entry.getSummary())).append('\n');
            }
            if (entries.size() > maxTimeline) {
                out.append("    ... ").append(entries.size() - maxTimeline)
                        .append(" earlier entries\n");
            }
        }
        Gesture gesture = alert.getGesture();
        if (gesture != null) {
            out.append("  gesture: ").append(gesture.getKind());
            if (gesture.getAmountCents() > 0) {
                out.append(String.format(Locale.ROOT, " %d.%02d %s", gesture.getAmountCents() / 100,
                        gesture.getAmountCents() % 100, gesture.getCurrency()));
            }
            if (!gesture.getMessage().isBlank()) {
                out.append("  \"").append(gesture.getMessage()).append('"');
            }
            out.append('\n');
        }
        if (!alert.getSuggestedAction().isBlank()) {
            out.append("  ").append(bold("-> " + alert.getSuggestedAction())).append('\n');
        }
        return out.toString();
    }

    /** {@code [HIGH] AT_RISK_CUSTOMER OPEN  Ana Silva (c-123)  score 0.82  case K-7}. */
    public String header(Alert alert) {
        StringBuilder line = new StringBuilder();
        line.append(severity(alert.getSeverity())).append(' ').append(alert.getKind()).append(' ')
                .append(alert.getStatus()).append("  ");
        String name = alert.getCustomerName();
        line.append(bold(name == null || name.isBlank() ? alert.getCustomerId()
                : name + " (" + alert.getCustomerId() + ")"));
        if (alert.getScore() != null) {
            line.append(String.format(Locale.ROOT, "  score %.2f", alert.getScore()));
        }
        if (alert.getCaseId() != null) {
            line.append("  case ").append(alert.getCaseId());
        }
        if (alert.getOrderId() != null) {
            line.append("  order ").append(alert.getOrderId());
        }
        if (alert.getCommitmentId() != null) {
            line.append("  commitment ").append(alert.getCommitmentId());
        }
        return line.toString();
    }

    /** One JSON object on one line. */
    public String json(Alert alert) {
        try {
            return JSON.writeValueAsString(toJson(alert));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode toJson(Object value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (value == null) {
            return nodes.nullNode();
        }
        if (value instanceof IndexedRecord record) {
            ObjectNode object = nodes.objectNode();
            for (Schema.Field field : record.getSchema().getFields()) {
                object.set(field.name(), toJson(record.get(field.pos())));
            }
            return object;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = nodes.arrayNode();
            list.forEach(item -> array.add(toJson(item)));
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = nodes.objectNode();
            map.forEach((key, item) -> object.set(String.valueOf(key), toJson(item)));
            return object;
        }
        if (value instanceof Instant instant) {
            return nodes.textNode(instant.toString());
        }
        if (value instanceof Enum<?> || value instanceof GenericEnumSymbol<?>
                || value instanceof CharSequence) {
            return nodes.textNode(value.toString());
        }
        if (value instanceof Integer i) {
            return nodes.numberNode(i);
        }
        if (value instanceof Long l) {
            return nodes.numberNode(l);
        }
        if (value instanceof Float f) {
            return nodes.numberNode(f);
        }
        if (value instanceof Double d) {
            return nodes.numberNode(d);
        }
        if (value instanceof Boolean b) {
            return nodes.booleanNode(b);
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return nodes.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        return nodes.textNode(value.toString());
    }

    /** The router's priority and who the item goes to, when it says. */
    private static String route(Alert alert) {
        String priority = alert.getAttributes().get("priority");
        String to = alert.getAttributes().get("routeTo");
        if (priority == null && to == null) {
            return "";
        }
        return ", " + (priority == null ? "for " + to : to == null ? priority
                : priority + " for " + to);
    }

    private String severity(Severity severity) {
        String text = "[" + severity + "]";
        if (!color) {
            return text;
        }
        String code = switch (severity) {
            case CRITICAL -> "1;41;97";
            case HIGH -> "1;31";
            case WARNING -> "1;33";
            case INFO -> "1;36";
        };
        return "\u001b[" + code + "m" + text + "\u001b[0m";
    }

    private String bold(String text) {
        return color ? "\u001b[1m" + text + "\u001b[0m" : text;
    }

    private String dim(String text) {
        return color ? "\u001b[2m" + text + "\u001b[0m" : text;
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    private static String shorten(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_SUMMARY ? oneLine : oneLine.substring(0, MAX_SUMMARY - 3) + "...";
    }
}
