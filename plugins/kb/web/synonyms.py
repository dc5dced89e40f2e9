"""The synonym list (``/desk/kb/synonyms``): department managers, directors and administrators
edit the words the search treats as the same, one group per line."""
from __future__ import annotations

import deform
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config

from core.forms import csrf_form, render_form, validate_form
from core.i18n import _
from plugins.kb import synonyms
from plugins.kb.schemas import SynonymsSchema, parse_synonym_groups

PAGE = "plugins.kb:templates/authoring/synonyms.jinja2"


def synonyms_form(request: Request) -> deform.Form:
    return csrf_form(SynonymsSchema(), request, buttons=(deform.Button("save", _("Save")),), formid="synonyms")


@view_config(route_name="kb.synonyms", request_method="GET", permission="manage-department", renderer=PAGE)
def synonyms_page(request: Request) -> dict:
    text = "\n".join("، ".join(group) for group in synonyms.groups(request.dbsession))
    return {"form_html": render_form(synonyms_form(request), {"groups": text})}


@view_config(route_name="kb.synonyms", request_method="POST", permission="manage-department", renderer=PAGE)
def save_synonyms(request: Request) -> dict | Response:
    values, html = validate_form(synonyms_form(request), request)
    if values is None:
        request.response.status_int = 400
        return {"form_html": html}
    found = parse_synonym_groups(values["groups"])
    synonyms.replace_all(request.dbsession, found)
    request.session.flash(request.localizer.translate(
        _("The synonym list was saved (${count} groups).", mapping={"count": len(found)})))
    return HTTPSeeOther(location=request.route_url("kb.synonyms"))
