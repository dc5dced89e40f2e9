"""The governance pages that read: the overview, the agreements measured in a period, the
customer units and each one's dashboard, and showback with its CSV export.

Every page takes its period from the query string (``period``, or ``period=range`` with Jalali
``start`` and ``end``); a period typed wrong is shown with its message (400) and this month's
figures.
"""
from __future__ import annotations

from datetime import date

from pyramid.httpexceptions import HTTPNotFound
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config
from sqlalchemy import select

from core.db import utcnow
from core.i18n import _
from core.models import Department
from plugins.shared_services import customers, showback
from plugins.shared_services.agreements import AT_RISK, MET, MISSED, measure_olas, measure_slas
from plugins.shared_services.facts import tehran_day
from plugins.shared_services.periods import CHOICES, Period, named_period, period_from
from plugins.shared_services.roles import EDIT_AGREEMENTS, EDIT_COSTS, VIEW

GUESTS = _("Guests (no unit)")


def chosen_period(request: Request, today: date) -> tuple[Period, dict]:
    period, errors = period_from(request.GET, today)
    if errors:
        request.response.status_int = 400
    return period, errors


def period_page(request: Request, period: Period, errors: dict, **values) -> dict:
    return {"period": period, "period_errors": errors, "period_choices": CHOICES, **values}


def status_counts(measures) -> dict[str, int]:
    counts = {MET: 0, AT_RISK: 0, MISSED: 0}
    for measure in measures:
        if measure.status in counts:
            counts[measure.status] += 1
    return counts


@view_config(route_name="ssc.overview", renderer="plugins.shared_services:templates/overview.jinja2",
             permission=VIEW)
def overview(request: Request) -> dict:
    now = utcnow()
    today = tehran_day(now)
    period = named_period("this_month", today)
    slas = measure_slas(request.dbsession, period, today)
    olas = measure_olas(request.dbsession, period, now)
    totals = customers.CustomerFigures(None)
    for row in customers.figures(request.dbsession, period).values():
        for name in ("volume", "resolved", "counted", "within_target", "resolution_seconds", "rated", "score_total",
                     "satisfied"):
            setattr(totals, name, getattr(totals, name) + getattr(row, name))
    report = showback.report(request.dbsession, request.registry.pluginmanager.hook, period, today,
                             request.localizer.translate(GUESTS))
    return {"period": period, "sla_counts": status_counts(slas), "ola_counts": status_counts(olas),
            "totals": totals, "report": report}


@view_config(route_name="ssc.agreements", renderer="plugins.shared_services:templates/agreements.jinja2",
             permission=VIEW)
def agreements_page(request: Request) -> dict:
    now = utcnow()
    period, errors = chosen_period(request, tehran_day(now))
    return period_page(request, period, errors,
                       slas=measure_slas(request.dbsession, period, tehran_day(now)),
                       olas=measure_olas(request.dbsession, period, now),
                       may_edit=request.has_permission(EDIT_AGREEMENTS))


@view_config(route_name="ssc.customers", renderer="plugins.shared_services:templates/customers.jinja2",
             permission=VIEW)
def customers_page(request: Request) -> dict:
    period, errors = chosen_period(request, tehran_day(utcnow()))
    units = customers.customer_units(request.dbsession)
    rows = sorted(customers.figures(request.dbsession, period).values(),
                  key=lambda row: (-row.volume, units[row.department_id].name if row.department_id in units else ""))
    return period_page(request, period, errors, rows=rows, units=units, guests=GUESTS)


@view_config(route_name="ssc.customer", renderer="plugins.shared_services:templates/customer.jinja2",
             permission=VIEW)
def customer_page(request: Request) -> dict:
    department = request.dbsession.scalar(select(Department).where(Department.code == request.matchdict["code"]))
    if department is None:
        raise HTTPNotFound()
    today = tehran_day(utcnow())
    period, errors = chosen_period(request, today)
    figures = customers.figures(request.dbsession, period, department.id, only_one=True).get(
        department.id, customers.CustomerFigures(department.id))
    return period_page(request, period, errors, department=department, figures=figures,
                       services=customers.top_services(request.dbsession, period, department.id),
                       agreements=measure_slas(request.dbsession, period, today, department.id))


@view_config(route_name="ssc.showback", renderer="plugins.shared_services:templates/showback.jinja2",
             permission=VIEW)
def showback_page(request: Request) -> dict:
    today = tehran_day(utcnow())
    period, errors = chosen_period(request, today)
    report = showback.report(request.dbsession, request.registry.pluginmanager.hook, period, today,
                             request.localizer.translate(GUESTS))
    return period_page(request, period, errors, report=report, may_edit_costs=request.has_permission(EDIT_COSTS))


@view_config(route_name="ssc.showback.csv", permission=VIEW)
def showback_csv(request: Request) -> Response:
    today = tehran_day(utcnow())
    period, errors = period_from(request.GET, today)
    if errors:
        return Response(status=400, content_type="text/plain", charset="utf-8",
                        text="\n".join(request.localizer.translate(message) for message in errors.values()))
    report = showback.report(request.dbsession, request.registry.pluginmanager.hook, period, today,
                             request.localizer.translate(GUESTS))
    filename = f"showback-{showback.jalali(period.start)}-{showback.jalali(period.end)}.csv".replace("/", "-")
    return Response(body=showback.to_csv(report, request.localizer.translate), content_type="text/csv",
                    charset="utf-8", content_disposition=f'attachment; filename="{filename}"')
