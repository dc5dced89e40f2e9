"""Alembic driven from the plugin manager: the core's branch plus one branch per plugin.

Each branch keeps its own version table (``alembic_version`` for the core,
``alembic_version_<branch>`` for a plugin) and is upgraded on its own, the core first, then the
plugins by name. So a plugin that is disabled later leaves its tables and its version table
behind untouched, and the other branches keep upgrading: no branch has to know another's
revisions.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from pyramid.path import AssetResolver

from core.plugins import flatten

CORE_MIGRATIONS = "core:migrations"


@dataclass(frozen=True)
class Branch:
    label: str
    location: str  # the folder of its revision files

    @property
    def version_table(self) -> str:
        return "alembic_version" if self.label == "core" else f"alembic_version_{self.label}"


def branches(pluginmanager) -> list[Branch]:
    """The core's branch, then every enabled plugin's, by name."""
    resolver = AssetResolver()
    core = Branch("core", os.path.join(resolver.resolve(CORE_MIGRATIONS).abspath(), "versions"))
    plugins = [Branch(registration.branch, resolver.resolve(registration.migrations).abspath())
               for registration in flatten(pluginmanager.hook.pishkhan_db_registrations())]
    return [core, *sorted(plugins, key=lambda branch: branch.label)]


def alembic_config(branch: Branch) -> Config:
    config = Config()
    config.set_main_option("script_location", AssetResolver().resolve(CORE_MIGRATIONS).abspath())
    config.set_main_option("version_locations", branch.location)
    config.set_main_option("path_separator", "space")
    config.attributes["version_table"] = branch.version_table
    return config


def upgrade(engine, pluginmanager) -> None:
    """Bring every enabled branch to its head, in one transaction."""
    with engine.begin() as connection:
        for branch in branches(pluginmanager):
            config = alembic_config(branch)
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")


def is_current(engine, pluginmanager) -> bool:
    """Every enabled branch is at its head."""
    with engine.connect() as connection:
        for branch in branches(pluginmanager):
            script = ScriptDirectory.from_config(alembic_config(branch))
            context = MigrationContext.configure(connection, opts={"version_table": branch.version_table})
            if set(context.get_current_heads()) != set(script.get_heads()):
                return False
    return True


def revision(engine, pluginmanager, message: str, branch: str, autogenerate: bool = True):
    """Write a new revision on ``branch`` (the core's or a plugin's), for developers."""
    chosen = next(candidate for candidate in branches(pluginmanager) if candidate.label == branch)
    config = alembic_config(chosen)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        return command.revision(config, message=message, autogenerate=autogenerate, head=f"{branch}@head")
