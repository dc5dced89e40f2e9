"""Business calendar: worked examples in Jalali Tehran time, as an agent would read the due dates.

Each example was counted by hand; the comments give the count. Holidays are the real ones from
the ``holidays`` package, so an example that crosses Nowruz checks that data too.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import jdatetime
import pytest

from plugins.tickets.sla.calendar import (
    FRIDAY,
    SATURDAY,
    SUNDAY,
    THURSDAY,
    WEDNESDAY,
    BusinessCalendar,
    CalendarVersion,
    WeeklyHours,
    default_hours,
    iranian_holidays,
)

TEHRAN = ZoneInfo("Asia/Tehran")
HOURS = timedelta(hours=1)
IRAN_HOLIDAYS = iranian_holidays(range(2026, 2028))
OFFICE = BusinessCalendar((CalendarVersion(date(2020, 1, 1), default_hours()),), holidays=frozenset(IRAN_HOLIDAYS))


def tehran(jalali: str) -> datetime:
    """A Jalali Tehran wall-clock time such as "1405/09/04 14:00", as the UTC instant stored."""
    local = jdatetime.datetime.strptime(jalali, "%Y/%m/%d %H:%M").togregorian()
    return local.replace(tzinfo=TEHRAN).astimezone(UTC)


def shown(at: datetime) -> str:
    """A UTC instant as the desk shows it: Jalali date and Tehran time."""
    return jdatetime.datetime.fromgregorian(datetime=at.astimezone(TEHRAN)).strftime("%Y/%m/%d %H:%M")


def weekday_of(jalali_date: str) -> str:
    return tehran(f"{jalali_date} 12:00").astimezone(TEHRAN).strftime("%A %Y-%m-%d")


def office_with(**changes: object) -> BusinessCalendar:
    return replace(OFFICE, **changes)


# --- weekly hours ------------------------------------------------------------------------------


def test_default_hours_are_saturday_to_wednesday_eight_to_four() -> None:
    hours = default_hours()
    for weekday in (SATURDAY, SUNDAY, 0, 1, WEDNESDAY):
        assert hours[weekday] == ((time(8), time(16)),)
    assert hours[THURSDAY] == () and hours[FRIDAY] == ()


@pytest.mark.parametrize(
    ("intervals", "message"),
    [
        (((time(16), time(8)),), "must start before it ends"),
        (((time(8), time(8)),), "must start before it ends"),
        (((time(8), time(13)), (time(12), time(16))), "sorted and not overlap"),
        (((time(13), time(16)), (time(8), time(12))), "sorted and not overlap"),
        (((time(8, tzinfo=UTC), time(16)),), "without a timezone"),
    ],
)
def test_invalid_intervals_are_rejected(intervals: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WeeklyHours({SATURDAY: intervals})


def test_weekday_out_of_range_is_rejected() -> None:
    with pytest.raises(ValueError, match="weekday must be 0"):
        WeeklyHours({7: ((time(8), time(16)),)})


def test_touching_intervals_are_allowed_and_count_once() -> None:
    hours = WeeklyHours({SATURDAY: ((time(8), time(12)), (time(12), time(16)))})
    calendar = BusinessCalendar((CalendarVersion(date(2020, 1, 1), hours),))
    assert calendar.elapsed(tehran("1405/09/07 00:00"), tehran("1405/09/08 00:00")) == 8 * HOURS


# --- holiday data ------------------------------------------------------------------------------


def test_nowruz_and_farvardin_12_13_are_holidays_with_persian_names() -> None:
    assert jdatetime.date(1405, 1, 1).togregorian() == date(2026, 3, 21)
    assert jdatetime.date(1406, 1, 1).togregorian() == date(2027, 3, 21)
    for year in (1405, 1406):
        for day in (1, 2, 3, 4):
            name = IRAN_HOLIDAYS[jdatetime.date(year, 1, day).togregorian()]
            assert "نوروز" in name
        assert IRAN_HOLIDAYS[jdatetime.date(year, 1, 12).togregorian()] == "روز جمهوری اسلامی"
        assert IRAN_HOLIDAYS[jdatetime.date(year, 1, 13).togregorian()] == "روز طبیعت"


def test_fridays_are_not_holidays_by_themselves() -> None:
    """The package's Friday weekend is left to the weekly hours; a dated holiday on a Friday stays."""
    assert date(2026, 11, 27) not in IRAN_HOLIDAYS  # an ordinary Friday
    assert IRAN_HOLIDAYS[date(2026, 3, 20)] == "روز ملی شدن صنعت نفت ایران"  # 29 Esfand, a Friday


def test_two_holidays_on_one_date_share_one_entry() -> None:
    assert IRAN_HOLIDAYS[date(2026, 3, 21)] == "جشن نوروز; عید سعید فطر"


# --- worked examples ---------------------------------------------------------------------------


def test_four_hours_from_wednesday_afternoon_skip_thursday_and_friday() -> None:
    # Wed 14:00–16:00 = 2 h; Thu 1405/09/05 and Fri 09/06 closed; Sat 08:00–10:00 = 2 h.
    assert weekday_of("1405/09/04") == "Wednesday 2026-11-25"
    assert weekday_of("1405/09/07") == "Saturday 2026-11-28"
    assert not {date(2026, 11, 25), date(2026, 11, 26), date(2026, 11, 27), date(2026, 11, 28)} & set(IRAN_HOLIDAYS)
    assert shown(OFFICE.add(tehran("1405/09/04 14:00"), 4 * HOURS)) == "1405/09/07 10:00"


@pytest.mark.parametrize(
    ("target", "due"),
    [
        # Tue 26 Esfand 10–16 = 6 h; Wed 27 = 8 h (14); Thu 28, Fri 29 (also a holiday) closed;
        # Sat 1 – Tue 4 Farvardin Nowruz; Wed 5 = 8 h (22); Thu 6, Fri 7 closed; Sat 8: 2 h.
        (24 * HOURS, "1405/01/08 10:00"),
        # … Sat 8 = 8 h (30); Sun 9 = 8 h (38); Mon 10: 2 h.
        (40 * HOURS, "1405/01/10 10:00"),
    ],
)
def test_due_date_lands_after_nowruz_1405(target: timedelta, due: str) -> None:
    assert weekday_of("1404/12/26") == "Tuesday 2026-03-17"
    assert shown(OFFICE.add(tehran("1404/12/26 10:00"), target)) == due


def test_due_date_lands_after_nowruz_1406() -> None:
    # Tue 25 Esfand 10–16 = 6 h; Wed 26 = 8 h (14); Thu, Fri closed; Sat 29 Esfand (oil
    # nationalisation) and Sun 1 – Wed 4 Farvardin holidays; Thu, Fri closed; Sat 7 = 8 h (22); Sun 8: 2 h.
    assert weekday_of("1405/12/25") == "Tuesday 2027-03-16"
    assert shown(OFFICE.add(tehran("1405/12/25 10:00"), 24 * HOURS)) == "1406/01/08 10:00"


def test_due_date_skips_farvardin_12_and_13() -> None:
    # Mon 10 = 8 h; Tue 11 = 8 h (16); Wed 12 holiday; Thu 13 (holiday), Fri 14 closed; Sat 15 = 8 h.
    assert weekday_of("1405/01/15") == "Saturday 2026-04-04"
    assert shown(OFFICE.add(tehran("1405/01/10 08:00"), 24 * HOURS)) == "1405/01/15 16:00"


def test_lunch_break_is_not_counted() -> None:
    lunch = ((time(8), time(12)), (time(13), time(16)))
    hours = WeeklyHours({day: lunch for day in (SATURDAY, SUNDAY, 0, 1, WEDNESDAY)})
    calendar = office_with(versions=(CalendarVersion(date(2020, 1, 1), hours),))
    start = tehran("1405/09/01 10:00")  # Sunday
    # 10–12 = 2 h, lunch, 13–15 = 2 h.
    assert shown(calendar.add(start, 4 * HOURS)) == "1405/09/01 15:00"
    assert not calendar.is_open(tehran("1405/09/01 12:30"))
    assert calendar.elapsed(start, tehran("1405/09/01 16:00")) == 5 * HOURS


def test_whole_day_closure_moves_the_due_date_a_day() -> None:
    # Sun 12–16 = 4 h; Mon 1405/04/22 closed for heat; Tue 08–12 = 4 h (without it: Mon 12:00).
    start = tehran("1405/04/21 12:00")
    assert weekday_of("1405/04/21") == "Sunday 2026-07-12"
    assert shown(OFFICE.add(start, 8 * HOURS)) == "1405/04/22 12:00"
    heat = office_with(closures=((tehran("1405/04/22 00:00"), tehran("1405/04/23 00:00")),))
    assert shown(heat.add(start, 8 * HOURS)) == "1405/04/23 12:00"
    assert not heat.is_open(tehran("1405/04/22 10:00"))


def test_partial_closure_from_noon() -> None:
    # Sun 10–12 = 2 h, closed from 12:00; Mon 08–14 = 6 h (without it: Sun 6 h + Mon 2 h = Mon 10:00).
    start = tehran("1405/04/21 10:00")
    assert shown(OFFICE.add(start, 8 * HOURS)) == "1405/04/22 10:00"
    noon = office_with(closures=((tehran("1405/04/21 12:00"), tehran("1405/04/22 00:00")),))
    assert shown(noon.add(start, 8 * HOURS)) == "1405/04/22 14:00"
    periods = [(shown(a), shown(b)) for a, b in noon.working_periods(start, tehran("1405/04/22 12:00"))]
    assert periods == [("1405/04/21 10:00", "1405/04/21 12:00"), ("1405/04/22 08:00", "1405/04/22 12:00")]


def test_overlapping_closures_are_merged() -> None:
    closures = (
        (tehran("1405/04/21 09:00"), tehran("1405/04/21 11:00")),
        (tehran("1405/04/21 10:00"), tehran("1405/04/21 12:00")),
    )
    calendar = office_with(closures=closures)
    assert calendar.closures == ((tehran("1405/04/21 09:00"), tehran("1405/04/21 12:00")),)
    assert calendar.elapsed(tehran("1405/04/21 08:00"), tehran("1405/04/21 16:00")) == 5 * HOURS


def test_summer_hours_version_takes_over_from_its_date() -> None:
    summer = WeeklyHours({day: ((time(6), time(13)),) for day in (SATURDAY, SUNDAY, 0, 1, WEDNESDAY)})
    calendar = office_with(
        versions=(CalendarVersion(date(2020, 1, 1), default_hours()), CalendarVersion(date(2026, 7, 11), summer))
    )
    assert weekday_of("1405/04/17") == "Wednesday 2026-07-08"
    assert weekday_of("1405/04/20") == "Saturday 2026-07-11"
    # Wed 12–16 under the old hours = 4 h; Sat 06–09 under summer hours = 3 h.
    assert calendar.elapsed(tehran("1405/04/17 12:00"), tehran("1405/04/20 09:00")) == 7 * HOURS
    # Wed 14–16 = 2 h; Sat 06:00 + 3 h.
    assert shown(calendar.add(tehran("1405/04/17 14:00"), 5 * HOURS)) == "1405/04/20 09:00"
    assert calendar.is_open(tehran("1405/04/20 06:30"))
    assert not calendar.is_open(tehran("1405/04/20 14:00"))


def test_dates_before_the_first_version_have_no_hours() -> None:
    calendar = office_with(versions=(CalendarVersion(date(2026, 11, 28), default_hours()),))
    assert calendar.elapsed(tehran("1405/09/04 08:00"), tehran("1405/09/07 10:00")) == 2 * HOURS


# --- outside hours and edge cases --------------------------------------------------------------


def test_start_on_friday_night_counts_from_saturday_morning() -> None:
    friday_night = tehran("1405/09/06 22:00")
    assert shown(OFFICE.next_opening(friday_night)) == "1405/09/07 08:00"
    assert shown(OFFICE.add(friday_night, HOURS)) == "1405/09/07 09:00"


def test_start_before_opening_counts_from_eight() -> None:
    assert shown(OFFICE.add(tehran("1405/09/01 07:00"), HOURS)) == "1405/09/01 09:00"


def test_closing_time_is_closed_but_a_due_date_may_fall_on_it() -> None:
    closing = tehran("1405/09/04 16:00")  # Wednesday
    assert not OFFICE.is_open(closing)
    assert OFFICE.is_open(tehran("1405/09/04 15:59"))
    assert shown(OFFICE.add(closing, HOURS)) == "1405/09/07 09:00"
    assert shown(OFFICE.add(tehran("1405/09/04 15:00"), HOURS)) == "1405/09/04 16:00"


def test_zero_duration_is_the_next_opening() -> None:
    open_instant = tehran("1405/09/04 10:00")
    assert OFFICE.add(open_instant, timedelta()) == open_instant
    assert OFFICE.next_opening(open_instant) == open_instant
    assert shown(OFFICE.add(tehran("1405/09/06 10:00"), timedelta())) == "1405/09/07 08:00"


def test_no_business_time_over_a_weekend_or_backwards() -> None:
    assert OFFICE.elapsed(tehran("1405/09/04 16:00"), tehran("1405/09/07 08:00")) == timedelta()
    assert list(OFFICE.working_periods(tehran("1405/09/04 16:00"), tehran("1405/09/07 08:00"))) == []
    assert OFFICE.elapsed(tehran("1405/09/07 10:00"), tehran("1405/09/04 10:00")) == timedelta()


def test_calendar_without_hours_raises_instead_of_looping() -> None:
    closed = BusinessCalendar((CalendarVersion(date(2020, 1, 1), WeeklyHours({})),))
    with pytest.raises(ValueError, match="not enough working time"):
        closed.add(tehran("1405/09/04 10:00"), HOURS)


def test_negative_duration_and_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        OFFICE.add(tehran("1405/09/04 10:00"), -HOURS)
    with pytest.raises(ValueError, match="timezone-aware"):
        OFFICE.is_open(datetime(2026, 11, 25, 10))


def test_calendar_needs_a_version_and_distinct_dates() -> None:
    with pytest.raises(ValueError, match="at least one version"):
        BusinessCalendar(())
    version = CalendarVersion(date(2026, 1, 1), default_hours())
    with pytest.raises(ValueError, match="same date"):
        BusinessCalendar((version, version))


def test_instants_in_other_zones_are_read_as_instants() -> None:
    start = tehran("1405/09/04 14:00").astimezone(ZoneInfo("Europe/Berlin"))
    assert shown(OFFICE.add(start, 4 * HOURS)) == "1405/09/07 10:00"


# --- long durations and many calls -------------------------------------------------------------


def test_thirty_working_days() -> None:
    # From Sat 1405/08/30 08:00, 30 working days of 8 h: six Saturday–Wednesday weeks, less
    # Wed 1405/10/02 (Imam Ali's birthday), so the 30th is Sat 1405/10/12.
    assert weekday_of("1405/10/12") == "Saturday 2027-01-02"
    assert shown(OFFICE.add(tehran("1405/08/30 08:00"), 30 * 8 * HOURS)) == "1405/10/12 16:00"


def test_ten_thousand_due_dates() -> None:
    first = tehran("1405/01/01 00:00")
    starts = [first + timedelta(minutes=53 * step) for step in range(10_000)]
    dues = [OFFICE.add(start, 8 * HOURS) for start in starts]
    assert all(due > start for start, due in zip(starts, dues, strict=True))
    assert all(OFFICE.elapsed(start, due) == 8 * HOURS for start, due in zip(starts[::97], dues[::97], strict=True))


# --- working days (the receipt's promised date, closing resolved tickets) ------------------------


def test_working_days_count_whole_days_however_long_each_is() -> None:
    lunch = ((time(8), time(12)), (time(13), time(16)))  # seven-hour days
    hours = WeeklyHours({day: lunch for day in (SATURDAY, SUNDAY, 0, 1, WEDNESDAY)})
    calendar = office_with(versions=(CalendarVersion(date(2020, 1, 1), hours),))
    start = tehran("1405/09/01 10:00")  # Sunday
    assert shown(calendar.add_working_days(start, 3)) == "1405/09/04 10:00"  # Wednesday, same hour
    # Three days of eight hours reach Wednesday afternoon: 5 h on Sunday, 7 + 7, then 5 more.
    assert shown(calendar.add(start, 3 * 8 * HOURS)) == "1405/09/04 14:00"


def test_working_days_skip_the_weekend_and_holidays_and_match_add_on_equal_days() -> None:
    start = tehran("1405/09/04 14:00")  # Wednesday
    assert shown(OFFICE.add_working_days(start, 1)) == "1405/09/07 14:00"  # Saturday
    assert OFFICE.add_working_days(start, 1) == OFFICE.add(start, 8 * HOURS)
    # Saturday at eight: the three days end on Monday at closing time, as ``add`` counts them.
    assert shown(OFFICE.add_working_days(tehran("1405/08/30 08:00"), 3)) == "1405/09/02 16:00"
    # Thursday (closed): counting starts on Saturday morning.
    assert shown(OFFICE.add_working_days(tehran("1405/09/05 14:00"), 1)) == "1405/09/07 16:00"
    # Before Nowruz: Esfand 27 (Wednesday 1404/12/27 is 2026-03-18) + 1 working day skips the holidays.
    assert OFFICE.add_working_days(tehran("1404/12/27 10:00"), 1) == OFFICE.add(tehran("1404/12/27 10:00"), 8 * HOURS)


def test_a_short_day_still_counts_as_one_working_day() -> None:
    hours = WeeklyHours({**{day: ((time(8), time(16)),) for day in (SATURDAY, SUNDAY, 0, 1, WEDNESDAY)},
                         THURSDAY: ((time(8), time(12)),)})
    calendar = office_with(versions=(CalendarVersion(date(2020, 1, 1), hours),))
    start = tehran("1405/09/04 14:00")  # Wednesday, six hours into the day
    # Thursday is only four hours long: the promise is its closing, not Saturday.
    assert shown(calendar.add_working_days(start, 1)) == "1405/09/05 12:00"
    assert shown(calendar.add_working_days(start, 2)) == "1405/09/07 14:00"
    assert calendar.add_working_days(start, 0) == start
    with pytest.raises(ValueError):
        calendar.add_working_days(start, -1)
