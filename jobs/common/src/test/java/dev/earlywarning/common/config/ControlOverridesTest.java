package dev.earlywarning.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlOverridesTest {

    @Test
    void flattensPlainValuesToStringsAndSkipsNulls() {
        assertThat(ControlOverrides.flatten(
                "{\"group-wait\": \"30s\", \"outreach-budget\": 2, \"on\": true, \"gone\": null}"))
                .containsExactly(Map.entry("group-wait", "30s"), Map.entry("outreach-budget", "2"),
                        Map.entry("on", "true"));
    }

    @Test
    void roundTripsThroughJson() {
        Map<String, String> flat = Map.of("a", "1", "b", "x y");
        assertThat(ControlOverrides.flatten(ControlOverrides.toJson(flat))).isEqualTo(flat);
    }

    @Test
    void rejectsWhatIsNotAFlatObject() {
        assertThatThrownBy(() -> ControlOverrides.flatten("not json"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> ControlOverrides.flatten("[1]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> ControlOverrides.flatten("{\"a\": {\"b\": 1}}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("setting a");
        assertThatThrownBy(() -> ControlOverrides.flatten(null))
                .isInstanceOf(ConfigException.class);
    }
}
