"""The center's facts come from the ticket events alone: the customer unit (the requester's
department), the provider, resolution against the ticket's own target, breaches, ratings, and the
stretches a ticket spends with teams above the front desk."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.db import utcnow
from core.worker import JobContext
from plugins.shared_services.facts import tehran_day
from plugins.shared_services.models import Handoff, TicketFact
from plugins.tickets.sla import sweep
from tests.plugins.shared_services.conftest import department, team, user


def stretches(dbsession, ticket_id):
    return dbsession.scalars(select(Handoff).where(Handoff.ticket_id == ticket_id).order_by(Handoff.id)).all()


def test_a_request_is_recorded_with_its_customer_unit_and_provider(dbsession, open_ticket):
    at = utcnow() - timedelta(days=3)
    ticket = open_ticket("student", "finance", at=at)
    fact = dbsession.get(TicketFact, ticket.id)
    assert fact.customer_department_id == department(dbsession, "education").id
    assert fact.provider_department_id == department(dbsession, "finance").id
    assert (fact.service_key, fact.service_title) == (ticket.service_key, ticket.service_title)
    assert fact.contact_on == tehran_day(at) and fact.status == "new" and fact.tier == 1
    assert fact.resolution_due_at == ticket.resolution_due_at and fact.resolved_at is None


def test_a_guests_request_has_no_customer_unit(dbsession, open_ticket):
    ticket = open_ticket(None, "it")
    assert dbsession.get(TicketFact, ticket.id).customer_department_id is None


def test_escalation_resolution_and_rating_are_followed(dbsession, open_ticket, desk):
    at = utcnow() - timedelta(days=10)
    ticket = open_ticket("student", "finance", at=at)
    specialists = team(dbsession, "finance", 2)
    desk("fin.desk", now=at + timedelta(hours=1)).escalate(ticket, team_id=specialists.id, reason="نیاز به کارشناس")
    [stretch] = stretches(dbsession, ticket.id)
    assert (stretch.team_id, stretch.tier, stretch.from_tier, stretch.ended_at) == (specialists.id, 2, 1, None)
    desk("fin.lead", now=at + timedelta(hours=3)).transition(ticket, "resolve", resolution_code="solved",
                                                             note="انجام شد")
    dbsession.refresh(stretch)
    ended = tehran_day(at + timedelta(hours=3))
    assert (stretch.end_kind, stretch.seconds, stretch.ended_on) == ("resolved", 7200, ended)
    fact = dbsession.get(TicketFact, ticket.id)
    assert fact.resolution_met is True and fact.resolution_seconds == 3 * 3600 and fact.escalation_count == 1
    assert fact.resolved_on == tehran_day(at + timedelta(hours=3))
    desk("student", now=at + timedelta(hours=5)).rate(ticket, score=5)
    assert fact.csat_score == 5
    desk("student", now=at + timedelta(hours=6)).transition(ticket, "reopen", note="هنوز مشکل دارم")
    assert (fact.status, fact.resolved_at, fact.resolved_on, fact.resolution_met) == ("reopened", None, None, None)


def test_a_ticket_passed_back_to_the_front_desk_ends_the_specialists_stretch(dbsession, open_ticket, desk):
    at = utcnow() - timedelta(days=2)
    ticket = open_ticket("staff", "it", at=at)
    desk("agent", now=at + timedelta(minutes=30)).escalate(ticket, team_id=team(dbsession, "it", 3).id, reason="شبکه")
    desk("it.network", now=at + timedelta(hours=2)).escalate(ticket, team_id=team(dbsession, "it", 1).id,
                                                             reason="به میز خدمت برگشت")
    [stretch] = stretches(dbsession, ticket.id)
    assert (stretch.tier, stretch.end_kind, stretch.seconds) == (3, "handed_back", int(1.5 * 3600))


def test_a_late_resolution_misses_the_target(dbsession, open_ticket, desk):
    at = utcnow() - timedelta(days=40)
    ticket = open_ticket("staff2", "hr", at=at)
    desk("hr.desk", now=at + timedelta(days=30)).transition(ticket, "resolve", resolution_code="solved", note="دیر")
    fact = dbsession.get(TicketFact, ticket.id)
    assert fact.resolution_met is False
    assert fact.resolution_breached_on == tehran_day(fact.resolution_due_at) < tehran_day(ticket.resolved_at)


def test_the_workers_breach_is_recorded_on_the_open_ticket(dbsession, open_ticket, settings, pluginmanager):
    ticket = open_ticket("staff", "facilities", at=utcnow() - timedelta(days=20))
    sweep.sweep_clocks(JobContext(dbsession=dbsession, settings=settings, hook=pluginmanager.hook, now=utcnow()))
    fact = dbsession.get(TicketFact, ticket.id)
    assert fact.response_breached is True
    assert fact.resolution_breached_on == tehran_day(utcnow()) and fact.resolved_on is None


def test_a_cancelled_request_ends_its_open_stretch_uncounted(dbsession, open_ticket, desk):
    at = utcnow() - timedelta(days=1)
    ticket = open_ticket("student2", "education", at=at)
    desk("edu.desk", now=at + timedelta(minutes=5)).escalate(ticket, team_id=team(dbsession, "education", 3).id,
                                                            reason="تحصیلات تکمیلی")
    desk("edu.grad", now=at + timedelta(minutes=50)).transition(ticket, "cancel")
    [stretch] = stretches(dbsession, ticket.id)
    assert stretch.end_kind == "cancelled"
    assert user(dbsession, "edu.grad") is not None
