"""The example's Alembic branch: it applies on top of the core's, and it agrees with the models."""
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from core import migrate
from core.db import Base


def test_branch_applies_on_top_of_the_core(engine, example_pluginmanager):
    script = ScriptDirectory.from_config(migrate.alembic_config(example_pluginmanager))
    with engine.connect() as connection:
        database_heads = MigrationContext.configure(connection).get_current_heads()
    # The branch depends on core_0001, so the version table holds example_0001 in its place.
    applied = {revision.revision for revision in script.iterate_revisions(database_heads, "base")}
    assert {"core_0001", "example_0001"} <= applied
    assert set(script.get_heads()) <= applied
    assert "example_heartbeats" in inspect(engine).get_table_names()


def test_models_and_migrations_agree(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert [difference for difference in differences if "example_" in repr(difference)] == []
