package dev.earlywarning.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earlywarning.common.config.ConfigException;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.schema.Severity;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterConfigTest {

    @Test
    void defaultsAreUsable() {
        RouterConfig config = RouterConfig.defaults();
        assertThat(config.groupWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.ackDeadline(Severity.CRITICAL))
                .isLessThan(config.ackDeadline(Severity.INFO));
        assertThat(config.supervisorLevel()).isLessThanOrEqualTo(config.maxEscalationLevel());
        assertThat(config.inhibitFrom()).isEqualTo(Severity.HIGH);
    }

    @Test
    void readsScopedSettings() {
        RouterConfig config = RouterConfig.from(Settings.of(Map.of(
                "router.group-wait", "2m",
                "router.ack-deadline.high", "10m",
                "router.inhibit-from", "critical",
                "router.outreach-budget", "5",
                "bootstrap", "ignored:9092")).scoped("router."));
        assertThat(config.groupWait()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.ackDeadline(Severity.HIGH)).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.inhibitFrom()).isEqualTo(Severity.CRITICAL);
        assertThat(config.outreachBudget()).isEqualTo(5);
    }

    @Test
    void rejectsBadValuesNamingTheKey() {
        assertThatThrownBy(() -> RouterConfig.defaults().with(Map.of("group-wait", "2h")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("group-wait");
        assertThatThrownBy(() -> RouterConfig.defaults().with(Map.of("outreach-budget", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("outreach-budget");
        assertThatThrownBy(() -> RouterConfig.defaults().with(Map.of("ack-deadline.urgent", "1m")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ack-deadline.urgent");
        assertThatThrownBy(() -> RouterConfig.defaults().with(Map.of("supervisor-level", "4")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("max-escalation-level");
        assertThatThrownBy(() -> RouterConfig.defaults().with(Map.of("state-retention", "1h",
                "flap-window", "2h"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("flap-window");
    }

    @Test
    void overridesMergeOntoTheStartConfiguration() {
        RouterConfig start = RouterConfig.defaults().with(Map.of("outreach-budget", "4"));
        RouterConfig changed = start.with(Map.of("group-wait", "1m"));
        assertThat(changed.outreachBudget()).isEqualTo(4);
        assertThat(changed.groupWait()).isEqualTo(Duration.ofMinutes(1));
    }
}
