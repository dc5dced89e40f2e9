"""Knowledge base: articles that answer the question before a ticket is filed.

This module holds the plugin's hook implementations. The kb plugin knows tickets only through the
ticket hooks in ``core.hookspecs``; its search engines are sub-plugins (``plugins.kb.hookspecs``).
Importing it has no side effects; tables live in ``plugins.kb.models``.
"""
from __future__ import annotations

from core import hookimpl
from core.contracts import DatabaseRegistration, NavigationItem, PortalSection
from core.i18n import _


@hookimpl
def pishkhan_addhooks(pluginmanager):
    from plugins.kb import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


@hookimpl
def pishkhan_settings_defaults():
    return {
        "kb.files_dir": "var/kb-files",
        "kb.max_file_mb": "5",
        "kb.review_after_days": "180",
    }


@hookimpl
def pishkhan_configure(config):
    from plugins.kb.backend import REGISTRY_KEY, search_backend

    config.registry[REGISTRY_KEY] = search_backend(config.registry.pluginmanager, config.get_settings())
    config.include("plugins.kb.web")


@hookimpl
def pishkhan_db_registrations():
    return DatabaseRegistration(branch="kb", models="plugins.kb.models", migrations="plugins.kb:migrations")


@hookimpl
def pishkhan_navigation_items(request):
    return [
        NavigationItem("kb.search", _("Knowledge base"), "kb.search", face="portal", icon="book",
                       before=("tickets.new",)),
        NavigationItem("kb.manage", _("Knowledge base"), "kb.manage", permission="workspace", icon="book",
                       after=("tickets.contact",)),
        NavigationItem("kb.reports", _("Knowledge reports"), "kb.reports", permission="workspace",
                       icon="graph-up", after=("kb.manage",)),
    ]


@hookimpl
def pishkhan_portal_home_sections(request):
    from plugins.kb.web.home import search_section

    return [PortalSection("kb.search", search_section)]


@hookimpl
def pishkhan_deflection_suggestions(request, text, department_id, limit):
    from plugins.kb.web.deflection import suggestions

    return suggestions(request, text, department_id, limit)


@hookimpl
def pishkhan_ticket_submitted(request, ticket):
    from plugins.kb import trail
    from plugins.kb.models import TrailKind

    trail.record(request, TrailKind.ticket_created, source="portal")


@hookimpl
def pishkhan_ticket_panels(request, ticket):
    from plugins.kb.web.kcs import ticket_panel

    return ticket_panel()


@hookimpl
def pishkhan_ticket_event(dbsession, settings, ticket, event):
    from plugins.kb.ticket_links import forget_resolved, record_resolved

    if event.kind == "resolved":
        record_resolved(dbsession, ticket.id, ticket.tracking_code, ticket.department_id,
                        ticket.resolved_at or event.at)
    elif event.kind == "transitioned" and (event.data or {}).get("to") == "reopened":
        forget_resolved(dbsession, ticket.id)


@hookimpl
def pishkhan_dashboard_widgets(request):
    from core.contracts import DashboardWidget
    from plugins.kb.web.reports import knowledge_widget

    return [DashboardWidget("kb.knowledge", _("Knowledge base"), knowledge_widget, permission="workspace",
                            after=("core.my_teams",))]


@hookimpl(trylast=True)
def pishkhan_kb_search_backend(settings, dialect):
    from plugins.kb.search import default_backend

    return default_backend(dialect)


@hookimpl(trylast=True)  # after the tickets plugin's demo, whose resolved tickets the demo links articles to
def pishkhan_populate(dbsession, settings, demo, pluginmanager):
    from plugins.kb.demo import populate

    populate(dbsession, settings, demo, pluginmanager)


@hookimpl
def pishkhan_cli_commands(subparsers):
    from plugins.kb.cli import add_commands

    add_commands(subparsers)


@hookimpl
def pishkhan_openapi(request):
    from plugins.kb.openapi import part

    return part(request)
