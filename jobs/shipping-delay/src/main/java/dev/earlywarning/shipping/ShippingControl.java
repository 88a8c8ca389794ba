package dev.earlywarning.shipping;

import dev.earlywarning.common.config.ConfigException;
import dev.earlywarning.common.config.ControlOverrides;
import dev.earlywarning.schema.ControlCommand;
import java.util.Map;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * Run-time configuration of the shipping-delay job through {@code ews.control}: the gesture
 * policy, budgets, holdout share and prediction thresholds, validated as a whole against the
 * start-up configuration; settings that shape state ({@link ShippingConfig#STARTUP_ONLY}) are
 * refused.
 */
final class ShippingControl {

    static final MapStateDescriptor<String, String> STATE =
            new MapStateDescriptor<>("shipping-config", Types.STRING, Types.STRING);
    static final String KEY = "overrides";

    private ShippingControl() {}

    static boolean concernsShipping(ControlCommand command) {
        return ControlOverrides.concerns(command, ShippingDelayJob.NAME);
    }

    /** The overrides after {@code command}; throws {@link ConfigException} when it is refused. */
    static Map<String, String> apply(ControlCommand command, ShippingConfig base,
            Map<String, String> current) {
        return ControlOverrides.apply(command, ShippingDelayJob.NAME, current, merged -> {
            for (String key : merged.keySet()) {
                if (ShippingConfig.STARTUP_ONLY.contains(key)) {
                    throw new ConfigException(key + " can only be set at start-up");
                }
            }
            base.with(merged);
        });
    }
}
