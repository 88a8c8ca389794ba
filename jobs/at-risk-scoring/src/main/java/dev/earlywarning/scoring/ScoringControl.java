package dev.earlywarning.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earlywarning.common.config.ConfigException;
import dev.earlywarning.schema.ControlCommand;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * Run-time configuration through {@code ews.control}: a {@code SET_CONFIG} command for this job
 * (or {@code "*"}) carries a flat JSON object of scoring settings that is merged onto the current
 * configuration and validated as a whole. The accepted settings live in broadcast state as their
 * flat map, so every parallel instance and every restore sees the same configuration.
 */
final class ScoringControl {

    static final MapStateDescriptor<String, String> STATE =
            new MapStateDescriptor<>("scoring-config", Types.STRING, Types.STRING);
    static final String KEY = "overrides";
    static final String SET_CONFIG = "SET_CONFIG";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ScoringControl() {}

    /** Whether the command is addressed to the scoring job at all. */
    static boolean concernsScoring(ControlCommand command) {
        return AtRiskScoringJob.NAME.equals(command.getJob())
                || ("*".equals(command.getJob()) && SET_CONFIG.equals(command.getKind()));
    }

    /**
     * The overrides after applying {@code command}, already validated against {@code base};
     * throws {@link ConfigException} with a message for the dead-letter reason otherwise.
     */
    static Map<String, String> apply(ControlCommand command, ScoringConfig base,
            Map<String, String> current) {
        if (!SET_CONFIG.equals(command.getKind())) {
            throw new ConfigException("unsupported command kind " + command.getKind()
                    + " for " + AtRiskScoringJob.NAME + " (supported: SET_CONFIG)");
        }
        Map<String, String> merged = new LinkedHashMap<>(current);
        merged.putAll(flatten(command.getPayload()));
        base.with(merged);
        return merged;
    }

    static String toJson(Map<String, String> overrides) {
        try {
            return JSON.writeValueAsString(overrides);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> fromJson(String json) {
        return json == null ? Map.of() : flatten(json);
    }

    private static Map<String, String> flatten(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
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
            flat.put(field.getKey(), value.asText());
        }
        return flat;
    }
}
