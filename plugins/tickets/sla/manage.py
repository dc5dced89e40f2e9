"""Changes administrators make to business calendars, closures and SLA policies.

The administration pages call these functions; so may a command or a test. Every change that
can move a due date forgets the calendars remembered in this process and recomputes the running
clocks of the calendar it touched, and says how many tickets' due dates moved. Refused changes
raise ``CalendarError`` with a translatable message and the name of the field at fault.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import jdatetime
from sqlalchemy import select

from core.i18n import _
from core.models import Department
from core.normalize import to_latin_digits
from core.security import department_subtree_ids
from plugins.tickets.models import Calendar, CalendarVersion, Closure, Holiday, SlaClock, SlaPolicy, Ticket
from plugins.tickets.sla.calendar import (
    FRIDAY,
    MONDAY,
    SATURDAY,
    SUNDAY,
    THURSDAY,
    TUESDAY,
    WEDNESDAY,
    Interval,
    WeeklyHours,
    default_hours,
    iranian_holidays,
)
from plugins.tickets.sla.sweep import recompute_running
from plugins.tickets.sla.ticket_clocks import calendar_id_for, forget_calendars, hours_from_json, hours_to_json

# The Iranian week, as a form lists it.
WEEK = (SATURDAY, SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY)
MAX_CLOSURE = timedelta(days=366)  # beyond that, the clock engine would find no working time
MAX_TARGET_MINUTES = 365 * 24 * 60
FIRST_JALALI_YEAR, LAST_JALALI_YEAR = 1359, 1500  # the holidays package starts in 1980
_INTERVAL = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(?:-|–|—|تا)\s*(\d{1,2})(?::(\d{2}))?$")
_SEPARATORS = re.compile(r"[,،;؛\n]+")


class CalendarError(ValueError):
    """A refused change; ``message`` is translatable, ``field`` names the form field at fault."""

    def __init__(self, field: str | None, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


# --- weekly hours -------------------------------------------------------------------------------

def parse_day(text: str) -> list[Interval]:
    """``"08:00-12:00, 13:00-16:00"`` (any digits; ``8-12``; ``،`` between intervals) → sorted
    intervals; empty text is a closed day. Overlaps and backward intervals are refused."""
    intervals = []
    for part in _SEPARATORS.split(to_latin_digits(text or "")):
        part = part.strip()
        if not part:
            continue
        match = _INTERVAL.match(part)
        if match is None:
            raise CalendarError(None, _("Write the hours like 08:00-12:00, 13:00-16:00 (“${part}” is not).",
                                        mapping={"part": part}))
        start, end = _time(match.group(1), match.group(2), part), _time(match.group(3), match.group(4), part)
        if start >= end:
            raise CalendarError(None, _("${part}: an interval must start before it ends.", mapping={"part": part}))
        intervals.append((start, end))
    intervals.sort()
    for first, second in zip(intervals, intervals[1:], strict=False):
        if second[0] < first[1]:
            raise CalendarError(None, _("${first} and ${second} overlap.", mapping={
                "first": format_interval(first), "second": format_interval(second)}))
    return intervals


def _time(hours: str, minutes: str | None, part: str) -> time:
    try:
        return time(int(hours), int(minutes or 0))
    except ValueError:
        raise CalendarError(None, _("${part}: hours go from 00:00 to 23:59.", mapping={"part": part})) from None


def format_interval(interval: Interval) -> str:
    return f"{interval[0]:%H:%M}-{interval[1]:%H:%M}"


def format_day(intervals) -> str:
    return ", ".join(format_interval(interval) for interval in intervals)


def week_of(version: CalendarVersion | None) -> dict[int, list[Interval]]:
    """A version's hours per weekday (Monday 0 … Sunday 6); the default office week without one."""
    hours = hours_from_json(version.hours) if version is not None else default_hours()
    return {weekday: list(hours[weekday]) for weekday in range(7)}


def version_in_force(calendar: Calendar, day: date) -> CalendarVersion | None:
    current = None
    for version in calendar.versions:  # ordered by valid_from
        if version.valid_from <= day:
            current = version
    return current or (calendar.versions[0] if calendar.versions else None)


# --- calendars ----------------------------------------------------------------------------------

def create_department_calendar(dbsession, department_id: int, name: str, today: date) -> Calendar:
    """A department's own calendar, starting as a copy of the one it follows now (every version
    of its hours, past and announced, every holiday and the closures declared for it alone); the
    department's open tickets' clocks move onto it."""
    department = dbsession.get(Department, department_id)
    if department is None:
        raise CalendarError("department", _("Choose one of the listed options."))
    if dbsession.scalar(select(Calendar.id).where(Calendar.department_id == department_id)) is not None:
        raise CalendarError("department", _("This department already has its own calendar."))
    source = dbsession.get(Calendar, calendar_id_for(dbsession, department_id) or 0)
    calendar = Calendar(
        name=name or department.name, department_id=department_id,
        timezone=source.timezone if source is not None else "Asia/Tehran",
        versions=([CalendarVersion(valid_from=version.valid_from, hours=dict(version.hours))
                   for version in source.versions] if source is not None and source.versions
                  else [CalendarVersion(valid_from=date(today.year - 1, 1, 1), hours=hours_to_json(default_hours()))]),
        holidays=([Holiday(day=holiday.day, name=holiday.name) for holiday in source.holidays] if source is not None
                  else [Holiday(day=day, name=name[:200])
                        for day, name in iranian_holidays(range(today.year - 1, today.year + 2)).items()]),
    )
    dbsession.add(calendar)
    dbsession.flush()
    if source is not None:
        for closure in dbsession.scalars(select(Closure).where(Closure.calendar_id == source.id)).all():
            dbsession.add(Closure(calendar_id=calendar.id, starts_at=closure.starts_at, ends_at=closure.ends_at,
                                  reason=closure.reason, declared_by_id=closure.declared_by_id,
                                  declared_at=closure.declared_at))
        dbsession.flush()
    forget_calendars()
    _rebind_clocks(dbsession, department_id, calendar.id)
    return calendar


def _rebind_clocks(dbsession, department_id: int, calendar_id: int) -> None:
    """The open tickets of the departments now following ``calendar_id`` count on it from now on.

    The new calendar is a copy, so no due date moves yet; later edits of it will move them.
    """
    following = [dept for dept in department_subtree_ids(dbsession, department_id)
                 if calendar_id_for(dbsession, dept) == calendar_id]
    clocks = dbsession.scalars(select(SlaClock).where(
        SlaClock.stopped_at.is_(None),
        SlaClock.ticket_id.in_(select(Ticket.id).where(Ticket.department_id.in_(following))),
    ))
    for row in clocks:
        row.calendar_id = calendar_id
    dbsession.flush()


def save_version(dbsession, calendar: Calendar, valid_from: date, week: dict[int, list[Interval]],
                 now: datetime) -> int:
    """Hours valid from ``valid_from`` (replacing a version from the same day); returns how many
    tickets' due dates moved."""
    if not any(week.values()):
        raise CalendarError("hours", _("Give the working hours of at least one day."))
    hours = hours_to_json(WeeklyHours(week))
    existing = next((version for version in calendar.versions if version.valid_from == valid_from), None)
    if existing is not None:
        existing.hours = hours
    else:
        calendar.versions.append(CalendarVersion(valid_from=valid_from, hours=hours))
    return _changed(dbsession, calendar, now)


def delete_version(dbsession, calendar: Calendar, version_id: int, now: datetime) -> int:
    version = next((version for version in calendar.versions if version.id == version_id), None)
    if version is None:
        raise CalendarError(None, _("This version does not exist any more."))
    if version is calendar.versions[0]:
        raise CalendarError(None, _("The first version cannot be removed; change its hours instead."))
    calendar.versions.remove(version)
    return _changed(dbsession, calendar, now)


def add_holiday(dbsession, calendar: Calendar, day: date, name: str, now: datetime) -> int:
    existing = next((holiday for holiday in calendar.holidays if holiday.day == day), None)
    if existing is not None:
        raise CalendarError("day", _("This day is already a holiday (${name}).", mapping={"name": existing.name}))
    calendar.holidays.append(Holiday(day=day, name=name[:200]))
    return _changed(dbsession, calendar, now)


def remove_holiday(dbsession, calendar: Calendar, holiday_id: int, now: datetime) -> tuple[Holiday, int]:
    holiday = next((holiday for holiday in calendar.holidays if holiday.id == holiday_id), None)
    if holiday is None:
        raise CalendarError(None, _("This holiday does not exist any more."))
    calendar.holidays.remove(holiday)
    return holiday, _changed(dbsession, calendar, now)


def official_holidays(jalali_year: int) -> dict[date, str]:
    """Iran's official holidays in the Jalali year (1 Farvardin to the end of Esfand)."""
    if not FIRST_JALALI_YEAR <= jalali_year <= LAST_JALALI_YEAR:
        raise CalendarError("year", _("Choose a year from ${first} to ${last}.",
                                      mapping={"first": FIRST_JALALI_YEAR, "last": LAST_JALALI_YEAR}))
    first = jdatetime.date(jalali_year, 1, 1).togregorian()
    after = jdatetime.date(jalali_year + 1, 1, 1).togregorian()
    return {day: name for day, name in iranian_holidays(range(first.year, after.year + 1)).items()
            if first <= day < after}


def load_official_holidays(dbsession, calendar: Calendar, jalali_year: int, now: datetime) -> tuple[int, int]:
    """Add the official holidays of a Jalali year that the calendar lacks (days an administrator
    removed on purpose come back only if they are removed again); returns (added, tickets moved)."""
    known = {holiday.day for holiday in calendar.holidays}
    missing = {day: name for day, name in official_holidays(jalali_year).items() if day not in known}
    for day, name in missing.items():
        calendar.holidays.append(Holiday(day=day, name=name[:200]))
    return len(missing), (_changed(dbsession, calendar, now) if missing else 0)


def _changed(dbsession, calendar: Calendar, now: datetime) -> int:
    dbsession.flush()
    return recompute_running(dbsession, calendar.id, now)


# --- closures -----------------------------------------------------------------------------------

def declare_closure(dbsession, calendar_id: int | None, starts_at: datetime, ends_at: datetime, reason: str,
                    declared_by_id: int | None, now: datetime) -> tuple[Closure, int]:
    """Close one calendar (or every one, ``calendar_id`` None) from ``starts_at`` to ``ends_at``;
    running clocks due after it begins move on. Returns the closure and how many tickets moved."""
    if ends_at <= starts_at:
        raise CalendarError("ends", _("The closure must end after it begins."))
    if ends_at - starts_at > MAX_CLOSURE:
        raise CalendarError("ends", _("A closure lasts a year at most; change the calendar's hours instead."))
    if calendar_id is not None and dbsession.get(Calendar, calendar_id) is None:
        raise CalendarError("scope", _("Choose one of the listed options."))
    closure = Closure(calendar_id=calendar_id, starts_at=starts_at, ends_at=ends_at, reason=reason[:300],
                      declared_by_id=declared_by_id, declared_at=now)
    dbsession.add(closure)
    dbsession.flush()
    return closure, _closure_moved(dbsession, closure, now)


def lift_closure(dbsession, closure: Closure, now: datetime) -> int:
    """Remove a closure (declared by mistake, or called off); the clocks it moved move back."""
    dbsession.delete(closure)
    dbsession.flush()
    return _closure_moved(dbsession, closure, now)


def _closure_moved(dbsession, closure: Closure, now: datetime) -> int:
    return recompute_running(dbsession, closure.calendar_id, now, due_after=closure.starts_at,
                             every_calendar=closure.calendar_id is None)


# --- SLA policies -------------------------------------------------------------------------------

def save_policy(dbsession, *, department_id: int | None, service_key: str | None, priority: int,
                response_minutes: int, resolution_minutes: int) -> SlaPolicy:
    """Targets of a priority for the organization, a department or one of its services (the row
    for the same scope and priority is replaced). New targets apply to tickets opened after."""
    if priority not in (1, 2, 3, 4):
        raise CalendarError("priority", _("Choose one of the listed options."))
    for field_name, minutes in (("response_minutes", response_minutes), ("resolution_minutes", resolution_minutes)):
        if not 1 <= minutes <= MAX_TARGET_MINUTES:
            raise CalendarError(field_name, _("Give a number of minutes from 1 to ${max}.",
                                              mapping={"max": MAX_TARGET_MINUTES}))
    if response_minutes > resolution_minutes:
        raise CalendarError("response_minutes", _("The response target cannot be longer than the resolution target."))
    policy = dbsession.scalar(select(SlaPolicy).where(
        SlaPolicy.department_id.is_(None) if department_id is None else SlaPolicy.department_id == department_id,
        SlaPolicy.service_key.is_(None) if service_key is None else SlaPolicy.service_key == service_key,
        SlaPolicy.priority == priority,
    ))
    if policy is None:
        policy = SlaPolicy(department_id=department_id, service_key=service_key, priority=priority)
        dbsession.add(policy)
    policy.response_minutes, policy.resolution_minutes = response_minutes, resolution_minutes
    dbsession.flush()
    return policy
