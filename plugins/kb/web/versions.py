"""An article's versions: the list, the differences between two of them, and restoring one.

The department's writers read the history (it holds drafts); restoring saves the old text as a
new version through ``KnowledgeBase.restore``, at the version the page showed.
"""
from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound, HTTPSeeOther
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from core.i18n import _, format_number
from core.normalize import normalize_digits
from core.views.admin import MAX_ID
from plugins.kb import diff, labels
from plugins.kb.articles import KbConflict, KbError, KnowledgeBase
from plugins.kb.models import Article, ArticleVersion
from plugins.kb.web.authoring import article_or_404

LIST = "plugins.kb:templates/authoring/versions.jinja2"
DIFF = "plugins.kb:templates/authoring/diff.jinja2"


def history_or_403(request: Request) -> tuple[KnowledgeBase, Article]:
    knowledge_base = KnowledgeBase.for_request(request)
    article = article_or_404(request, knowledge_base)
    if not knowledge_base.can_write(article.department_id):
        raise HTTPForbidden()
    return knowledge_base, article


def versions_of(request: Request, article: Article) -> list[ArticleVersion]:
    return list(request.dbsession.scalars(
        select(ArticleVersion).where(ArticleVersion.article_id == article.id)
        .options(joinedload(ArticleVersion.author)).order_by(ArticleVersion.number.desc())))


@view_config(route_name="kb.article.versions", request_method="GET", permission="workspace", renderer=LIST)
def version_list(request: Request) -> dict:
    knowledge_base, article = history_or_403(request)
    return _page(request, knowledge_base, article)


def _page(request: Request, knowledge_base: KnowledgeBase, article: Article, error=None) -> dict:
    return {"article": article, "versions": versions_of(request, article), "error": error,
            "may_restore": knowledge_base.can_edit(article), "labels": labels}


def _version(request: Request, article: Article, number: int) -> ArticleVersion | None:
    if number <= 0 or number > MAX_ID:
        return None
    return request.dbsession.scalar(select(ArticleVersion).options(joinedload(ArticleVersion.author)).where(
        ArticleVersion.article_id == article.id, ArticleVersion.number == number))


@view_config(route_name="kb.article.diff", request_method="GET", permission="workspace", renderer=DIFF)
def version_diff(request: Request) -> dict:
    """What changed from version ``from`` (by default the one before) to version ``number``."""
    knowledge_base, article = history_or_403(request)
    newer = _version(request, article, int(request.matchdict["number"]))
    if newer is None:
        raise HTTPNotFound()
    chosen = normalize_digits(request.GET.get("from"))
    older_number = int(chosen) if chosen and len(chosen) < 18 else newer.number - 1
    older = _version(request, article, older_number)
    if older is None and older_number != 0:
        raise HTTPNotFound()
    old = older or ArticleVersion(title="", summary="", body="", tags="")
    return {
        "article": article,
        "newer": newer,
        "older": older,
        "title": diff.word_diff(old.title, newer.title),
        "summary": diff.word_diff(old.summary, newer.summary),
        "body": diff.word_diff(old.body, newer.body),
        "tags": diff.list_diff(_tags(old), _tags(newer)),
        "numbers": [version.number for version in versions_of(request, article)],
        "may_restore": knowledge_base.can_edit(article) and newer.number != article.version,
        "labels": labels,
    }


def _tags(version: ArticleVersion) -> list[str]:
    return [tag for tag in (version.tags or "").split("\n") if tag]


@view_config(route_name="kb.article.restore", request_method="POST", permission="workspace", renderer=LIST)
def restore(request: Request) -> dict | Response:
    knowledge_base, article = history_or_403(request)
    number = int(request.matchdict["number"])
    version = normalize_digits(request.POST.get("version"))
    expected = int(version) if version and len(version) < 18 else 0
    try:
        with request.dbsession.begin_nested():
            knowledge_base.restore(article, number if number <= MAX_ID else 0, expected)
    except (KbConflict, StaleDataError):
        request.dbsession.refresh(article)
        request.response.status_int = 409
        return _page(request, knowledge_base, article,
                     _("Someone else changed this article after the page was shown. Check it and try again."))
    except KbError as error:
        request.response.status_int = 400
        return _page(request, knowledge_base, article, error.message)
    request.session.flash(request.localizer.translate(
        _("Version ${number} is the current text again (saved as version ${new}).",
          mapping={"number": format_number(number, request.locale_name),
                   "new": format_number(article.version, request.locale_name)})))
    return HTTPSeeOther(location=request.route_url("kb.article.versions", id=article.id))
