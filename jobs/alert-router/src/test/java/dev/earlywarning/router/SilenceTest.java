package dev.earlywarning.router;

import static dev.earlywarning.router.TestAlerts.minutes;
import static dev.earlywarning.router.TestAlerts.outreach;
import static dev.earlywarning.router.TestAlerts.responder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earlywarning.common.config.ConfigException;
import dev.earlywarning.schema.AlertKind;
import dev.earlywarning.schema.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SilenceTest {

    private static final long ISSUED = TestAlerts.T0.toEpochMilli();

    @Test
    void matchesEveryGivenMatcherWithinItsTimeOnly() {
        Silence storm = Silence.fromPayload(Map.of("id", "storm", "region", "NE",
                "kind", "shipping_delay_predicted", "for", "1h"), ISSUED);
        assertThat(storm.matches(outreach("o1", "c1", minutes(0)).build())).isTrue();
        assertThat(storm.matches(outreach("o1", "c1", minutes(59)).build())).isTrue();
        assertThat(storm.matches(outreach("o1", "c1", minutes(60)).build())).as("ended").isFalse();
        assertThat(storm.matches(outreach("o1", "c1", minutes(-1)).build())).as("not begun")
                .isFalse();
        assertThat(storm.matches(outreach("o1", "c1", minutes(5))
                .setAttributes(Map.of("regionId", "SW")).build())).isFalse();
        assertThat(storm.matches(responder("a1", "c1", AlertKind.AT_RISK_CUSTOMER, Severity.HIGH,
                minutes(5)).setAttributes(Map.of("region", "NE")).build())).as("other kind").isFalse();

        Silence everything = Silence.fromPayload(Map.of("id", "all", "all", "true",
                "from", minutes(10).toString(), "until", minutes(20).toString()), ISSUED);
        assertThat(everything.matches(responder("a", "c", AlertKind.CALLBACK_BREACHED,
                Severity.CRITICAL, minutes(15)).build())).isTrue();
        assertThat(Silence.firstMatch(List.of(storm, everything), outreach("o", "c",
                minutes(15)).build())).isEqualTo(storm);
    }

    @Test
    void survivesItsStoredForm() {
        Silence silence = Silence.fromPayload(Map.of("id", "c9", "customer", "c9", "for", "2h"),
                ISSUED);
        assertThat(RouterControl.parse(dev.earlywarning.common.config.ControlOverrides.toJson(
                silence.toPayload()))).isEqualTo(silence);
    }

    @Test
    void rejectsSilencesThatCouldHideMoreThanMeant() {
        assertThatThrownBy(() -> Silence.fromPayload(Map.of("id", "x", "for", "1h"), ISSUED))
                .isInstanceOf(ConfigException.class).hasMessageContaining("\"all\": true");
        assertThatThrownBy(() -> Silence.fromPayload(Map.of("id", "x", "all", "true"), ISSUED))
                .isInstanceOf(ConfigException.class).hasMessageContaining("until or for");
        assertThatThrownBy(() -> Silence.fromPayload(Map.of("id", "x", "all", "true",
                "until", minutes(-5).toString()), ISSUED))
                .isInstanceOf(ConfigException.class).hasMessageContaining("before it starts");
        assertThatThrownBy(() -> Silence.fromPayload(Map.of("id", "x", "kind", "STORM",
                "for", "1h"), ISSUED)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("kind");
        assertThatThrownBy(() -> Silence.fromPayload(Map.of("id", "x", "all", "true",
                "until", "tomorrow"), ISSUED)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> Silence.fromPayload(Map.of("id", "x", "all", "true",
                "for", "1h", "regoin", "NE"), ISSUED)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("regoin");
        assertThatThrownBy(() -> Silence.fromPayload(Map.of("all", "true", "for", "1h"), ISSUED))
                .isInstanceOf(ConfigException.class).hasMessageContaining("id");
    }
}
