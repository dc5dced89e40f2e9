"""The authors' workspace: the list of articles (``/desk/kb``), the editor and the editorial
transitions.

Every change goes through ``KnowledgeBase`` in a savepoint. The editor carries the version it
was opened at: when someone saved the article in between, the page comes back (409) with what
was typed, the message, and the current text beside it; the form then carries the new version,
so saving again applies. A refusal of a rule comes back (400) with the message beside its field.
Articles the agent may not read do not exist here (404); those they read but may not edit are
refused (403).
"""
from __future__ import annotations

from datetime import date

import colander
import deform
from markupsafe import Markup
from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound, HTTPSeeOther
from pyramid.renderers import render_to_response
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config
from sqlalchemy import or_, select
from sqlalchemy.orm.exc import StaleDataError
from translationstring import TranslationString

from core.db import utcnow
from core.forms import csrf_form, render_form, validate_form
from core.i18n import _, to_tehran
from core.normalize import normalize_digits, normalize_line, normalize_text
from core.schemas import department_choices, department_tree
from core.views.admin import MAX_ID, FieldError, show_field_error
from plugins.kb import files, labels, listing
from plugins.kb.articles import PUBLISHER_ROLES, KbConflict, KbError, KnowledgeBase
from plugins.kb.diff import word_diff
from plugins.kb.markdown import render
from plugins.kb.models import Article, ArticleVersion, Confidence, RelatedArticle, State
from plugins.kb.schemas import (
    MAX_BODY,
    ArticleSchema,
    EditorChoices,
    article_appstruct,
    article_input,
    editor_choices,
    split_list,
)

LIST = "plugins.kb:templates/authoring/list.jinja2"
EDITOR = "plugins.kb:templates/authoring/editor.jinja2"
PREVIEW = "plugins.kb:templates/authoring/_preview.jinja2"
FORM_ID = "article-editor"
CONFLICT = _("Someone else saved this article while you were editing it. "
             "Your text is kept below; compare it with the current version and save again.")


# --- shared by the authors' pages ----------------------------------------------------------------

def article_or_404(request: Request, knowledge_base: KnowledgeBase, key: str = "id") -> Article:
    """The article named in the route, if the agent may read it."""
    identifier = int(request.matchdict[key])
    article = request.dbsession.get(Article, identifier) if identifier <= MAX_ID else None
    if article is None or not knowledge_base.can_read(article):
        raise HTTPNotFound()
    return article


def editable_or_403(request: Request, knowledge_base: KnowledgeBase) -> Article:
    article = article_or_404(request, knowledge_base)
    if not knowledge_base.can_edit(article):
        raise HTTPForbidden()
    return article


def grouped_code(code: str) -> str:
    """A ticket's tracking code as people read it (``1234-567-8901``); kb knows tickets only by code."""
    return f"{code[:4]}-{code[4:7]}-{code[7:]}" if len(code) == 11 and code.isdigit() else code


def tehran_today() -> date:
    return to_tehran(utcnow()).date()


def available_actions(knowledge_base: KnowledgeBase, article: Article) -> list[tuple[str, TranslationString]]:
    """The editorial buttons the agent may press for ``article`` now (the server checks again)."""
    state, confidence, department = article.state, article.confidence, article.department_id
    publisher = knowledge_base.can_publish(department)
    actions = []
    if state == State.draft.value and knowledge_base.can_write(department):
        actions.append(("submit", _("Submit for review")))
    if publisher:
        if state in (State.draft.value, State.review.value):
            actions.append(("publish", _("Publish")))
        if state in (State.review.value, State.published.value):
            actions.append(("return_to_draft", _("Return to draft")))
        if state == State.published.value and confidence in (Confidence.work_in_progress.value,
                                                             Confidence.not_validated.value):
            actions.append(("validate", _("Mark as validated")))
        if confidence == Confidence.archived.value:
            actions.append(("unarchive", _("Bring back from the archive")))
        else:
            actions.append(("archive", _("Archive")))
    return actions


ACTION_DONE = {
    "submit": _("The article was sent for review."),
    "publish": _("The article was published."),
    "return_to_draft": _("The article is a draft again."),
    "validate": _("The article is marked as validated."),
    "archive": _("The article was archived; search no longer finds it."),
    "unarchive": _("The article was brought back from the archive."),
}


# --- the list -----------------------------------------------------------------------------------

@view_config(route_name="kb.manage", request_method="GET", permission="workspace", renderer=LIST)
def article_list(request: Request) -> dict:
    knowledge_base = KnowledgeBase.for_request(request)
    today = tehran_today()
    error = None
    try:
        article_filter = listing.ArticleFilter.parse(request.GET)
        sort = listing.parse_sort(request.GET.get("sort"))
        result = listing.page(request.dbsession, knowledge_base, article_filter, today, sort,
                              request.GET.get("cursor") or None)
    except listing.ListingError as refused:
        request.response.status_int = 400
        error, article_filter, sort, result = refused, listing.ArticleFilter(), listing.DEFAULT_SORT, listing.Page([])
    params = article_filter.to_params() | ({"sort": sort} if sort != listing.DEFAULT_SORT else {})
    return {
        "result": result,
        "error": error,
        "form": request.GET,
        "article_filter": article_filter,
        "sort": sort,
        "today": today,
        "knowledge_base": knowledge_base,
        "departments": department_choices(department_tree(request.dbsession)),
        "next_url": (request.route_path("kb.manage", _query=params | {"cursor": result.next_cursor})
                     if result.next_cursor else None),
        "first_url": request.route_path("kb.manage", _query=params) if request.GET.get("cursor") else None,
        "tabs": _tabs(request, article_filter),
        "may_write": knowledge_base.author_departments() != set(),
        "may_arrange": request.user.role in PUBLISHER_ROLES,
        "labels": labels,
    }


def _tabs(request: Request, current: listing.ArticleFilter) -> list[tuple[str, str, bool]]:
    tabs = [
        (_("All"), listing.ArticleFilter()),
        (_("Drafts"), listing.ArticleFilter(state=State.draft.value)),
        (_("In review"), listing.ArticleFilter(state=State.review.value)),
        (_("Published"), listing.ArticleFilter(state=State.published.value)),
        (_("Mine"), listing.ArticleFilter(mine=True)),
        (_("Due for review"), listing.ArticleFilter(due=True)),
        (_("Flagged"), listing.ArticleFilter(flagged=True)),
    ]
    return [(title, request.route_path("kb.manage", _query=tab.to_params()), tab == current) for title, tab in tabs]


# --- the editor -----------------------------------------------------------------------------------

def editor_form(request: Request, knowledge_base: KnowledgeBase, article: Article | None) -> deform.Form:
    choices = editor_choices(request.dbsession, request.registry.pluginmanager.hook, knowledge_base, article)
    schema = ArticleSchema(choices=choices)
    for name in ("from_ticket", "ticket_code"):
        schema.add(colander.SchemaNode(colander.String(), name=name, missing="",
                                       widget=deform.widget.HiddenWidget()))
    return csrf_form(schema, request, buttons=(deform.Button("save", _("Save")),), formid=FORM_ID)


@view_config(route_name="kb.article.new", request_method="GET", permission="workspace", renderer=EDITOR)
def new_article(request: Request) -> dict:
    """The editor for a new draft, filled from the query string when a draft starts elsewhere
    (a resolved ticket: ``title``, ``summary``, ``body``, ``department_id``, ``service`` (a
    service key), ``tags``, ``from_ticket`` and ``ticket_code``)."""
    knowledge_base = KnowledgeBase.for_request(request)
    if knowledge_base.author_departments() == set():
        raise HTTPForbidden()
    form = editor_form(request, knowledge_base, None)
    return editor_page(request, knowledge_base, None, form, render_form(form, _prefill(request, form)))


def _prefill(request: Request, form: deform.Form) -> dict:
    params = request.GET
    departments = [department_id for department_id, _name in form.schema["department"].widget.values]
    department = normalize_digits(params.get("department_id"))
    if department not in departments:
        own = request.user.department_id
        department = str(own) if str(own) in departments else (departments[0] if len(departments) == 1 else "")
    ticket_code = normalize_digits(params.get("ticket_code"))[:20]
    appstruct = {
        "title": normalize_line(params.get("title"))[:300],
        "summary": normalize_line(params.get("summary"))[:500],
        "body": normalize_text(params.get("body"))[:MAX_BODY],
        "department": int(department) if department else colander.null,
        "service": _prefilled_service(form.schema.choices, params.get("service"), department),
        "tags": split_list(params.get("tags", ""))[:20],
        "from_ticket": normalize_digits(params.get("from_ticket"))[:18],
        "ticket_code": ticket_code,
        "note": (request.localizer.translate(_("Draft from ticket ${code}",
                                                 mapping={"code": grouped_code(ticket_code)}))
                 if ticket_code else ""),
    }
    return {name: value for name, value in appstruct.items() if value not in ("", [])}


def _prefilled_service(choices: EditorChoices, key: str | None, department: str) -> str:
    """``key`` if it is one of the editor's services and fits the chosen ``department`` (the
    form would refuse it otherwise), else ``""``: the author picks one."""
    owners = {service_key: owner for service_key, _title, owner in choices.services}
    key = normalize_line(key)
    if not department or key not in owners or not choices.fits(owners[key], int(department)):
        return ""
    return key


@view_config(route_name="kb.article.edit", request_method="GET", permission="workspace", renderer=EDITOR)
def edit_article(request: Request) -> dict:
    knowledge_base = KnowledgeBase.for_request(request)
    article = editable_or_403(request, knowledge_base)
    form = editor_form(request, knowledge_base, article)
    appstruct = article_appstruct(article, [key for _id, key, _title in related_articles(request, article)])
    return editor_page(request, knowledge_base, article, form, render_form(form, appstruct))


@view_config(route_name="kb.article.new", request_method="POST", permission="workspace", renderer=EDITOR)
def create_article(request: Request) -> dict | Response:
    knowledge_base = KnowledgeBase.for_request(request)
    if "preview" in request.POST:
        return preview(request)
    return save(request, knowledge_base, None)


@view_config(route_name="kb.article.edit", request_method="POST", permission="workspace", renderer=EDITOR)
def update_article(request: Request) -> dict | Response:
    knowledge_base = KnowledgeBase.for_request(request)
    article = editable_or_403(request, knowledge_base)
    if "preview" in request.POST:
        return preview(request)
    return save(request, knowledge_base, article)


def preview(request: Request) -> Response:
    """The typed text rendered as readers will see it (the editor's preview button)."""
    body = normalize_text(request.POST.get("body", ""))[:MAX_BODY]
    return render_to_response(PREVIEW, {"title": normalize_line(request.POST.get("title", "")),
                                        "html": render(body, request.locale_name)}, request=request)


def save(request: Request, knowledge_base: KnowledgeBase, article: Article | None) -> dict | Response:
    form = editor_form(request, knowledge_base, article)
    values, html = validate_form(form, request)
    if values is None:
        request.response.status_int = 400
        return editor_page(request, knowledge_base, article, form, html)
    typed = article_input(values)
    try:
        with request.dbsession.begin_nested():
            if article is None:
                saved = knowledge_base.create(typed, note=values["note"])
            elif _unchanged(article, typed) and values["version"] == article.version:
                saved = article  # only the related articles may have changed: no new version
            else:
                saved = knowledge_base.update(article, typed, values["version"] or 0, note=values["note"])
            knowledge_base.set_related(saved, _related_ids(request, knowledge_base, saved, values["related"]))
    except KbConflict:
        return _conflict(request, knowledge_base, article, form)
    except StaleDataError:
        request.dbsession.refresh(article)
        return _conflict(request, knowledge_base, article, form)
    except KbError as error:
        request.response.status_int = 400
        if error.field and error.field in form.schema:
            return editor_page(request, knowledge_base, article, form,
                               show_field_error(form, FieldError(error.field, error.message)))
        return editor_page(request, knowledge_base, article, form, _as_typed(form), error=error.message)
    message = _("The article was saved.") if article is not None else _("The draft was created.")
    request.session.flash(request.localizer.translate(message))
    return HTTPSeeOther(location=request.route_url("kb.article.edit", id=saved.id))


def _unchanged(article: Article, typed) -> bool:
    values = typed.normalized()
    return (values.title, values.summary, values.body, values.department_id, values.audience, values.confidence,
            values.service_key, values.category_id, values.tags) == (
        article.title, article.summary, article.body, article.department_id, article.audience, article.confidence,
        article.service_key, article.category_id, article.tag_names) and (
        values.next_review_on in (None, article.next_review_on)) and values.key in (None, article.key)


def _related_ids(request: Request, knowledge_base: KnowledgeBase, article: Article, references: list[str]) -> list[int]:
    """The ids of the articles named by key or number; each must be one the author may read."""
    if not references:
        return []
    numbers = [int(reference) for reference in references
               if reference.isdecimal() and len(reference) <= 18 and int(reference) <= MAX_ID]
    found = request.dbsession.scalars(select(Article).where(or_(Article.key.in_(references),
                                                                Article.id.in_(numbers)))).all()
    by_reference = {}
    for other in found:
        if knowledge_base.can_read(other):
            by_reference[other.key] = by_reference[str(other.id)] = other.id
    for reference in references:
        if reference not in by_reference:
            raise KbError(_("No article has the key or number «${reference}».", mapping={"reference": reference}),
                          "related")
    return [by_reference[reference] for reference in references if by_reference[reference] != article.id]


def _as_typed(form: deform.Form, **changes) -> Markup:
    """The validated form again as typed, with ``changes`` to hidden fields (the version)."""
    for name, value in changes.items():
        form[name].cstruct = str(value)
    return Markup(form.widget.serialize(form, form.cstruct | {name: str(value) for name, value in changes.items()}))


def _conflict(request: Request, knowledge_base: KnowledgeBase, article: Article, form: deform.Form) -> dict:
    """What was typed, carrying the current version so that saving again applies, with the
    current text beside it."""
    request.response.status_int = 409
    typed_body = normalize_text(form.cstruct.get("body", ""))
    return editor_page(request, knowledge_base, article, form, _as_typed(form, version=article.version),
                       error=CONFLICT, conflict=_current_text(request, article, typed_body))


def _current_text(request: Request, article: Article, typed_body: str) -> dict:
    latest = request.dbsession.scalar(select(ArticleVersion).where(ArticleVersion.article_id == article.id)
                                      .order_by(ArticleVersion.number.desc()).limit(1))
    return {"article": article, "version": latest, "body_diff": word_diff(article.body, typed_body)}


def related_articles(request: Request, article: Article) -> list[tuple[int, str, str]]:
    """(id, key, title) of the articles ``article`` names as related."""
    return [tuple(row) for row in request.dbsession.execute(
        select(Article.id, Article.key, Article.title).join(RelatedArticle, RelatedArticle.related_id == Article.id)
        .where(RelatedArticle.article_id == article.id).order_by(Article.title))]


def editor_page(request: Request, knowledge_base: KnowledgeBase, article: Article | None, form: deform.Form,
                form_html: Markup, error=None, conflict: dict | None = None) -> dict:
    ticket_code = normalize_digits(form.cstruct.get("ticket_code") if isinstance(form.cstruct, dict) else "") or (
        normalize_digits(request.GET.get("ticket_code")) if article is None else "")
    page = {
        "article": article,
        "form_html": form_html,
        "form_id": FORM_ID,
        "error": error,
        "conflict": conflict,
        "ticket_code": grouped_code(ticket_code[:20]),
        "labels": labels,
        "preview_url": (request.route_path("kb.article.edit", id=article.id) if article is not None
                        else request.route_path("kb.article.new")),
    }
    if article is None:
        return page
    return page | {
        "actions": available_actions(knowledge_base, article),
        "related": related_articles(request, article),
        "files_panel": files_panel(request, article),
        "due": article.next_review_on is not None and article.next_review_on <= tehran_today(),
        "reader_url": (request.route_path("kb.article", id=article.id)
                       if article.state == State.published.value else None),
    }


def files_panel(request: Request, article: Article, error=None) -> dict:
    rows = files.files_of(request.dbsession, article.id)
    items = []
    for row in rows:
        address = request.route_path("kb.file", id=row.id, name=row.filename)
        items.append({"file": row, "url": address, "snippet": files.markdown_snippet(row, address),
                      "is_image": files.is_image(row)})
    return {"article": article, "items": items, "error": error,
            "max_mb": request.registry.settings.get("kb.max_file_mb", 5),
            "accept": ",".join(f".{extension}" for extension in files.ALLOWED)}


# --- transitions ------------------------------------------------------------------------------------

@view_config(route_name="kb.article.transition", request_method="POST", permission="workspace", renderer=EDITOR)
def transition(request: Request) -> dict | Response:
    """Submit, publish, return to draft, validate, archive or bring back, at the version shown."""
    knowledge_base = KnowledgeBase.for_request(request)
    article = article_or_404(request, knowledge_base)
    action = request.POST.get("action", "")
    version = normalize_digits(request.POST.get("version"))
    expected = int(version) if version and len(version) < 18 else 0
    try:
        with request.dbsession.begin_nested():
            if action == "validate":
                knowledge_base.set_confidence(article, Confidence.validated.value, expected)
            elif action == "unarchive":
                knowledge_base.set_confidence(article, Confidence.not_validated.value, expected)
            elif action in ACTION_DONE:
                knowledge_base.transition(article, action, expected)
            else:
                raise KbError(_("This action is not possible for the article in its current state."))
    except KbConflict:
        return _refused(request, knowledge_base, article, _("Someone else changed this article after the page was "
                                                            "shown. Check it and try again."), 409)
    except StaleDataError:
        request.dbsession.refresh(article)
        return _refused(request, knowledge_base, article, _("Someone else changed this article after the page was "
                                                            "shown. Check it and try again."), 409)
    except KbError as error:
        return _refused(request, knowledge_base, article, error.message, 400)
    request.session.flash(request.localizer.translate(ACTION_DONE[action]))
    if knowledge_base.can_edit(article):
        return HTTPSeeOther(location=request.route_url("kb.article.edit", id=article.id))
    return HTTPSeeOther(location=request.route_url("kb.manage"))


def _refused(request: Request, knowledge_base: KnowledgeBase, article: Article, message, status: int) -> dict:
    if not knowledge_base.can_edit(article):
        raise HTTPForbidden()
    request.response.status_int = status
    form = editor_form(request, knowledge_base, article)
    appstruct = article_appstruct(article, [key for _id, key, _title in related_articles(request, article)])
    return editor_page(request, knowledge_base, article, form, render_form(form, appstruct), error=message)
