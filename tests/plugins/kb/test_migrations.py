"""The kb branch of Alembic and the kb models agree, on SQLite and PostgreSQL.

The search backends' own tables (``kb_search_*``) differ per database and are not models."""
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from core import migrate
from core.db import Base


def kb_differences(engine) -> list:
    def ours(obj, name, type_, reflected, compare_to):
        table = obj if type_ == "table" else getattr(obj, "table", None)
        if table is None:
            return True
        return table.name.startswith("kb_") and not table.name.startswith("kb_search_")

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": ours})
        return compare_metadata(context, Base.metadata)


def test_kb_migrations_match_models(engine):
    assert kb_differences(engine) == []


def test_database_is_at_every_head(engine, kb_pluginmanager):
    assert migrate.is_current(engine, kb_pluginmanager)
