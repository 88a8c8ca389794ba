package dev.earlywarning.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earlywarning.common.config.ConfigException;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.schema.CustomerTier;
import dev.earlywarning.schema.GestureKind;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Typed settings, the gesture policy's rules and what a control command may change. */
class ShippingConfigTest {

    @Test
    void defaultsAreValidAndReadFromTheShippingScope() {
        ShippingConfig config = ShippingConfig.from(Settings.of(Map.of(
                "shipping.tolerance", "4h", "shipping.budget.USD", "2500", "other", "x"))
                .scoped("shipping."));
        assertThat(config.tolerance()).isEqualTo(Duration.ofHours(4));
        assertThat(config.budgetCents("USD")).isEqualTo(2500);
        assertThat(config.budgetCents("EUR")).isEqualTo(100_000);
        assertThat(config.regions()).isEmpty();
    }

    @Test
    void badValuesNameTheKeyAndTheAllowedRange() {
        assertThatThrownBy(() -> ShippingConfig.defaults().with(Map.of("holdout-share", "0.9")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("holdout-share")
                .hasMessageContaining("0.5");
        assertThatThrownBy(() -> ShippingConfig.defaults().with(Map.of("tolerence", "1h")))
                .hasMessageContaining("Unknown shipping setting 'tolerence'");
        assertThatThrownBy(() -> ShippingConfig.defaults().with(Map.of("budget.EUR", "-1")))
                .hasMessageContaining("budget.EUR");
        assertThatThrownBy(() -> ShippingConfig.defaults().with(Map.of("min-confidence", "0.2")))
                .hasMessageContaining("min-confidence");
    }

    @Test
    void theFirstMatchingRuleChoosesTheGestureAndItsAmount() {
        GesturePolicy policy = ShippingConfig.defaults().gestures();
        Duration day = Duration.ofHours(30);
        assertThat(policy.choose(CustomerTier.VIP, 1000, Duration.ofHours(7)))
                .isEqualTo(new GesturePolicy.Choice(GestureKind.EXPEDITE, 1200));
        assertThat(policy.choose(CustomerTier.STANDARD, 30000, day))
                .as("10% of a large order").isEqualTo(new GesturePolicy.Choice(GestureKind.VOUCHER, 3000));
        assertThat(policy.choose(CustomerTier.STANDARD, 90000, day))
                .as("capped at max-gesture-cents").isEqualTo(new GesturePolicy.Choice(GestureKind.VOUCHER, 5000));
        assertThat(policy.choose(CustomerTier.PLUS, 8000, day))
                .isEqualTo(new GesturePolicy.Choice(GestureKind.VOUCHER, 1000));
        assertThat(policy.choose(CustomerTier.STANDARD, 8000, day))
                .isEqualTo(new GesturePolicy.Choice(GestureKind.SHIPPING_REFUND, 499));
        assertThat(policy.choose(CustomerTier.STANDARD, 8000, Duration.ofHours(5)))
                .isEqualTo(new GesturePolicy.Choice(GestureKind.APOLOGY, 0));
    }

    @Test
    void gestureRulesAreValidatedWhole() {
        ShippingConfig custom = ShippingConfig.defaults().with(Map.of("gesture.rules",
                "plus , vip|0|1h|voucher|7%; *|0|0h|APOLOGY|0"));
        assertThat(custom.gestures().choose(CustomerTier.VIP, 10000, Duration.ofHours(2)))
                .isEqualTo(new GesturePolicy.Choice(GestureKind.VOUCHER, 700));
        assertThat(custom.gestures().choose(CustomerTier.STANDARD, 10000, Duration.ofHours(2)))
                .isEqualTo(new GesturePolicy.Choice(GestureKind.APOLOGY, 0));

        for (String bad : new String[] {"VIP|0|1h|VOUCHER", "GOLD|0|1h|VOUCHER|100",
                "*|0|1h|CASH|100", "*|0|soon|VOUCHER|100", "*|0|1h|VOUCHER|150%",
                "*|0|1h|APOLOGY|100", "*|0|1h|VOUCHER|999999", " ; "}) {
            assertThatThrownBy(() -> ShippingConfig.defaults().with(Map.of("gesture.rules", bad)))
                    .as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("gesture.rules");
        }
    }
}
