"""The governance pages that change things: SLA and OLA agreements (the director and
administrators) and unit costs (administrators).

A form page shows its form; a valid post saves in a savepoint, flashes what happened and goes back
to the list (303); a refused one comes back as typed with the message beside the field (400).
Removals are small POST forms. Every POST carries the CSRF token (checked by Pyramid).
"""
from __future__ import annotations

from collections.abc import Callable

import colander
import deform
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config
from sqlalchemy import select

from core.db import utcnow
from core.forms import csrf_form, render_form, validate_form
from core.i18n import _
from core.models import Department
from core.plugins import flatten
from core.views.admin import FieldError, get_or_404, show_field_error
from plugins.shared_services import agreements, schemas, unit_costs
from plugins.shared_services.errors import Refused
from plugins.shared_services.facts import tehran_day
from plugins.shared_services.models import OlaAgreement, SlaAgreement, UnitCost
from plugins.shared_services.roles import EDIT_AGREEMENTS, EDIT_COSTS, VIEW

FORM_TEMPLATE = "plugins.shared_services:templates/form.jinja2"
SAVE = (deform.Button("save", _("Save")),)


def form_page(request: Request, schema: colander.Schema, save: Callable[[dict], object], *, title, back: str,
              appstruct=colander.null) -> dict | Response:
    form = csrf_form(schema, request, buttons=SAVE)
    page = {"title": title, "back_url": request.route_url(back)}
    if request.method != "POST":
        return {**page, "form_html": render_form(form, appstruct)}
    values, html = validate_form(form, request)
    if values is not None:
        try:
            with request.dbsession.begin_nested():
                message = save(values)
        except Refused as refused:
            html = show_field_error(form, FieldError(refused.field, refused.message))
        else:
            request.session.flash(request.localizer.translate(message))
            return HTTPSeeOther(location=request.route_url(back))
    request.response.status_int = 400
    return {**page, "form_html": html}


def service_titles(request: Request) -> dict[str, str]:
    return {service.key: service.title for service in flatten(
        request.registry.pluginmanager.hook.pishkhan_ticket_services(dbsession=request.dbsession, department_id=None))}


# --- SLA --------------------------------------------------------------------------------------

def sla_page(request: Request, agreement: SlaAgreement | None) -> dict | Response:
    def save(values):
        key = values["service_key"]
        values["service_title"] = service_titles(request).get(key, "") if key else ""
        agreements.save_sla(request.dbsession, agreement, values, request.user.id, utcnow())
        return _("The agreement was saved.")

    appstruct = colander.null
    if agreement is not None:
        appstruct = {name: getattr(agreement, name) for name in (
            "customer_department_id", "service_key", "target_percent", "resolution_hours", "valid_from",
            "valid_until")}
        appstruct = {name: value for name, value in appstruct.items() if value is not None}
    title = _("Change the service level agreement") if agreement else _("New service level agreement")
    return form_page(request, schemas.SlaSchema(), save, title=title, back="ssc.agreements", appstruct=appstruct)


@view_config(route_name="ssc.sla.new", renderer=FORM_TEMPLATE, permission=EDIT_AGREEMENTS)
def new_sla(request: Request) -> dict | Response:
    return sla_page(request, None)


@view_config(route_name="ssc.sla.edit", renderer=FORM_TEMPLATE, permission=EDIT_AGREEMENTS)
def edit_sla(request: Request) -> dict | Response:
    return sla_page(request, get_or_404(request, SlaAgreement))


@view_config(route_name="ssc.sla.remove", request_method="POST", permission=EDIT_AGREEMENTS)
def remove_sla(request: Request) -> Response:
    request.dbsession.delete(get_or_404(request, SlaAgreement))
    request.session.flash(request.localizer.translate(_("The agreement was removed.")))
    return HTTPSeeOther(location=request.route_url("ssc.agreements"))


# --- OLA --------------------------------------------------------------------------------------

def ola_page(request: Request, agreement: OlaAgreement | None) -> dict | Response:
    def save(values):
        agreements.save_ola(request.dbsession, agreement, values, request.user.id, utcnow())
        return _("The agreement was saved.")

    appstruct = colander.null
    if agreement is not None:
        appstruct = {name: getattr(agreement, name) for name in (
            "team_id", "target_hours", "target_percent", "valid_from", "valid_until")}
        appstruct = {name: value for name, value in appstruct.items() if value is not None}
    title = _("Change the operational level agreement") if agreement else _("New operational level agreement")
    return form_page(request, schemas.OlaSchema(), save, title=title, back="ssc.agreements", appstruct=appstruct)


@view_config(route_name="ssc.ola.new", renderer=FORM_TEMPLATE, permission=EDIT_AGREEMENTS)
def new_ola(request: Request) -> dict | Response:
    return ola_page(request, None)


@view_config(route_name="ssc.ola.edit", renderer=FORM_TEMPLATE, permission=EDIT_AGREEMENTS)
def edit_ola(request: Request) -> dict | Response:
    return ola_page(request, get_or_404(request, OlaAgreement))


@view_config(route_name="ssc.ola.remove", request_method="POST", permission=EDIT_AGREEMENTS)
def remove_ola(request: Request) -> Response:
    request.dbsession.delete(get_or_404(request, OlaAgreement))
    request.session.flash(request.localizer.translate(_("The agreement was removed.")))
    return HTTPSeeOther(location=request.route_url("ssc.agreements"))


# --- unit costs -------------------------------------------------------------------------------

def costs_list(request: Request) -> dict:
    today = tehran_day(utcnow())
    rows = request.dbsession.execute(
        select(UnitCost, Department.name).join(Department, Department.id == UnitCost.department_id)
        .order_by(Department.name, UnitCost.service_key.is_not(None), UnitCost.service_title,
                  UnitCost.valid_from.desc())
    ).all()
    in_force: dict[tuple, UnitCost] = {}
    for cost, _department in rows:
        scope = (cost.department_id, cost.service_key)
        if cost.valid_from <= today and (scope not in in_force or cost.valid_from > in_force[scope].valid_from):
            in_force[scope] = cost
    return {"rows": rows, "in_force_ids": {cost.id for cost in in_force.values()}}


@view_config(route_name="ssc.costs", request_method="GET", renderer="plugins.shared_services:templates/costs.jinja2",
             permission=VIEW)
def costs_page(request: Request) -> dict:
    form_html = None
    if request.has_permission(EDIT_COSTS):
        form = csrf_form(schemas.UnitCostSchema(), request, buttons=SAVE, action=request.route_url("ssc.costs"))
        form_html = render_form(form, {"valid_from": tehran_day(utcnow())})
    return {**costs_list(request), "form_html": form_html}


@view_config(route_name="ssc.costs", request_method="POST", renderer="plugins.shared_services:templates/costs.jinja2",
             permission=EDIT_COSTS)
def add_cost(request: Request) -> dict | Response:
    form = csrf_form(schemas.UnitCostSchema(), request, buttons=SAVE, action=request.route_url("ssc.costs"))
    values, html = validate_form(form, request)
    if values is not None:
        department_id, service_key = schemas.scope_of(values["scope"])
        try:
            with request.dbsession.begin_nested():
                unit_costs.add_unit_cost(
                    request.dbsession, department_id=department_id, service_key=service_key,
                    service_title=service_titles(request).get(service_key, "") if service_key else "",
                    cost_rials=values["cost_rials"], valid_from=values["valid_from"], actor_id=request.user.id,
                    now=utcnow())
        except Refused as refused:
            html = show_field_error(form, FieldError(refused.field, refused.message))
        else:
            request.session.flash(request.localizer.translate(_("The unit cost was saved.")))
            return HTTPSeeOther(location=request.route_url("ssc.costs"))
    request.response.status_int = 400
    return {**costs_list(request), "form_html": html}


@view_config(route_name="ssc.costs.remove", request_method="POST", permission=EDIT_COSTS)
def remove_cost(request: Request) -> Response:
    request.dbsession.delete(get_or_404(request, UnitCost))
    request.session.flash(request.localizer.translate(_("The unit cost was removed.")))
    return HTTPSeeOther(location=request.route_url("ssc.costs"))
