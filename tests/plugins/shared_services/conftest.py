"""Fixtures of the shared service center's tests: the database upgraded with the tickets and
shared_services branches, the app with both plugins registered (the center hears about tickets
only through the ticket hooks; the tests drive real tickets through ``TicketDesk``), the demo
organization with the tickets' demo categories, and helpers to sign in and open tickets."""
from __future__ import annotations

from datetime import timedelta

import pytest
import webtest
from sqlalchemy import select

import plugins.shared_services
import plugins.tickets
from core import migrate
from core.app import effective_settings, make_app
from core.db import import_models, utcnow
from core.models import Department, Team, User
from core.testing import log_in, new_plugin_manager
from plugins.shared_services.department import FRONT_DESK, GOVERNANCE
from plugins.tickets import directory, seed
from plugins.tickets.desk import NewTicket, TicketDesk
from plugins.tickets.sla.ticket_clocks import forget_calendars


@pytest.fixture(scope="session")
def ssc_pluginmanager(app_settings):
    pluginmanager = new_plugin_manager(app_settings)
    pluginmanager.register_plugin(plugins.tickets, name="tickets")
    pluginmanager.register_plugin(plugins.shared_services, name="shared_services")
    return pluginmanager


@pytest.fixture(scope="session")
def engine(engine, ssc_pluginmanager):
    """The core's migrated test database, upgraded with the tickets and shared_services branches."""
    import_models(ssc_pluginmanager)
    migrate.upgrade(engine, ssc_pluginmanager)
    return engine


@pytest.fixture
def ssc_plugins(register_plugin):
    register_plugin(plugins.tickets, "tickets")
    return register_plugin(plugins.shared_services, "shared_services")


@pytest.fixture
def app(ssc_plugins, app_settings, pluginmanager, engine):
    return make_app(dict(app_settings), pluginmanager=pluginmanager)


@pytest.fixture
def settings(ssc_plugins, pluginmanager, app_settings):
    return effective_settings(dict(app_settings), pluginmanager)


@pytest.fixture
def org(demo_org, dbsession):
    """The demo organization with the demo categories, the default calendar, and the center's
    desk agent in the center's front-desk team (as the center's demo data puts her)."""
    seed.ensure_default_calendar(dbsession)
    seed.add_demo_categories(dbsession)
    join_team(dbsession, "ssc.desk", "ssc", FRONT_DESK.name)
    return dbsession


@pytest.fixture(autouse=True)
def fresh_calendars():
    forget_calendars()
    directory.forget()


def user(dbsession, username: str) -> User:
    return dbsession.scalar(select(User).where(User.username == username))


def department(dbsession, code: str) -> Department:
    return dbsession.scalar(select(Department).where(Department.code == code))


def team(dbsession, code: str, tier: int) -> Team:
    return dbsession.scalar(select(Team).join(Department).where(Department.code == code, Team.tier == tier)
                            .order_by(Team.id))


def join_team(dbsession, username: str, code: str, team_name: str) -> None:
    member = user(dbsession, username)
    chosen = dbsession.scalar(select(Team).join(Department).where(Department.code == code, Team.name == team_name))
    if chosen not in member.teams:
        member.teams.append(chosen)
    dbsession.flush()


def add_ssc_person(dbsession, username: str, role: str, team_name: str | None = None) -> User:
    """A person of the center: its manager (no team), or a member of one of its teams."""
    from core import accounts
    from core.auth import hash_password
    from core.demo import DEMO_PASSWORD

    person = accounts.create_user(dbsession, username=username, full_name="کارمند مرکز", role=role,
                                  department=department(dbsession, "ssc"))
    person.password_hash = hash_password(DEMO_PASSWORD)
    dbsession.flush()
    if team_name:
        join_team(dbsession, username, "ssc", team_name)
    return person


GOVERNANCE_TEAM = GOVERNANCE.name


@pytest.fixture
def desk(org, dbsession, settings, pluginmanager):
    """``desk("agent", now=...)``: a TicketDesk acting as a demo user."""

    def make(username: str | None, channel: str = "portal", now=None) -> TicketDesk:
        actor = user(dbsession, username) if username else None
        return TicketDesk(dbsession, settings, pluginmanager.hook, actor, channel, now=now)

    return make


@pytest.fixture
def open_ticket(desk, dbsession):
    """``open_ticket("student", "finance", at=...)``: a portal request of a demo requester (or a
    guest with ``requester=None``) to a department's first category."""
    from plugins.tickets.models import Category

    def make(requester: str | None, code: str, *, at=None, subject="درخواست آزمایشی", category: int = 0):
        at = at or utcnow() - timedelta(hours=1)
        dept = department(dbsession, code)
        categories = dbsession.scalars(select(Category).where(Category.department_id == dept.id)
                                       .order_by(Category.id)).all()
        data = NewTicket(subject=subject, department_id=dept.id, description="متن درخواست",
                         service_key=f"category:{categories[category].id}", contact_at=at,
                         requester_id=user(dbsession, requester).id if requester else None,
                         guest_mobile=None if requester else "09121234567", guest_name=None if requester else "مهمان")
        return desk(requester, "portal", now=at).open(data)

    return make


def sign_in(testapp, username: str):
    log_in(testapp, username)
    return testapp


def another_client(testapp):
    """A second browser on the same app and test transaction."""
    return webtest.TestApp(testapp.app, extra_environ=testapp.extra_environ)
