"""Alembic driven from the plugin manager: the core's branch plus one branch per plugin."""
from __future__ import annotations

import os

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from pyramid.path import AssetResolver

from core.plugins import flatten

CORE_MIGRATIONS = "core:migrations"


def alembic_config(pluginmanager) -> Config:
    resolver = AssetResolver()
    script_location = resolver.resolve(CORE_MIGRATIONS).abspath()
    locations = [os.path.join(script_location, "versions")]
    for registration in flatten(pluginmanager.hook.pishkhan_db_registrations()):
        locations.append(resolver.resolve(registration.migrations).abspath())
    config = Config()
    config.set_main_option("script_location", script_location)
    config.set_main_option("version_locations", " ".join(locations))
    config.set_main_option("path_separator", "space")
    return config


def upgrade(engine, pluginmanager) -> None:
    """Bring the database to the heads of every enabled plugin's branch."""
    config = alembic_config(pluginmanager)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")


def is_current(engine, pluginmanager) -> bool:
    """Every branch's head is applied (a plugin's head may stand on the core's, hiding it)."""
    script = ScriptDirectory.from_config(alembic_config(pluginmanager))
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    applied = {revision.revision for revision in script.iterate_revisions(current, "base")}
    return set(script.get_heads()) <= applied


def revision(engine, pluginmanager, message: str, branch: str, autogenerate: bool = True):
    """Write a new revision on ``branch`` (the core's or a plugin's), for developers."""
    config = alembic_config(pluginmanager)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        return command.revision(config, message=message, autogenerate=autogenerate, head=f"{branch}@head")
