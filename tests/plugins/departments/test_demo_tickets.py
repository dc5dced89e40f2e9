"""The demo's year of tickets with the department plugins and the catalog: requesters ask for the
departments' catalog services (no demo category duplicates them), the rules route them, approvers
decide, and the fulfilment tasks' teams do the work."""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import demo as core_demo
from core.app import effective_settings
from core.models import Department, Team, User
from core.testing import new_plugin_manager
from plugins.tickets import demo
from plugins.tickets.models import Approval, Category, Task, Ticket
from plugins.tickets.sla.ticket_clocks import forget_calendars
from tests.plugins.departments.conftest import CONSUMERS
from tests.plugins.departments.specs import DEPARTMENT_PLUGINS, answer, services

SCALE = 0.08  # about 300 tickets, loaded once for the module
CERTIFICATE = "catalog:10842120200"


@pytest.fixture(scope="module")
def dbsession(engine, app_settings):
    """The demo organization, its seed data and a year of tickets, rolled back after the module."""
    pluginmanager = new_plugin_manager(app_settings)
    for name, plugin in {**CONSUMERS, **DEPARTMENT_PLUGINS}.items():
        pluginmanager.register_plugin(plugin, name=name)
    settings = effective_settings({**app_settings, "tickets.demo_scale": "0"}, pluginmanager)
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        forget_calendars()
        core_demo.populate(session, pluginmanager, settings, demo=False)
        core_demo.populate(session, pluginmanager, settings, demo=True)  # scale 0: categories, no tickets
        demo.load(session, settings, scale=SCALE, hook=pluginmanager.hook)
        yield session
    finally:
        forget_calendars()
        session.close()
        outer.rollback()
        connection.close()


def codes(dbsession) -> dict[int, str]:
    return dict(dbsession.execute(select(Department.id, Department.code)).all())


def test_requesters_ask_for_the_departments_catalog_services(dbsession):
    assert dbsession.scalar(select(func.count()).select_from(Category)) == 0
    offered = {code: {service.key for service in services(code)} for code in DEPARTMENT_PLUGINS}
    departments = codes(dbsession)
    asked = Counter()
    for department_id, service_key, ticket_type in dbsession.execute(
            select(Ticket.department_id, Ticket.service_key, Ticket.type)):
        if service_key is None:
            assert ticket_type in ("complaint", "suggestion")  # about the desk, not one of its services
            continue
        assert service_key in offered[departments[department_id]], service_key
        asked[service_key] += 1
    assert 250 < sum(asked.values()) < 450
    assert len(asked) >= 25 and asked[CERTIFICATE] > 0


def test_certificates_go_to_the_education_front_desk_and_wait_for_the_service_owner(dbsession):
    front_desk = dbsession.scalar(select(Team.id).where(Team.name == "میز خدمت آموزش"))
    tickets = dbsession.scalars(select(Ticket).where(Ticket.service_key == CERTIFICATE)).all()
    assert tickets and all(ticket.team_id == front_desk for ticket in tickets if not ticket.escalation_count)
    owner = dbsession.scalar(select(User.id).where(User.username == "edu.lead"))
    steps = dbsession.scalars(select(Approval).where(Approval.ticket_id.in_([ticket.id for ticket in tickets]))).all()
    assert len(steps) == len(tickets) and {step.approver_id for step in steps} == {owner}
    assert {step.decided_by_id for step in steps if step.decided_at} == {owner}


def test_approvers_mostly_approve_and_a_rejection_ends_the_request(dbsession):
    states = Counter(dbsession.scalars(select(Approval.state)))
    # The demo rejects 4 % of decisions at random: 9 of 77 happened once (a bound of a tenth of
    # the approvals failed on it); a quarter of them cannot happen by chance.
    assert states["approved"] > 25 and states["rejected"] < states["approved"] / 4
    assert Counter(dbsession.scalars(select(Ticket.status).where(Ticket.id.in_(
        select(Approval.ticket_id).where(Approval.state == "rejected")))))["cancelled"] == states["rejected"]


def test_the_tasks_teams_do_the_work_and_the_last_task_resolves_the_request(dbsession):
    tasks = dbsession.scalars(select(Task)).all()
    done = [task for task in tasks if task.is_done]
    assert len(done) > 100 and len(done) < len(tasks)  # some requests are still being fulfilled
    for task in done:
        assert task.done_by_id in {user.id for user in task.team.members}, task.title
    fulfilled = dbsession.scalar(select(func.count()).where(Ticket.resolution_code == "fulfilled"))
    assert fulfilled > 50


def test_requester_accounts_ask_only_what_people_like_them_ask(dbsession):
    """A student's account never asks about a payslip, an employee's never about tuition."""
    asked = {(request.department, request.subject.split("{")[0].strip()): request.asked_by
             for plugin in DEPARTMENT_PLUGINS.values() for request in answer(plugin, "pishkhan_demo_requests")}
    departments = codes(dbsession)
    seen = Counter()
    for username, department_id, subject in dbsession.execute(
            select(User.username, Ticket.department_id, Ticket.subject).join(User, User.id == Ticket.requester_id)):
        who = "students" if username.startswith("student") else "staff"
        for (code, start), asked_by in asked.items():
            if code == departments[department_id] and subject.startswith(start) and asked_by != "anyone":
                assert asked_by == who, (username, subject)
                seen[who] += 1
    assert seen["students"] and seen["staff"]  # both kinds asked something of their own
