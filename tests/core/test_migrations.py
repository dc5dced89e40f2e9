"""The Alembic branches and the models agree, on every database the suite runs on."""
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from core import migrate
from core.db import Base, get_engine, import_models
from core.plugins import create_plugin_manager


def differences_for(engine, prefix: str) -> list:
    """What Alembic would change to make the tables named ``prefix…`` match the models.

    Only those tables are compared: other tests of the run may have imported plugins' models or
    upgraded the database with plugins' branches.
    """

    def ours(obj, name, type_, reflected, compare_to):
        table = obj if type_ == "table" else getattr(obj, "table", None)
        return table is None or table.name.startswith(prefix)

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": ours})
        return compare_metadata(context, Base.metadata)


def test_migrations_match_models(engine, pluginmanager):
    assert differences_for(engine, "core_") == []


def test_upgrade_reaches_every_head_and_twice_is_harmless(engine, app_settings):
    """With every installed plugin, whatever branches earlier tests applied."""
    installed = create_plugin_manager(app_settings)
    import_models(installed)
    migrate.upgrade(engine, installed)
    assert migrate.is_current(engine, installed)
    migrate.upgrade(engine, installed)
    assert migrate.is_current(engine, installed)


def test_a_disabled_plugins_branch_does_not_stop_the_others(tmp_path, app_settings):
    """Tables and version table of a plugin disabled after an upgrade stay; upgrading goes on."""
    settings = {**app_settings, "sqlalchemy.url": f"sqlite:///{tmp_path / 'desk.sqlite'}"}
    engine = get_engine(settings)
    try:
        installed = create_plugin_manager(settings)
        migrate.upgrade(engine, installed)
        without_tickets = create_plugin_manager({**settings, "pishkhan.plugins.disabled": "tickets"})
        migrate.upgrade(engine, without_tickets)
        assert migrate.is_current(engine, without_tickets)
        assert "tickets_tickets" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
