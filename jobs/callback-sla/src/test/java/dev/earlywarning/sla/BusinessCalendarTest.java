package dev.earlywarning.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.earlywarning.common.config.ConfigException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BusinessCalendarTest {

    /** Lisbon: UTC+0 in winter, UTC+1 from the last Sunday of March. */
    private static final BusinessCalendar LISBON = BusinessCalendar.parse("lisbon",
            "Europe/Lisbon", "MON-FRI 09:00-18:00", "2026-12-25, 2027-01-01, 2026-03-09");

    private static Instant due(BusinessCalendar calendar, String start, int hours) {
        return calendar.plusBusinessTime(Instant.parse(start), Duration.ofHours(hours));
    }

    @Test
    void withinOneWorkingDay() {
        assertThat(due(LISBON, "2026-03-03T10:00:00Z", 4)).isEqualTo("2026-03-03T14:00:00Z");
        assertThat(due(LISBON, "2026-03-03T10:00:00Z", 8)).isEqualTo("2026-03-03T18:00:00Z");
    }

    @Test
    void carriesOverNightAndAcrossTheWeekend() {
        assertThat(due(LISBON, "2026-03-03T16:00:00Z", 4)).isEqualTo("2026-03-04T11:00:00Z");
        // Friday 16:00 + 4h: two on Friday, two on Monday.
        assertThat(due(LISBON, "2026-02-27T16:00:00Z", 4)).isEqualTo("2026-03-02T11:00:00Z");
    }

    @Test
    void skipsHolidays() {
        // Monday 9 March is a holiday: Friday's remainder moves to Tuesday.
        assertThat(due(LISBON, "2026-03-06T16:00:00Z", 4)).isEqualTo("2026-03-10T11:00:00Z");
        // Christmas on Friday, New Year on Friday: a week of two holidays.
        assertThat(due(LISBON, "2026-12-24T17:00:00Z", 2)).isEqualTo("2026-12-28T10:00:00Z");
    }

    @Test
    void aPromiseOutsideOpeningHoursStartsCountingAtTheNextOpening() {
        assertThat(due(LISBON, "2026-03-03T20:30:00Z", 1)).isEqualTo("2026-03-04T10:00:00Z");
        assertThat(due(LISBON, "2026-03-07T12:00:00Z", 1)).isEqualTo("2026-03-10T10:00:00Z");
        assertThat(due(LISBON, "2026-03-03T05:00:00Z", 0)).isEqualTo("2026-03-03T09:00:00Z");
    }

    @Test
    void openingHoursFollowTheLocalClockAcrossDaylightSaving() {
        // Summer time starts Sunday 29 March 2026: 09:00 Lisbon is 08:00 UTC from Monday.
        assertThat(due(LISBON, "2026-03-27T17:00:00Z", 2)).isEqualTo("2026-03-30T09:00:00Z");
        BusinessCalendar newYork = BusinessCalendar.parse("ny", "America/New_York",
                "MON-FRI 09:00-17:00", "");
        // Friday 6 March 16:00 EST (21:00Z) + 2h: one on Friday, one on Monday 09:00 EDT (13:00Z).
        assertThat(due(newYork, "2026-03-06T21:00:00Z", 2)).isEqualTo("2026-03-09T14:00:00Z");
    }

    @Test
    void splitShiftsAndSeveralClauses() {
        BusinessCalendar shop = BusinessCalendar.parse("shop", "UTC",
                "MON-FRI 09:00-12:30,13:30-18:00; SAT 10:00-13:00", "");
        assertThat(due(shop, "2026-03-02T12:00:00Z", 1)).isEqualTo("2026-03-02T14:00:00Z");
        assertThat(due(shop, "2026-03-06T17:00:00Z", 2)).isEqualTo("2026-03-07T11:00:00Z");
        assertThat(shop.isOpen(Instant.parse("2026-03-02T13:00:00Z"))).isFalse();
        assertThat(shop.isOpen(Instant.parse("2026-03-07T12:59:00Z"))).isTrue();
        BusinessCalendar always = BusinessCalendar.parse("always", "UTC", "MON-SUN 00:00-24:00", "");
        assertThat(due(always, "2026-03-07T23:00:00Z", 3)).isEqualTo("2026-03-08T02:00:00Z");
    }

    @Test
    void aCalendarThatNeverOpensEnoughGivesNoDeadline() {
        assertThat(due(LISBON, "2026-03-03T10:00:00Z", 24 * 365 * 4)).isNull();
    }

    @Test
    void badSettingsNameTheKeyAndWhatIsExpected() {
        assertThatThrownBy(() -> BusinessCalendar.parse("x", "Mars/Olympus", "MON 09:00-10:00", ""))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sla.calendar.x.zone");
        assertThatThrownBy(() -> BusinessCalendar.parse("x", "UTC", "MON-FRI 18:00-09:00", ""))
                .hasMessageContaining("sla.calendar.x.hours").hasMessageContaining("ends after");
        assertThatThrownBy(() -> BusinessCalendar.parse("x", "UTC", "FUNDAY 09:00-10:00", ""))
                .hasMessageContaining("weekday");
        assertThatThrownBy(() -> BusinessCalendar.parse("x", "UTC", "MON 09:00-12:00,11:00-13:00", ""))
                .hasMessageContaining("do not overlap");
        assertThatThrownBy(() -> BusinessCalendar.parse("x", "UTC", "", ""))
                .hasMessageContaining("at least one weekday");
        assertThatThrownBy(() -> BusinessCalendar.parse("x", "UTC", "MON 09:00-10:00", "25/12"))
                .hasMessageContaining("sla.calendar.x.holidays").hasMessageContaining("25/12");
    }
}
