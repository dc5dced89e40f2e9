"""SLA clock arithmetic: a target of business time that runs, pauses and stops.

A clock is an immutable ``ClockState``; each transition is a pure function returning a new state,
so the ticket code decides when to call it and the storage code decides how to persist it.
Invariant: ``due_at`` is set exactly while the clock runs. A paused clock has no due date (time
waiting on the requester does not count), and a stopped one has nothing left to be due.

When the target is already used up as a clock resumes (it was paused after its due date), the
due date is the resume instant: the clock is overdue from the moment it runs again.

The spans a clock ran before it paused are kept (``runs``), so a calendar changed later for time
already passed (a closure declared at 09:00 for the whole day, a holiday added late) counts them
again. Clocks stored before spans were kept have ``runs`` None and keep their banked time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from plugins.tickets.sla.calendar import BusinessCalendar

# Share of the target after which a clock is shown as "at risk".
WARNING_FRACTION = 0.75


@dataclass(frozen=True)
class ClockState:
    """One SLA clock. ``consumed`` is the business time used before ``running_since`` (or in total
    once stopped), in the spans ``runs`` when they are known."""

    target: timedelta
    started_at: datetime
    running_since: datetime | None
    consumed: timedelta
    paused_at: datetime | None
    stopped_at: datetime | None
    due_at: datetime | None
    runs: tuple[tuple[datetime, datetime], ...] | None = ()

    @property
    def running(self) -> bool:
        return self.running_since is not None

    @property
    def paused(self) -> bool:
        return self.paused_at is not None

    @property
    def stopped(self) -> bool:
        return self.stopped_at is not None


def start(target: timedelta, at: datetime, calendar: BusinessCalendar) -> ClockState:
    """A running clock from ``at``, due when ``target`` of business time has passed."""
    if target <= timedelta():
        raise ValueError(f"an SLA target must be positive, got {target}")
    return ClockState(
        target=target,
        started_at=at,
        running_since=at,
        consumed=timedelta(),
        paused_at=None,
        stopped_at=None,
        due_at=calendar.add(at, target),
    )


def pause(state: ClockState, at: datetime, calendar: BusinessCalendar) -> ClockState:
    """Bank the business time run so far and drop the due date until the clock resumes."""
    if not state.running:
        raise ValueError("only a running clock can pause")
    return replace(state, running_since=None, consumed=consumed_at(state, at, calendar), paused_at=at, due_at=None,
                   runs=_runs_until(state, at))


def resume(state: ClockState, at: datetime, calendar: BusinessCalendar) -> ClockState:
    """Run again from ``at``: the due date is recomputed so the paused span does not count."""
    if not state.paused:
        raise ValueError("only a paused clock can resume")
    return replace(state, running_since=at, paused_at=None, due_at=_due(state, at, calendar))


def stop(state: ClockState, at: datetime, calendar: BusinessCalendar) -> ClockState:
    """Stop a running or paused clock for good; ``consumed`` is then final."""
    if state.stopped:
        raise ValueError("the clock is already stopped")
    return replace(
        state,
        running_since=None,
        consumed=consumed_at(state, at, calendar),
        paused_at=None,
        stopped_at=at,
        due_at=None,
        runs=_runs_until(state, at),
    )


def recompute(state: ClockState, calendar: BusinessCalendar, now: datetime) -> ClockState:
    """The same clock with its time used and due date recomputed on a changed calendar (e.g. a
    closure was declared).

    Counting again over the spans it ran and from ``running_since`` lets a closure declared late
    for time already passed (a heat closure announced at 09:00 for the whole day) give that time
    back, also to a clock paused since. A stopped clock is final and returned as it is. ``now`` is
    when the change is applied; a clock that resumed after it means the caller mixed up its
    instants, so it is refused.
    """
    if state.stopped:
        return state
    if state.runs is not None:
        state = replace(state, consumed=sum((calendar.elapsed(start, end) for start, end in state.runs), timedelta()))
    if state.running_since is None:
        return state
    if now < state.running_since:
        raise ValueError(f"cannot recompute at {now.isoformat()}, before the clock resumed at {state.running_since}")
    return replace(state, due_at=_due(state, state.running_since, calendar))


def consumed_at(state: ClockState, now: datetime, calendar: BusinessCalendar) -> timedelta:
    """Business time the clock has used by ``now``."""
    if state.running_since is None:
        return state.consumed
    return state.consumed + calendar.elapsed(state.running_since, now)


def fraction(state: ClockState, now: datetime, calendar: BusinessCalendar) -> float:
    """Share of the target used by ``now``; above 1 once breached, compare with ``WARNING_FRACTION``."""
    return consumed_at(state, now, calendar) / state.target


def is_breached(state: ClockState, now: datetime, calendar: BusinessCalendar) -> bool:
    """Whether the target is missed by ``now``: more time consumed than the target, or past the due date.

    The due date test matters outside hours: due Wednesday 16:00 and it is Thursday, no business
    time has passed since, yet the ticket is late. The consumed test holds even when the stored
    due date is stale (a holiday was removed and the clock not yet recomputed).
    """
    if consumed_at(state, now, calendar) > state.target:
        return True
    return state.due_at is not None and now > state.due_at


def _runs_until(state: ClockState, at: datetime) -> tuple[tuple[datetime, datetime], ...] | None:
    """The spans run, with the current one ended at ``at``."""
    if state.runs is None or state.running_since is None:
        return state.runs
    return (*state.runs, (state.running_since, at))


def _due(state: ClockState, since: datetime, calendar: BusinessCalendar) -> datetime:
    """When the rest of the target runs out counting from ``since`` (``since`` itself once the target is exceeded)."""
    remaining = state.target - state.consumed
    if remaining < timedelta():
        return since
    return calendar.add(since, remaining)
