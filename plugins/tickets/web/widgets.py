"""The tickets plugin's dashboard widgets (``pishkhan_dashboard_widgets``).

"My queue" shows the agent's badges, each linking to the queue filtered that way. It runs on
every dashboard view, so it reads only ``tickets_queue_counts`` and one statement of two index
range scans on the SLA due dates (``plugins.tickets.queue.counts``).
"""
from __future__ import annotations

from markupsafe import Markup
from pyramid.renderers import render

from plugins.tickets import queue


def my_queue(request) -> Markup:
    counts = queue.counts(request.dbsession, queue.Viewer.from_request(request))
    links = [
        ("mine", {"scope": "mine"}),
        ("my_teams", {"scope": "my_teams"}),
        ("unassigned", {"scope": "unassigned"}),
        ("breaching_soon", {"sla": "breaching_soon", "sort": "due"}),
        ("overdue", {"sla": "overdue", "sort": "due"}),
    ]
    items = [(key, getattr(counts, key), request.route_path("tickets.queue", _query=params)) for key, params in links]
    return Markup(render("plugins.tickets:templates/queue/widget.jinja2", {"items": items, "counts": counts},
                         request=request))
