"""Fixtures of the knowledge-base tests: the database upgraded with the tickets and kb branches,
the app with both plugins registered (kb hears about tickets through the ticket hooks), and a
``kb`` factory acting as a given user."""
from __future__ import annotations

import pytest

import plugins.kb
import plugins.tickets
from core import migrate
from core.app import effective_settings, make_app
from core.db import import_models
from core.models import User
from core.testing import new_plugin_manager


@pytest.fixture(scope="session")
def kb_pluginmanager(app_settings):
    pluginmanager = new_plugin_manager(app_settings)
    pluginmanager.register_plugin(plugins.tickets, name="tickets")
    pluginmanager.register_plugin(plugins.kb, name="kb")
    return pluginmanager


@pytest.fixture(scope="session")
def engine(engine, kb_pluginmanager):
    """The core's migrated test database, upgraded with the tickets and kb branches too."""
    import_models(kb_pluginmanager)
    migrate.upgrade(engine, kb_pluginmanager)
    return engine


@pytest.fixture
def kb_plugins(register_plugin):
    register_plugin(plugins.tickets, "tickets")
    return register_plugin(plugins.kb, "kb")


@pytest.fixture
def app(kb_plugins, app_settings, pluginmanager, engine):
    return make_app(dict(app_settings), pluginmanager=pluginmanager)


@pytest.fixture
def settings(kb_plugins, pluginmanager, app_settings):
    return effective_settings(dict(app_settings), pluginmanager)


@pytest.fixture
def org(demo_org, dbsession):
    """The demo organization: departments, teams and people."""
    return dbsession


@pytest.fixture
def tickets_org(org):
    """The organization with the tickets plugin's default calendar and demo categories: the
    departments and services of the request form."""
    from plugins.tickets import seed

    seed.ensure_default_calendar(org)
    seed.add_demo_categories(org)
    return org


@pytest.fixture
def kb(dbsession, settings, pluginmanager, org):
    """``kb("edu.lead")`` → a ``KnowledgeBase`` acting as that user (``None``: the system)."""
    from plugins.kb.articles import KnowledgeBase

    def make(username: str | None) -> KnowledgeBase:
        actor = dbsession.query(User).filter_by(username=username).one() if username else None
        return KnowledgeBase.for_session(dbsession, settings, pluginmanager, actor)

    return make
