"""The administration pages' home, the plugin list, and what every administration form shares.

Users are managed in ``admin_users``, departments and teams in ``admin_org``. Their forms go
through ``form_page``: show the form, or validate the post, save, flash and redirect (303), or
show the form again with what was typed and a message beside each bad field (400).
"""

from __future__ import annotations

from collections.abc import Callable

import colander
import deform
from markupsafe import Markup
from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config
from translationstring import TranslationString

from core.db import Base
from core.forms import render_form, validate_form
from core.i18n import _

FORM_TEMPLATE = "core:templates/admin/form.jinja2"
SAVE_BUTTONS = (deform.Button("save", _("Save")),)
MAX_ID = 2**63 - 1  # the largest BIGINT: a longer id in a URL names no row


class FieldError(Exception):
    """A rule refused a value after the schema accepted it; shown beside the field ``field``."""

    def __init__(self, field: str, message: TranslationString):
        super().__init__(field, message)
        self.field = field
        self.message = message


@view_config(route_name="core.admin", renderer="core:templates/admin/index.jinja2", permission="admin")
def admin_index(request: Request) -> dict:
    return {}


@view_config(route_name="core.admin.plugins", renderer="core:templates/admin/plugins.jinja2", permission="admin")
def plugins(request: Request) -> dict:
    return {"plugins": request.registry.pluginmanager.plugin_infos()}


def get_or_404(request: Request, model: type[Base]) -> Base:
    """The row of ``model`` named by the route's ``id``."""
    identifier = int(request.matchdict["id"])
    row = request.dbsession.get(model, identifier) if identifier <= MAX_ID else None
    if row is None:
        raise HTTPNotFound()
    return row


def form_page(
    request: Request,
    form: deform.Form,
    save: Callable[[dict], TranslationString],
    *,
    title: TranslationString,
    section: TranslationString,
    list_route: str,
    appstruct=colander.null,
) -> dict | Response:
    """Show ``form``; on a valid post call ``save(values)`` and go back to the list with its message.

    ``save`` runs in a savepoint: when it raises ``FieldError`` its changes are undone and the
    form comes back with the message beside that field.
    """
    page = {"title": title, "section": section, "list_url": request.route_url(list_route)}
    if request.method != "POST":
        return {**page, "form_html": render_form(form, appstruct)}
    values, html = validate_form(form, request)
    if values is not None:
        try:
            with request.dbsession.begin_nested():
                message = save(values)
        except FieldError as error:
            html = show_field_error(form, error)
        else:
            request.session.flash(request.localizer.translate(message))
            return HTTPSeeOther(location=request.route_url(list_route))
    request.response.status_int = 400
    return {**page, "form_html": html}


def show_field_error(form: deform.Form, error: FieldError) -> Markup:
    """The validated form again, as typed, with ``error`` beside its field."""
    invalid = colander.Invalid(form.schema)
    invalid[error.field] = error.message
    form.widget.handle_error(form, invalid)
    return Markup(form.widget.serialize(form, form.cstruct))
