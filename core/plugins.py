"""The plugin manager: one per application, kept on the Pyramid registry.

Every plugin, built-in or third-party, loads through the entry-point group ``pishkhan.plugins``.
Operators choose plugins in the INI::

    pishkhan.plugins.enabled = *            # or a list of names; "*" means every installed one
    pishkhan.plugins.disabled = finance hr  # names never loaded
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata

import pluggy
from pyramid.settings import aslist
from pyramid.util import TopologicalSorter

from core import hookspecs

ENTRY_POINT_GROUP = "pishkhan.plugins"
log = logging.getLogger(__name__)


class PluginLoadError(RuntimeError):
    """A plugin could not be loaded or registered; the message names it."""


@dataclass(frozen=True)
class PluginInfo:
    """What the administration page and ``pishkhan plugins list`` show about a plugin."""

    name: str
    module: str
    distribution: str
    version: str
    hooks: tuple[str, ...]


class PluginManager(pluggy.PluginManager):
    """pluggy's manager plus the distribution each plugin came from."""

    def __init__(self) -> None:
        super().__init__("pishkhan")
        self.add_hookspecs(hookspecs)
        self._distributions: dict[str, tuple[str, str]] = {}
        # Historic: every plugin registered from now on may add its own hook specifications.
        self.hook.pishkhan_addhooks.call_historic(kwargs={"pluginmanager": self})

    def register_plugin(self, plugin, name: str, distribution: str = "", version: str = "") -> None:
        """Register ``plugin`` under ``name``, turning pluggy's validation errors into ours."""
        try:
            self.register(plugin, name=name)
        except Exception as exc:
            raise PluginLoadError(f"Plugin {name!r} could not be registered: {exc}") from exc
        self._distributions[name] = (distribution, version)

    def check_pending(self) -> None:
        """Refuse implementations of hooks nobody specified (a misspelt hook name)."""
        try:
            super().check_pending()
        except pluggy.PluginValidationError as exc:
            name = self.get_name(exc.plugin) or repr(exc.plugin)
            raise PluginLoadError(f"Plugin {name!r} implements an unknown hook: {exc}") from exc

    def plugin_infos(self) -> list[PluginInfo]:
        infos = []
        for name, plugin in self.list_name_plugin():
            if plugin is None:
                continue
            distribution, version = self._distributions.get(name, ("", ""))
            hooks = tuple(sorted(caller.name for caller in self.get_hookcallers(plugin) or ()))
            module = getattr(plugin, "__name__", type(plugin).__name__)
            infos.append(PluginInfo(name, module, distribution, version, hooks))
        return sorted(infos, key=lambda info: info.name)


def create_plugin_manager(settings: dict, load_entry_points: bool = True) -> PluginManager:
    """Create the application's plugin manager and load the enabled entry-point plugins."""
    pm = PluginManager()
    if load_entry_points:
        for entry_point in selected_entry_points(settings):
            pm.register_plugin(
                load_entry_point(entry_point),
                name=entry_point.name,
                distribution=entry_point.dist.name if entry_point.dist else "",
                version=entry_point.dist.version if entry_point.dist else "",
            )
    return pm


def selected_entry_points(settings: dict) -> list[metadata.EntryPoint]:
    enabled = aslist(settings.get("pishkhan.plugins.enabled", "*"))
    disabled = set(aslist(settings.get("pishkhan.plugins.disabled", "")))
    installed = {ep.name: ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}
    if "*" in enabled:
        wanted = sorted(installed)
    else:
        missing = [name for name in enabled if name not in installed]
        for name in missing:
            log.warning("Plugin %r is enabled in the settings but not installed; skipped", name)
        wanted = [name for name in enabled if name in installed]
    return [installed[name] for name in wanted if name not in disabled]


def load_entry_point(entry_point: metadata.EntryPoint):
    try:
        return entry_point.load()
    except Exception as exc:
        raise PluginLoadError(
            f"Plugin {entry_point.name!r} ({entry_point.value}) failed to load: "
            f"{type(exc).__name__}: {exc}"
        ) from exc


def flatten(results: Iterable) -> list:
    """Hook results are a list per plugin, a single value, or ``None``: make one flat list."""
    items: list = []
    for result in results:
        if result is None:
            continue
        if isinstance(result, (list, tuple)):
            items.extend(result)
        else:
            items.append(result)
    return items


def ordered(items: Iterable) -> list:
    """Sort items that have ``name``, ``before`` and ``after`` (navigation, widgets)."""
    items = tuple(items)
    try:
        return list(_ordered(items))
    except TypeError:  # an item with a list inside cannot be a cache key
        return list(_ordered.__wrapped__(items))


@lru_cache(maxsize=256)  # pages ask for the same frozen items on every request
def _ordered(items: tuple) -> tuple:
    sorter = TopologicalSorter()
    for item in sorted(items, key=lambda item: item.name):
        sorter.add(item.name, item, before=item.before or None, after=item.after or None)
    return tuple(item for _, item in sorter.sorted())
