"""Colander schemas of the center's forms: SLA and OLA agreements and unit costs.

Choices from the database (departments, teams, services) are filled in when
``core.forms.csrf_form`` binds the schema to the request. Numbers are typed in any digits, with
or without thousands separators; every refusal is a sentence beside its field.
"""
from __future__ import annotations

import colander
import deform
from sqlalchemy import select

from core.forms import JalaliDate, JalaliDateWidget
from core.i18n import _
from core.models import Department, Team
from core.normalize import to_latin_digits
from core.plugins import flatten
from core.schemas import CHOOSE_FROM_LIST, department_choices, department_tree, text_widget
from plugins.shared_services.unit_costs import MAX_RIALS

ALL_SERVICES = _("All services")
SEPARATORS = str.maketrans("", "", ",٬، _")
MINUS_SIGNS = ("-", "−", "‐", "–")


class WholeNumber(colander.SchemaType):
    """An ``int`` typed with Persian, Arabic or Latin digits, thousands separators allowed."""

    def serialize(self, node, appstruct):
        if appstruct is colander.null or appstruct is None:
            return colander.null
        return str(appstruct)

    def deserialize(self, node, cstruct):
        if cstruct in (colander.null, None) or not str(cstruct).strip():
            return colander.null
        text = to_latin_digits(str(cstruct)).strip().translate(SEPARATORS)
        negative = text.startswith(MINUS_SIGNS)
        digits = text[1:] if negative else text
        if not digits.isdigit() or len(digits) > 18:
            raise colander.Invalid(node, _("Write a whole number, for example 90."))
        return -int(digits) if negative else int(digits)


def number_node(title, validator, *, missing=colander.required, description="", name="") -> colander.SchemaNode:
    return colander.SchemaNode(WholeNumber(), name=name, title=title, validator=validator, missing=missing,
                               description=description, widget=text_widget(dir="ltr", inputmode="numeric"))


def date_node(title, *, missing=colander.required, description="") -> colander.SchemaNode:
    return colander.SchemaNode(JalaliDate(), title=title, missing=missing, description=description,
                               widget=JalaliDateWidget())


PERCENT = colander.Range(0, 100, min_err=_("The target must be a percentage from 0 to 100."),
                         max_err=_("The target must be a percentage from 0 to 100."))
HOURS = colander.Range(1, 24 * 366, min_err=_("Give at least one hour."),
                       max_err=_("Give at most a year of hours."))


def dates_in_order(node, values):
    if values.get("valid_until") is not None and values["valid_until"] < values["valid_from"]:
        error = colander.Invalid(node)
        error["valid_until"] = _("The end date is before the start date.")
        raise error


def services_choices(request) -> list[tuple[str, str]]:
    """Every service requesters may ask for, as ``(key, "department › title")``."""
    names = dict(request.dbsession.execute(select(Department.id, Department.name)).all())
    services = flatten(request.registry.pluginmanager.hook.pishkhan_ticket_services(
        dbsession=request.dbsession, department_id=None))
    return sorted(((service.key, f"{names.get(service.department_id, '')} › {service.title}") for service in services),
                  key=lambda choice: choice[1])


def choose_from(node: colander.SchemaNode, choices: list[tuple[str, str]]) -> None:
    node.widget = deform.widget.SelectWidget(values=choices)
    node.validator = colander.OneOf([value for value, _label in choices if value != ""], msg_err=CHOOSE_FROM_LIST)


class SlaSchema(colander.Schema):
    """An SLA with a customer unit."""

    customer_department_id = colander.SchemaNode(colander.Integer(), title=_("Customer unit"),
                                                 description=_("The department the requesters belong to."))
    service_key = colander.SchemaNode(colander.String(), title=_("Service"), missing=None)
    target_percent = number_node(_("Requests resolved within their target (%)"), PERCENT)
    resolution_hours = number_node(_("Average resolution time at most (hours)"), HOURS, missing=None,
                                   description=_("Calendar hours from contact to resolution; empty for no "
                                                 "time target."))
    valid_from = date_node(_("Valid from"))
    valid_until = date_node(_("Valid until"), missing=None, description=_("Empty: until further notice."))

    def __init__(self, *args, **kw):
        super().__init__(*args, validator=dates_in_order, **kw)

    def after_bind(self, node, kw):
        request = kw["request"]
        choose_from(node["customer_department_id"], department_choices(department_tree(request.dbsession)))
        node["customer_department_id"].validator = colander.OneOf(
            [int(value) for value, _label in node["customer_department_id"].widget.values], msg_err=CHOOSE_FROM_LIST)
        services = services_choices(request)
        node["service_key"].widget = deform.widget.SelectWidget(
            values=[("", request.localizer.translate(ALL_SERVICES))] + services)
        node["service_key"].validator = colander.OneOf([key for key, _label in services], msg_err=CHOOSE_FROM_LIST)


class OlaSchema(colander.Schema):
    """An OLA with a team above the front desk."""

    team_id = colander.SchemaNode(colander.Integer(), title=_("Team"))
    target_hours = number_node(_("Settled within (hours)"), HOURS,
                               description=_("Calendar hours from the hand-off to the team's resolution or "
                                             "hand-back."))
    target_percent = number_node(_("Hand-offs settled within that time (%)"), PERCENT)
    valid_from = date_node(_("Valid from"))
    valid_until = date_node(_("Valid until"), missing=None, description=_("Empty: until further notice."))

    def __init__(self, *args, **kw):
        super().__init__(*args, validator=dates_in_order, **kw)

    def after_bind(self, node, kw):
        rows = kw["request"].dbsession.execute(
            select(Team.id, Team.name, Department.name).join(Department, Department.id == Team.department_id)
            .where(Team.tier > 1).order_by(Department.name, Team.tier, Team.name)).all()
        choices = [(str(team_id), f"{team} › {department}") for team_id, team, department in rows]
        node["team_id"].widget = deform.widget.SelectWidget(values=choices)
        node["team_id"].validator = colander.OneOf([team_id for team_id, _t, _d in rows], msg_err=CHOOSE_FROM_LIST)


def cost_scopes(request) -> list[tuple[str, str]]:
    """``d:<department>`` (the department's default) and ``s:<department>:<service key>``."""
    services: dict[int, list] = {}
    for service in flatten(request.registry.pluginmanager.hook.pishkhan_ticket_services(
            dbsession=request.dbsession, department_id=None)):
        services.setdefault(service.department_id, []).append(service)
    default = request.localizer.translate(_("(every service)"))
    choices = []
    for department, depth in department_tree(request.dbsession):
        indent = "\u00a0\u00a0" * depth
        choices.append((f"d:{department.id}", f"{indent}{department.name} {default}"))
        choices += [(f"s:{department.id}:{service.key}", f"{indent}\u00a0\u00a0› {service.title}")
                    for service in sorted(services.get(department.id, ()), key=lambda s: s.title)]
    return choices


class UnitCostSchema(colander.Schema):
    scope = colander.SchemaNode(colander.String(), title=_("Department or service"))
    cost_rials = number_node(_("Cost of one request (rials)"), colander.Range(
        0, MAX_RIALS, min_err=_("A unit cost cannot be negative."),
        max_err=_("This cost is too large; write it in rials without separators.")))
    valid_from = date_node(_("Valid from"), description=_("The cost applies from this day on, until a later one."))

    def after_bind(self, node, kw):
        choose_from(node["scope"], cost_scopes(kw["request"]))


def scope_of(value: str) -> tuple[int, str | None]:
    """``d:12`` → ``(12, None)``; ``s:12:catalog:10061073000`` → ``(12, "catalog:10061073000")``."""
    kind, _sep, rest = value.partition(":")
    if kind == "s":
        department, _sep, key = rest.partition(":")
        return int(department), key
    return int(rest), None
