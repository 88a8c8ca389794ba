package dev.earlywarning.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earlywarning.common.config.ConfigException;
import dev.earlywarning.common.config.Settings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScoringConfigTest {

    @Test
    void defaultsAreUsable() {
        ScoringConfig config = ScoringConfig.defaults();
        assertThat(config.raiseThreshold()).isGreaterThan(config.clearThreshold());
        assertThat(config.weights()).containsKeys(Signal.values());
        assertThat(config.churnPhrases()).contains("close my account");
    }

    @Test
    void readsScopedSettings() {
        ScoringConfig config = ScoringConfig.from(Settings.of(Map.of(
                "scoring.weight.complaint", "1.5",
                "scoring.half-life.complaint", "3d",
                "scoring.churn-phrases", "Cancel, quit",
                "bootstrap", "ignored:9092")).scoped("scoring."));
        assertThat(config.weight(Signal.COMPLAINT)).isEqualTo(1.5);
        assertThat(config.halfLifeMillis(Signal.COMPLAINT)).isEqualTo(Duration.ofDays(3).toMillis());
        assertThat(config.churnPhrases()).containsExactly("cancel", "quit");
    }

    @Test
    void rejectsOutOfRangeValuesNamingTheKey() {
        assertThatThrownBy(() -> ScoringConfig.defaults().with(Map.of("raise-threshold", "2")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("raise-threshold").hasMessageContaining("'2'");
    }

    @Test
    void rejectsUnknownKeys() {
        assertThatThrownBy(() -> ScoringConfig.defaults().with(Map.of("weight.kindness", "1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("weight.kindness");
    }

    @Test
    void requiresHysteresis() {
        assertThatThrownBy(() -> ScoringConfig.defaults().with(Map.of("clear-threshold", "0.7")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("hysteresis");
    }

    @Test
    void overridesMergeOntoTheStartConfiguration() {
        ScoringConfig start = ScoringConfig.defaults().with(Map.of("weight.transfer", "0.9"));
        ScoringConfig changed = start.with(Map.of("raise-threshold", "0.7"));
        assertThat(changed.weight(Signal.TRANSFER)).isEqualTo(0.9);
        assertThat(changed.raiseThreshold()).isEqualTo(0.7);
    }
}
