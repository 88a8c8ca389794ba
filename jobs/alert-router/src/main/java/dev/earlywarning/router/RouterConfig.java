package dev.earlywarning.router;

import dev.earlywarning.common.config.ConfigException;
import dev.earlywarning.common.config.Settings;
import dev.earlywarning.schema.Severity;
import java.io.Serializable;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the alert router groups, routes, holds back and escalates. Read from {@code router.*}
 * settings at start-up and replaced at run time by {@code SET_CONFIG} control commands whose JSON
 * keys are the same names without the prefix ({@code {"group-wait": "1m", "outreach-budget": 3}}).
 *
 * <p>{@code state-retention} and {@code timeline-size} shape state and are read once at start-up
 * for state TTLs; the others take effect on the next decision after a command.
 */
public record RouterConfig(
        Duration groupWait,
        Map<Severity, Duration> ackDeadlines,
        int maxEscalationLevel,
        int supervisorLevel,
        Duration snooze,
        Duration followThrough,
        Severity inhibitFrom,
        int outreachBudget,
        Duration outreachBudgetPeriod,
        Duration outreachMaxHold,
        int flapThreshold,
        Duration flapWindow,
        int timelineSize,
        Duration stateRetention,
        Map<String, String> source)
        implements Serializable {

    public static RouterConfig defaults() {
        return from(Settings.of(Map.of()));
    }

    /** Reads and validates; a bad value fails with a message naming the key and its range. */
    public static RouterConfig from(Settings settings) {
        rejectUnknownKeys(settings.asMap().keySet());
        Map<Severity, Duration> ackDeadlines = new EnumMap<>(Severity.class);
        for (Severity severity : Severity.values()) {
            ackDeadlines.put(severity, settings.durationIn(ackDeadlineKey(severity),
                    defaultAckDeadline(severity), Duration.ofSeconds(10), Duration.ofDays(7)));
        }
        int maxLevel = settings.intIn("max-escalation-level", 3, 1, 10);
        int supervisorLevel = settings.intIn("supervisor-level", 2, 1, 10);
        if (supervisorLevel > maxLevel) {
            throw new ConfigException("supervisor-level (" + supervisorLevel
                    + ") must not exceed max-escalation-level (" + maxLevel + ")");
        }
        Duration retention = settings.durationIn("state-retention", Duration.ofDays(7),
                Duration.ofHours(1), Duration.ofDays(90));
        Duration budgetPeriod = settings.durationIn("outreach-budget-period", Duration.ofDays(7),
                Duration.ofMinutes(1), Duration.ofDays(90));
        Duration flapWindow = settings.durationIn("flap-window", Duration.ofHours(1),
                Duration.ofMinutes(1), Duration.ofDays(7));
        if (flapWindow.compareTo(retention) > 0) {
            throw new ConfigException("flap-window (" + flapWindow
                    + ") must not exceed state-retention (" + retention + ")");
        }
        return new RouterConfig(
                settings.durationIn("group-wait", Duration.ofSeconds(30), Duration.ZERO,
                        Duration.ofHours(1)),
                ackDeadlines,
                maxLevel,
                supervisorLevel,
                settings.durationIn("snooze", Duration.ofMinutes(30), Duration.ofMinutes(1),
                        Duration.ofDays(1)),
                settings.durationIn("follow-through", Duration.ofHours(4), Duration.ofMinutes(1),
                        Duration.ofDays(30)),
                settings.enumValue("inhibit-from", Severity.HIGH),
                settings.intIn("outreach-budget", 2, 0, 100),
                budgetPeriod,
                settings.durationIn("outreach-max-hold", Duration.ofHours(24),
                        Duration.ofMinutes(1), Duration.ofDays(30)),
                settings.intIn("flap-threshold", 3, 2, 100),
                flapWindow,
                settings.intIn("timeline-size", 20, 1, 200),
                retention,
                settings.asMap());
    }

    /** This configuration with {@code overrides} applied, validated as a whole. */
    public RouterConfig with(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(source);
        merged.putAll(overrides);
        return from(Settings.of(merged));
    }

    Duration ackDeadline(Severity severity) {
        return ackDeadlines.get(severity);
    }

    static String ackDeadlineKey(Severity severity) {
        return "ack-deadline." + severity.name().toLowerCase();
    }

    private static Duration defaultAckDeadline(Severity severity) {
        return switch (severity) {
            case CRITICAL -> Duration.ofMinutes(5);
            case HIGH -> Duration.ofMinutes(15);
            case WARNING -> Duration.ofHours(1);
            case INFO -> Duration.ofHours(4);
        };
    }

    private static void rejectUnknownKeys(Set<String> keys) {
        Set<String> known = new TreeSet<>(List.of("group-wait", "max-escalation-level",
                "supervisor-level", "snooze", "follow-through", "inhibit-from", "outreach-budget",
                "outreach-budget-period", "outreach-max-hold", "flap-threshold", "flap-window",
                "timeline-size", "state-retention"));
        for (Severity severity : Severity.values()) {
            known.add(ackDeadlineKey(severity));
        }
        for (String key : keys) {
            if (!known.contains(key)) {
                throw new ConfigException("Unknown router setting '" + key + "'; known: " + known);
            }
        }
    }
}
