"""The example plugin's web parts: the service status page and the dashboard widget."""
from __future__ import annotations

from datetime import timedelta

from markupsafe import Markup
from pyramid.renderers import render
from pyramid.view import view_config

from core.db import utcnow
from pishkhan_example.heartbeat import heartbeats_since, last_heartbeat
from pishkhan_example.i18n import translator


def heartbeat_status(request) -> dict:
    """What the page and the widget show: the last heartbeat and those of the last hour."""
    dbsession = request.dbsession
    return {
        "last_heartbeat": last_heartbeat(dbsession),
        "last_hour": heartbeats_since(dbsession, utcnow() - timedelta(hours=1)),
        "translate": translator(request),
    }


@view_config(route_name="example.hello", renderer="pishkhan_example:templates/status.jinja2", permission="workspace")
def service_status(request):
    return {"greeting": request.registry.settings["example.greeting"], **heartbeat_status(request)}


def render_widget(request) -> Markup:
    """The ``example.heartbeat`` dashboard card: two indexed queries."""
    return Markup(render("pishkhan_example:templates/widget.jinja2", heartbeat_status(request), request=request))


def includeme(config):
    config.add_route("example.hello", "/")
    config.add_translation_dirs("pishkhan_example:locale/")
    config.scan(__name__)
