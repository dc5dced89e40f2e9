"""The example plugin's hook implementations: the module registered with pluggy.

Importing this module has no side effects: the web parts are included by dotted name, and the
modules defining tables are imported only when a hook needs them.
"""
from core import hookimpl
from core.contracts import DashboardWidget, DatabaseRegistration, NavigationItem, PeriodicJob
from pishkhan_example.i18n import _


@hookimpl
def pishkhan_settings_defaults():
    return {"example.greeting": "سلام! افزونهٔ نمونه نصب شده است."}


@hookimpl
def pishkhan_configure(config):
    config.include("pishkhan_example.web", route_prefix="/example")


@hookimpl
def pishkhan_db_registrations():
    return DatabaseRegistration(
        branch="example",
        models="pishkhan_example.models",
        migrations="pishkhan_example:migrations",
    )


@hookimpl
def pishkhan_navigation_items(request):
    return [
        NavigationItem(
            name="example.hello",
            title=_("Service status"),
            route="example.hello",
            face="workspace",
            permission="workspace",
            icon="heart-pulse",
            after=("core.dashboard",),
            before=("core.admin",),
        )
    ]


@hookimpl
def pishkhan_dashboard_widgets(request):
    from pishkhan_example.web import render_widget

    return [
        DashboardWidget(
            name="example.heartbeat",
            title=_("Service heartbeat"),
            render=render_widget,
            permission="workspace",
        )
    ]


@hookimpl
def pishkhan_periodic_jobs(settings):
    from pishkhan_example.heartbeat import beat

    return [
        PeriodicJob(
            name="example.heartbeat",
            interval=60,
            run=beat,
            description="Record that the worker is alive (table example_heartbeats).",
        )
    ]
