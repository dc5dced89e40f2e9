"""The ticket lifecycle through the desk: history, rules, optimistic locking, tiers."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.db import utcnow
from core.models import Department, Team, User
from plugins.tickets.desk import Conflict, DeskError, NewTicket
from plugins.tickets.models import Category, SlaClock, Status, TicketEvent
from plugins.tickets.tracking import parse_code


def department(dbsession, code):
    return dbsession.scalar(select(Department).where(Department.code == code))


def category_key(dbsession, code):
    dept = department(dbsession, code)
    return f"category:{dbsession.scalar(select(Category.id).where(Category.department_id == dept.id).limit(1))}"


def new_ticket(dbsession, **overrides) -> NewTicket:
    it = department(dbsession, "it")
    values = dict(subject="اینترنت خوابگاه وصل نمی‌شود", department_id=it.id, description="از دیروز",
                  service_key=category_key(dbsession, "it"), guest_name="رضا امینی", guest_mobile="09121234567",
                  impact="medium", urgency="high")
    values.update(overrides)
    return NewTicket(**values)


def test_open_gives_code_priority_team_clocks_and_history(desk, dbsession):
    ticket = desk(None).open(new_ticket(dbsession))
    assert parse_code(ticket.tracking_code) == ticket.tracking_code
    assert ticket.priority == 2  # medium impact, high urgency
    team = dbsession.get(Team, ticket.team_id)
    assert team.tier == 1 and team.department_id == ticket.department_id
    assert ticket.status == Status.new
    clocks = dbsession.scalars(select(SlaClock).where(SlaClock.ticket_id == ticket.id)).all()
    assert {clock.kind for clock in clocks} == {"response", "resolution"}
    assert ticket.promised_at > ticket.contact_at
    kinds = dbsession.scalars(select(TicketEvent.kind).where(TicketEvent.ticket_id == ticket.id)).all()
    assert kinds == ["created"]


def test_contact_time_in_the_future_is_refused(desk, dbsession):
    with pytest.raises(DeskError) as refused:
        desk("agent", "phone").open(new_ticket(dbsession, contact_at=utcnow() + timedelta(hours=1)))
    assert refused.value.code == "contact_in_future"


def test_lifecycle_and_invalid_transition(desk, dbsession):
    ticket = desk(None).open(new_ticket(dbsession))
    agent_desk = desk("agent")
    agent = dbsession.scalar(select(User).where(User.username == "agent"))
    agent_desk.assign(ticket, assignee_id=agent.id)
    assert ticket.status == Status.assigned
    with pytest.raises(DeskError) as refused:
        agent_desk.transition(ticket, "close")
    assert refused.value.code == "invalid_transition"
    agent_desk.transition(ticket, "pend", reason="awaiting_requester")
    assert ticket.sla_state == "paused"
    desk(None).comment(ticket, "این هم شماره دانشجویی من")
    assert ticket.status == Status.in_progress  # the requester's reply resumes the ticket
    with pytest.raises(DeskError) as refused:
        agent_desk.transition(ticket, "resolve", resolution_code="solved", note="")
    assert refused.value.code == "resolution_note_required"
    agent_desk.transition(ticket, "resolve", resolution_code="solved", note="گذرواژه بازنشانی شد")
    assert ticket.status == Status.resolved and ticket.resolved_tier == 1


def test_stale_version_is_a_conflict(desk, dbsession):
    ticket = desk(None).open(new_ticket(dbsession))
    seen = ticket.version
    desk("agent").update(ticket, expected_version=seen, subject="اینترنت کل خوابگاه قطع است")
    with pytest.raises(Conflict):
        desk("it.agent2").update(ticket, expected_version=seen, impact="high")
    assert ticket.impact == "medium"


def test_functional_escalation_moves_tier(desk, dbsession):
    ticket = desk(None).open(new_ticket(dbsession))
    l2 = dbsession.scalar(select(Team).where(Team.department_id == ticket.department_id, Team.tier == 2))
    desk("agent").escalate(ticket, team_id=l2.id, reason="نیاز به بررسی سوییچ")
    assert (ticket.tier, ticket.escalation_count, ticket.status) == (2, 1, Status.new)


def test_agent_following_their_own_request_acts_as_requester(desk, dbsession):
    """An agent's reply on the portal to their own request is not the desk's first response."""
    agent = dbsession.scalar(select(User).where(User.username == "hr.desk"))
    ticket = desk("hr.desk").open(new_ticket(dbsession, requester_id=agent.id, guest_mobile=None, guest_name=None))
    portal = desk("hr.desk")
    portal.as_requester = True
    portal.comment(ticket, "هنوز اینترنت وصل نشده است")
    assert ticket.first_response_at is None
    response = dbsession.scalar(select(SlaClock).where(SlaClock.ticket_id == ticket.id, SlaClock.kind == "response"))
    assert response.stopped_at is None
