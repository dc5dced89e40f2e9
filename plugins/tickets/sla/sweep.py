"""The worker's periodic SLA work: warnings at 75%, breaches, automatic hierarchical escalation
of P1/P2 tickets near a breach, due dates recomputed after a calendar change, and auto-closing.

Every query here is an index range scan: over running clocks not yet warned (or not yet
breached) whose warning (or due) date has passed, over the running clocks due after a closure
begins, or over resolved tickets — never over the whole history. Each crossing is recorded
once: the clock's ``warned``/``breached`` flag is set in the same transaction as the event, so
a second run finds nothing to do.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import false, select, true

from core.i18n import _
from plugins.tickets.models import SlaClock, Status, Ticket
from plugins.tickets.sla.ticket_clocks import (
    business_calendar,
    calendar_id_for,
    forget_calendars,
    recompute,
    sync,
)

BATCH = 500
ESCALATE_PRIORITIES = (1, 2)
REASON_TARGET_NEAR = _("The resolution target is near and the ticket is not resolved yet.")


def _desk(context):
    from plugins.tickets.desk import TicketDesk

    return TicketDesk(context.dbsession, context.settings, context.hook, actor=None, channel="system",
                      now=context.now)


def _crossed(dbsession, flag, instant, now: datetime) -> list[SlaClock]:
    """Running clocks whose ``instant`` (warn_at or due_at) has passed and whose ``flag`` is unset,
    oldest first; served by the ``(is_running, flag, instant)`` index (equalities, not ``IS``,
    which PostgreSQL cannot look up in an index)."""
    return list(dbsession.scalars(
        select(SlaClock)
        .where(SlaClock.is_running == true(), flag == false(), instant <= now)
        .order_by(instant)
        .limit(BATCH)
    ))


def sweep_clocks(context) -> None:
    """Record the breaches, then the warnings, that running clocks reached since the last sweep.

    A clock found already past its due date is not warned about as well (the breach says more).
    The resolution clock of a P1 or P2 ticket escalates to management the first time it warns
    or breaches.
    """
    desk = _desk(context)
    dbsession, now = desk.dbsession, desk.now
    breaches = _crossed(dbsession, SlaClock.breached, SlaClock.due_at, now)
    warnings = _crossed(dbsession, SlaClock.warned, SlaClock.warn_at, now)
    tickets = _tickets(dbsession, {row.ticket_id for row in breaches + warnings})
    for row in breaches:
        ticket = tickets[row.ticket_id]
        first_crossing = not row.warned
        row.breached = row.warned = True
        desk.record(ticket, "sla_breach", clock=row.kind, due_at=row.due_at.isoformat())
        if first_crossing:
            _escalate(desk, ticket, row)
    for row in warnings:
        if row.warned:  # breached in this same sweep
            continue
        row.warned = True
        ticket = tickets[row.ticket_id]
        desk.record(ticket, "sla_warning", clock=row.kind, due_at=row.due_at.isoformat())
        _escalate(desk, ticket, row)
    for ticket in tickets.values():
        sync(dbsession, ticket, now, quiet=True)


def _tickets(dbsession, ids: set[int]) -> dict[int, Ticket]:
    if not ids:
        return {}
    return {ticket.id: ticket for ticket in dbsession.scalars(select(Ticket).where(Ticket.id.in_(ids)))}


def _escalate(desk, ticket: Ticket, row: SlaClock) -> None:
    """P1 and P2 tickets go to the team lead and the manager when their resolution target nears."""
    if row.kind != "resolution" or ticket.priority not in ESCALATE_PRIORITIES:
        return
    from plugins.tickets.notifications import translate_for_organization

    desk.escalate_to_management(ticket, reason=translate_for_organization(desk.settings, REASON_TARGET_NEAR),
                                automatic=True)


def recompute_running(dbsession, calendar_id: int | None, now: datetime, *, due_after: datetime | None = None,
                      every_calendar: bool = False) -> int:
    """New due dates for the running clocks of ``calendar_id`` (or of every calendar) after its
    hours, holidays or closures changed, and the time used by its paused ones (a closure declared
    late covers time they ran before their pause); returns how many tickets' clocks moved.

    ``due_after`` narrows the running clocks to those due after that instant: a closure starting
    then cannot move a due date that comes before it. Calendars remembered in this process are
    forgotten first, so the change is seen.
    """
    forget_calendars()
    running = select(SlaClock).where(SlaClock.is_running == true())
    paused = select(SlaClock).where(SlaClock.paused_at.is_not(None), SlaClock.stopped_at.is_(None))
    if due_after is not None:
        running = running.where(SlaClock.due_at > due_after)
    moved: set[int] = set()
    for query in (running, paused):
        if not every_calendar:
            query = query.where(SlaClock.calendar_id.is_(None) if calendar_id is None
                                else SlaClock.calendar_id == calendar_id)
        for row in dbsession.scalars(query.order_by(SlaClock.id)):
            if recompute(row, business_calendar(dbsession, row.calendar_id), now):
                moved.add(row.ticket_id)
    for ticket in _tickets(dbsession, moved).values():
        sync(dbsession, ticket, now, quiet=True)
    return len(moved)


def close_resolved(context) -> None:
    """Close tickets resolved ``tickets.close_after_days`` working days ago (the requester had
    that long to reopen them), counted on the ticket's calendar as on the receipt; ``days``
    working days span at least ``days - 1`` whole days, so more recent tickets are not even read."""
    desk = _desk(context)
    days = int(desk.settings["tickets.close_after_days"])
    candidates = desk.dbsession.scalars(
        select(Ticket).where(Ticket.status == Status.resolved.value,
                             Ticket.resolved_at <= desk.now - timedelta(days=max(days - 1, 0)))
        .order_by(Ticket.resolved_at).limit(BATCH)
    ).all()
    calendars: dict[int, object] = {}
    for ticket in candidates:
        if ticket.department_id not in calendars:
            calendar_id = calendar_id_for(desk.dbsession, ticket.department_id)
            calendars[ticket.department_id] = business_calendar(desk.dbsession, calendar_id)
        if calendars[ticket.department_id].add_working_days(ticket.resolved_at, days) <= desk.now:
            desk.transition(ticket, "close")
