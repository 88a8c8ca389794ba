package dev.earlywarning.scoring;

import dev.earlywarning.common.config.ConfigException;
import dev.earlywarning.common.config.ControlOverrides;
import dev.earlywarning.schema.ControlCommand;
import java.util.Map;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * Run-time scoring configuration through {@code ews.control} ({@link ControlOverrides}): the
 * accepted overrides live in broadcast state as their JSON, so every parallel instance and every
 * restore sees the same configuration.
 */
final class ScoringControl {

    static final MapStateDescriptor<String, String> STATE =
            new MapStateDescriptor<>("scoring-config", Types.STRING, Types.STRING);
    static final String KEY = "overrides";

    private ScoringControl() {}

    static boolean concernsScoring(ControlCommand command) {
        return ControlOverrides.concerns(command, AtRiskScoringJob.NAME);
    }

    /** The overrides after {@code command}, validated onto {@code base}; or a ConfigException. */
    static Map<String, String> apply(ControlCommand command, ScoringConfig base,
            Map<String, String> current) throws ConfigException {
        return ControlOverrides.apply(command, AtRiskScoringJob.NAME, current, base::with);
    }
}
