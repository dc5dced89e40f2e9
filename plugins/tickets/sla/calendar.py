"""Business calendars: when the desk is open, and how much working time lies between two instants.

Instants are timezone-aware UTC datetimes, as the database stores them; opening hours are local
wall-clock times in the calendar's zone (Asia/Tehran by default), because that is how an office
announces them. Everything here is pure Python over immutable values, so the SLA worker can
recompute thousands of due dates without touching the database.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays as holidays_package

Interval = tuple[time, time]
Period = tuple[datetime, datetime]

DEFAULT_TIMEZONE = "Asia/Tehran"
SATURDAY, SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = 5, 6, 0, 1, 2, 3, 4
# How far ``add`` looks for working time before deciding the calendar has none.
SEARCH_HORIZON_DAYS = 3 * 366


class WeeklyHours(Mapping[int, tuple[Interval, ...]]):
    """Opening hours for each Python weekday (Monday=0 … Sunday=6; Saturday=5).

    A day maps to a tuple of half-open ``(start, end)`` wall-clock intervals; several per day
    express a lunch break, none means the day is closed. Every weekday is a key, so looking up a
    closed day gives ``()`` rather than a KeyError.
    """

    def __init__(self, days: Mapping[int, Iterable[Interval]]) -> None:
        for weekday in days:
            if weekday not in range(7):
                raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {weekday!r}")
        self._week = tuple(_validated_day(weekday, days.get(weekday, ())) for weekday in range(7))

    def __getitem__(self, weekday: int) -> tuple[Interval, ...]:
        if weekday not in range(7):
            raise KeyError(weekday)
        return self._week[weekday]

    def __iter__(self) -> Iterator[int]:
        return iter(range(7))

    def __len__(self) -> int:
        return 7

    def __hash__(self) -> int:
        return hash(self._week)

    def __repr__(self) -> str:
        return f"WeeklyHours({dict(enumerate(self._week))!r})"


def _validated_day(weekday: int, intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """Check one day's intervals: naive wall-clock times, each non-empty, in order, not overlapping.

    Overlaps would count the shared time twice; disorder would make the day walk skip time.
    """
    day = tuple((start, end) for start, end in intervals)
    for start, end in day:
        if start.tzinfo is not None or end.tzinfo is not None:
            raise ValueError(f"weekday {weekday}: opening hours are wall-clock times without a timezone")
        if start >= end:
            raise ValueError(f"weekday {weekday}: interval {start:%H:%M}-{end:%H:%M} must start before it ends")
    for (_, previous_end), (start, _) in zip(day, day[1:], strict=False):
        if start < previous_end:
            raise ValueError(
                f"weekday {weekday}: intervals must be sorted and not overlap "
                f"({start:%H:%M} starts before {previous_end:%H:%M})"
            )
    return day


def default_hours() -> WeeklyHours:
    """Saturday to Wednesday 08:00–16:00; Thursday and Friday closed (the Iranian office week)."""
    office_day = ((time(8), time(16)),)
    return WeeklyHours({day: office_day for day in (SATURDAY, SUNDAY, MONDAY, TUESDAY, WEDNESDAY)})


_CLOSED_WEEK = WeeklyHours({})


@dataclass(frozen=True)
class CalendarVersion:
    """Weekly hours in force from a local date on (until a later version takes over)."""

    valid_from: date
    hours: WeeklyHours


@dataclass(frozen=True)
class BusinessCalendar:
    """Versions of weekly hours, whole-day holidays (local dates) and declared closures (UTC).

    A local date before the first version has no hours. Closures are for the unplanned (heat,
    snow, an outage): they may cover part of a day or several days. Working days are computed
    once per local date and remembered, since the calendar never changes: a changed calendar is
    a new value (``dataclasses.replace``).
    """

    versions: tuple[CalendarVersion, ...]
    holidays: frozenset[date] = frozenset()
    closures: tuple[Period, ...] = ()
    timezone: str = DEFAULT_TIMEZONE
    _zone: ZoneInfo = field(init=False, repr=False, compare=False)
    _version_starts: tuple[date, ...] = field(init=False, repr=False, compare=False)
    _closure_ends: tuple[datetime, ...] = field(init=False, repr=False, compare=False)
    _days: dict[date, tuple[Period, ...]] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        if not self.versions:
            raise ValueError("a business calendar needs at least one version of weekly hours")
        versions = tuple(sorted(self.versions, key=lambda version: version.valid_from))
        starts = [version.valid_from for version in versions]
        if len(set(starts)) != len(starts):
            raise ValueError("two calendar versions are valid from the same date")
        closures = _merged(_checked_period(start, end) for start, end in self.closures)
        object.__setattr__(self, "versions", versions)
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "closures", closures)
        object.__setattr__(self, "_zone", ZoneInfo(self.timezone))
        object.__setattr__(self, "_version_starts", tuple(starts))
        object.__setattr__(self, "_closure_ends", tuple(end for _, end in closures))

    def is_open(self, at_utc: datetime) -> bool:
        """Whether ``at_utc`` falls inside a working period (periods are half-open: closed at 16:00)."""
        at = _utc(at_utc)
        return any(start <= at < end for start, end in self._day_periods(self._local_date(at)))

    def working_periods(self, start_utc: datetime, end_utc: datetime) -> Iterator[Period]:
        """Working periods inside ``[start_utc, end_utc)``, clipped to it, holidays and closures removed."""
        start, end = _utc(start_utc), _utc(end_utc)
        if end <= start:
            return
        days = (self._local_date(end) - self._local_date(start)).days + 1
        for period_start, period_end in self._periods_from(start, days):
            if period_start >= end:
                return
            yield period_start, min(period_end, end)

    def elapsed(self, start_utc: datetime, end_utc: datetime) -> timedelta:
        """Business time between two instants; zero when ``end_utc`` is not after ``start_utc``."""
        return sum((end - start for start, end in self.working_periods(start_utc, end_utc)), timedelta())

    def add(self, start_utc: datetime, duration: timedelta) -> datetime:
        """The instant at which ``duration`` of business time has passed since ``start_utc``.

        Counting begins at the next opening when ``start_utc`` is outside hours, so a zero
        duration gives the next opening. A duration that ends exactly at closing time gives the
        closing instant (16:00), not the next morning. The walk goes period by period, one local
        day at a time, so long durations (30 working days) cost a few dozen steps, not minutes.
        """
        if duration < timedelta():
            raise ValueError(f"business duration must not be negative, got {duration}")
        remaining = duration
        for period_start, period_end in self._periods_from(_utc(start_utc), SEARCH_HORIZON_DAYS):
            if remaining <= period_end - period_start:
                return period_start + remaining
            remaining -= period_end - period_start
        raise ValueError(
            f"the calendar has not enough working time in the {SEARCH_HORIZON_DAYS} days after "
            f"{start_utc.isoformat()} (no opening hours, or everything closed?)"
        )

    def add_working_days(self, start_utc: datetime, days: int) -> datetime:
        """The same point of the working day, ``days`` working days after ``start_utc``.

        Each working day counts as one whatever its length (a lunch break, a short Thursday): the
        date a receipt promises. On a calendar of equal days it is ``add`` of that many days'
        hours; a start at an opening ends at the closing of the day before, as ``add`` does.
        """
        if days < 0:
            raise ValueError(f"working days must not be negative, got {days}")
        start = self.next_opening(start_utc)
        if days == 0:
            return start
        day = self._local_date(start)
        done_today = sum((min(end, start) - begin for begin, end in self._day_periods(day) if begin < start),
                         timedelta())
        if not done_today:
            return self._working_day(day, days - 1)[-1][1]
        periods = self._working_day(day, days)
        length = sum((end - begin for begin, end in periods), timedelta())
        return periods[-1][1] if done_today >= length else self.add(periods[0][0], done_today)

    def _working_day(self, day: date, after: int) -> tuple[Period, ...]:
        """The periods of the ``after``-th working day after ``day`` (``day`` itself for 0)."""
        for offset in range(SEARCH_HORIZON_DAYS):
            periods = self._day_periods(day + timedelta(days=offset))
            if periods:
                if not after:
                    return periods
                after -= 1
        raise ValueError(f"the calendar has no working day in the {SEARCH_HORIZON_DAYS} days after {day}")

    def next_opening(self, at_utc: datetime) -> datetime:
        """The earliest instant at or after ``at_utc`` when the calendar is open."""
        return self.add(at_utc, timedelta())

    def _periods_from(self, start: datetime, days: int) -> Iterator[Period]:
        """Working periods that end after ``start``, clipped to begin no earlier, over ``days`` local days."""
        first_day = self._local_date(start)
        for offset in range(days):
            for period_start, period_end in self._day_periods(first_day + timedelta(days=offset)):
                if period_end > start:
                    yield max(period_start, start), period_end

    def _day_periods(self, day: date) -> tuple[Period, ...]:
        """A local day's working periods in UTC, remembered: the worker asks for the same days often."""
        periods = self._days.get(day)
        if periods is None:
            periods = self._days[day] = tuple(self._compute_day_periods(day))
        return periods

    def _compute_day_periods(self, day: date) -> Iterator[Period]:
        if day in self.holidays:
            return
        for opens, closes in self._hours_on(day)[day.weekday()]:
            start = datetime.combine(day, opens, tzinfo=self._zone).astimezone(UTC)
            end = datetime.combine(day, closes, tzinfo=self._zone).astimezone(UTC)
            yield from self._without_closures(start, end)

    def _hours_on(self, day: date) -> WeeklyHours:
        """The hours of the latest version whose ``valid_from`` is on or before ``day`` (none before the first)."""
        index = bisect.bisect_right(self._version_starts, day)
        return self.versions[index - 1].hours if index else _CLOSED_WEEK

    def _without_closures(self, start: datetime, end: datetime) -> Iterator[Period]:
        """Cut the declared closures out of one period (closures are merged and sorted, so a bisect finds them)."""
        index = bisect.bisect_right(self._closure_ends, start)
        for closure_start, closure_end in self.closures[index:]:
            if closure_start >= end:
                break
            if closure_start > start:
                yield start, closure_start
            start = max(start, closure_end)
        if start < end:
            yield start, end

    def _local_date(self, at: datetime) -> date:
        return at.astimezone(self._zone).date()


def _utc(at: datetime) -> datetime:
    """Refuse naive datetimes: guessing their zone would shift due dates by hours."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got naive {at.isoformat()}")
    return at.astimezone(UTC)


def _checked_period(start: datetime, end: datetime) -> Period:
    start, end = _utc(start), _utc(end)
    if start >= end:
        raise ValueError(f"closure {start.isoformat()} – {end.isoformat()} must start before it ends")
    return start, end


def _merged(periods: Iterable[Period]) -> tuple[Period, ...]:
    """Sort and merge overlapping or touching periods, so each instant is covered at most once."""
    merged: list[Period] = []
    for start, end in sorted(periods):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def iranian_holidays(years: int | Iterable[int]) -> dict[date, str]:
    """Iran's official dated holidays for ``years``, with Persian names, in date order.

    Only the dated holidays are taken: the ``holidays`` package also knows Friday as Iran's
    weekend, but the calendar's weekly hours already close Thursday and Friday. Two holidays on
    one date come as one entry whose names are joined by "; ". Lunar holidays beyond the years the
    package has confirmed are its estimates, marked "(تخمینی)" in the name.
    """
    official = holidays_package.country_holidays("IR", years=years, language="fa_IR")
    return dict(sorted(official.items()))
