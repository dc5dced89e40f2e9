"""Colander schemas of the administration pages: users, departments and teams.

The choices that come from the database (departments, teams) and the rules that need it
(a department's code is unique, a parent never sits under its own child) are filled in when
``core.forms.csrf_form`` binds the schema to the request. The record being edited, if any, is
given to the schema's constructor (``UserSchema(user=…)``) so it survives that binding.
"""

from __future__ import annotations

from collections.abc import Callable

import colander
import deform
from sqlalchemy import Column, select
from sqlalchemy.orm import Session

from core.forms import (
    Digits,
    Mobile,
    NormalizedString,
    mobile_validator,
    national_code_validator,
)
from core.i18n import LANGUAGES, _
from core.models import Department, Role, Team, Tier, User
from core.security import department_subtree_ids

MAX_PASSWORD_LENGTH = 256

ROLE_LABELS = {
    Role.requester.value: _("Requester"),
    Role.agent.value: _("Agent"),
    Role.team_lead.value: _("Team lead"),
    Role.department_manager.value: _("Department manager"),
    Role.director.value: _("Shared services director"),
    Role.admin.value: _("Administrator"),
}

TIER_LABELS = {
    Tier.front_desk.value: _("L1 · front desk"),
    Tier.general_support.value: _("L2 · general support"),
    Tier.specialists.value: _("L3 · specialists"),
}

CHOOSE_FROM_LIST = _("Choose one of the listed options.")


def max_length(column: Column) -> colander.Length:
    """The length limit of a ``String`` column, so a form refuses what the database would."""
    return colander.Length(max=column.type.length, max_err=_("At most ${max} characters."))


def text_widget(**attributes) -> deform.widget.TextInputWidget:
    return deform.widget.TextInputWidget(attributes=attributes)


def department_tree(dbsession: Session) -> list[tuple[Department, int]]:
    """Every department in tree order (parents before children, siblings by name) with its depth."""
    departments = dbsession.scalars(select(Department).order_by(Department.name, Department.id)).all()
    children: dict[int | None, list[Department]] = {}
    for department in departments:
        children.setdefault(department.parent_id, []).append(department)
    ordered: list[tuple[Department, int]] = []
    stack = [(department, 0) for department in reversed(children.get(None, []))]
    while stack:
        department, depth = stack.pop()
        ordered.append((department, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(department.id, [])))
    return ordered


def department_choices(tree: list[tuple[Department, int]]) -> list[tuple[str, str]]:
    """Select options indented by depth; a non-breaking space survives HTML whitespace folding."""
    return [(str(department.id), "\u00a0\u00a0" * depth + department.name) for department, depth in tree]


def one_of_ids(ids: set[int]) -> Callable[[colander.SchemaNode, int], None]:
    def validator(node, value):
        if value not in ids:
            raise colander.Invalid(node, CHOOSE_FROM_LIST)

    return validator


def subset_of_ids(ids: set[int]) -> Callable[[colander.SchemaNode, set[int]], None]:
    def validator(node, value):
        if not value <= ids:
            raise colander.Invalid(node, CHOOSE_FROM_LIST)

    return validator


class IdSet(colander.Set):
    """Checked ids: strings in the form, a set of integers in Python."""

    def serialize(self, node, appstruct):
        if appstruct is colander.null:
            return colander.null
        return {str(value) for value in appstruct}

    def deserialize(self, node, cstruct):
        values = super().deserialize(node, cstruct)
        if values is colander.null:
            return values
        if not all(str(value).isdigit() for value in values):
            raise colander.Invalid(node, CHOOSE_FROM_LIST)
        return {int(value) for value in values}


class UserSchema(colander.Schema):
    """An account. Creating asks for a password; editing keeps the old one when left empty and
    does not change the username (it is how the person signs in and how others find them)."""

    username = colander.SchemaNode(
        NormalizedString(),
        title=_("Username"),
        validator=max_length(User.__table__.c.username),
        widget=text_widget(dir="ltr", autocomplete="off"),
    )
    full_name = colander.SchemaNode(
        NormalizedString(),
        title=_("Full name"),
        validator=max_length(User.__table__.c.full_name),
        widget=text_widget(dir="auto"),
    )
    national_code = colander.SchemaNode(
        Digits(),
        title=_("National code"),
        missing=None,
        validator=national_code_validator,
        widget=text_widget(dir="ltr", inputmode="numeric"),
    )
    mobile = colander.SchemaNode(
        Mobile(),
        title=_("Mobile"),
        missing=None,
        validator=mobile_validator,
        widget=text_widget(dir="ltr", inputmode="tel", placeholder="09121234567"),
    )
    email = colander.SchemaNode(
        NormalizedString(),
        title=_("Email"),
        missing=None,
        validator=colander.All(
            max_length(User.__table__.c.email),
            colander.Email(msg=_("Enter an email address like name@example.com.")),
        ),
        widget=text_widget(dir="ltr", inputmode="email"),
    )
    preferred_language = colander.SchemaNode(
        colander.String(),
        title=_("Language"),
        default="fa",
        validator=colander.OneOf(list(LANGUAGES), msg_err=CHOOSE_FROM_LIST),
        widget=deform.widget.SelectWidget(values=[(code, info["name"]) for code, info in LANGUAGES.items()]),
    )
    is_active = colander.SchemaNode(
        colander.Boolean(),
        title=_("Active"),
        label=_("The account may sign in"),
        default=True,
        missing=False,
        widget=deform.widget.CheckboxWidget(),
    )
    role = colander.SchemaNode(
        colander.String(),
        title=_("Role"),
        default=Role.requester.value,
        validator=colander.OneOf(list(ROLE_LABELS), msg_err=CHOOSE_FROM_LIST),
        widget=deform.widget.SelectWidget(values=list(ROLE_LABELS.items())),
    )
    department = colander.SchemaNode(colander.Integer(), title=_("Department"), missing=None)
    teams = colander.SchemaNode(IdSet(), title=_("Teams"), missing=set(), default=set())
    password = colander.SchemaNode(
        colander.String(),
        title=_("Password"),
        validator=colander.Length(max=MAX_PASSWORD_LENGTH, max_err=_("At most ${max} characters.")),
        widget=deform.widget.PasswordWidget(attributes={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user: User | None = None, **kw):
        super().__init__(*args, **kw)
        self.user = user

    def after_bind(self, node: colander.SchemaNode, kw: dict) -> None:
        dbsession = kw["request"].dbsession
        tree = department_tree(dbsession)
        node["department"].widget = deform.widget.SelectWidget(
            values=[("", _("No department"))] + department_choices(tree)
        )
        node["department"].validator = one_of_ids({department.id for department, _depth in tree})
        teams = dbsession.execute(
            select(Team.id, Team.name, Department.name)
            .join(Team.department)
            .order_by(Department.name, Team.tier, Team.name)
        ).all()
        node["teams"].widget = deform.widget.CheckboxChoiceWidget(
            values=[(str(team_id), f"{department_name} · {name}") for team_id, name, department_name in teams]
        )
        node["teams"].validator = subset_of_ids({team_id for team_id, _name, _department in teams})
        if self.user is not None:
            del node["username"]
            node["password"].missing = None
            node["password"].description = _("Leave empty to keep the current password.")


class DepartmentSchema(colander.Schema):
    """A department: a short unique code, a name and the department it belongs to."""

    code = colander.SchemaNode(
        NormalizedString(),
        title=_("Code"),
        description=_("Lowercase Latin letters, digits, dots and dashes, for example it-eng."),
        validator=colander.All(
            max_length(Department.__table__.c.code),
            colander.Regex(r"^[a-z0-9][a-z0-9.-]*$", msg=_("Use lowercase Latin letters, digits, dots and dashes.")),
        ),
        widget=text_widget(dir="ltr", autocomplete="off"),
    )
    name = colander.SchemaNode(
        NormalizedString(),
        title=_("Name"),
        validator=max_length(Department.__table__.c.name),
        widget=text_widget(dir="auto"),
    )
    parent = colander.SchemaNode(colander.Integer(), title=_("Part of"), missing=None)

    def __init__(self, *args, department: Department | None = None, **kw):
        super().__init__(*args, **kw)
        self.department = department

    def after_bind(self, node: colander.SchemaNode, kw: dict) -> None:
        dbsession = kw["request"].dbsession
        editing = self.department
        # A department under itself or under one of its own sub-departments would make a cycle.
        refused = department_subtree_ids(dbsession, editing.id) if editing is not None else set()
        tree = department_tree(dbsession)
        node["parent"].widget = deform.widget.SelectWidget(
            values=[("", _("None (a top-level department)"))]
            + department_choices([(department, depth) for department, depth in tree if department.id not in refused])
        )
        known = {department.id for department, _depth in tree}

        def parent_validator(child, value):
            if value in refused:
                raise colander.Invalid(
                    child, _("A department cannot be placed under itself or under one of its sub-departments.")
                )
            if value not in known:
                raise colander.Invalid(child, CHOOSE_FROM_LIST)

        def code_validator(child, value):
            taken = dbsession.scalar(
                select(Department.id).where(
                    Department.code == value, Department.id != (editing.id if editing is not None else None)
                )
            )
            if taken is not None:
                raise colander.Invalid(child, _("Another department already has this code."))

        node["parent"].validator = parent_validator
        node["code"].validator = colander.All(node["code"].validator, code_validator)


class TeamSchema(colander.Schema):
    """A team: its name, its department and the tier it works at."""

    name = colander.SchemaNode(
        NormalizedString(),
        title=_("Name"),
        validator=max_length(Team.__table__.c.name),
        widget=text_widget(dir="auto"),
    )
    department = colander.SchemaNode(colander.Integer(), title=_("Department"))
    tier = colander.SchemaNode(
        colander.Integer(),
        title=_("Tier"),
        default=Tier.front_desk.value,
        validator=colander.OneOf(list(TIER_LABELS), msg_err=CHOOSE_FROM_LIST),
        widget=deform.widget.SelectWidget(values=[(str(tier), label) for tier, label in TIER_LABELS.items()]),
    )

    def __init__(self, *args, team: Team | None = None, **kw):
        super().__init__(*args, **kw)
        self.team = team

    def after_bind(self, node: colander.SchemaNode, kw: dict) -> None:
        self.dbsession = kw["request"].dbsession
        tree = department_tree(self.dbsession)
        node["department"].widget = deform.widget.SelectWidget(values=department_choices(tree))
        node["department"].validator = one_of_ids({department.id for department, _depth in tree})

    def validator(self, node: colander.SchemaNode, value: dict) -> None:
        """A department's teams have different names."""
        taken = self.dbsession.scalar(
            select(Team.id).where(
                Team.department_id == value["department"],
                Team.name == value["name"],
                Team.id != (self.team.id if self.team is not None else None),
            )
        )
        if taken is not None:
            error = colander.Invalid(node)
            error["name"] = _("This department already has a team with this name.")
            raise error
