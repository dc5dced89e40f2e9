"""The center's dashboard card for those who govern it: this month's requests, the share
resolved within target, and how many service level agreements are met, at risk or missed.
Three statements: one over this month's facts, two for the agreements."""
from __future__ import annotations

from markupsafe import Markup
from pyramid.renderers import render
from sqlalchemy import and_, case, func, or_, select

from core.db import utcnow
from plugins.shared_services.agreements import measure_slas
from plugins.shared_services.customers import counted_in
from plugins.shared_services.facts import tehran_day
from plugins.shared_services.models import TicketFact
from plugins.shared_services.periods import named_period
from plugins.shared_services.web.reports import status_counts


def headline(request) -> Markup:
    today = tehran_day(utcnow())
    period = named_period("this_month", today)
    f = TicketFact
    received = f.contact_on.between(period.start, period.end)
    counted = counted_in(period)
    volume, counted_count, within = request.dbsession.execute(
        select(func.sum(case((received, 1), else_=0)), func.sum(case((counted, 1), else_=0)),
               func.sum(case((and_(counted, f.resolution_met.is_(True)), 1), else_=0)))
        .where(or_(received, counted))
    ).one()
    values = {"volume": volume or 0, "attainment": 100.0 * within / counted_count if counted_count else None,
              "counts": status_counts(measure_slas(request.dbsession, period, today))}
    return Markup(render("plugins.shared_services:templates/widget.jinja2", values, request=request))
