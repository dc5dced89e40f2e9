"""Tickets: every contact becomes a tracked request, handled by tiers under service levels.

This module holds the plugin's hook implementations, including the defaults of the ticket hooks
(channels, services from categories, SLA policy) that other plugins may override.
Importing it has no side effects; tables live in ``plugins.tickets.models``.
"""
from __future__ import annotations

from core import hookimpl
from core.contracts import DatabaseRegistration, NavigationItem, PeriodicJob, TicketChannel
from core.i18n import _

BUILT_IN_CHANNELS = (
    TicketChannel("walk_in", _("Walk-in"), "person-walking"),
    TicketChannel("phone", _("Phone"), "telephone"),
    TicketChannel("portal", _("Portal"), "globe", staff_only=False),
    TicketChannel("email", _("E-mail"), "envelope"),
    TicketChannel("api", _("API"), "plug"),
)


@hookimpl
def pishkhan_settings_defaults():
    from plugins.tickets.priority import DEFAULT_MATRIX

    return {
        "tickets.priority_matrix": DEFAULT_MATRIX,
        "tickets.sla.p1": "30m 4h",
        "tickets.sla.p2": "1h 8h",
        "tickets.sla.p3": "4h 24h",
        "tickets.sla.p4": "8h 40h",
        "tickets.promised_days": "5",
        "tickets.close_after_days": "3",
        "tickets.reopen_within_days": "7",
        "tickets.attachments_dir": "var/attachments",
        "tickets.max_attachment_mb": "10",
        "tickets.track_lookups_per_hour": "10",
        "tickets.approval_reminder_hours": "8",  # business hours before an approver is reminded
        "tickets.approval_link_days": "7",  # how long an e-mailed approval link works
        # Links in e-mails and SMS are read outside the site; the core has no public address setting.
        "pishkhan.base_url": "http://127.0.0.1:6543",
    }


@hookimpl
def pishkhan_configure(config):
    from plugins.tickets.priority import parse_matrix

    parse_matrix(config.get_settings()["tickets.priority_matrix"])  # a bad matrix stops start-up
    config.include("plugins.tickets.web")


@hookimpl
def pishkhan_db_registrations():
    return DatabaseRegistration(branch="tickets", models="plugins.tickets.models",
                                migrations="plugins.tickets:migrations")


@hookimpl
def pishkhan_populate(dbsession, settings, demo, pluginmanager):
    from plugins.tickets import seed

    seed.populate(dbsession, settings, demo, pluginmanager.hook)


@hookimpl
def pishkhan_openapi(request):
    from plugins.tickets import openapi

    return openapi.part(request)


@hookimpl
def pishkhan_navigation_items(request):
    return [
        NavigationItem("tickets.new", _("New request"), "tickets.portal.new", face="portal", icon="plus-circle"),
        NavigationItem("tickets.mine", _("My requests"), "tickets.portal.mine", face="portal", permission="portal",
                       icon="card-list", after=("tickets.new",)),
        NavigationItem("tickets.track", _("Track a request"), "tickets.track", face="portal", icon="search",
                       after=("tickets.mine",)),
        NavigationItem("tickets.queue", _("Tickets"), "tickets.queue", permission="workspace", icon="inbox",
                       after=("core.dashboard",)),
        NavigationItem("tickets.contact", _("Log a contact"), "tickets.quicklog", permission="workspace",
                       icon="telephone-plus", after=("tickets.queue",)),
        NavigationItem("tickets.approvals", _("My approvals"), "tickets.approvals", permission="workspace",
                       icon="check2-square", after=("tickets.contact",)),
        NavigationItem("tickets.tasks", _("Tasks"), "tickets.tasks", permission="workspace",
                       icon="list-check", after=("tickets.approvals",)),
        NavigationItem("tickets.canned", _("Canned responses"), "tickets.canned", permission="workspace",
                       icon="chat-square-quote", after=("tickets.tasks",)),
        NavigationItem("tickets.admin.calendars", _("Calendars and closures"), "tickets.admin.calendars",
                       permission="admin", icon="calendar3", after=("core.admin",)),
        NavigationItem("tickets.admin.sla", _("SLA policies"), "tickets.admin.sla", permission="admin",
                       icon="stopwatch", after=("tickets.admin.calendars",)),
    ]


@hookimpl
def pishkhan_dashboard_widgets(request):
    from core.contracts import DashboardWidget
    from plugins.tickets.web.widgets import my_queue

    return [DashboardWidget("tickets.my_queue", _("My queue"), my_queue, permission="workspace",
                            before=("core.my_teams",))]


@hookimpl
def pishkhan_periodic_jobs(settings):
    from plugins.tickets import approvals
    from plugins.tickets.sla import sweep

    return [
        PeriodicJob("tickets.sla_sweep", 60, sweep.sweep_clocks,
                    "Warn before and record SLA breaches; escalate P1/P2 tickets near a breach."),
        PeriodicJob("tickets.auto_close", 3600, sweep.close_resolved,
                    "Close tickets resolved more than tickets.close_after_days business days ago."),
        PeriodicJob("tickets.approval_reminders", 900, approvals.remind,
                    "Remind approvers who have not decided within tickets.approval_reminder_hours business hours."),
    ]


@hookimpl
def pishkhan_ticket_channels():
    return list(BUILT_IN_CHANNELS)


@hookimpl
def pishkhan_ticket_services(dbsession, department_id):
    from plugins.tickets.directory import category_services

    return [service for service in category_services(dbsession)
            if department_id is None or service.department_id == department_id]


@hookimpl(trylast=True)
def pishkhan_ticket_sla_policy(dbsession, ticket, settings):
    from plugins.tickets.sla.ticket_clocks import default_targets

    return default_targets(dbsession, ticket, settings)


@hookimpl
def pishkhan_ticket_event(dbsession, settings, ticket, event):
    from plugins.tickets import notifications

    notifications.on_event(dbsession, settings, ticket, event)
