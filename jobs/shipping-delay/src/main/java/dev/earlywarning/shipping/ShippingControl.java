package dev.earlywarning.shipping;

import dev.earlywarning.common.config.ConfigException;
import dev.earlywarning.common.config.RuntimeSettings;
import java.util.Map;
import org.apache.flink.api.common.state.MapStateDescriptor;

/**
 * Run-time configuration of the shipping-delay job through {@code ews.control}: the gesture
 * policy, budgets, holdout share and prediction thresholds, validated as a whole against the
 * start-up configuration; settings that shape state ({@link ShippingConfig#STARTUP_ONLY}) are
 * refused.
 */
final class ShippingControl {

    static final MapStateDescriptor<String, String> STATE =
            RuntimeSettings.descriptor(ShippingDelayJob.NAME);

    private ShippingControl() {}

    /** The configuration with run-time overrides, refusing those that shape state. */
    static ShippingConfig withOverrides(ShippingConfig start, Map<String, String> overrides) {
        for (String key : overrides.keySet()) {
            if (ShippingConfig.STARTUP_ONLY.contains(key)) {
                throw new ConfigException(key + " can only be set at start-up");
            }
        }
        return start.with(overrides);
    }
}
