"""The identity card's form in the workspace (colander + deform).

Numbers are typed in any digits (Persian, Arabic or Latin) and costs with or without thousands
separators. The choices and rules that need the database (the departments the editor may use,
their teams, an ID not taken, an owner who exists) are filled in when ``core.forms.csrf_form``
binds the schema to the request; the card being edited is given to the constructor.
"""
from __future__ import annotations

import re

import colander
import deform
from sqlalchemy import select

from core.contracts import (
    APPROVERS,
    LIFE_EVENTS,
    SERVICE_CHANNELS,
    SERVICE_LEVELS,
    SERVICE_NATURES,
    SERVICE_STAGES,
    SERVICE_TRIGGERS,
    SERVICE_TYPES,
)
from core.forms import NormalizedString
from core.i18n import _
from core.models import Team, User
from core.normalize import normalize_username, to_latin_digits
from core.schemas import CHOOSE_FROM_LIST, department_choices, department_tree, max_length, text_widget
from plugins.catalog import labels
from plugins.catalog.cards import clean_service_id, is_service_id
from plugins.catalog.models import CatalogServiceRow

TASK_ROWS = 5
SEPARATORS = re.compile(r"[\s,٬،_]")
NOT_A_NUMBER = _("Enter a whole number, in Persian or Latin digits.")
COLUMNS = CatalogServiceRow.__table__.c


class Count(colander.SchemaType):
    """A whole number typed in any digits, with or without thousands separators."""

    def serialize(self, node, appstruct):
        if appstruct in (colander.null, None):
            return colander.null
        return str(appstruct)

    def deserialize(self, node, cstruct):
        if cstruct in (colander.null, None) or not str(cstruct).strip():
            return colander.null
        text = SEPARATORS.sub("", to_latin_digits(str(cstruct))).replace("−", "-")
        if not re.fullmatch(r"-?\d{1,18}", text):
            raise colander.Invalid(node, NOT_A_NUMBER)
        return int(text)


class Lines(colander.SchemaType):
    """A list of texts, one per line of a text area (empty lines dropped)."""

    def serialize(self, node, appstruct):
        if appstruct in (colander.null, None):
            return colander.null
        return "\n".join(appstruct)

    def deserialize(self, node, cstruct):
        if cstruct in (colander.null, None):
            return []
        text = NormalizedString(multiline=True).deserialize(node, cstruct)
        return [] if text is colander.null else [line.strip() for line in text.split("\n") if line.strip()]


class ServiceId(colander.String):
    def deserialize(self, node, cstruct):
        value = super().deserialize(node, cstruct)
        return clean_service_id(value) if value is not colander.null else value


def service_id_validator(node, value):
    if not is_service_id(value):
        raise colander.Invalid(node, _("The service ID must be exactly 11 digits, for example 10061073000."))


def choices(codes, names: dict) -> list[tuple[str, object]]:
    return [(code, names[code]) for code in codes]


def choice(title, codes, names: dict, default: str) -> colander.SchemaNode:
    return colander.SchemaNode(colander.String(), title=title, default=default, validator=one_of(codes),
                               widget=deform.widget.SelectWidget(values=choices(codes, names)))


def one_of(codes) -> colander.OneOf:
    return colander.OneOf(list(codes), msg_err=CHOOSE_FROM_LIST)


def line(title, column: str | None, description="") -> colander.SchemaNode:
    """A one-line text; ``column`` (a ``String`` column's name) limits its length."""
    return colander.SchemaNode(NormalizedString(), title=title, description=description, missing="",
                               validator=max_length(COLUMNS[column]) if column else None,
                               widget=text_widget(dir="auto"))


def text(title, description="", rows: int = 3) -> colander.SchemaNode:
    return colander.SchemaNode(NormalizedString(multiline=True), title=title, description=description, missing="",
                               widget=deform.widget.TextAreaWidget(rows=rows, attributes={"dir": "auto"}))


ONE_PER_LINE = _("One per line.")


def lines(title, description=ONE_PER_LINE) -> colander.SchemaNode:
    return colander.SchemaNode(Lines(), title=title, description=description, missing=[],
                               widget=deform.widget.TextAreaWidget(rows=3, attributes={"dir": "auto"}))


def count(title, minimum: int, message, description="", missing=colander.required) -> colander.SchemaNode:
    return colander.SchemaNode(Count(), title=title, description=description, missing=missing,
                               validator=colander.Range(min=minimum, min_err=message),
                               widget=text_widget(dir="ltr", inputmode="numeric"))


def checkbox(title, description="", name: str = "") -> colander.SchemaNode:
    return colander.SchemaNode(colander.Boolean(), name=name, title=title, description=description, missing=False,
                               widget=deform.widget.CheckboxWidget())


def subset_of(codes):
    def validator(node, value):
        if not set(value) <= set(codes):
            raise colander.Invalid(node, CHOOSE_FROM_LIST)

    return validator


def stage_node(stage: str) -> colander.SchemaNode:
    node = colander.SchemaNode(colander.Mapping(), name=stage, title=labels.STAGE_LABELS[stage])
    node.add(colander.SchemaNode(
        colander.Set(), name="channels", title=_("Channels"), missing=set(), validator=subset_of(SERVICE_CHANNELS),
        widget=deform.widget.CheckboxChoiceWidget(values=choices(SERVICE_CHANNELS, labels.CHANNEL_LABELS),
                                                  inline=True)))
    node.add(checkbox(_("Done electronically"), name="electronic"))
    return node


def task_row(index: int) -> colander.SchemaNode:
    node = colander.SchemaNode(colander.Mapping(), name=f"task{index}",
                               title=_("Task ${number}", mapping={"number": index}))
    node.add(colander.SchemaNode(NormalizedString(), name="task", title=_("What is done"), missing="",
                                 widget=text_widget(dir="auto")))
    node.add(colander.SchemaNode(colander.String(), name="team", title=_("Team"), missing=""))
    return node


class CardSchema(colander.Schema):
    """Every field of the identity card (DOMAIN §1.3), in the order of Annex 1."""

    service_id = colander.SchemaNode(
        ServiceId(), title=_("Service ID"), validator=service_id_validator,
        description=_("The 11-digit national service ID; Persian or Latin digits."),
        widget=text_widget(dir="ltr", inputmode="numeric", autocomplete="off"))
    title = colander.SchemaNode(NormalizedString(), title=_("Service title"), validator=max_length(COLUMNS["title"]),
                                widget=text_widget(dir="auto"))
    department = colander.SchemaNode(colander.Integer(), title=_("Department"))
    process = line(_("Process"), "process")
    sub_services = lines(_("Sub-services"))
    description = text(_("What the service is"), rows=4)
    type = choice(_("Type"), SERVICE_TYPES, labels.TYPE_LABELS, "G2C")
    audience = line(_("Who receives it"), None)
    nature = choice(_("Nature"), SERVICE_NATURES, labels.NATURE_LABELS, "operational")
    levels = colander.SchemaNode(
        colander.Set(), title=_("Level"), missing=set(), validator=subset_of(SERVICE_LEVELS),
        widget=deform.widget.CheckboxChoiceWidget(values=choices(SERVICE_LEVELS, labels.LEVEL_LABELS),
                                                  inline=True))
    life_event = choice(_("Related life event"), LIFE_EVENTS, labels.LIFE_EVENT_LABELS, "other")
    trigger = choice(_("How it starts"), SERVICE_TRIGGERS, labels.TRIGGER_LABELS, "request")
    required_documents = lines(_("Required documents"))
    yearly_volume = count(_("Number served per year"), 0, _("The number served cannot be negative."), missing=None)
    duration_days = count(_("Average time to deliver (working days)"), 1,
                          _("The average time must be at least one working day."),
                          description=_("Printed on the receipt as the promised date."))
    once_for_ever = checkbox(_("Once for ever"))
    frequency = line(_("Frequency"), "frequency", _("For example: twice a year."))
    visits = count(_("In-person visits needed"), 0, _("The number of visits cannot be negative."), missing=0)
    cost_rials = count(_("Cost of the service (rials)"), 0, _("The cost cannot be negative."), missing=0,
                       description=_("0 for a free service; separators such as 120,000 are fine."))
    payment_account = line(_("Paid into"), "payment_account", _("The account the cost is paid into."))
    stages = colander.SchemaNode(colander.Mapping(), title=_("Channels by stage"),
                                 description=_("The stages done electronically give the service's e-level."))
    integrations = lines(_("Links to other systems and inquiries"))
    procedure = text(_("Procedure"), _("The steps, one per line."), rows=5)
    notes = text(_("Notes"))
    owner = line(_("Service owner"), "owner")
    owner_username = colander.SchemaNode(
        NormalizedString(), title=_("Service owner's username"), missing=None,
        preparer=lambda value: normalize_username(value) if value else value,
        description=_("The person who approves requests as the service owner."),
        widget=text_widget(dir="ltr", autocomplete="off"))
    contact = line(_("Contact"), "contact", _("Telephone, e-mail or office of the person responsible."))
    sla = text(_("Service level"))
    keywords = lines(_("Search words"), _("Other words people use for this service, one per line."))
    approvals = colander.SchemaNode(
        colander.Set(), title=_("Approvals before fulfilment"), missing=set(), validator=subset_of(APPROVERS),
        description=_("In this order, as checked."),
        widget=deform.widget.CheckboxChoiceWidget(values=choices(APPROVERS, labels.APPROVER_LABELS)))
    tasks = colander.SchemaNode(colander.Mapping(), title=_("Fulfilment tasks"),
                                description=_("Each task goes to a team of the service's department."))
    public = checkbox(_("Shown in the public catalog"), _("Unchecked: an internal service, shown to staff only."))
    is_active = checkbox(_("Active"), _("An inactive service leaves the catalog; its tickets stay."))
    version = colander.SchemaNode(colander.Integer(), missing=None, widget=deform.widget.HiddenWidget())

    def __init__(self, *args, card: CatalogServiceRow | None = None, departments: set[int] | None = None, **kw):
        super().__init__(*args, **kw)
        self.card = card
        self.departments = departments  # the ones the editor may use; None: every one

    def after_bind(self, node: colander.SchemaNode, kw: dict) -> None:
        for stage in SERVICE_STAGES:
            node["stages"].add(stage_node(stage))
        for index in range(1, TASK_ROWS + 1):
            node["tasks"].add(task_row(index))
        dbsession = kw["request"].dbsession
        tree = [(department, depth) for department, depth in department_tree(dbsession)
                if self.departments is None or department.id in self.departments]
        node["department"].widget = deform.widget.SelectWidget(values=department_choices(tree))
        allowed = {department.id for department, _depth in tree}
        node["department"].validator = one_of(allowed)
        teams = dbsession.execute(select(Team.department_id, Team.name).where(Team.department_id.in_(allowed))
                                  .order_by(Team.tier, Team.name)).all()
        # A team a plugin's card names stays shown even if the department has none by that name.
        names = {name for _department, name in teams}
        if self.card is not None:
            names |= {task["team"] for task in self.card.tasks or ()}
        names = sorted(names)
        for index in range(1, TASK_ROWS + 1):
            node["tasks"][f"task{index}"]["team"].widget = deform.widget.SelectWidget(
                values=[("", _("Choose a team"))] + [(name, name) for name in names])
        if self.card is not None:
            del node["service_id"]  # tickets name the service by it, the upgrade finds its card by it
        else:
            node["service_id"].validator = colander.All(service_id_validator, self._not_taken(dbsession))
        node["owner_username"].validator = self._known_user(dbsession)
        node.validator = self._tasks_of_department(teams)

    def _not_taken(self, dbsession):
        def validator(node, value):
            other = dbsession.scalar(select(CatalogServiceRow.id).where(CatalogServiceRow.service_id == value))
            if other is not None and (self.card is None or other != self.card.id):
                raise colander.Invalid(node, _("Another service already has the ID ${id}.", mapping={"id": value}))

        return validator

    @staticmethod
    def _known_user(dbsession):
        def validator(node, value):
            if dbsession.scalar(select(User.id).where(User.username == value)) is None:
                raise colander.Invalid(node, _("There is no user with this username."))

        return validator

    @staticmethod
    def _tasks_of_department(teams: list[tuple[int, str]]):
        def validator(node, values):
            tasks = node["tasks"]
            tasks_invalid = colander.Invalid(tasks)
            for position, row_node in enumerate(tasks.children):
                row = values["tasks"][row_node.name]
                message = None
                if row["task"] and not row["team"]:
                    message = _("Choose the team that does this task.")
                elif row["team"] and (values["department"], row["team"]) not in teams:
                    message = _("The service's department has no team with this name.")
                if message is not None:
                    row_invalid = colander.Invalid(row_node)
                    row_invalid["team"] = message
                    tasks_invalid.add(row_invalid, position)
            if tasks_invalid.children:
                invalid = colander.Invalid(node)
                invalid.add(tasks_invalid, node.children.index(tasks))
                raise invalid

        return validator
