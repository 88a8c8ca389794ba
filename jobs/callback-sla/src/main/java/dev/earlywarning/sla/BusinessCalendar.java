package dev.earlywarning.sla;

import dev.earlywarning.common.config.ConfigException;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The working time of one region: opening hours per weekday in the region's time zone, minus
 * holidays. Decides when "within N business hours" of a moment falls due. Opening hours are local
 * wall-clock times, so a DST change moves them with the clocks and a working day keeps its length.
 */
public final class BusinessCalendar implements Serializable {

    private static final long serialVersionUID = 1L;
    /** Far enough for any sane promise; a calendar that never opens fails instead of looping. */
    private static final int MAX_DAYS = 3 * 366;

    private final String region;
    private final ZoneId zone;
    private final Map<DayOfWeek, List<Shift>> hours;
    private final Set<LocalDate> holidays;

    /** One stretch of working time within a day; {@code end} 00:00 means midnight at its end. */
    record Shift(LocalTime start, LocalTime end) implements Serializable {
        long startSecond() {
            return start.toSecondOfDay();
        }

        long endSecond() {
            return end.equals(LocalTime.MIDNIGHT) ? 86_400 : end.toSecondOfDay();
        }
    }

    private BusinessCalendar(String region, ZoneId zone, Map<DayOfWeek, List<Shift>> hours,
            Set<LocalDate> holidays) {
        this.region = region;
        this.zone = zone;
        this.hours = hours;
        this.holidays = holidays;
    }

    /** Monday to Friday, 09:00-18:00 UTC, no holidays: the fallback when nothing is configured. */
    public static BusinessCalendar standard(String region) {
        return parse(region, "UTC", "MON-FRI 09:00-18:00", "");
    }

    /**
     * Reads a calendar from its settings: {@code zone} an IANA zone id, {@code hours} like
     * {@code "MON-FRI 09:00-18:00; SAT 10:00-13:00"} (several ranges per day with commas:
     * {@code "MON-FRI 09:00-12:30,13:30-18:00"}), {@code holidays} comma-separated ISO dates.
     */
    public static BusinessCalendar parse(String region, String zone, String hours, String holidays) {
        String key = "sla.calendar." + region + ".";
        ZoneId zoneId;
        try {
            zoneId = ZoneId.of(zone.strip());
        } catch (DateTimeException e) {
            throw new ConfigException("Invalid value '" + zone + "' for " + key
                    + "zone: expected a time zone id such as Europe/Lisbon");
        }
        Map<DayOfWeek, List<Shift>> byDay = parseHours(key + "hours", hours);
        Set<LocalDate> days = new TreeSet<>();
        for (String date : holidays.split(",")) {
            if (!date.isBlank()) {
                try {
                    days.add(LocalDate.parse(date.strip()));
                } catch (DateTimeParseException e) {
                    throw new ConfigException("Invalid holiday '" + date.strip() + "' in " + key
                            + "holidays: expected ISO dates such as 2026-12-25");
                }
            }
        }
        return new BusinessCalendar(region, zoneId, byDay, days);
    }

    public String region() {
        return region;
    }

    public ZoneId zone() {
        return zone;
    }

    /**
     * The moment {@code amount} of working time after {@code start}: time outside opening hours
     * and on holidays does not count. Zero business hours from outside opening hours is the next
     * opening. Null when the calendar does not open often enough within three years.
     */
    public Instant plusBusinessTime(Instant start, Duration amount) {
        long remaining = amount.toMillis();
        LocalDate day = start.atZone(zone).toLocalDate();
        for (int i = 0; i < MAX_DAYS; i++, day = day.plusDays(1)) {
            if (holidays.contains(day)) {
                continue;
            }
            for (Shift shift : hours.getOrDefault(day.getDayOfWeek(), List.of())) {
                Instant open = instantOf(day, shift.startSecond());
                Instant close = instantOf(day, shift.endSecond());
                Instant from = open.isBefore(start) ? start : open;
                if (!from.isBefore(close)) {
                    continue;
                }
                long available = Duration.between(from, close).toMillis();
                if (remaining <= available) {
                    return from.plusMillis(remaining);
                }
                remaining -= available;
            }
        }
        return null;
    }

    /** Whether {@code at} falls within opening hours (and not on a holiday). */
    public boolean isOpen(Instant at) {
        LocalDate day = at.atZone(zone).toLocalDate();
        if (holidays.contains(day)) {
            return false;
        }
        for (Shift shift : hours.getOrDefault(day.getDayOfWeek(), List.of())) {
            if (!at.isBefore(instantOf(day, shift.startSecond()))
                    && at.isBefore(instantOf(day, shift.endSecond()))) {
                return true;
            }
        }
        return false;
    }

    /** Local wall-clock second of a day as an instant; a time in a DST gap moves forward. */
    private Instant instantOf(LocalDate day, long secondOfDay) {
        if (secondOfDay >= 86_400) {
            return day.plusDays(1).atStartOfDay(zone).toInstant();
        }
        return day.atTime(LocalTime.ofSecondOfDay(secondOfDay)).atZone(zone).toInstant();
    }

    private static Map<DayOfWeek, List<Shift>> parseHours(String key, String text) {
        Map<DayOfWeek, List<Shift>> byDay = new EnumMap<>(DayOfWeek.class);
        for (String clause : text.split(";")) {
            if (clause.isBlank()) {
                continue;
            }
            String[] parts = clause.strip().split("\\s+", 2);
            if (parts.length != 2) {
                throw badHours(key, clause, "days then time ranges, e.g. MON-FRI 09:00-18:00");
            }
            List<DayOfWeek> days = parseDays(key, parts[0]);
            for (String range : parts[1].split(",")) {
                Shift shift = parseShift(key, range.strip());
                for (DayOfWeek day : days) {
                    byDay.computeIfAbsent(day, d -> new ArrayList<>()).add(shift);
                }
            }
        }
        if (byDay.isEmpty()) {
            throw new ConfigException("Invalid value '" + text + "' for " + key
                    + ": a calendar needs opening hours on at least one weekday");
        }
        for (Map.Entry<DayOfWeek, List<Shift>> entry : byDay.entrySet()) {
            List<Shift> shifts = entry.getValue();
            shifts.sort(Comparator.comparingLong(Shift::startSecond));
            for (int i = 1; i < shifts.size(); i++) {
                if (shifts.get(i).startSecond() < shifts.get(i - 1).endSecond()) {
                    throw badHours(key, text, "ranges that do not overlap on " + entry.getKey());
                }
            }
            entry.setValue(List.copyOf(shifts));
        }
        return byDay;
    }

    private static List<DayOfWeek> parseDays(String key, String text) {
        List<DayOfWeek> days = new ArrayList<>();
        for (String item : text.split(",")) {
            String[] bounds = item.split("-");
            DayOfWeek from = day(key, bounds[0]);
            DayOfWeek to = bounds.length > 1 ? day(key, bounds[1]) : from;
            if (bounds.length > 2 || to.compareTo(from) < 0) {
                throw badHours(key, text, "a day range from Monday towards Sunday, e.g. MON-FRI");
            }
            for (int d = from.getValue(); d <= to.getValue(); d++) {
                days.add(DayOfWeek.of(d));
            }
        }
        return days;
    }

    private static DayOfWeek day(String key, String name) {
        for (DayOfWeek day : DayOfWeek.values()) {
            if (day.name().startsWith(name.strip().toUpperCase()) && name.strip().length() >= 3) {
                return day;
            }
        }
        throw badHours(key, name, "a weekday such as MON, TUE, ..., SUN");
    }

    private static Shift parseShift(String key, String range) {
        String[] bounds = range.split("-");
        if (bounds.length != 2) {
            throw badHours(key, range, "a time range such as 09:00-18:00");
        }
        try {
            LocalTime start = LocalTime.parse(bounds[0].strip());
            String endText = bounds[1].strip();
            LocalTime end = endText.equals("24:00") ? LocalTime.MIDNIGHT : LocalTime.parse(endText);
            Shift shift = new Shift(start, end);
            if (shift.endSecond() <= shift.startSecond()) {
                throw badHours(key, range, "a range that ends after it starts (24:00 for midnight)");
            }
            return shift;
        } catch (DateTimeParseException e) {
            throw badHours(key, range, "times as HH:mm, e.g. 09:00-18:00");
        }
    }

    private static ConfigException badHours(String key, String value, String expected) {
        return new ConfigException("Invalid value '" + value.strip() + "' for " + key
                + ": expected " + expected);
    }

    @Override
    public String toString() {
        return region + " (" + zone + ", " + hours + ", holidays " + holidays + ")";
    }
}
