"""Tickets' SLA clocks in the database: attach, pause, resume, stop, and the worker's sweep.

Each ticket has a response clock (stopped by the first public reply of an agent) and a
resolution clock (stopped when it is resolved or cancelled). Both start at the contact time,
count business time of the ticket's department's calendar, pause while the ticket is pending and
are recomputed when a closure is declared. The ticket keeps copies of the due dates and an SLA
state so that queues filter and sort on indexed columns without reading clocks.
"""
from __future__ import annotations

import time as clock_time
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from core.contracts import SlaTargets
from core.models import Department
from plugins.tickets.models import Calendar, Closure, SlaClock, SlaPolicy, Ticket
from plugins.tickets.sla import clock
from plugins.tickets.sla.calendar import BusinessCalendar, CalendarVersion, WeeklyHours, default_hours, iranian_holidays

KINDS = ("response", "resolution")
WORKING_DAY = timedelta(hours=8)  # "2d" in an SLA target
CALENDAR_CACHE_SECONDS = 60
# (kind, database URL, id) → (when it was loaded, value); kinds: "calendar", "calendar_id".
_remembered: dict[tuple[str, str, int | None], tuple[float, object]] = {}


# --- calendars ------------------------------------------------------------------------------

def calendar_id_for(dbsession, department_id: int | None) -> int | None:
    """The department's calendar, else its nearest ancestor's, else the organization's default
    (``department_id`` NULL); ``None`` when no calendar was created (built-in default).

    Remembered like the calendars themselves: every ticket change asks.
    """
    return _remember(dbsession, "calendar_id", department_id, _find_calendar_id)


def _find_calendar_id(dbsession, department_id: int | None) -> int | None:
    calendars = dict(dbsession.execute(select(Calendar.department_id, Calendar.id)).all())
    if department_id is not None and len(calendars) > 1:
        parents = dict(dbsession.execute(select(Department.id, Department.parent_id)).all())
        seen = set()
        current = department_id
        while current is not None and current not in seen:
            if current in calendars:
                return calendars[current]
            seen.add(current)
            current = parents.get(current)
    return calendars.get(None)


def business_calendar(dbsession, calendar_id: int | None) -> BusinessCalendar:
    """The calendar as a pure value, remembered for a minute per process (calendars change
    rarely; ``forget_calendars`` drops the copies after an edit in this process)."""
    return _remember(dbsession, "calendar", calendar_id, _load_calendar)


def _remember(dbsession, kind: str, key: int | None, load):
    entry = (kind, str(dbsession.get_bind().engine.url), key)
    cached = _remembered.get(entry)
    if cached is not None and clock_time.monotonic() - cached[0] < CALENDAR_CACHE_SECONDS:
        return cached[1]
    value = load(dbsession, key)
    _remembered[entry] = (clock_time.monotonic(), value)
    return value


def forget_calendars() -> None:
    """Drop every remembered calendar; call it after any change to calendars, holidays or closures."""
    _remembered.clear()


def _load_calendar(dbsession, calendar_id: int | None) -> BusinessCalendar:
    closures = dbsession.execute(
        select(Closure.starts_at, Closure.ends_at).where(
            or_(Closure.calendar_id.is_(None), Closure.calendar_id == calendar_id)
        )
    ).all()
    row = dbsession.get(Calendar, calendar_id) if calendar_id is not None else None
    if row is None:
        this_year = date.today().year
        return BusinessCalendar(
            versions=(CalendarVersion(date(2000, 1, 1), default_hours()),),
            holidays=frozenset(iranian_holidays(range(this_year - 2, this_year + 3))),
            closures=tuple((start, end) for start, end in closures),
        )
    return BusinessCalendar(
        versions=tuple(CalendarVersion(version.valid_from, hours_from_json(version.hours))
                       for version in row.versions) or (CalendarVersion(date(2000, 1, 1), default_hours()),),
        holidays=frozenset(holiday.day for holiday in row.holidays),
        closures=tuple((start, end) for start, end in closures),
        timezone=row.timezone,
    )


def hours_from_json(data: dict) -> WeeklyHours:
    """``{"5": [["08:00", "12:00"], ["13:00", "16:00"]], …}`` → ``WeeklyHours``."""
    return WeeklyHours({
        int(weekday): [(time.fromisoformat(start), time.fromisoformat(end)) for start, end in intervals]
        for weekday, intervals in data.items()
    })


def hours_to_json(hours: WeeklyHours) -> dict:
    return {str(weekday): [[start.strftime("%H:%M"), end.strftime("%H:%M")] for start, end in hours[weekday]]
            for weekday in hours if hours[weekday]}


def promise(dbsession, department_id: int, start: datetime, business_days: int) -> datetime:
    """The completion date printed on the receipt: ``business_days`` working days from ``start``."""
    calendar = business_calendar(dbsession, calendar_id_for(dbsession, department_id))
    return calendar.add_working_days(start, business_days)


# --- targets --------------------------------------------------------------------------------

def default_targets(dbsession, ticket: Ticket, settings) -> SlaTargets:
    """The most specific policy row, else the ``tickets.sla.p<N>`` setting ("30m 4h")."""
    rows = dbsession.scalars(
        select(SlaPolicy).where(
            SlaPolicy.priority == ticket.priority,
            or_(SlaPolicy.department_id.is_(None), SlaPolicy.department_id == ticket.department_id),
            or_(SlaPolicy.service_key.is_(None), SlaPolicy.service_key == ticket.service_key),
        )
    ).all()
    if rows:
        best = max(rows, key=lambda row: (row.service_key is not None, row.department_id is not None))
        return SlaTargets(timedelta(minutes=best.response_minutes), timedelta(minutes=best.resolution_minutes))
    response, resolution = settings[f"tickets.sla.p{ticket.priority}"].split()
    return SlaTargets(parse_duration(response), parse_duration(resolution))


def parse_duration(text: str) -> timedelta:
    """``30m``, ``4h``, ``2d`` (business days of eight hours)."""
    units = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": WORKING_DAY}
    try:
        return int(text[:-1]) * units[text[-1]]
    except (KeyError, ValueError):
        raise ValueError(f"cannot read the duration {text!r} (use 30m, 4h or 2d)") from None


def _targets(desk, ticket: Ticket) -> SlaTargets:
    return desk.hook.pishkhan_ticket_sla_policy(dbsession=desk.dbsession, ticket=ticket, settings=desk.settings)


# --- clock lifecycle ------------------------------------------------------------------------

def attach(desk, ticket: Ticket) -> None:
    """Start both clocks of a new ticket at the contact time; the ticket is written with their
    due dates."""
    calendar_id = calendar_id_for(desk.dbsession, ticket.department_id)
    calendar = business_calendar(desk.dbsession, calendar_id)
    targets = _targets(desk, ticket)
    rows = []
    for kind, target in zip(KINDS, (targets.response, targets.resolution), strict=True):
        row = SlaClock(ticket=ticket, kind=kind, calendar_id=calendar_id,
                       target_seconds=int(target.total_seconds()), started_at=ticket.contact_at,
                       warned=False, breached=False)
        _save(row, clock.start(target, ticket.contact_at, calendar), calendar)
        desk.dbsession.add(row)
        rows.append(row)
    for name, value in _ticket_values(rows, desk.now).items():
        setattr(ticket, name, value)


def pause(desk, ticket: Ticket) -> None:
    _apply(desk, ticket, lambda state, cal: clock.pause(state, desk.now, cal), running=True)


def resume(desk, ticket: Ticket) -> None:
    _apply(desk, ticket, lambda state, cal: clock.resume(state, desk.now, cal), paused=True)


def stop(desk, ticket: Ticket, kind: str | None = None) -> None:
    def stopped(state, cal):
        return clock.stop(state, desk.now, cal)
    _apply(desk, ticket, stopped, running=True, kind=kind)
    _apply(desk, ticket, stopped, paused=True, kind=kind)


def reattach(desk, ticket: Ticket) -> None:
    """A reopened ticket's resolution clock runs on from where it stopped."""
    for row in _clocks(desk.dbsession, ticket):
        if row.kind == "resolution" and row.stopped_at is not None:
            calendar = business_calendar(desk.dbsession, row.calendar_id)
            state = replace(_state(row), stopped_at=None, paused_at=desk.now, running_since=None)
            _save(row, clock.resume(state, desk.now, calendar), calendar)
            row.breached = False
    sync(desk.dbsession, ticket, desk.now)


def retarget(desk, ticket: Ticket) -> None:
    """Priority or service changed: the running clocks get the new targets."""
    targets = _targets(desk, ticket)
    by_kind = dict(zip(KINDS, (targets.response, targets.resolution), strict=True))
    for row in _clocks(desk.dbsession, ticket):
        if row.stopped_at is None:
            calendar = business_calendar(desk.dbsession, row.calendar_id)
            row.target_seconds = int(by_kind[row.kind].total_seconds())
            recompute(row, calendar, desk.now)
    sync(desk.dbsession, ticket, desk.now)


def recompute(row: SlaClock, calendar: BusinessCalendar, now: datetime) -> bool:
    """New time used, due and warning dates of a clock on a changed calendar or target; whether
    its due date or time used moved.

    A warning or breach already recorded stays recorded only while it is still true, so the
    sweep warns again about a clock whose due date moved away and then came near again, and
    never twice about the same crossing.
    """
    before = row.due_at, row.consumed_seconds
    # A clock that resumed a moment "after" ``now`` (clocks of two machines) is recomputed from then.
    state = clock.recompute(_state(row), calendar, max(now, row.running_since or now))
    _save(row, state, calendar)
    if row.is_running:
        row.warned = row.warned and row.warn_at <= now
        row.breached = row.breached and row.due_at <= now
    elif row.stopped_at is None:
        row.breached = row.breached and state.consumed > state.target
    return (row.due_at, row.consumed_seconds) != before


def _apply(desk, ticket, change, *, running=False, paused=False, kind=None) -> None:
    for row in _clocks(desk.dbsession, ticket):
        if kind is not None and row.kind != kind or row.stopped_at is not None:
            continue
        if (running and row.is_running) or (paused and row.paused_at is not None):
            calendar = business_calendar(desk.dbsession, row.calendar_id)
            _save(row, change(_state(row), calendar), calendar)
    sync(desk.dbsession, ticket, desk.now)


def _clocks(dbsession, ticket: Ticket) -> list[SlaClock]:
    return list(dbsession.scalars(select(SlaClock).where(SlaClock.ticket_id == ticket.id).order_by(SlaClock.kind)))


def _state(row: SlaClock) -> clock.ClockState:
    return clock.ClockState(
        target=timedelta(seconds=row.target_seconds),
        started_at=row.started_at,
        running_since=row.running_since,
        consumed=timedelta(seconds=row.consumed_seconds),
        paused_at=row.paused_at,
        stopped_at=row.stopped_at,
        due_at=row.due_at,
        runs=None if row.runs is None else tuple(
            (datetime.fromisoformat(start), datetime.fromisoformat(end)) for start, end in row.runs),
    )


def _save(row: SlaClock, state: clock.ClockState, calendar: BusinessCalendar) -> None:
    row.running_since = state.running_since
    row.consumed_seconds = int(state.consumed.total_seconds())
    row.paused_at = state.paused_at
    row.stopped_at = state.stopped_at
    row.due_at = state.due_at
    row.runs = None if state.runs is None else [[start.isoformat(), end.isoformat()] for start, end in state.runs]
    row.is_running = state.running_since is not None
    if row.is_running:
        remaining = state.target * clock.WARNING_FRACTION - state.consumed
        row.warn_at = calendar.add(state.running_since, max(remaining, timedelta(0)))
    else:
        row.warn_at = None
    if state.stopped_at is not None:
        row.breached = state.consumed > state.target


def sync(dbsession, ticket: Ticket, now: datetime, *, quiet: bool = False) -> None:
    """Copy the clocks' due dates and state onto the ticket for the queues.

    ``quiet`` (the worker, a declared closure) writes them without a new ticket version: an
    agent editing the ticket meanwhile must not get a conflict because a clock moved.
    """
    dbsession.flush()
    values = _ticket_values(_clocks(dbsession, ticket), now)
    if not quiet:
        for name, value in values.items():
            setattr(ticket, name, value)
        return
    changed = {name: value for name, value in values.items() if getattr(ticket, name) != value}
    if changed:
        dbsession.execute(update(Ticket.__table__).where(Ticket.__table__.c.id == ticket.id).values(**changed))
        for name, value in changed.items():
            set_committed_value(ticket, name, value)


def _ticket_values(rows: list[SlaClock], now: datetime) -> dict:
    """What the queues read of the clocks, as the ticket's columns."""
    clocks = {row.kind: row for row in rows}
    response, resolution = clocks.get("response"), clocks.get("resolution")
    return {
        "response_due_at": response.due_at if response else None,
        "resolution_due_at": resolution.due_at if resolution else None,
        "sla_due_at": min((row.due_at for row in rows if row.is_running), default=None),
        "sla_state": state_of(rows, now),
    }


def state_of(clocks, now: datetime) -> str:
    clocks = list(clocks)
    if any(row.breached or (row.is_running and row.due_at is not None and row.due_at <= now) for row in clocks):
        return "breached"
    if any(row.is_running and (row.warned or (row.warn_at is not None and row.warn_at <= now)) for row in clocks):
        return "warning"
    if any(row.paused_at is not None and row.stopped_at is None for row in clocks):
        return "paused"
    if clocks and all(row.stopped_at is not None for row in clocks):
        return "met"
    return "ok"
