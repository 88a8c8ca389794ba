package dev.earlywarning.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earlywarning.common.config.ConfigException;
import dev.earlywarning.common.config.JobConfig;
import dev.earlywarning.common.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AtRiskScoringPipelineTest {

    private static int cachedCustomers(Map<String, String> settings) {
        return AtRiskScoringPipeline.cachedCustomers(
                JobConfig.from(AtRiskScoringJob.NAME, Settings.of(settings)));
    }

    @Test
    void theLowLatencyModeCachesFewerCustomersSoThatBarriersPauseLess() {
        assertThat(cachedCustomers(Map.of()))
                .isEqualTo(AtRiskScoringPipeline.DEFAULT_CACHED_CUSTOMERS);
        assertThat(cachedCustomers(Map.of("delivery", "at-least-once")))
                .isEqualTo(AtRiskScoringPipeline.LOW_LATENCY_CACHED_CUSTOMERS)
                .isLessThan(AtRiskScoringPipeline.DEFAULT_CACHED_CUSTOMERS);
    }

    @Test
    void aCacheSizeGivenExplicitlyWinsInEitherMode() {
        assertThat(cachedCustomers(Map.of("cached-customers", "1234"))).isEqualTo(1234);
        assertThat(cachedCustomers(Map.of("delivery", "at-least-once",
                "cached-customers", "50000"))).isEqualTo(50_000);
        assertThatThrownBy(() -> cachedCustomers(Map.of("cached-customers", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cached-customers");
    }
}
