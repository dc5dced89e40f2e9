"""The department's demo requests: each names one of its services, and ``pishkhan demo load``
plays them as the department's tickets on those services."""
import pytest
from pishkhan_legal import demo_requests, department, services
from sqlalchemy import select

import plugins.catalog
import plugins.tickets
from core import accounts, migrate
from core import demo as core_demo
from core.app import effective_settings
from core.db import import_models
from core.models import Department, Role, Team
from core.testing import new_plugin_manager
from plugins.catalog import listing
from plugins.tickets import demo
from plugins.tickets.models import Ticket
from plugins.tickets.sla.ticket_clocks import forget_calendars

SERVICE_IDS = {service.service_id for service in services.SERVICES}


@pytest.fixture(scope="module")
def engine(engine, app_settings):
    """The core's test database, upgraded with the tickets and catalog plugins' branches."""
    pluginmanager = new_plugin_manager(app_settings)
    pluginmanager.register_plugin(plugins.tickets, name="tickets")
    pluginmanager.register_plugin(plugins.catalog, name="catalog")
    import_models(pluginmanager)
    migrate.upgrade(engine, pluginmanager)
    return engine


def test_every_demo_request_asks_for_a_service_of_the_department():
    assert demo_requests.REQUESTS
    for request in demo_requests.REQUESTS:
        assert request.department == department.CODE
        assert request.service in SERVICE_IDS
        assert request.subject and request.description


def test_the_demo_plays_the_requests_as_tickets_on_the_services(legal_plugin, register_plugin, pluginmanager,
                                                                app_settings, dbsession):
    register_plugin(plugins.tickets, "tickets")
    register_plugin(plugins.catalog, "catalog")
    settings = effective_settings({**app_settings, "tickets.demo_scale": "0"}, pluginmanager)
    forget_calendars()
    listing.forget()
    try:
        core_demo.populate(dbsession, pluginmanager, settings, demo=True)  # no tickets at scale 0
        # The demo organization has no lawyers: two agents join the department's teams.
        legal = dbsession.scalar(select(Department).where(Department.code == department.CODE))
        for tier, username in ((1, "legal.desk"), (3, "legal.lawyer")):
            agent = accounts.create_user(dbsession, username=username, full_name="کارشناس حقوقی",
                                         role=Role.agent.value, department=legal)
            agent.teams.append(dbsession.scalar(select(Team).where(Team.department_id == legal.id,
                                                                   Team.tier == tier)))
        dbsession.flush()
        demo.load(dbsession, settings, scale=0.02, hook=pluginmanager.hook)

        tickets = dbsession.execute(select(Ticket.department_id, Ticket.service_key, Ticket.subject)).all()
        assert len(tickets) > 30 and {department_id for department_id, _, _ in tickets} == {legal.id}
        asked = {key for _, key, _ in tickets if key is not None}
        assert asked == {service.key for service in services.SERVICES}
        assert any(subject.startswith("بررسی قرارداد همکاری پژوهشی با دانشگاه") for _, _, subject in tickets)
    finally:
        forget_calendars()
        listing.forget()
