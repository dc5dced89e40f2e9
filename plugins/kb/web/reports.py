"""The knowledge reports page (``/desk/kb/reports``) and the dashboard's knowledge card.

Agents, team leads and managers see the articles and tickets of their departments (those in
their principals); directors and administrators see every department. The self-service measures
and the searches that found nothing come from portal visits, which belong to no department: they
are shown to everyone for the whole portal.
"""
from __future__ import annotations

import time

import colander
from markupsafe import Markup
from pyramid.renderers import render
from pyramid.view import view_config
from sqlalchemy import select

from core.db import utcnow
from core.forms import JalaliDate
from core.i18n import _, to_tehran
from core.models import Department
from core.normalize import to_persian_digits
from core.security import ALL_DEPARTMENTS
from plugins.kb import flags, reports, selfservice

PAGE = "plugins.kb:templates/reports/page.jinja2"
WIDGET = "plugins.kb:templates/reports/widget.jinja2"
DEFAULT_DAYS = 30
WIDGET_REGISTRY_KEY = "kb.recent_link_rates"
REMEMBER_SECONDS = 300
REMEMBERED_SCOPES = 512


def departments_in_scope(request) -> set[int] | None:
    """The departments whose knowledge the caller reads reports of; ``None`` for every one."""
    principals = request.principals
    if ALL_DEPARTMENTS in principals:
        return None
    return {int(p.split(":", 1)[1]) for p in principals if p.startswith("department:")}


def percent(request, ratio: float | None) -> str:
    """``۴۲٫۵٪`` in Persian, ``42.5%`` in English; a dash when there is nothing to divide."""
    if ratio is None:
        return "—"
    text = f"{ratio * 100:.1f}"
    if request.locale_name == "fa":
        return to_persian_digits(text).replace(".", "٫") + "٪"
    return text + "%"


class ReportFilter(colander.MappingSchema):
    first = colander.SchemaNode(JalaliDate(), missing=None)
    last = colander.SchemaNode(JalaliDate(), missing=None)
    department = colander.SchemaNode(colander.Int(), missing=None)

    def validator(self, node, value):
        if value["first"] and value["last"] and value["first"] > value["last"]:
            raise colander.Invalid(node["last"], _("The end of the period comes before its start."))


def parse_filter(params, scope_ids: list[int], today) -> tuple[reports.Period, int | None, dict]:
    """The period and department asked for, with a message per field that could not be used."""
    typed = {name: params.get(name, "") for name in ("first", "last", "department")}
    default = reports.Period.last_days(today, DEFAULT_DAYS)
    try:
        value = ReportFilter().deserialize({name: text or colander.null for name, text in typed.items()})
    except colander.Invalid as invalid:
        return default, None, _messages(invalid)
    department = value["department"] if value["department"] in scope_ids else None
    errors = {"department": _("Choose a value from the list.")} if value["department"] and department is None else {}
    first = value["first"] or (value["last"] or today) - (default.last - default.first)
    return reports.Period(first, value["last"] or max(today, first)), department, errors


def _messages(invalid: colander.Invalid) -> dict:
    found = {invalid.node.name: invalid.msg} if invalid.msg is not None and invalid.node.name else {}
    for child in invalid.children:
        found.update(_messages(child))
    return found


@view_config(route_name="kb.reports", request_method="GET", permission="workspace", renderer=PAGE)
def reports_page(request) -> dict:
    dbsession = request.dbsession
    today = to_tehran(utcnow()).date()
    scope = departments_in_scope(request)
    departments = list(dbsession.scalars(
        select(Department).where(reports._scoped(Department.id, scope)).order_by(Department.name)))
    period, department, errors = parse_filter(request.GET, [d.id for d in departments], today)
    chosen = {department} if department is not None else scope
    rates = reports.link_rates(dbsession, chosen, period)
    return {
        "period": period,
        "departments": departments,
        "department": department,
        "typed": {name: request.GET.get(name, "") for name in ("first", "last")},
        "errors": errors,
        "percent": lambda ratio: percent(request, ratio),
        "link_rates": rates,
        "link_total": reports.total_link_rate(rates),
        "selfservice": selfservice.success(dbsession, period.start, period.end),
        "unanswered": selfservice.unanswered(dbsession, period.start, period.end),
        "most_viewed": reports.most_viewed(dbsession, chosen),
        "least_helpful": reports.least_helpful(dbsession, chosen),
        "min_votes": reports.MIN_VOTES,
        "due": reports.due_for_review(dbsession, chosen, today),
        "today": today,
        "review_days": reports.REVIEW_WITHIN_DAYS,
        "most_reused": reports.most_reused(dbsession, chosen),
        "open_flags": reports.open_flags(dbsession, chosen),
        "flag_kinds": flags.KIND_TITLES,
        "comments": reports.helpful_comments(dbsession, chosen, period),
    }


def knowledge_widget(request) -> Markup:
    """Link rate of the last 30 days, open flags and articles due for review."""
    today = to_tehran(utcnow()).date()
    scope = departments_in_scope(request)
    health = reports.health(request.dbsession, scope, today)
    return Markup(render(WIDGET, {"link_total": recent_link_rate(request, scope, today), "health": health,
                                  "days": DEFAULT_DAYS, "percent": lambda ratio: percent(request, ratio)},
                         request=request))


def recent_link_rate(request, scope: set[int] | None, today) -> reports.LinkRate:
    """The last 30 days' link rate, remembered for a few minutes per scope: it reads every ticket
    resolved in the month, too much for each view of the dashboard, and a month's rate hardly
    moves in minutes."""
    remembered = request.registry.setdefault(WIDGET_REGISTRY_KEY, {})
    key = (None if scope is None else frozenset(scope), today)
    now = time.monotonic()
    found = remembered.get(key)
    if found is not None and found[0] > now:
        return found[1]
    period = reports.Period.last_days(today, DEFAULT_DAYS)
    rate = reports.total_link_rate(reports.link_rates(request.dbsession, scope, period))
    if len(remembered) >= REMEMBERED_SCOPES:
        remembered.clear()
    remembered[key] = (now + REMEMBER_SECONDS, rate)
    return rate
