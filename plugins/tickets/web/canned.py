"""Canned responses (/desk/canned-responses): the replies agents insert on the ticket page.

Every agent reads the ones of their departments and the organization-wide ones. Team leads and
department managers write their departments' (their department, those under it and their teams');
directors and administrators write every department's and the organization-wide ones. A post
is a deform form (add or edit) or a small button form (delete); a refused one shows the page
again with what was typed (400).
"""
from __future__ import annotations

import colander
import deform
from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config
from sqlalchemy import or_, select

from core.forms import NormalizedString, csrf_form, render_form, validate_form
from core.i18n import _
from core.models import Department, Role
from core.schemas import CHOOSE_FROM_LIST, department_choices, department_tree, max_length, text_widget
from core.security import home_department_ids
from plugins.tickets.models import CannedResponse

EVERY_DEPARTMENT_ROLES = {Role.director.value, Role.admin.value}
WRITER_ROLES = {Role.team_lead.value, Role.department_manager.value} | EVERY_DEPARTMENT_ROLES
MAX_BODY = 5000
ORGANIZATION = ""  # the department choice of organization-wide responses


class CannedSchema(colander.Schema):
    department = colander.SchemaNode(colander.String(), title=_("Department"), missing=ORGANIZATION)
    title = colander.SchemaNode(NormalizedString(), title=_("Title"),
                                validator=max_length(CannedResponse.__table__.c.title),
                                widget=text_widget(dir="auto"))
    body = colander.SchemaNode(NormalizedString(multiline=True), title=_("Text of the reply"),
                               validator=colander.Length(max=MAX_BODY, max_err=_("At most ${max} characters.")),
                               widget=deform.widget.TextAreaWidget(rows=6, attributes={"dir": "auto"}))

    def after_bind(self, node, kw):
        choices = kw["choices"]
        node["department"].widget = deform.widget.SelectWidget(values=choices)
        node["department"].validator = colander.OneOf([value for value, _label in choices], msg_err=CHOOSE_FROM_LIST)


def readable_departments(request: Request) -> set[int] | None:
    """Departments whose canned responses the user reads: theirs, those under it and their
    teams'; ``None`` for every one."""
    user = request.user
    if user.role in EVERY_DEPARTMENT_ROLES:
        return None
    return home_department_ids(request.dbsession, user)


def writable_departments(request: Request, readable: set[int] | None) -> set[int] | None:
    """Departments whose canned responses the user writes; ``None`` for every one (and the
    organization-wide ones)."""
    return readable if request.user.role in WRITER_ROLES else set()


def may_write(writable: set[int] | None, department_id: int | None) -> bool:
    return writable is None or (department_id is not None and department_id in writable)


def department_options(request: Request, writable: set[int] | None) -> list[tuple[str, str]]:
    options = department_choices(department_tree(request.dbsession))
    if writable is None:
        return [(ORGANIZATION, request.localizer.translate(_("Every department")))] + options
    return [(value, title) for value, title in options if int(value) in writable]


@view_config(route_name="tickets.canned", renderer="plugins.tickets:templates/canned/list.jinja2",
             permission="workspace")
def canned_responses(request: Request) -> dict | Response:
    dbsession = request.dbsession
    readable = readable_departments(request)
    writable = writable_departments(request, readable)
    editing = _writable_response(request, writable, request.GET.get("edit", ""))
    form = None
    if writable is None or writable:
        here = request.route_path("tickets.canned", _query={"edit": editing.id} if editing else {})
        form = csrf_form(CannedSchema(), request, bindings={"choices": department_options(request, writable)},
                         buttons=(deform.Button("save", _("Save")),), formid="canned",
                         action=here + "#write")
    form_html = render_form(form, _appstruct(editing)) if form is not None else None

    if request.method == "POST":
        if request.POST.get("action") == "delete":
            return _delete(request, writable)
        if form is None:
            raise HTTPNotFound()
        values, failed = validate_form(form, request)
        if values is None:
            request.response.status_int = 400
            form_html = failed
        else:
            return _save(request, editing, values)

    query = select(CannedResponse, Department.name).outerjoin(Department, Department.id == CannedResponse.department_id)
    if readable is not None:
        query = query.where(or_(CannedResponse.department_id.is_(None), CannedResponse.department_id.in_(readable)))
    rows = dbsession.execute(query.order_by(Department.name.is_not(None), Department.name, CannedResponse.title)).all()
    return {"rows": rows, "form_html": form_html, "editing": editing,
            "may_write": lambda canned: may_write(writable, canned.department_id)}


def _writable_response(request: Request, writable: set[int] | None, text: str) -> CannedResponse | None:
    """The response numbered ``text`` (being edited or deleted), ``None`` for no number; 404 when
    there is none the user may write."""
    if not text:
        return None
    canned = request.dbsession.get(CannedResponse, int(text)) if text.isdecimal() and len(text) <= 18 else None
    if canned is None or not may_write(writable, canned.department_id):
        raise HTTPNotFound()
    return canned


def _appstruct(canned: CannedResponse | None) -> dict | colander._null:
    if canned is None:
        return colander.null
    department = ORGANIZATION if canned.department_id is None else str(canned.department_id)
    return {"department": department, "title": canned.title, "body": canned.body}


def _save(request: Request, canned: CannedResponse | None, values: dict) -> HTTPSeeOther:
    department_id = int(values["department"]) if values["department"] != ORGANIZATION else None
    if canned is None:
        canned = CannedResponse()
        request.dbsession.add(canned)
        message = _("The canned response “${title}” was added.", mapping={"title": values["title"]})
    else:
        message = _("The canned response “${title}” was saved.", mapping={"title": values["title"]})
    canned.department_id, canned.title, canned.body = department_id, values["title"], values["body"]
    request.dbsession.flush()
    request.session.flash(request.localizer.translate(message))
    return HTTPSeeOther(location=request.route_path("tickets.canned") + f"#canned-{canned.id}")


def _delete(request: Request, writable: set[int] | None) -> HTTPSeeOther:
    canned = _writable_response(request, writable, request.POST.get("id", ""))
    if canned is None:
        raise HTTPNotFound()
    request.dbsession.delete(canned)
    request.session.flash(request.localizer.translate(
        _("The canned response “${title}” was deleted.", mapping={"title": canned.title})))
    return HTTPSeeOther(location=request.route_path("tickets.canned"))
