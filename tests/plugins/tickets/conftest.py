"""Fixtures of the tickets tests: the database upgraded with the tickets branch, the app with
the plugin registered, the demo organization with its categories, and a ``desk`` factory."""
from __future__ import annotations

import pytest

import plugins.tickets
from core import migrate
from core.app import effective_settings, make_app
from core.db import import_models
from core.models import User
from core.testing import new_plugin_manager
from plugins.tickets import directory, seed
from plugins.tickets.desk import TicketDesk
from plugins.tickets.sla.ticket_clocks import forget_calendars


@pytest.fixture(scope="session")
def tickets_pluginmanager(app_settings):
    pluginmanager = new_plugin_manager(app_settings)
    pluginmanager.register_plugin(plugins.tickets, name="tickets")
    return pluginmanager


@pytest.fixture(scope="session")
def engine(engine, tickets_pluginmanager):
    """The core's migrated test database, upgraded with the tickets branch too."""
    import_models(tickets_pluginmanager)
    migrate.upgrade(engine, tickets_pluginmanager)
    return engine


@pytest.fixture
def tickets_plugin(register_plugin):
    return register_plugin(plugins.tickets, "tickets")


@pytest.fixture
def app(tickets_plugin, app_settings, pluginmanager, engine):
    return make_app(dict(app_settings), pluginmanager=pluginmanager)


@pytest.fixture
def settings(tickets_plugin, pluginmanager, app_settings):
    return effective_settings(dict(app_settings), pluginmanager)


@pytest.fixture
def org(demo_org, dbsession):
    """The demo organization with the demo categories and the default calendar."""
    seed.ensure_default_calendar(dbsession)
    seed.add_demo_categories(dbsession)
    return dbsession


@pytest.fixture
def desk(org, dbsession, settings, pluginmanager):
    """``desk("agent", channel="phone", now=...)``: a TicketDesk acting as a demo user."""

    def make(username: str | None, channel: str = "portal", now=None) -> TicketDesk:
        actor = dbsession.query(User).filter_by(username=username).one() if username else None
        return TicketDesk(dbsession, settings, pluginmanager.hook, actor, channel, now=now)

    return make


@pytest.fixture(autouse=True)
def fresh_calendars():
    """Each test's transaction is rolled back, so no calendar may be remembered across tests
    (nor the queue's directory, though changes to it are noticed)."""
    forget_calendars()
    directory.forget()
