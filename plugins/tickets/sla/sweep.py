"""The worker's periodic SLA work: warnings at 75%, breaches, automatic hierarchical escalation
of P1/P2 tickets near a breach, due dates recomputed after a closure, and auto-closing.

Every query here is an index range scan over running clocks or resolved tickets, never over
the whole history.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, or_, select

from core.i18n import _
from plugins.tickets.models import SlaClock, Status, Ticket
from plugins.tickets.sla import clock
from plugins.tickets.sla.ticket_clocks import _save, _state, business_calendar, calendar_id_for, sync

BATCH = 500
ESCALATE_PRIORITIES = (1, 2)


def _desk(context):
    from plugins.tickets.desk import TicketDesk

    return TicketDesk(context.dbsession, context.settings, context.hook, actor=None, channel="system",
                      now=context.now)


def sweep_clocks(context) -> None:
    """Record warnings and breaches of running clocks that reached them since the last sweep."""
    desk = _desk(context)
    now = desk.now
    due = desk.dbsession.scalars(
        select(SlaClock).where(
            SlaClock.is_running.is_(True),
            or_(and_(SlaClock.warned.is_(False), SlaClock.warn_at <= now),
                and_(SlaClock.breached.is_(False), SlaClock.due_at <= now)),
        ).order_by(SlaClock.id).limit(BATCH)
    ).all()
    for row in due:
        ticket = desk.dbsession.get(Ticket, row.ticket_id)
        if not row.warned:
            row.warned = True
            desk.record(ticket, "sla_warning", clock=row.kind, due_at=row.due_at.isoformat())
            if row.kind == "resolution" and ticket.priority in ESCALATE_PRIORITIES and row.due_at > now:
                desk.escalate_to_management(ticket, reason=str(_("The resolution target is close.")),
                                            automatic=True)
        if row.due_at <= now and not row.breached:
            row.breached = True
            desk.record(ticket, "sla_breach", clock=row.kind, due_at=row.due_at.isoformat())
        sync(desk.dbsession, ticket, now)


def recompute_running(dbsession, calendar_id: int | None, now) -> int:
    """New due dates for the running clocks of a calendar (``None``: every calendar) after its
    hours, holidays or closures changed. Returns how many clocks moved."""
    query = select(SlaClock).where(SlaClock.is_running.is_(True))
    if calendar_id is not None:
        query = query.where(SlaClock.calendar_id == calendar_id)
    moved = 0
    touched = set()
    for row in dbsession.scalars(query):
        calendar = business_calendar(dbsession, row.calendar_id)
        before = row.due_at
        _save(row, clock.recompute(_state(row), calendar, now), calendar)
        if row.due_at != before:
            moved += 1
            row.breached = False
            row.warned = row.warn_at is not None and row.warn_at <= now
            touched.add(row.ticket_id)
    for ticket_id in touched:
        sync(dbsession, dbsession.get(Ticket, ticket_id), now)
    return moved


def close_resolved(context) -> None:
    """Close tickets resolved ``tickets.close_after_days`` business days ago (the requester had
    that long to reopen them)."""
    desk = _desk(context)
    days = int(desk.settings["tickets.close_after_days"])
    candidates = desk.dbsession.scalars(
        select(Ticket).where(Ticket.status == Status.resolved.value,
                             Ticket.resolved_at <= desk.now - timedelta(days=days))
        .order_by(Ticket.resolved_at).limit(BATCH)
    ).all()
    for ticket in candidates:
        calendar = business_calendar(desk.dbsession, calendar_id_for(desk.dbsession, ticket.department_id))
        if calendar.elapsed(ticket.resolved_at, desk.now) >= timedelta(hours=8) * days:
            desk.transition(ticket, "close")
