"""Files of articles: the authors' upload and removal (``/desk/kb/{id}/files``) and serving a
file to readers (``/kb/files/{id}/{name}``).

The editor's files panel posts with htmx and gets the panel back, so what is typed in the
editor stays; without htmx the files page is shown. A file is served to whoever may read its
article (anyone for a published public article), as ``nosniff``, inline only for images.
Files of articles one may not read do not exist (404).
"""
from __future__ import annotations

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.renderers import render_to_response
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config

from core.i18n import _
from core.normalize import normalize_digits
from core.views.admin import MAX_ID
from plugins.kb import files, labels
from plugins.kb.articles import KnowledgeBase
from plugins.kb.models import Article, ArticleFile
from plugins.kb.web.authoring import editable_or_403, files_panel

PAGE = "plugins.kb:templates/authoring/files.jinja2"
PANEL = "plugins.kb:templates/authoring/_files.jinja2"


@view_config(route_name="kb.article.files", request_method="GET", permission="workspace", renderer=PAGE)
def files_page(request: Request) -> dict:
    article = editable_or_403(request, KnowledgeBase.for_request(request))
    return {"article": article, "panel": files_panel(request, article), "labels": labels}


@view_config(route_name="kb.article.files", request_method="POST", permission="workspace")
def change_files(request: Request) -> Response:
    """``action=upload`` adds the posted ``file``; ``action=delete`` removes ``file_id``."""
    article = editable_or_403(request, KnowledgeBase.for_request(request))
    error, message = None, None
    try:
        with request.dbsession.begin_nested():
            if request.POST.get("action") == "delete":
                message = _remove(request, article)
            else:
                message = _upload(request, article)
    except files.FileRefused as refused:
        error = refused.message
    htmx = request.headers.get("HX-Request") == "true"
    if error is None and not htmx:
        request.session.flash(request.localizer.translate(message))
        return HTTPSeeOther(location=request.route_url("kb.article.files", id=article.id))
    panel = files_panel(request, article, error)
    if htmx:
        # htmx swaps only successful answers: a refusal is shown in the panel it replaces.
        return render_to_response(PANEL, {"panel": panel}, request=request)
    response = render_to_response(PAGE, {"article": article, "panel": panel, "labels": labels}, request=request)
    response.status_int = 400
    return response


def _upload(request: Request, article: Article):
    posted = request.POST.get("file")
    if not getattr(posted, "filename", None):
        raise files.FileRefused(_("Choose a file to upload."))
    checked = files.check(posted, request.registry.settings)
    files.save(request.dbsession, request.registry.settings, checked, article, uploaded_by=request.user)
    return _("«${name}» was added.", mapping={"name": checked.filename})


def _remove(request: Request, article: Article):
    digits = normalize_digits(request.POST.get("file_id"))
    row = request.dbsession.get(ArticleFile, int(digits)) if digits and int(digits) <= MAX_ID else None
    if row is None or row.article_id != article.id:
        raise files.FileRefused(_("This file is no longer there."))
    request.dbsession.delete(row)
    request.dbsession.flush()
    return _("«${name}» was removed.", mapping={"name": row.filename})


@view_config(route_name="kb.file", request_method="GET")
def serve_file(request: Request) -> Response:
    identifier = int(request.matchdict["id"])
    row = request.dbsession.get(ArticleFile, identifier) if identifier <= MAX_ID else None
    article = request.dbsession.get(Article, row.article_id) if row is not None else None
    if article is None or not KnowledgeBase.for_request(request).can_read(article):
        raise HTTPNotFound()
    return files.response(request, row, article)
