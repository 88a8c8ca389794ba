package dev.earlywarning.common.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The payload of a {@code ControlCommand}: a flat JSON object of plain values, read into the same
 * string map that {@link Settings} reads, so that a run-time command is validated by exactly the
 * rules of the start-up flags. Anything else fails with a {@link ConfigException} whose message
 * becomes the dead-letter reason.
 */
public final class ControlPayloads {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ControlPayloads() {}

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

    public static String toJson(Map<String, String> flat) {
        try {
            return JSON.writeValueAsString(flat);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write " + flat.keySet() + " as JSON", e);
        }
    }
}
