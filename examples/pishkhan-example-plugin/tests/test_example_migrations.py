"""The example's Alembic branch: it applies on top of the core's, and it agrees with the models."""
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from core import migrate
from core.db import Base


def test_branch_is_applied_with_its_own_version_table(engine, example_pluginmanager):
    assert migrate.is_current(engine, example_pluginmanager)
    with engine.connect() as connection:
        heads = MigrationContext.configure(connection, opts={"version_table": "alembic_version_example"})
        assert heads.get_current_heads() == ("example_0001",)
    assert "example_heartbeats" in inspect(engine).get_table_names()


def test_models_and_migrations_agree(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert [difference for difference in differences if "example_" in repr(difference)] == []
