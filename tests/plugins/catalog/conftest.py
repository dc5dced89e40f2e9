"""Fixtures of the catalog tests: the database upgraded with the catalog branch, and the app with
the catalog and a test department plugin (``catalog_specs.TestDepartment``) registered."""
from __future__ import annotations

import pytest
import webtest

import plugins.catalog
from core import migrate
from core.app import effective_settings, make_app
from core.db import import_models
from core.testing import new_plugin_manager
from plugins.catalog import listing
from plugins.catalog.registry import ask
from plugins.catalog.sync import sync_services
from tests.plugins.catalog import catalog_specs


@pytest.fixture(scope="session")
def catalog_pluginmanager(app_settings):
    pluginmanager = new_plugin_manager(app_settings)
    pluginmanager.register_plugin(plugins.catalog, name="catalog")
    return pluginmanager


@pytest.fixture(scope="session")
def engine(engine, catalog_pluginmanager):
    """The core's migrated test database, upgraded with the catalog branch too."""
    import_models(catalog_pluginmanager)
    migrate.upgrade(engine, catalog_pluginmanager)
    return engine


@pytest.fixture
def catalog_plugins(register_plugin):
    return register_plugin(plugins.catalog, "catalog")


@pytest.fixture
def app(catalog_plugins, app_settings, pluginmanager, engine):
    return make_app(dict(app_settings), pluginmanager=pluginmanager)


@pytest.fixture
def settings(catalog_plugins, pluginmanager, app_settings):
    return effective_settings(dict(app_settings), pluginmanager)


@pytest.fixture
def testapp(app, dbsession, request):
    """WebTest on a host of this test's own: visitors' pages are shared for a few seconds per
    host and path (``core.pagecache``), and must not leak from one test into the next."""
    host = f"{abs(hash(request.node.nodeid))}.localhost"
    return webtest.TestApp(app, extra_environ={"app.dbsession": dbsession, "REMOTE_ADDR": "10.0.0.1",
                                               "HTTP_HOST": host})


@pytest.fixture(autouse=True)
def fresh_listing():
    """Each test starts without the cards another test's rolled-back transaction left in memory."""
    listing.forget()


@pytest.fixture
def providers(register_plugin):
    """The test department plugins: ``testedu`` (education) and ``testit`` (IT)."""
    return {"testedu": register_plugin(catalog_specs.education(), "testedu"),
            "testit": register_plugin(catalog_specs.it(), "testit")}


@pytest.fixture
def synced(demo_org, catalog_plugins, providers, pluginmanager, dbsession):
    """The demo organization with the test plugins' cards stored, as ``pishkhan db upgrade`` does."""
    sync_services(dbsession, ask(pluginmanager))
    return dbsession
