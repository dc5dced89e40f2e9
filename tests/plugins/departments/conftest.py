"""Fixtures of the department plugins' tests: the five departments' plugins with the tickets,
knowledge-base and catalog plugins that consume their hooks, and a database upgraded with those
plugins' branches."""
from __future__ import annotations

import pytest

import plugins.catalog
import plugins.kb
import plugins.tickets
from core import demo, migrate
from core.app import effective_settings, make_app
from core.db import import_models
from core.models import User
from core.testing import new_plugin_manager
from plugins.catalog import listing
from plugins.tickets import directory
from plugins.tickets.desk import TicketDesk
from plugins.tickets.sla.ticket_clocks import forget_calendars
from tests.plugins.departments.specs import DEPARTMENT_PLUGINS

CONSUMERS = {"tickets": plugins.tickets, "kb": plugins.kb, "catalog": plugins.catalog}


@pytest.fixture(scope="session")
def engine(engine, app_settings):
    """The core's migrated test database, upgraded with the tickets, kb and catalog branches."""
    pluginmanager = new_plugin_manager(app_settings)
    for name, plugin in CONSUMERS.items():
        pluginmanager.register_plugin(plugin, name=name)
    import_models(pluginmanager)
    migrate.upgrade(engine, pluginmanager)
    return engine


@pytest.fixture
def department_plugins(register_plugin):
    """The consumers and the five department plugins, registered in this test's manager."""
    for name, plugin in {**CONSUMERS, **DEPARTMENT_PLUGINS}.items():
        register_plugin(plugin, name)
    return DEPARTMENT_PLUGINS


@pytest.fixture
def settings(department_plugins, pluginmanager, app_settings):
    return effective_settings(dict(app_settings), pluginmanager)


@pytest.fixture
def app(department_plugins, app_settings, pluginmanager, engine):
    return make_app(dict(app_settings), pluginmanager=pluginmanager)


@pytest.fixture
def populated(demo_org, department_plugins, pluginmanager, settings, dbsession):
    """The demo organization, then every plugin's seed data as ``pishkhan db upgrade`` writes it."""
    demo.populate(dbsession, pluginmanager, settings, demo=False)
    return dbsession


@pytest.fixture
def desk(populated, settings, pluginmanager):
    """``desk("student")``: a TicketDesk acting as a demo user on the portal."""

    def make(username: str | None, channel: str = "portal") -> TicketDesk:
        actor = populated.query(User).filter_by(username=username).one() if username else None
        return TicketDesk(populated, settings, pluginmanager.hook, actor, channel)

    return make


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test's transaction is rolled back: nothing it stored may be remembered in memory."""
    forget_calendars()
    directory.forget()
    listing.forget()
