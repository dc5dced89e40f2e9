"""Fixtures of the example plugin's tests, on top of Pishkhan's ``core.testing``.

In a plugin's own repository this top-level conftest would also say
``pytest_plugins = ["core.testing"]``; inside the Pishkhan tree the repository's conftest already
does (pytest accepts ``pytest_plugins`` only in the top-level conftest).
"""
from pathlib import Path

import pishkhan_example
import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from core import migrate
from core.app import make_app
from core.db import import_models
from core.testing import new_plugin_manager

LOCALE = Path(pishkhan_example.__file__).parent / "locale"


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs():
    """Compile the catalogs as ``setup.py build_py`` does when the plugin is installed."""
    for po_path in LOCALE.glob("*/LC_MESSAGES/*.po"):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalog)


@pytest.fixture(scope="session")
def example_pluginmanager(app_settings):
    pluginmanager = new_plugin_manager(app_settings)
    pluginmanager.register_plugin(pishkhan_example, name="example")
    return pluginmanager


@pytest.fixture(scope="session")
def engine(engine, example_pluginmanager):
    """The core's migrated test database, upgraded with the example's Alembic branch too."""
    import_models(example_pluginmanager)
    migrate.upgrade(engine, example_pluginmanager)
    return engine


@pytest.fixture
def example_plugin(register_plugin):
    return register_plugin(pishkhan_example, "example")


@pytest.fixture
def app(example_plugin, app_settings, pluginmanager, engine):
    """The application with the example registered before it is built: ``make_app`` calls
    ``pishkhan_configure``, so a plugin registered afterwards would have no routes."""
    return make_app(dict(app_settings), pluginmanager=pluginmanager)
