"""The service specs of the plugins loaded in one plugin manager, by service ID.

Only a spec has the request form (``CatalogService.form``, a callable), and only the plugin
manager knows which plugins are loaded: a card whose provider is not loaded leaves the catalog.
The specs are asked once and asked again only when the plugins implementing
``pishkhan_catalog_services`` change (a test registering one, say).
"""
from __future__ import annotations

from core.contracts import CatalogService
from core.plugins import flatten


def ask(pluginmanager) -> tuple[tuple[str, CatalogService], ...]:
    """``(plugin name, spec)`` of every loaded plugin's services, plugins by name, asked now."""
    implementations = pluginmanager.hook.pishkhan_catalog_services.get_hookimpls()
    provided = []
    for implementation in sorted(implementations, key=lambda each: each.plugin_name):
        provided += [(implementation.plugin_name, spec) for spec in flatten([implementation.function()])]
    return tuple(provided)


class ServiceSpecs:
    def __init__(self, pluginmanager):
        self.pluginmanager = pluginmanager
        self._providers: tuple[str, ...] | None = None
        self._provided: tuple[tuple[str, CatalogService], ...] = ()
        self._by_key: dict[tuple[str, str], CatalogService] = {}

    def provided(self) -> tuple[tuple[str, CatalogService], ...]:
        """``ask``'s answer, asked again only when the providing plugins change."""
        implementations = self.pluginmanager.hook.pishkhan_catalog_services.get_hookimpls()
        providers = tuple(sorted(implementation.plugin_name for implementation in implementations))
        if providers != self._providers:
            provided = ask(self.pluginmanager)
            by_key = {(plugin, spec.service_id): spec for plugin, spec in reversed(provided)}
            self._provided, self._by_key, self._providers = tuple(provided), by_key, providers
        return self._provided

    def get(self, provider: str, service_id: str) -> CatalogService | None:
        """The spec ``provider`` (a plugin's name) gives for ``service_id``, if it is loaded."""
        self.provided()
        return self._by_key.get((provider, service_id))

    def loaded_plugins(self) -> frozenset[str]:
        return frozenset(name for name, plugin in self.pluginmanager.list_name_plugin() if plugin is not None)
