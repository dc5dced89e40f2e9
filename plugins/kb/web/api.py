"""The knowledge base's JSON API under ``/api/v1/kb`` (described in ``/api/v1/openapi.json`` by
``plugins.kb.openapi``).

Anyone may search and read: visitors find published public articles, staff (a token or a
session) internal ones too, and an article the caller may not read does not exist (404).
Integrators with a staff token write articles through ``KnowledgeBase`` (``plugins.kb.transfer``
brings an article to what the body says), so the API obeys the editor's permissions and
versions: publishing needs a publisher of the department, a ``PUT`` carries the version read
(409 ``conflict`` when someone saved since). Bodies name departments by code, categories by
path and related articles by key, like the JSON-lines import.

Errors have the core's shape (``core.views.errors.api_error``); a refused change is 403
``forbidden`` when it is about who the caller is, 400 ``invalid_input`` with ``fields`` when it
is about a field. An error aborts the transaction: nothing half-done is saved.
"""
from __future__ import annotations

from datetime import UTC, datetime

import colander
from pyramid.httpexceptions import HTTPForbidden
from pyramid.view import exception_view_config, view_config
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from core import api as core_api
from core.api import ApiError, json_body, not_found
from core.contracts import SearchQuery
from core.i18n import _
from core.normalize import normalize_line, to_latin_digits
from core.security import bearer_token
from core.views.errors import api_error, api_localizer
from plugins.kb import search
from plugins.kb.api_schemas import (
    article_update_schema,
    given_fields,
    new_article_schema,
    unknown_fields,
)
from plugins.kb.articles import KbConflict, KbError, KnowledgeBase
from plugins.kb.markdown import render
from plugins.kb.models import Article, RelatedArticle
from plugins.kb.transfer import Record, Resolver, Writer, conflict

SEARCH_PARAMS = ("q", "limit")
DEFAULT_LIMIT = 10
MAX_LIMIT = 50
MAX_QUERY = 500  # characters searched; the rest of a pasted essay adds nothing but work
# Methods of each route, for the 405 answer's Allow header.
METHODS = {"kb.api.search": "GET", "kb.api.articles": "POST", "kb.api.article": "GET, PUT"}


def invalid_input(request, fields: dict) -> ApiError:
    """``fields`` maps each bad field to its message (translated here)."""
    translate = api_localizer(request).translate
    fields = {name: translate(message) for name, message in fields.items()}
    return ApiError(400, "invalid_input", _("Some fields are not valid."), next(iter(fields), None), fields=fields)


# --- errors --------------------------------------------------------------------------------------

@exception_view_config(KbError, path_info="^/api/v1/kb/")
def kb_error_view(exc: KbError, request):
    if isinstance(exc, KbConflict):
        return api_error(request, 409, "conflict", conflict().message, "version")
    if exc.field is None:
        return api_error(request, 403, "forbidden", exc.message)
    message = api_localizer(request).translate(exc.message)
    return api_error(request, 400, "invalid_input", _("Some fields are not valid."), exc.field,
                     fields={exc.field: message})


method_not_allowed = core_api.method_not_allowed(METHODS)


# --- input and output ----------------------------------------------------------------------------

def refuse_forged_token(request) -> None:
    """Reading needs no token, but a token that is not valid is an error, not a visitor."""
    if request.user is None and bearer_token(request):
        raise HTTPForbidden()


def record(request, schema: colander.SchemaNode, data: dict) -> Record:
    """The body as a ``Record``, or ``invalid_input`` naming every bad field (unknown ones too)."""
    fields = {name: _("Unknown field.") for name in unknown_fields(schema, data)}
    values = None
    try:
        values = schema.deserialize(data)
    except colander.Invalid as error:
        translate = api_localizer(request).translate
        fields.update({name or "body": message for name, message in error.asdict(translate=translate).items()})
    if fields:
        raise invalid_input(request, fields)
    return Record(values, given_fields(schema, data))


def parse_limit(request, value: str | None) -> int:
    if value is None or value.strip() == "":
        return DEFAULT_LIMIT
    digits = to_latin_digits(value.strip())
    if not digits.isdecimal() or len(digits) > 18 or not 1 <= int(digits) <= MAX_LIMIT:
        raise invalid_input(request, {"limit": _("Give a number from 1 to 50.")})
    return int(digits)


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z``."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment is not None else None


def article_json(request, kb: KnowledgeBase, article: Article) -> dict:
    resolver = Resolver(request.dbsession)
    related = request.dbsession.scalars(
        select(Article).join(RelatedArticle, RelatedArticle.related_id == Article.id)
        .where(RelatedArticle.article_id == article.id).order_by(Article.key))
    return {
        "id": article.id,
        "key": article.key,
        "url": request.route_url("kb.article", id=article.id),
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "body_html": str(render(article.body)),
        "tags": article.tag_names,
        "audience": article.audience,
        "state": article.state,
        "confidence": article.confidence,
        "department": resolver.department_codes[article.department_id],
        "category": resolver.category_path(article.category_id),
        "service": article.service_key,
        "related": [other.key for other in related if kb.can_read(other)],
        "owner": article.owner.full_name if article.owner is not None else None,
        "next_review_on": article.next_review_on.isoformat() if article.next_review_on else None,
        "version": article.version,
        "created_at": iso(article.created_at),
        "updated_at": iso(article.updated_at),
        "published_at": iso(article.published_at),
    }


def readable_article(request, kb: KnowledgeBase) -> Article:
    article = request.dbsession.get(Article, int(request.matchdict["id"]))
    if article is None or not kb.can_read(article):
        raise not_found()
    return article


def flushed(request, article: Article) -> None:
    """Write now, so a concurrent save shows as a conflict here rather than at commit time."""
    try:
        request.dbsession.flush()
    except StaleDataError:
        raise conflict() from None
    request.dbsession.expire(article, ["tags", "owner"])


# --- search and read -----------------------------------------------------------------------------

@view_config(route_name="kb.api.search", request_method="GET", renderer="json")
def search_articles(request):
    """Published articles for ``q``, best first: public ones for visitors, internal ones too for staff."""
    refuse_forged_token(request)
    unknown = [name for name in request.GET if name not in SEARCH_PARAMS]
    if unknown:
        raise invalid_input(request, {name: _("Unknown field.") for name in unknown})
    limit = parse_limit(request, request.GET.get("limit"))
    text = normalize_line(request.GET.get("q", ""))[:MAX_QUERY]
    if not text:
        return {"results": []}
    kb = KnowledgeBase.for_request(request)
    found = search.find(request.dbsession, kb.backend,
                        SearchQuery(text=text, audiences=kb.readable_audiences(), limit=limit))
    return {"results": [
        {"id": item.article.id, "key": item.article.key, "title": item.article.title,
         "url": request.route_url("kb.article", id=item.article.id), "snippet": str(item.snippet),
         "score": round(float(item.score), 4)}
        for item in found[:limit]
    ]}


@view_config(route_name="kb.api.article", request_method="GET", renderer="json")
def get_article(request):
    refuse_forged_token(request)
    kb = KnowledgeBase.for_request(request)
    return article_json(request, kb, readable_article(request, kb))


# --- write ---------------------------------------------------------------------------------------

@view_config(route_name="kb.api.articles", request_method="POST", permission="workspace", renderer="json")
def create_article(request):
    """A new article (a draft unless ``state`` says otherwise) of a department the caller writes for."""
    kb = KnowledgeBase.for_request(request)
    data = json_body(request)
    new = record(request, new_article_schema(), data)
    resolver = Resolver(request.dbsession)
    if not kb.can_write(resolver.department_id(new.values["department"])):
        raise ApiError(403, "forbidden", _("You may not write articles for this department."), "department")
    check_related(request, new)
    writer = Writer(kb, resolver)
    article, _outcome = writer.save(new)
    relate(writer, article, new)
    flushed(request, article)
    request.response.status_int = 201
    request.response.location = request.route_url("kb.api.article", id=article.id)
    return article_json(request, kb, article)


@view_config(route_name="kb.api.article", request_method="PUT", permission="workspace", renderer="json")
def update_article(request):
    """Change an article: the ``version`` read and the fields that change (the others keep
    their value); ``state`` moves it through the editorial flow."""
    kb = KnowledgeBase.for_request(request)
    article = readable_article(request, kb)
    if not kb.can_edit(article):
        raise ApiError(403, "forbidden", _("You may not edit this article."))
    change = record(request, article_update_schema(), json_body(request))
    check_related(request, change)
    writer = Writer(kb, Resolver(request.dbsession))
    writer.save(change, article, expected_version=change.values["version"])
    relate(writer, article, change)
    flushed(request, article)
    return article_json(request, kb, article)


def check_related(request, change: Record) -> None:
    """Refuse a related key no article has before anything is written."""
    keys = list(change.values["related"]) if "related" in change.given else []
    found = set(request.dbsession.scalars(select(Article.key).where(Article.key.in_(keys)))) if keys else set()
    unknown = [key for key in keys if key not in found]
    if unknown:
        raise invalid_input(request, {"related": _("No article has the key «${key}».", mapping={"key": unknown[0]})})


def relate(writer: Writer, article: Article, change: Record) -> None:
    if "related" in change.given:
        writer.relate(article, change.values["related"])
