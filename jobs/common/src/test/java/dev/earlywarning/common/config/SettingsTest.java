package dev.earlywarning.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {

    private static final Duration MIN = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofDays(30);

    enum Mode { FAST, SAFE }

    @Test
    void typedGettersParseAndStripValues() {
        Settings s = Settings.of(Map.of(
                "name", "  scoring ",
                "threshold", "0.75",
                "workers", " 4 ",
                "enabled", "Yes",
                "mode", "safe",
                "regions", "eu-west, ,us-east,"));

        assertThat(s.string("name", "x")).isEqualTo("scoring");
        assertThat(s.requiredString("name")).isEqualTo("scoring");
        assertThat(s.doubleIn("threshold", 0.5, 0, 1)).isEqualTo(0.75);
        assertThat(s.intIn("workers", 1, 1, 16)).isEqualTo(4);
        assertThat(s.bool("enabled", false)).isTrue();
        assertThat(s.enumValue("mode", Mode.FAST)).isEqualTo(Mode.SAFE);
        assertThat(s.list("regions", List.of())).containsExactly("eu-west", "us-east");
    }

    @Test
    void missingKeysFallBackToDefaults() {
        Settings s = Settings.of(Map.of("blank", "  "));

        assertThat(s.string("absent", "dflt")).isEqualTo("dflt");
        assertThat(s.string("blank", "dflt")).isEqualTo("dflt");
        assertThat(s.doubleIn("absent", 0.5, 0, 1)).isEqualTo(0.5);
        assertThat(s.intIn("absent", 3, 1, 16)).isEqualTo(3);
        assertThat(s.bool("absent", true)).isTrue();
        assertThat(s.enumValue("absent", Mode.FAST)).isEqualTo(Mode.FAST);
        assertThat(s.list("absent", List.of("a"))).containsExactly("a");
        assertThat(s.durationIn("absent", Duration.ofSeconds(7), MIN, MAX))
                .isEqualTo(Duration.ofSeconds(7));
        assertThat(s.has("absent")).isFalse();
        assertThat(s.has("blank")).isTrue();
    }

    @Test
    void scopedReadsKeysUnderThePrefixAndReportsTheFullKey() {
        Settings s = Settings.of(Map.of(
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "PLAIN",
                "topic.alerts", "ews.alerts.test",
                "scoring.window.size", "oops"));

        assertThat(s.scoped("kafka.").asMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN"));
        assertThat(s.scoped("topic.").string("alerts", "ews.alerts")).isEqualTo("ews.alerts.test");
        assertThat(s.scoped("topic.").has("interactions")).isFalse();
        // Scopes nest, and an error names the key as the operator wrote it.
        assertThatThrownBy(() -> s.scoped("scoring.").scoped("window.").intIn("size", 1, 1, 9))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("scoring.window.size");
    }

    @ParameterizedTest
    @CsvSource({
        "250ms, PT0.25S",
        "30s, PT30S",
        "5m, PT5M",
        "2h, PT2H",
        "7d, PT168H",
        "PT5M, PT5M",
        "P1DT2H, PT26H",
        "'10 s', PT10S"
    })
    void durationsAcceptShortAndIsoForms(String text, String expected) {
        Settings s = Settings.of(Map.of("d", text));

        assertThat(s.durationIn("d", Duration.ZERO, MIN, MAX)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @CsvSource({"5x", "-5s", "PT-5S", "soon", "1.5s", "50ms", "31d"})
    void badOrOutOfRangeDurationsNameKeyValueAndRange(String text) {
        Settings s = Settings.of(Map.of("checkpoint-interval", text));

        assertThatThrownBy(() -> s.durationIn("checkpoint-interval", Duration.ZERO, MIN, MAX))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("checkpoint-interval")
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("between PT0.1S and PT720H");
    }

    @ParameterizedTest
    @CsvSource({"0", "17", "four", "2.5", "99999999999"})
    void badIntegersNameKeyValueAndRange(String text) {
        Settings s = Settings.of(Map.of("workers", text));

        assertThatThrownBy(() -> s.intIn("workers", 1, 1, 16))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value '" + text + "' for workers:"
                        + " expected a whole number between 1 and 16");
    }

    @ParameterizedTest
    @CsvSource({"1.01", "-0.1", "NaN", "high"})
    void badNumbersNameKeyValueAndRange(String text) {
        Settings s = Settings.of(Map.of("threshold", text));

        assertThatThrownBy(() -> s.doubleIn("threshold", 0.5, 0, 1))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value '" + text + "' for threshold:"
                        + " expected a number between 0.0 and 1.0");
    }

    @Test
    void badEnumsAndBooleansListWhatIsAllowed() {
        Settings s = Settings.of(Map.of("mode", "turbo", "enabled", "maybe"));

        assertThatThrownBy(() -> s.enumValue("mode", Mode.FAST))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 'turbo' for mode: expected one of [FAST, SAFE]");
        assertThatThrownBy(() -> s.bool("enabled", false))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 'maybe' for enabled: expected true or false");
    }

    @Test
    void missingRequiredSettingIsNamed() {
        Settings s = Settings.of(Map.of("kafka.bootstrap", " "));

        assertThatThrownBy(() -> s.scoped("kafka.").requiredString("bootstrap"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Missing required setting kafka.bootstrap");
    }

    @Test
    void laterChangesToTheSourceMapDoNotLeakIn() {
        Map<String, String> source = new java.util.HashMap<>(Map.of("a", "1"));
        Settings s = Settings.of(source);
        source.put("a", "2");

        assertThat(s.intIn("a", 0, 0, 9)).isEqualTo(1);
    }
}
