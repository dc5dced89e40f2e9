"""The shared_services branch of Alembic and the center's models agree, on SQLite and PostgreSQL."""
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from core import migrate
from core.db import Base


def ssc_differences(engine) -> list:
    def ours(obj, name, type_, reflected, compare_to):
        table = obj if type_ == "table" else getattr(obj, "table", None)
        return table is None or table.name.startswith("ssc_")

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": ours})
        return compare_metadata(context, Base.metadata)


def test_ssc_migrations_match_models(engine):
    assert ssc_differences(engine) == []


def test_database_is_at_every_head(engine, ssc_pluginmanager):
    assert migrate.is_current(engine, ssc_pluginmanager)
