"""The Alembic branches and the models agree, on every database the suite runs on."""
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from core import migrate
from core.db import Base


def test_migrations_match_models(engine, pluginmanager):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_database_is_at_every_head(engine, pluginmanager):
    assert migrate.is_current(engine, pluginmanager)


def test_upgrade_twice_is_harmless(engine, pluginmanager):
    migrate.upgrade(engine, pluginmanager)
    assert migrate.is_current(engine, pluginmanager)
