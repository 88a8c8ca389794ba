package dev.earlywarning.router;

import dev.earlywarning.common.config.ConfigException;
import dev.earlywarning.common.config.ControlOverrides;
import dev.earlywarning.schema.ControlCommand;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * Run-time control of the router through {@code ews.control}, for commands addressed to
 * {@code alert-router} or to every job ({@code "*"}):
 * <ul>
 *   <li>{@code SET_CONFIG}: a flat JSON object of router settings, merged onto the running
 *       configuration and validated as a whole;</li>
 *   <li>{@code SILENCE}: adds or replaces the {@link Silence} with the payload's id;</li>
 *   <li>{@code UNSILENCE}: {@code {"id": "..."}} ends that silence at once.</li>
 * </ul>
 * Everything lives in broadcast state as flat strings, so every parallel instance and every
 * restore sees the same configuration and silences. Silences that ended before a new command's
 * time are dropped then, and at most {@link #MAX_SILENCES} are kept, so the state stays bounded.
 */
final class RouterControl {

    static final MapStateDescriptor<String, String> STATE =
            new MapStateDescriptor<>("router-control", Types.STRING, Types.STRING);
    static final String CONFIG_KEY = "config";
    static final String SILENCE_PREFIX = "silence/";
    static final int MAX_SILENCES = 1000;

    static final String SET_CONFIG = "SET_CONFIG";
    static final String SILENCE = "SILENCE";
    static final String UNSILENCE = "UNSILENCE";

    private RouterControl() {}

    static boolean concernsRouter(ControlCommand command) {
        return AlertRouterJob.NAME.equals(command.getJob()) || "*".equals(command.getJob());
    }

    /** Applies the command to the broadcast state, or throws with the reason to dead-letter. */
    static void apply(ControlCommand command, RouterConfig startConfig,
            BroadcastState<String, String> state) throws Exception {
        Map<String, String> payload = ControlOverrides.flatten(command.getPayload());
        long issuedAt = command.getOccurredAt().toEpochMilli();
        switch (command.getKind()) {
            case SET_CONFIG -> {
                Map<String, String> merged = new java.util.LinkedHashMap<>(overrides(state));
                merged.putAll(payload);
                startConfig.with(merged);
                state.put(CONFIG_KEY, ControlOverrides.toJson(merged));
            }
            case SILENCE -> {
                Silence silence = Silence.fromPayload(payload, issuedAt);
                List<String> ended = new ArrayList<>();
                int active = 0;
                for (Map.Entry<String, String> entry : state.entries()) {
                    if (entry.getKey().startsWith(SILENCE_PREFIX)) {
                        Silence existing = parse(entry.getValue());
                        if (existing.endsAt() <= issuedAt) {
                            ended.add(entry.getKey());
                        } else if (!existing.id().equals(silence.id())) {
                            active++;
                        }
                    }
                }
                for (String key : ended) {
                    state.remove(key);
                }
                if (active >= MAX_SILENCES) {
                    throw new ConfigException("already " + active + " active silences (at most "
                            + MAX_SILENCES + "); end some with UNSILENCE first");
                }
                state.put(SILENCE_PREFIX + silence.id(),
                        ControlOverrides.toJson(silence.toPayload()));
            }
            case UNSILENCE -> {
                String id = payload.get("id");
                if (id == null || !state.contains(SILENCE_PREFIX + id)) {
                    throw new ConfigException("no silence with id " + id + " to end");
                }
                state.remove(SILENCE_PREFIX + id);
            }
            default -> throw new ConfigException("unsupported command kind " + command.getKind()
                    + " for " + AlertRouterJob.NAME + " (supported: SET_CONFIG, SILENCE, UNSILENCE)");
        }
    }

    static Map<String, String> overrides(ReadOnlyBroadcastState<String, String> state)
            throws Exception {
        String json = state.get(CONFIG_KEY);
        return json == null ? Map.of() : ControlOverrides.flatten(json);
    }

    static Silence parse(String json) {
        // Stored silences were validated on the way in; from/until are absolute by then.
        return Silence.fromPayload(ControlOverrides.flatten(json), 0L);
    }

    /**
     * The silences in broadcast state, parsed once per distinct stored text: the router consults
     * them for every alert, and they change only when an operator sends a command.
     */
    static final class SilenceCache {
        private final Map<String, Silence> parsed = new HashMap<>();
        private List<Silence> current = List.of();

        List<Silence> current(ReadOnlyBroadcastState<String, String> state) throws Exception {
            List<Silence> silences = new ArrayList<>();
            boolean changed = false;
            Map<String, Silence> seen = new HashMap<>();
            for (Map.Entry<String, String> entry : state.immutableEntries()) {
                if (entry.getKey().startsWith(SILENCE_PREFIX)) {
                    Silence silence = parsed.get(entry.getValue());
                    if (silence == null) {
                        silence = parse(entry.getValue());
                        changed = true;
                    }
                    seen.put(entry.getValue(), silence);
                    silences.add(silence);
                }
            }
            if (changed || seen.size() != parsed.size()) {
                parsed.clear();
                parsed.putAll(seen);
                silences.sort(Comparator.comparing(Silence::id));
                current = List.copyOf(silences);
            }
            return current;
        }
    }
}
