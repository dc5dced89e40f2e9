"""The service catalog: every installed department's services with Iran's service identity card
(شناسنامه خدمت), their request forms, approvals and fulfilment tasks.

This module holds the plugin's hook implementations; the answers to the tickets plugin, which
depend on the plugins loaded beside the catalog, are those of ``ticket_hooks.CatalogTicketHooks``,
registered with each plugin manager the catalog joins. Tables live in ``plugins.catalog.models``.
"""
from __future__ import annotations

from core import hookimpl
from core.contracts import DatabaseRegistration, NavigationItem
from core.i18n import _


@hookimpl
def pishkhan_addhooks(pluginmanager):
    from plugins.catalog.ticket_hooks import HOOKS_NAME, CatalogTicketHooks

    if pluginmanager.get_plugin(HOOKS_NAME) is None:
        pluginmanager.register(CatalogTicketHooks(pluginmanager), name=HOOKS_NAME)


@hookimpl
def pishkhan_db_registrations():
    return DatabaseRegistration(branch="catalog", models="plugins.catalog.models",
                                migrations="plugins.catalog:migrations")


@hookimpl
def pishkhan_populate(dbsession, settings, demo, pluginmanager):
    from plugins.catalog.registry import ask
    from plugins.catalog.sync import sync_services

    sync_services(dbsession, ask(pluginmanager))


@hookimpl
def pishkhan_configure(config):
    from plugins.catalog.ticket_hooks import specs_of

    specs_of(config.registry.pluginmanager).provided()  # the plugins' specs, asked once at start-up
    config.include("plugins.catalog.web")


@hookimpl
def pishkhan_navigation_items(request):
    return [
        NavigationItem("catalog.services", _("Service catalog"), "catalog.home", face="portal", icon="grid",
                       after=("core.home",)),
        NavigationItem("catalog.manage", _("Service catalog"), "catalog.manage", permission="manage-department",
                       icon="grid", after=("core.dashboard",)),
    ]


@hookimpl
def pishkhan_openapi(request):
    from plugins.catalog.openapi import catalog_part

    return catalog_part()
