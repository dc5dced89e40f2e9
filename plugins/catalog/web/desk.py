"""Editing identity cards in the workspace (``/desk/catalog``).

Administrators and the director edit every card and create new ones; a department manager those
of their department and the departments under it (``plugins.catalog.access``); anyone else gets
403. A save carries the version the editor read: when someone saved in between, the form comes
back with what was typed and a conflict message, and saving again overwrites. A card's service ID
is set when it is created and never changes: tickets name the service by it.
"""
from __future__ import annotations

import deform
from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from core.forms import csrf_form, render_form, validate_form
from core.i18n import _, list_separator
from core.models import Department
from core.normalize import normalize_line
from core.views.admin import FieldError, show_field_error
from plugins.catalog import editing
from plugins.catalog.access import editable_departments, may_edit
from plugins.catalog.cards import clean_service_id, matcher
from plugins.catalog.models import CatalogServiceEdit, CatalogServiceRow
from plugins.catalog.schemas import CardSchema
from plugins.catalog.ticket_hooks import specs_of

LIST_TEMPLATE = "plugins.catalog:templates/desk/list.jinja2"
FORM_TEMPLATE = "plugins.catalog:templates/desk/edit.jinja2"
SAVE_BUTTONS = (deform.Button("save", _("Save")),)
HISTORY = 10


def departments_or_403(request) -> set[int] | None:
    departments = editable_departments(request)
    if departments is not None and not departments:
        raise HTTPForbidden()
    return departments


@view_config(route_name="catalog.manage", renderer=LIST_TEMPLATE, permission="manage-department")
def card_list(request):
    departments = departments_or_403(request)
    query = (select(CatalogServiceRow).join(CatalogServiceRow.department)
             .options(joinedload(CatalogServiceRow.department)).order_by(Department.name, CatalogServiceRow.title))
    if departments is not None:
        query = query.where(CatalogServiceRow.department_id.in_(departments))
    text = normalize_line(request.GET.get("q", ""))[:200]
    found = matcher(text)
    cards = [card for card in request.dbsession.scalars(query) if not text or found(card.search_text)]
    return {"cards": cards, "text": text, "loaded": specs_of(request.registry.pluginmanager).loaded_plugins()}


def form_page(request, form: deform.Form, card: CatalogServiceRow | None, html=None, **page) -> dict:
    history = []
    if card is not None and card.id is not None:
        titles = {child.name: request.localizer.translate(child.title) for child in form.schema.children}
        titles["department_id"] = titles["department"]
        edits = request.dbsession.scalars(
            select(CatalogServiceEdit).where(CatalogServiceEdit.service_row_id == card.id)
            .options(joinedload(CatalogServiceEdit.edited_by))
            .order_by(CatalogServiceEdit.id.desc()).limit(HISTORY)).all()
        separator = list_separator(request.locale_name)
        history = [(edit, separator.join(titles.get(name, name) for name in edit.changes)) for edit in edits]
    if html is None:
        html = render_form(form, editing.form_values(card) if card is not None else editing.NEW_CARD)
    return {"card": card, "form_html": html, "history": history, "conflict": False, **page}


@view_config(route_name="catalog.new", renderer=FORM_TEMPLATE, permission="manage-department")
def card_new(request):
    departments = departments_or_403(request)
    form = csrf_form(CardSchema(departments=departments), request, buttons=SAVE_BUTTONS)
    if request.method != "POST":
        return form_page(request, form, None, title=_("New service"))
    values, html = validate_form(form, request)
    if values is not None:
        card = CatalogServiceRow(provider=None)
        try:
            with request.dbsession.begin_nested():
                editing.save(request.dbsession, card, values, request.user)
        except IntegrityError:  # the same ID saved by someone else a moment ago
            html = show_field_error(form, FieldError("service_id", _("Another service already has the ID ${id}.",
                                                                     mapping={"id": values["service_id"]})))
        else:
            request.session.flash(request.localizer.translate(
                _("The service ${title} was created.", mapping={"title": card.title})))
            return HTTPSeeOther(location=request.route_url("catalog.manage"))
    request.response.status_int = 400
    return form_page(request, form, None, html=html, title=_("New service"))


@view_config(route_name="catalog.edit", renderer=FORM_TEMPLATE, permission="manage-department")
def card_edit(request):
    departments = departments_or_403(request)
    service_id = clean_service_id(request.matchdict["service_id"])
    card = request.dbsession.scalar(select(CatalogServiceRow).where(CatalogServiceRow.service_id == service_id)
                                    .options(joinedload(CatalogServiceRow.edited_by)))
    if card is None:
        raise HTTPNotFound()
    if not may_edit(departments, card.department_id):
        raise HTTPForbidden()
    title = _("Edit service ${title}", mapping={"title": card.title})
    form = csrf_form(CardSchema(card=card, departments=departments), request, buttons=SAVE_BUTTONS)
    if request.method != "POST":
        return form_page(request, form, card, title=title)
    values, html = validate_form(form, request)
    if values is not None:
        if values["version"] != card.version:
            return conflict(request, form, card, values, title)
        try:
            with request.dbsession.begin_nested():
                editing.save(request.dbsession, card, values, request.user)
        except StaleDataError:
            request.dbsession.refresh(card)
            return conflict(request, form, card, values, title)
        request.session.flash(request.localizer.translate(
            _("The service ${title} was saved.", mapping={"title": card.title})))
        return HTTPSeeOther(location=request.route_url("catalog.manage"))
    request.response.status_int = 400
    return form_page(request, form, card, html=html, title=title)


def conflict(request, form: deform.Form, card: CatalogServiceRow, values: dict, title) -> dict:
    """The form again with what was typed, now carrying the card's current version: saving again
    overwrites what the other person saved."""
    request.response.status_int = 409
    html = render_form(form, editing.appstruct({**values, "version": card.version}))
    return {**form_page(request, form, card, html=html, title=title), "conflict": True}
