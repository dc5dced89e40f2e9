"""The knowledge base as requesters and visitors see it.

- ``/kb``: search (title, highlighted snippet, department, category; filter by department), or
  the articles of one category; only what the reader may read.
- ``/kb/articles/{id}``: an article; drafts only for their department's writers, as a preview.
  A published article's view counts once per visit and joins the self-service trail.
- ``/kb/articles/{id}/feedback``: "Was this helpful?" (once per visit).
- ``/kb/articles/{id}/outcome``: "This solved my problem" (the visit ends, no request) or "I
  still need help" (on to the request form with the text typed kept).
"""
from __future__ import annotations

import colander
from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.interfaces import IRoutesMapper
from pyramid.renderers import render_to_response
from pyramid.view import view_config
from sqlalchemy import exists, select, update
from sqlalchemy.orm import joinedload, selectinload

from core.contracts import SearchQuery
from core.forms import NormalizedString
from core.i18n import _
from core.models import Department
from core.normalize import normalize_line
from core.security import department_subtree_ids
from plugins.kb import markdown, search, trail
from plugins.kb.articles import KnowledgeBase
from plugins.kb.models import (
    Article,
    ArticleFile,
    Audience,
    Category,
    Confidence,
    Feedback,
    RelatedArticle,
    State,
    TrailKind,
)
from plugins.kb.web.origin import MAX_QUERY, SEARCH, Origin, department_id, has_words

SEARCH_TEMPLATE = "plugins.kb:templates/portal/search.jinja2"
ARTICLE_TEMPLATE = "plugins.kb:templates/portal/article.jinja2"
SOLVED_TEMPLATE = "plugins.kb:templates/portal/solved.jinja2"
RESULTS = 20
CATEGORY_ARTICLES = 50
MAX_COMMENT = 2000
MAX_ID = 2**31 - 1
REQUEST_FORM_ROUTE = "tickets.portal.new"  # the tickets plugin's form, when it is installed


def request_form_url(request, values: dict[str, str]) -> str | None:
    """The portal's request form with ``values`` filled in, or ``None`` without one."""
    if request.registry.getUtility(IRoutesMapper).get_route(REQUEST_FORM_ROUTE) is None:
        return None
    return request.route_path(REQUEST_FORM_ROUTE, _query=values)


def readable_filter(audiences: tuple[str, ...]):
    return (Article.state == State.published.value, Article.audience.in_(audiences),
            Article.confidence != Confidence.archived.value)


# --- search ----------------------------------------------------------------------------------------

@view_config(route_name="kb.search", renderer=SEARCH_TEMPLATE, permission="view")
def search_page(request):
    kb = KnowledgeBase.for_request(request)
    typed = normalize_line(request.GET.get("q", ""))
    text = typed[:MAX_QUERY]
    chosen = department_id(request.GET.get("department", ""))
    departments = request.dbsession.execute(
        select(Department.id, Department.name).where(Department.is_active.is_(True)).order_by(Department.name)).all()
    names = {department.id: department.name for department in departments}
    if chosen not in names:
        chosen = None
    page = {"text": text, "cut": len(typed) > MAX_QUERY, "departments": departments, "department_names": names,
            "chosen": chosen, "results": None, "category": None, "hint": False, "request_url": None}
    category = category_id(request.GET.get("category", ""))
    if not text and category is not None:
        return category_page(request, kb, page, category)
    if not has_words(text):
        page["hint"] = True
        return page
    scope = tuple(sorted(department_subtree_ids(request.dbsession, chosen))) if chosen is not None else None
    found = search.find(request.dbsession, kb.backend, SearchQuery(
        text=text, audiences=kb.readable_audiences(), department_ids=scope, limit=RESULTS))
    trail.record(request, TrailKind.search, query=text, result_count=len(found))
    origin = Origin(source=SEARCH, query=text, department_id=chosen)
    suffix = origin.query_string()
    page.update(results=found, categories=category_names(request, [item.article for item in found]),
                result_urls={item.article.id: request.route_path("kb.article", id=item.article.id) + suffix
                             for item in found})
    if not found:
        page["request_url"] = request_form_url(request, origin.request_form())
    return page


def category_id(text: str) -> int | None:
    return int(text) if text.isdecimal() and len(text) <= 18 and int(text) <= MAX_ID else None


def category_page(request, kb: KnowledgeBase, page: dict, category_id: int) -> dict:
    """The readable articles of one category (a link of the portal's home page), most read first."""
    category = request.dbsession.get(Category, category_id)
    if category is None:
        raise HTTPNotFound()
    articles = request.dbsession.scalars(
        select(Article).where(Article.category_id == category.id, *readable_filter(kb.readable_audiences()))
        .order_by(Article.view_count.desc(), Article.id).limit(CATEGORY_ARTICLES)).all()
    page.update(category=category, articles=articles)
    return page


def category_names(request, articles: list[Article]) -> dict[int, str]:
    ids = {article.category_id for article in articles if article.category_id is not None}
    if not ids:
        return {}
    return dict(request.dbsession.execute(select(Category.id, Category.name).where(Category.id.in_(ids))).all())


# --- one article -----------------------------------------------------------------------------------

def readable_article(request, kb: KnowledgeBase, published_only: bool = False) -> Article:
    article_id = int(request.matchdict["id"])
    article = None
    if article_id <= MAX_ID:
        article = request.dbsession.scalar(
            select(Article).where(Article.id == article_id)
            .options(joinedload(Article.department), joinedload(Article.category), selectinload(Article.tags)))
    if article is None or not kb.can_read(article):
        raise HTTPNotFound()
    if published_only and article.state != State.published.value:
        raise HTTPNotFound()
    return article


def article_page(request, kb: KnowledgeBase, article: Article, origin: Origin, **feedback) -> dict:
    published = article.state == State.published.value
    related = request.dbsession.scalars(
        select(Article).join(RelatedArticle, RelatedArticle.related_id == Article.id)
        .where(RelatedArticle.article_id == article.id, *readable_filter(kb.readable_audiences()))
        .order_by(Article.title)).all()
    files = request.dbsession.scalars(
        select(ArticleFile).where(ArticleFile.article_id == article.id).order_by(ArticleFile.filename)).all()
    voted = published and bool(request.dbsession.scalar(select(exists().where(
        Feedback.article_id == article.id, Feedback.session_key == trail.visit_key(request)))))
    return {
        "article": article, "body": markdown.render(article.body, request.locale_name), "preview": not published,
        "internal": article.audience == Audience.internal.value, "related": related, "files": files,
        "origin": origin, "voted": voted, "feedback_values": feedback.get("values", {}),
        "feedback_errors": feedback.get("errors", {}),
    }


@view_config(route_name="kb.article", renderer=ARTICLE_TEMPLATE, permission="view", request_method="GET")
def article_view(request):
    kb = KnowledgeBase.for_request(request)
    article = readable_article(request, kb)
    origin = Origin.from_params(request.GET)
    if article.state == State.published.value:
        trail.record_view(request, article.id, origin.trail_source)
    return article_page(request, kb, article, origin)


class FeedbackSchema(colander.Schema):
    helpful = colander.SchemaNode(colander.String(), validator=colander.OneOf(["yes", "no"]),
                                  missing_msg=_("Choose yes or no."))
    comment = colander.SchemaNode(
        NormalizedString(multiline=True), missing="",
        validator=colander.Length(max=MAX_COMMENT, max_err=_("At most ${max} characters.")))


def article_url(request, article: Article, origin: Origin, anchor: str | None = None) -> str:
    return request.route_path("kb.article", id=article.id, _query=origin.params(), _anchor=anchor)


@view_config(route_name="kb.article.feedback", renderer=ARTICLE_TEMPLATE, permission="view", request_method="POST")
def feedback(request):
    """"Was this helpful?": one answer per visit and article, counted on the article."""
    kb = KnowledgeBase.for_request(request)
    article = readable_article(request, kb, published_only=True)
    origin = Origin.from_params(request.POST)
    values = {"helpful": request.POST.get("helpful", ""), "comment": request.POST.get("comment", "")}
    try:
        data = FeedbackSchema().deserialize({name: value for name, value in values.items() if value})
    except colander.Invalid as invalid:
        request.response.status_int = 400
        return article_page(request, kb, article, origin, values=values,
                            errors=invalid.asdict(translate=request.localizer.translate))
    visit = trail.visit_key(request)
    already = request.dbsession.scalar(select(exists().where(Feedback.article_id == article.id,
                                                             Feedback.session_key == visit)))
    if already:
        request.session.flash(request.localizer.translate(_("You have already answered for this article. Thank you!")))
        return HTTPSeeOther(location=article_url(request, article, origin, "feedback"))
    helpful = data["helpful"] == "yes"
    request.dbsession.add(Feedback(article_id=article.id, helpful=helpful, comment=data["comment"],
                                   user_id=request.user.id if request.user is not None else None,
                                   session_key=visit))
    counter = Article.helpful_count if helpful else Article.unhelpful_count
    request.dbsession.execute(update(Article).where(Article.id == article.id).values({counter: counter + 1})
                              .execution_options(synchronize_session=False))
    trail.record(request, TrailKind.helpful if helpful else TrailKind.unhelpful, article_id=article.id,
                 source=origin.trail_source)
    request.session.flash(request.localizer.translate(_("Thank you for your answer.")))
    return HTTPSeeOther(location=article_url(request, article, origin, "feedback"))


@view_config(route_name="kb.article.outcome", permission="view", request_method="POST")
def outcome(request):
    """The end of a looking visit: solved here, or on to the request form with the text kept."""
    kb = KnowledgeBase.for_request(request)
    article = readable_article(request, kb, published_only=True)
    origin = Origin.from_params(request.POST)
    choice = request.POST.get("outcome")
    if choice == "solved":
        trail.record(request, TrailKind.solved, article_id=article.id, source=origin.trail_source)
        return render_to_response(SOLVED_TEMPLATE, {"article": article}, request=request)
    if choice == "still_need_help":
        trail.record(request, TrailKind.still_need_help, article_id=article.id, source=origin.trail_source)
        target = request_form_url(request, origin.request_form())
        return HTTPSeeOther(location=target or request.route_path("kb.search"))
    return HTTPSeeOther(location=article_url(request, article, origin))
