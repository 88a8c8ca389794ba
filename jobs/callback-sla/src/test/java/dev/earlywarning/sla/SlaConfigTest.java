package dev.earlywarning.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earlywarning.common.config.ConfigException;
import dev.earlywarning.common.config.Settings;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlaConfigTest {

    @Test
    void defaultsWorkForADemo() {
        SlaConfig config = SlaConfig.defaults();
        assertThat(config.dueSoonLead()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.droppedContactCallbackWithin()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.keptAttempts()).isEqualTo(2);
        assertThat(config.keptAttemptSpacing()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.calendar(null).region()).isEqualTo("default");
        assertThat(config.calendar("nowhere").zone()).isEqualTo(ZoneId.of("UTC"));
    }

    @Test
    void readsScopedSettingsAndCalendarsPerRegion() {
        SlaConfig config = SlaConfig.from(Settings.of(Map.of(
                "sla.due-soon-lead", "30m",
                "sla.kept-attempts", "0",
                "sla.calendar.lisbon.zone", "Europe/Lisbon",
                "sla.calendar.lisbon.holidays", "2026-12-25",
                "sla.calendar.default.zone", "Europe/Madrid",
                "bootstrap", "ignored:9092")).scoped("sla."));
        assertThat(config.dueSoonLead()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.attemptsCanKeep()).isFalse();
        assertThat(config.calendars()).containsOnlyKeys("lisbon", "default");
        assertThat(config.calendar("lisbon").zone()).isEqualTo(ZoneId.of("Europe/Lisbon"));
        assertThat(config.calendar("porto").zone()).isEqualTo(ZoneId.of("Europe/Madrid"));
    }

    @Test
    void rejectsUnknownKeysAndOutOfRangeValuesByName() {
        assertThatThrownBy(() -> SlaConfig.from(Settings.of(Map.of("kept-attempts-spacing", "1m"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kept-attempts-spacing");
        assertThatThrownBy(() -> SlaConfig.from(Settings.of(Map.of("kept-attempts", "11"))))
                .hasMessageContaining("kept-attempts").hasMessageContaining("between 0 and 10");
        assertThatThrownBy(() -> SlaConfig.from(Settings.of(Map.of("due-soon-lead", "soon"))))
                .hasMessageContaining("due-soon-lead");
        assertThatThrownBy(() -> SlaConfig.from(Settings.of(Map.of("calendar.x.hourz", "MON"))))
                .hasMessageContaining("calendar.x.hourz");
        assertThatThrownBy(() -> SlaConfig.from(Settings.of(
                Map.of("calendar.lisbon.hours", "MON-FRI 9-18"))))
                .hasMessageContaining("sla.calendar.lisbon.hours");
    }
}
