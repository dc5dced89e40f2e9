"""Administration of the organization: departments (a tree) and their teams (by tier)."""

from __future__ import annotations

import colander
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from translationstring import TranslationString

from core.forms import csrf_form
from core.i18n import _
from core.models import Department, Team, TeamMember, User
from core.schemas import TIER_LABELS, DepartmentSchema, TeamSchema, department_tree
from core.views.admin import FORM_TEMPLATE, SAVE_BUTTONS, form_page, get_or_404


@view_config(
    route_name="core.admin.departments", renderer="core:templates/admin/departments.jinja2", permission="admin"
)
def department_list(request: Request) -> dict:
    dbsession = request.dbsession
    people = dict(
        dbsession.execute(
            select(User.department_id, func.count()).where(User.department_id.is_not(None)).group_by(User.department_id)
        ).all()
    )
    return {"tree": department_tree(dbsession), "people": people}


@view_config(route_name="core.admin.department_add", renderer=FORM_TEMPLATE, permission="admin")
def department_add(request: Request) -> dict | Response:
    form = csrf_form(DepartmentSchema(), request, buttons=SAVE_BUTTONS)

    def save(values: dict) -> TranslationString:
        department = Department()
        update_department(request.dbsession, department, values)
        return _("The department ${name} was created.", mapping={"name": department.name})

    return form_page(
        request, form, save, title=_("New department"), section=_("Departments"), list_route="core.admin.departments"
    )


@view_config(route_name="core.admin.department_edit", renderer=FORM_TEMPLATE, permission="admin")
def department_edit(request: Request) -> dict | Response:
    department: Department = get_or_404(request, Department)
    form = csrf_form(DepartmentSchema(department=department), request, buttons=SAVE_BUTTONS)

    def save(values: dict) -> TranslationString:
        update_department(request.dbsession, department, values)
        return _("The department ${name} was saved.", mapping={"name": department.name})

    return form_page(
        request,
        form,
        save,
        title=_("Edit department ${name}", mapping={"name": department.name}),
        section=_("Departments"),
        list_route="core.admin.departments",
        appstruct={"code": department.code, "name": department.name, "parent": department.parent_id or colander.null},
    )


def update_department(dbsession: Session, department: Department, values: dict) -> None:
    parent = dbsession.get(Department, values["parent"]) if values["parent"] else None
    department.code = values["code"]
    department.name = values["name"]
    department.parent = parent
    dbsession.add(department)
    dbsession.flush()


@view_config(route_name="core.admin.teams", renderer="core:templates/admin/teams.jinja2", permission="admin")
def team_list(request: Request) -> dict:
    """Teams under their department (departments in tree order), each department's by tier."""
    dbsession = request.dbsession
    teams_of: dict[int, list[Team]] = {}
    for team in dbsession.scalars(select(Team).order_by(Team.tier, Team.name)):
        teams_of.setdefault(team.department_id, []).append(team)
    members = dict(dbsession.execute(select(TeamMember.team_id, func.count()).group_by(TeamMember.team_id)).all())
    groups = [
        (department, teams_of[department.id])
        for department, _depth in department_tree(dbsession)
        if department.id in teams_of
    ]
    return {"groups": groups, "members": members, "tier_labels": TIER_LABELS}


@view_config(route_name="core.admin.team_add", renderer=FORM_TEMPLATE, permission="admin")
def team_add(request: Request) -> dict | Response:
    form = csrf_form(TeamSchema(), request, buttons=SAVE_BUTTONS)

    def save(values: dict) -> TranslationString:
        team = Team()
        update_team(request.dbsession, team, values)
        return _("The team ${name} was created.", mapping={"name": team.name})

    return form_page(request, form, save, title=_("New team"), section=_("Teams"), list_route="core.admin.teams")


@view_config(route_name="core.admin.team_edit", renderer=FORM_TEMPLATE, permission="admin")
def team_edit(request: Request) -> dict | Response:
    team: Team = get_or_404(request, Team)
    form = csrf_form(TeamSchema(team=team), request, buttons=SAVE_BUTTONS)

    def save(values: dict) -> TranslationString:
        update_team(request.dbsession, team, values)
        return _("The team ${name} was saved.", mapping={"name": team.name})

    return form_page(
        request,
        form,
        save,
        title=_("Edit team ${name}", mapping={"name": team.name}),
        section=_("Teams"),
        list_route="core.admin.teams",
        appstruct={"name": team.name, "department": team.department_id, "tier": team.tier},
    )


def update_team(dbsession: Session, team: Team, values: dict) -> None:
    department = dbsession.get(Department, values["department"])
    team.name = values["name"]
    team.department = department
    team.tier = values["tier"]
    dbsession.add(team)
    dbsession.flush()
