package dev.earlywarning.cli;

import dev.earlywarning.common.config.Settings;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;

/** Reads 500ms, 90s, 2m, 1h, 3d or ISO-8601 durations, the same way job settings are read. */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return Settings.of(Map.of("duration", value))
                .durationIn("duration", Duration.ZERO, Duration.ZERO, Duration.ofDays(3650));
    }
}
