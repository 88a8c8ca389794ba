package dev.earlywarning.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earlywarning.common.config.ConfigException;
import dev.earlywarning.common.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EwsMetricsTest {

    @Test
    void servesNothingUnlessAPortIsSet() {
        assertThat(EwsMetrics.serveIfConfigured(Settings.of(Map.of("metrics.host", "0.0.0.0"))))
                .isEmpty();
    }

    @Test
    void rejectsAPortThatIsNeitherAPortNorARange() {
        assertThatThrownBy(() -> EwsMetrics.serveIfConfigured(
                Settings.of(Map.of("metrics.port", "metrics"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("9464-9470");
        assertThatThrownBy(() -> EwsMetrics.serve("127.0.0.1", "9470-9464"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("0..65535");
        assertThatThrownBy(() -> EwsMetrics.serve("127.0.0.1", "70000"))
                .isInstanceOf(ConfigException.class);
    }
}
