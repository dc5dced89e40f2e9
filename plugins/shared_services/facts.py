"""What the center learns of tickets through ``pishkhan_ticket_event``: one ``TicketFact`` per
ticket and the ``Handoff`` stretches the OLAs measure.

The center reads only the attributes of the ticket the hook hands over (``department_id``,
``team_id``, ``tier``, ``requester``, ``service_key``, due dates …) and the event's ``kind`` and
``data``; it never imports the tickets plugin. A change of team, whatever event brought it
(escalation, transfer, …), ends the stretch of the team that had the ticket and, for a team above
the front desk, starts one. An event costs a primary-key read and a flush, plus a read of the open
stretch when the ticket changes teams, is resolved, cancelled or closed.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.i18n import to_tehran
from core.models import User
from plugins.shared_services.models import Handoff, TicketFact

FRONT_DESK_TIER = 1
OPEN_STATUSES = ("new", "assigned", "in_progress", "pending", "reopened")


def tehran_day(moment: datetime) -> date:
    return to_tehran(moment).date()


def on_ticket_event(dbsession: Session, ticket, event) -> None:
    """Bring the ticket's fact and hand-offs up to date with ``event``."""
    fact = None if event.kind == "created" else dbsession.get(TicketFact, ticket.id)
    if fact is None:
        fact = new_fact(dbsession, ticket)
        dbsession.add(fact)
    elif ticket.team_id != fact.team_id:
        hand_over(dbsession, fact, ticket, event.at)
    copy_ticket(fact, ticket, event.at)
    data = event.data or {}
    if event.kind == "resolved":
        record_resolution(fact, ticket.resolved_at or event.at, getattr(ticket, "sla_state", None) == "breached")
        end_stretch(dbsession, ticket.id, event.at, "resolved")
    elif event.kind == "transitioned" and data.get("to") == "reopened":
        fact.resolved_at = fact.resolved_on = fact.resolution_seconds = fact.resolution_met = None
    elif event.kind == "closed" or (event.kind == "transitioned" and data.get("to") == "cancelled"):
        end_stretch(dbsession, ticket.id, event.at, "cancelled")  # ends only a stretch left open (no resolution)
    elif event.kind == "sla_breach":
        if data.get("clock") == "resolution" and fact.resolution_breached_on is None:
            fact.resolution_breached_on = tehran_day(event.at)
        elif data.get("clock") == "response":
            fact.response_breached = True
    elif event.kind == "rated" and isinstance(data.get("score"), int):
        fact.csat_score = data["score"]


def new_fact(dbsession: Session, ticket) -> TicketFact:
    contact_at = ticket.contact_at or ticket.created_at
    requester = dbsession.get(User, ticket.requester_id) if ticket.requester_id else None
    return TicketFact(
        ticket_id=ticket.id, tracking_code=ticket.tracking_code or "",
        customer_department_id=requester.department_id if requester is not None else None,
        channel=ticket.channel or "", contact_at=contact_at, contact_on=tehran_day(contact_at),
        team_id=ticket.team_id, tier=ticket.tier or FRONT_DESK_TIER,
    )


def copy_ticket(fact: TicketFact, ticket, now: datetime) -> None:
    fact.provider_department_id = ticket.department_id
    fact.service_key = ticket.service_key
    fact.service_title = ticket.service_title or ""
    fact.priority = ticket.priority
    fact.status = ticket.status
    fact.team_id = ticket.team_id
    fact.tier = ticket.tier or FRONT_DESK_TIER
    fact.first_response_at = ticket.first_response_at
    if ticket.resolution_due_at is not None:  # a stopped clock has none: its last due date stays
        fact.resolution_due_at = ticket.resolution_due_at
    fact.escalation_count = ticket.escalation_count or 0
    fact.first_contact_resolution = bool(ticket.first_contact_resolution)
    fact.updated_at = now


def record_resolution(fact: TicketFact, resolved_at: datetime, some_clock_breached: bool) -> None:
    """Resolved late when a clock of the ticket ended breached and the resolution came after the
    resolution clock's last known due date (the response clock may be the one that breached)."""
    fact.resolved_at = resolved_at
    fact.resolved_on = tehran_day(resolved_at)
    fact.resolution_seconds = max(0, int((resolved_at - fact.contact_at).total_seconds()))
    late = some_clock_breached and fact.resolution_due_at is not None and resolved_at > fact.resolution_due_at
    if late and fact.resolution_breached_on is None:
        fact.resolution_breached_on = tehran_day(fact.resolution_due_at)
    fact.resolution_met = fact.resolution_breached_on is None


def hand_over(dbsession: Session, fact: TicketFact, ticket, at: datetime) -> None:
    """The ticket changed teams: the previous team's stretch ends, a specialist team's begins."""
    new_tier = ticket.tier or FRONT_DESK_TIER
    if ticket.department_id != fact.provider_department_id:
        kind = "transferred"
    else:
        kind = "handed_back" if new_tier < fact.tier else "passed_on"
    end_stretch(dbsession, ticket.id, at, kind)
    if ticket.team_id is not None and new_tier > FRONT_DESK_TIER:
        dbsession.add(Handoff(ticket_id=ticket.id, team_id=ticket.team_id, department_id=ticket.department_id,
                              tier=new_tier, from_team_id=fact.team_id, from_tier=fact.tier, started_at=at))


def end_stretch(dbsession: Session, ticket_id: int, at: datetime, kind: str) -> None:
    stretch = dbsession.scalar(select(Handoff).where(Handoff.ticket_id == ticket_id, Handoff.ended_at.is_(None))
                               .order_by(Handoff.id.desc()).limit(1))
    if stretch is None:
        return
    stretch.ended_at = at
    stretch.ended_on = tehran_day(at)
    stretch.end_kind = kind
    stretch.seconds = max(0, int((at - stretch.started_at).total_seconds()))
