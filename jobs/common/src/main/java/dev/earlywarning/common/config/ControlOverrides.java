package dev.earlywarning.common.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earlywarning.schema.ControlCommand;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Run-time settings through {@code ews.control}: a {@code SET_CONFIG} command for a job (or
 * {@code "*"}) carries a flat JSON object of that job's settings, merged onto the overrides
 * accepted so far and validated as a whole by the job. Jobs keep the accepted overrides as their
 * JSON in broadcast state, so every parallel instance and every restore sees the same settings.
 */
public final class ControlOverrides {

    public static final String SET_CONFIG = "SET_CONFIG";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ControlOverrides() {}

    /** Whether the command is addressed to {@code job}: by name, or a SET_CONFIG for all jobs. */
    public static boolean concerns(ControlCommand command, String job) {
        return job.equals(command.getJob())
                || ("*".equals(command.getJob()) && SET_CONFIG.equals(command.getKind()));
    }

    /**
     * The overrides after applying {@code command}: {@code validate} sees the merged map and
     * throws a {@link ConfigException} (which this rethrows) when the result is not acceptable.
     */
    public static Map<String, String> apply(ControlCommand command, String job,
            Map<String, String> current, Consumer<Map<String, String>> validate) {
        if (!SET_CONFIG.equals(command.getKind())) {
            throw new ConfigException("unsupported command kind " + command.getKind() + " for "
                    + job + " (supported: " + SET_CONFIG + ")");
        }
        Map<String, String> merged = new LinkedHashMap<>(current);
        merged.putAll(flatten(command.getPayload()));
        validate.accept(merged);
        return merged;
    }

    public static String toJson(Map<String, String> overrides) {
        try {
            return JSON.writeValueAsString(overrides);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, String> fromJson(String json) {
        return json == null ? Map.of() : flatten(json);
    }

    /**
     * A command payload, a flat JSON object of plain values, as the same string map that
     * {@link Settings} reads: a run-time command is validated by exactly the start-up rules.
     * A JSON null removes nothing and sets nothing.
     */
    public static Map<String, String> flatten(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json == null ? "" : json);
        } catch (Exception e) {
            throw new ConfigException("payload is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("payload must be a JSON object of settings");
        }
        Map<String, String> flat = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (value.isContainerNode()) {
                throw new ConfigException("setting " + field.getKey() + " must be a plain value");
            }
            if (!value.isNull()) {
                flat.put(field.getKey(), value.asText());
            }
        }
        return flat;
    }
}
