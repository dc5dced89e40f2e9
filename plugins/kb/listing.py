"""The authors' list of articles (``/desk/kb``) as queries: filters, sorting and keyset pages.

An agent sees every published article and the drafts and articles in review of the departments
they write for (``KnowledgeBase.author_departments``). A page is one query whatever the number
of articles: the sort key of the last row is the cursor of the next page, in the style of the
ticket queue.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.orm import Session, defer, joinedload

from core import keyset
from core.i18n import _
from core.normalize import normalize_line, to_latin_digits
from plugins.kb.articles import KnowledgeBase
from plugins.kb.models import Article, Audience, Confidence, State

SORTS = ("updated", "newest", "review")
DEFAULT_SORT = "updated"
PAGE_SIZE = 25
MAX_QUERY_LENGTH = 100
# Each sort: the columns of its key, each with True for descending. ``review`` puts articles
# without a review date last and is handled apart because of those NULLs.
_SORT_KEYS = {
    "updated": ((Article.updated_at, True), (Article.id, True)),
    "newest": ((Article.id, True),),
    "review": ((Article.next_review_on, False), (Article.id, False)),
}


class ListingError(ValueError):
    """A filter, sort or cursor that makes no sense; ``field`` names the parameter."""

    def __init__(self, field_name: str, message):
        super().__init__(str(message))
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class ArticleFilter:
    """What the list shows; empty values mean "no restriction"."""

    state: str = ""
    department: int | None = None
    audience: str = ""
    confidence: str = ""
    mine: bool = False
    due: bool = False  # due for review (the review date has come)
    flagged: bool = False  # with open "outdated" or "wrong" flags
    q: str = ""

    @classmethod
    def parse(cls, params: Mapping) -> ArticleFilter:
        """Read a query string; unknown keys (``sort``, ``cursor``) are ignored."""
        department = to_latin_digits(_one(params, "department"))
        if department and (not department.isdecimal() or len(department) > 18):
            raise ListingError("department", _("Unknown department."))
        return cls(
            state=_choice(params, "state", {state.value for state in State}),
            department=int(department) if department else None,
            audience=_choice(params, "audience", {audience.value for audience in Audience}),
            confidence=_choice(params, "confidence", {confidence.value for confidence in Confidence}),
            mine=_one(params, "owner") == "mine",
            due=_one(params, "due") == "1",
            flagged=_one(params, "flagged") == "1",
            q=normalize_line(_one(params, "q"))[:MAX_QUERY_LENGTH],
        )

    def to_params(self) -> dict[str, str]:
        params = {"state": self.state, "department": str(self.department or ""), "audience": self.audience,
                  "confidence": self.confidence, "owner": "mine" if self.mine else "",
                  "due": "1" if self.due else "", "flagged": "1" if self.flagged else "", "q": self.q}
        return {name: value for name, value in params.items() if value}

    @property
    def is_default(self) -> bool:
        return self == ArticleFilter()

    def conditions(self, knowledge_base: KnowledgeBase, today: date) -> list[ColumnElement[bool]]:
        where = [visible(knowledge_base)]
        for value, column in ((self.state, Article.state), (self.department, Article.department_id),
                              (self.audience, Article.audience), (self.confidence, Article.confidence)):
            if value:
                where.append(column == value)
        if self.mine:
            actor = knowledge_base.actor
            where.append(Article.owner_id == actor.id if actor is not None else false())
        if self.due:
            where.append(Article.next_review_on <= today)
        if self.flagged:
            where.append(Article.open_flag_count > 0)
        if self.q:
            where.append(Article.title.icontains(self.q, autoescape=True))
        return where


def visible(knowledge_base: KnowledgeBase) -> ColumnElement[bool]:
    """Published articles, and the others of the departments the actor writes for."""
    if not knowledge_base.is_staff:
        return Article.state == State.published.value
    departments = knowledge_base.author_departments()
    if departments is None:
        return true()
    if not departments:
        return Article.state == State.published.value
    return or_(Article.state == State.published.value, Article.department_id.in_(sorted(departments)))


def _one(params: Mapping, name: str) -> str:
    values = params.getall(name) if hasattr(params, "getall") else [params.get(name) or ""]
    return str(values[-1]).strip() if values else ""


def _choice(params: Mapping, name: str, allowed: set[str]) -> str:
    value = _one(params, name)
    if value and value not in allowed:
        raise ListingError(name, _("Choose a value from the list."))
    return value


def parse_sort(value: str | None) -> str:
    value = (value or "").strip() or DEFAULT_SORT
    if value not in SORTS:
        raise ListingError("sort", _("Unknown sort order."))
    return value


@dataclass(frozen=True)
class Page:
    items: list[Article]
    next_cursor: str | None = None


def page(dbsession: Session, knowledge_base: KnowledgeBase, article_filter: ArticleFilter, today: date,
         sort: str = DEFAULT_SORT, cursor: str | None = None, limit: int = PAGE_SIZE) -> Page:
    """One page after ``cursor`` (``None``: the first) with the department, owner and category
    the list shows already loaded (and the bodies, which it does not show, left out)."""
    sort = parse_sort(sort)
    conditions = article_filter.conditions(knowledge_base, today)
    if cursor:
        conditions.append(_after(sort, decode_cursor(cursor, sort)))
    statement = (select(Article).where(*conditions).order_by(*_order_by(sort)).limit(limit + 1)
                 .options(defer(Article.body), joinedload(Article.department), joinedload(Article.owner),
                          joinedload(Article.category)))
    items = list(dbsession.scalars(statement))
    if len(items) <= limit:
        return Page(items)
    items = items[:limit]
    return Page(items, encode_cursor(sort, items[-1]))


def _order_by(sort: str) -> list:
    if sort == "review":
        return [Article.next_review_on.is_(None), Article.next_review_on, Article.id]
    return [column.desc() if descending else column.asc() for column, descending in _SORT_KEYS[sort]]


def _after(sort: str, key: list) -> ColumnElement[bool]:
    """Rows strictly after ``key`` in the sort order."""
    if sort == "review":
        review_on, article_id = key
        if review_on is None:
            return and_(Article.next_review_on.is_(None), Article.id > article_id)
        return or_(Article.next_review_on > review_on,
                   and_(Article.next_review_on == review_on, Article.id > article_id),
                   Article.next_review_on.is_(None))
    return keyset.after(_SORT_KEYS[sort], key)


def encode_cursor(sort: str, article: Article) -> str:
    return keyset.encode(sort, [getattr(article, column.key) for column, _descending in _SORT_KEYS[sort]])


def decode_cursor(cursor: str, sort: str) -> list:
    """The sort key in ``cursor``; a cursor of another sort or a forged one is refused."""
    refused = ListingError("cursor", _("This page link is no longer valid; start from the first page."))
    try:
        key = keyset.decode(cursor, sort, len(_SORT_KEYS[sort]))
        if sort == "updated":
            key[0] = datetime.fromisoformat(key[0])
            if key[0].tzinfo is None:
                raise refused
        elif sort == "review" and key[0] is not None:
            key[0] = date.fromisoformat(key[0])
    except (ValueError, TypeError):
        raise refused from None
    return key
