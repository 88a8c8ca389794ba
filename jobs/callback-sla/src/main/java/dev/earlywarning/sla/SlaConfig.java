package dev.earlywarning.sla;

import dev.earlywarning.common.config.ConfigException;
import dev.earlywarning.common.config.Settings;
import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When the callback SLA job warns, when it calls a commitment broken, and what counts as keeping
 * it. Read from {@code sla.*} settings at start-up and validated once; a bad value fails with a
 * message naming the key and what is allowed. The allowed lateness is the job's own
 * ({@code allowed-lateness}), so that one setting decides both dead-lettering and how long late
 * evidence can still withdraw an alert.
 *
 * <p>Business calendars are {@code calendar.<region>.zone|hours|holidays}; {@code default} applies
 * to records without a region or with a region that has no calendar of its own.
 */
public record SlaConfig(
        Duration dueSoonLead,
        Duration defaultWindow,
        Duration earlyAttemptTolerance,
        int keptAttempts,
        Duration keptAttemptSpacing,
        Duration droppedContactCallbackWithin,
        Duration breachResponseTime,
        Duration watchAfterBreach,
        int timelineSize,
        Duration timelineHorizon,
        Map<String, BusinessCalendar> calendars)
        implements Serializable {

    public static final String DEFAULT_REGION = "default";

    private static final Pattern CALENDAR_KEY =
            Pattern.compile("calendar\\.([A-Za-z0-9_-]+)\\.(zone|hours|holidays)");
    private static final List<String> KEYS = List.of("due-soon-lead", "default-window",
            "early-attempt-tolerance", "kept-attempts", "kept-attempt-spacing",
            "dropped-contact-callback-within", "breach-response-time", "watch-after-breach",
            "timeline-size", "timeline-horizon");

    public static SlaConfig defaults() {
        return from(Settings.of(Map.of()));
    }

    /** Reads and validates the settings of this scope (normally {@code sla.}). */
    public static SlaConfig from(Settings settings) {
        Set<String> regions = new TreeSet<>();
        for (String key : settings.asMap().keySet()) {
            Matcher calendar = CALENDAR_KEY.matcher(key);
            if (calendar.matches()) {
                regions.add(calendar.group(1));
            } else if (!KEYS.contains(key)) {
                throw new ConfigException("Unknown callback SLA setting '" + key + "'; known: "
                        + KEYS + " and calendar.<region>.zone|hours|holidays");
            }
        }
        regions.add(DEFAULT_REGION);
        Map<String, BusinessCalendar> calendars = new LinkedHashMap<>();
        for (String region : regions) {
            Settings calendar = settings.scoped("calendar." + region + ".");
            calendars.put(region, BusinessCalendar.parse(region,
                    calendar.string("zone", "UTC"),
                    calendar.string("hours", "MON-FRI 09:00-18:00"),
                    calendar.string("holidays", "")));
        }
        return new SlaConfig(
                settings.durationIn("due-soon-lead", Duration.ofMinutes(15),
                        Duration.ZERO, Duration.ofDays(7)),
                settings.durationIn("default-window", Duration.ofMinutes(15),
                        Duration.ZERO, Duration.ofDays(1)),
                settings.durationIn("early-attempt-tolerance", Duration.ofMinutes(10),
                        Duration.ZERO, Duration.ofDays(1)),
                settings.intIn("kept-attempts", 2, 0, 10),
                settings.durationIn("kept-attempt-spacing", Duration.ofMinutes(10),
                        Duration.ZERO, Duration.ofDays(1)),
                settings.durationIn("dropped-contact-callback-within", Duration.ofMinutes(15),
                        Duration.ofMinutes(1), Duration.ofDays(7)),
                settings.durationIn("breach-response-time", Duration.ofMinutes(30),
                        Duration.ofMinutes(1), Duration.ofDays(7)),
                settings.durationIn("watch-after-breach", Duration.ofHours(2),
                        Duration.ZERO, Duration.ofDays(7)),
                settings.intIn("timeline-size", 10, 1, 100),
                settings.durationIn("timeline-horizon", Duration.ofDays(2),
                        Duration.ofHours(1), Duration.ofDays(30)),
                Map.copyOf(calendars));
    }

    /** The calendar of {@code region}, or the default one when it has none. */
    public BusinessCalendar calendar(String region) {
        BusinessCalendar calendar = region == null ? null : calendars.get(region);
        return calendar != null ? calendar : calendars.get(DEFAULT_REGION);
    }

    /** Attempts count as keeping a promise only when this policy is switched on (kept-attempts > 0). */
    public boolean attemptsCanKeep() {
        return keptAttempts > 0;
    }
}
