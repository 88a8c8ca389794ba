package dev.earlywarning.common.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flat string settings (command-line flags, a properties file or a control command's JSON) read
 * into typed values. Every getter validates and fails with a {@link ConfigException} that names
 * the key, the bad value and the allowed range.
 */
public final class Settings implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final Map<String, String> values;
    private final String prefix;

    private Settings(Map<String, String> values, String prefix) {
        this.values = values;
        this.prefix = prefix;
    }

    public static Settings of(Map<String, String> values) {
        return new Settings(Collections.unmodifiableMap(new LinkedHashMap<>(values)), "");
    }

    /** The settings under {@code prefix}, read by their names without it. */
    public Settings scoped(String scope) {
        return new Settings(values, prefix + scope);
    }

    /** The settings under this scope, without the scope prefix. */
    public Map<String, String> asMap() {
        Map<String, String> scoped = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                scoped.put(key.substring(prefix.length()), value);
            }
        });
        return scoped;
    }

    public boolean has(String key) {
        return values.containsKey(prefix + key);
    }

    public String string(String key, String fallback) {
        String value = raw(key);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    public String requiredString(String key) {
        String value = raw(key);
        if (value == null || value.isBlank()) {
            throw new ConfigException("Missing required setting " + prefix + key);
        }
        return value.strip();
    }

    public double doubleIn(String key, double fallback, double min, double max) {
        String value = raw(key);
        if (value == null) {
            return fallback;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw invalid(key, value, "a number between " + min + " and " + max);
        }
        if (!(parsed >= min && parsed <= max)) {
            throw invalid(key, value, "a number between " + min + " and " + max);
        }
        return parsed;
    }

    public int intIn(String key, int fallback, int min, int max) {
        String value = raw(key);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw invalid(key, value, "a whole number between " + min + " and " + max);
    }

    /** Accepts 250ms, 30s, 5m, 2h, 7d or ISO-8601 (PT5M). */
    public Duration durationIn(String key, Duration fallback, Duration min, Duration max) {
        String value = raw(key);
        if (value == null) {
            return fallback;
        }
        Duration parsed = parseDuration(value.strip());
        if (parsed == null || parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
            throw invalid(key, value, "a duration between " + min + " and " + max
                    + " (for example 30s, 5m, 2h, 7d)");
        }
        return parsed;
    }

    public <E extends Enum<E>> E enumValue(String key, E fallback) {
        String value = raw(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(fallback.getDeclaringClass(), value.strip().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw invalid(key, value, "one of " + List.of(fallback.getDeclaringClass().getEnumConstants()));
        }
    }

    public boolean bool(String key, boolean fallback) {
        String value = raw(key);
        if (value == null) {
            return fallback;
        }
        return switch (value.strip().toLowerCase()) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw invalid(key, value, "true or false");
        };
    }

    /** A comma-separated list; blank entries are dropped. */
    public List<String> list(String key, List<String> fallback) {
        String value = raw(key);
        if (value == null) {
            return fallback;
        }
        return java.util.Arrays.stream(value.split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    static Duration parseDuration(String text) {
        Matcher matcher = SHORT_DURATION.matcher(text);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String raw(String key) {
        return values.get(prefix + key);
    }

    private ConfigException invalid(String key, String value, String allowed) {
        return new ConfigException("Invalid value '" + value + "' for " + prefix + key
                + ": expected " + allowed);
    }
}
