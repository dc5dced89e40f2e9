"""The Alembic branches and the models agree, on every database the suite runs on."""
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData

from core import migrate
from core.db import Base


def core_metadata() -> MetaData:
    """The core's tables only: plugins' models may be imported by other tests of the run."""
    metadata = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.sorted_tables:
        if table.name.startswith("core_"):
            table.to_metadata(metadata)
    return metadata


def test_migrations_match_models(engine, pluginmanager):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, core_metadata())
    assert differences == []


def test_database_is_at_every_head(engine, pluginmanager):
    assert migrate.is_current(engine, pluginmanager)


def test_upgrade_twice_is_harmless(engine, pluginmanager):
    migrate.upgrade(engine, pluginmanager)
    assert migrate.is_current(engine, pluginmanager)
