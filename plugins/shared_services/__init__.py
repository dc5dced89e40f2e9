"""The shared service center (مرکز خدمات مشترک): governance over every installed department —
service-center roles, agreements with customer units and specialist teams, and the cost of each
request. The catalog its portal shows is ``plugins.catalog``.

This module holds the plugin's hook implementations. The center knows tickets only through the
ticket hooks in ``core.hookspecs`` (it never imports the tickets plugin); its tables live in
``plugins.shared_services.models``. Importing it has no side effects.
"""
from pathlib import Path

from core import hookimpl
from core.contracts import DashboardWidget, DatabaseRegistration, NavigationItem
from core.i18n import _


@hookimpl
def pishkhan_departments():
    from plugins.shared_services.department import DEPARTMENT

    return [DEPARTMENT]


@hookimpl
def pishkhan_demo_articles():
    return [Path(__file__).parent / "demo" / "articles.jsonl"]


@hookimpl
def pishkhan_db_registrations():
    return DatabaseRegistration(branch="shared_services", models="plugins.shared_services.models",
                                migrations="plugins.shared_services:migrations")


@hookimpl
def pishkhan_configure(config):
    config.include("plugins.shared_services.web")


@hookimpl
def pishkhan_principals(request, user):
    from plugins.shared_services.roles import principals_for

    return principals_for(user)


@hookimpl
def pishkhan_serves_every_department(user):
    from plugins.shared_services.roles import ALL_DEPARTMENTS, principals_for

    return ALL_DEPARTMENTS in principals_for(user) or None


@hookimpl
def pishkhan_navigation_items(request):
    from plugins.shared_services.roles import may_govern

    if not may_govern(request):
        return None
    return [NavigationItem("ssc.center", _("Shared service center"), "ssc.overview", permission="workspace",
                           icon="diagram-3", after=("kb.reports", "tickets.contact", "core.dashboard"))]


@hookimpl
def pishkhan_dashboard_widgets(request):
    from plugins.shared_services.roles import may_govern
    from plugins.shared_services.web.widgets import headline

    if not may_govern(request):
        return None
    return [DashboardWidget("ssc.headline", _("Shared service center"), headline, permission="workspace",
                            after=("core.my_teams",))]


@hookimpl
def pishkhan_ticket_event(dbsession, settings, ticket, event):
    from plugins.shared_services.facts import on_ticket_event

    on_ticket_event(dbsession, ticket, event)


@hookimpl(trylast=True)
def pishkhan_service_unit_cost(dbsession, service_key, department_id):
    from core.db import utcnow
    from core.i18n import to_tehran
    from plugins.shared_services.unit_costs import default_unit_cost

    return default_unit_cost(dbsession, service_key, department_id, to_tehran(utcnow()).date())


@hookimpl(trylast=True)  # after the tickets plugin's seed: the demo's agreements name its services
def pishkhan_populate(dbsession, settings, demo, pluginmanager):
    from plugins.shared_services.demo_data import populate

    if demo:
        populate(dbsession, pluginmanager.hook)
