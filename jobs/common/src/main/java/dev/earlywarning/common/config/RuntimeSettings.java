package dev.earlywarning.common.config;

import dev.earlywarning.common.kafka.AvroCodec;
import dev.earlywarning.common.kafka.DeadLetterReason;
import dev.earlywarning.common.kafka.DeadLetters;
import dev.earlywarning.common.metrics.EwsMetrics;
import dev.earlywarning.schema.ControlCommand;
import dev.earlywarning.schema.DeadLetter;
import java.io.Serializable;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * A job's configuration as changed at run time through {@code ews.control}: the start-up
 * configuration with the accepted {@code SET_CONFIG} overrides applied. The overrides live in
 * broadcast state (so every parallel instance and every restore agrees); the parsed configuration
 * is cached per instance and rebuilt only when the overrides change.
 *
 * @param <C> the job's typed configuration
 */
public final class RuntimeSettings<C extends Serializable> implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String KEY = "overrides";

    /** Builds the configuration with overrides applied, or throws {@link ConfigException}. */
    @FunctionalInterface
    public interface Overrider<C> extends Serializable {
        C with(C start, Map<String, String> overrides);
    }

    private final String job;
    private final String controlTopic;
    private final C start;
    private final Overrider<C> overrider;
    private final MapStateDescriptor<String, String> descriptor;

    private transient C current;
    private transient String applied;
    private transient AvroCodec<ControlCommand> codec;

    public RuntimeSettings(String job, String controlTopic, C start, Overrider<C> overrider,
            MapStateDescriptor<String, String> descriptor) {
        this.job = job;
        this.controlTopic = controlTopic;
        this.start = start;
        this.overrider = overrider;
        this.descriptor = descriptor;
    }

    /** The broadcast state descriptor holding one string per job: the JSON of the overrides. */
    public static MapStateDescriptor<String, String> descriptor(String job) {
        return new MapStateDescriptor<>(job + "-config", Types.STRING, Types.STRING);
    }

    public C start() {
        return start;
    }

    /** The configuration in force now. */
    public C current(ReadOnlyBroadcastState<String, String> state) throws Exception {
        String overrides = state.get(KEY);
        if (current == null || (overrides == null ? applied != null : !overrides.equals(applied))) {
            current = overrides == null ? start
                    : overrider.with(start, ControlOverrides.fromJson(overrides));
            applied = overrides;
        }
        return current;
    }

    public C current(BroadcastState<String, String> state) throws Exception {
        return current((ReadOnlyBroadcastState<String, String>) state);
    }

    /**
     * Applies a command addressed to this job. Returns the dead letter of a refused command when
     * {@code reporter} is true (every instance refuses it; one of them should report it, counted
     * in {@code ews_dead_letter_total}), else null.
     */
    public DeadLetter apply(ControlCommand command, int partition, long offset,
            BroadcastState<String, String> state, boolean reporter) throws Exception {
        if (!ControlOverrides.concerns(command, job)) {
            return null;
        }
        try {
            Map<String, String> overrides = ControlOverrides.apply(command, job,
                    ControlOverrides.fromJson(state.get(KEY)), merged -> overrider.with(start, merged));
            state.put(KEY, ControlOverrides.toJson(overrides));
            return null;
        } catch (ConfigException e) {
            if (!reporter) {
                return null;
            }
            EwsMetrics.DEAD_LETTERS.labelValues(job, DeadLetterReason.INVALID_CONTROL.label()).inc();
            if (codec == null) {
                codec = new AvroCodec<>(ControlCommand.class);
            }
            return DeadLetters.build(job, controlTopic, partition, offset, command.getJob(),
                    DeadLetterReason.INVALID_CONTROL.describe(command.getCommandId() + ": "
                            + e.getMessage()), codec.encode(command));
        }
    }
}
