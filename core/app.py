"""The WSGI application factory (``paste.app_factory`` entry point ``main``)."""
from __future__ import annotations

import os

from pyramid.config import Configurator

from core.plugins import PluginManager, create_plugin_manager

CORE_DEFAULTS = {
    "pyramid.default_locale_name": "fa",
    "jinja2.i18n.domain": "pishkhan",
    "jinja2.autoescape": "true",
    "retry.attempts": "3",
    "tm.annotate_user": "false",
    "session.timeout": str(8 * 3600),
    "pishkhan.site_name": "پیشخوان",
    "pishkhan.organization": "",
}


class SettingsError(RuntimeError):
    """A setting is missing or points to an unset environment variable."""


def resolve_environment(settings: dict) -> dict:
    """Values written ``env:NAME`` come from the environment (``DATABASE_URL`` in production)."""
    resolved = dict(settings)
    for key, value in settings.items():
        if isinstance(value, str) and value.startswith("env:"):
            name = value[4:].strip()
            if name not in os.environ:
                raise SettingsError(f"Setting {key!r} reads the environment variable {name}, which is not set")
            resolved[key] = os.environ[name]
    return resolved


def effective_settings(settings: dict, pluginmanager: PluginManager) -> dict:
    """Core defaults, then each plugin's defaults, then the INI (which wins)."""
    merged = dict(CORE_DEFAULTS)
    for defaults in pluginmanager.hook.pishkhan_settings_defaults():
        merged.update(defaults or {})
    merged.update(resolve_environment(settings))
    return merged


def make_app(settings: dict, pluginmanager: PluginManager | None = None):
    """Build the application; tests pass their own ``pluginmanager``."""
    pluginmanager = pluginmanager or create_plugin_manager(settings)
    pluginmanager.check_pending()
    settings = effective_settings(settings, pluginmanager)
    with Configurator(settings=settings) as config:
        config.registry.pluginmanager = pluginmanager
        config.include("pyramid_jinja2")
        config.include("core.i18n")
        config.include("core.db")
        config.include("core.notes")
        config.include("core.security")
        config.include("core.layout")
        config.include("core.forms")
        config.include("core.views")
        pluginmanager.hook.pishkhan_configure(config=config)
    return config.make_wsgi_app()


def main(global_config, **settings):
    return make_app(settings)
