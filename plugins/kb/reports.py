"""What the knowledge base's authors and managers read: author lists, reuse and the link rate.

Author lists read the counters kept on ``Article`` (views, votes, reuse, open flags), never the
logs. The **link rate** is resolved tickets with at least one linked article ÷ resolved tickets,
per department, over a period of resolution dates (DOMAIN §3): it is reported, never set as a
target, because people then link just to reach it.

``department_ids`` is the reader's scope: ``None`` for every department.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import case, exists, false, func, select, true
from sqlalchemy.orm import Session, joinedload

from core.i18n import TEHRAN
from core.models import Department
from plugins.kb.models import Article, Confidence, Feedback, Flag, ResolvedTicket, State, TicketLink

LIST_LIMIT = 10
MIN_VOTES = 5
REVIEW_WITHIN_DAYS = 14


@dataclass(frozen=True)
class Period:
    """Whole days in Tehran, ``first`` to ``last`` inclusive."""

    first: date
    last: date

    @classmethod
    def last_days(cls, today: date, days: int = 30) -> Period:
        return cls(today - timedelta(days=days - 1), today)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(0), tzinfo=TEHRAN).astimezone(UTC)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(0), tzinfo=TEHRAN).astimezone(UTC)


@dataclass(frozen=True)
class LinkRate:
    department_id: int | None
    department_name: str
    resolved: int
    linked: int

    @property
    def rate(self) -> float | None:
        return self.linked / self.resolved if self.resolved else None


def _scoped(column, department_ids):
    if department_ids is None:
        return true()
    return column.in_(sorted(department_ids)) if department_ids else false()


def link_rates(dbsession: Session, department_ids, period: Period) -> list[LinkRate]:
    """One row per department with tickets resolved in the period (one query)."""
    linked = exists().where(TicketLink.ticket_id == ResolvedTicket.ticket_id)
    rows = dbsession.execute(
        select(Department.id, Department.name, func.count(), func.sum(case((linked, 1), else_=0)))
        .select_from(ResolvedTicket).join(Department, Department.id == ResolvedTicket.department_id)
        .where(ResolvedTicket.resolved_at >= period.start, ResolvedTicket.resolved_at < period.end,
               _scoped(ResolvedTicket.department_id, department_ids))
        .group_by(Department.id, Department.name)
        .order_by(Department.name)
    ).all()
    return [LinkRate(dept_id, name, int(resolved), int(linked or 0)) for dept_id, name, resolved, linked in rows]


def total_link_rate(rates: list[LinkRate]) -> LinkRate:
    return LinkRate(None, "", sum(r.resolved for r in rates), sum(r.linked for r in rates))


def _articles(dbsession: Session, department_ids, *conditions, order, limit: int) -> list[Article]:
    return list(dbsession.scalars(
        select(Article).options(joinedload(Article.department), joinedload(Article.owner))
        .where(_scoped(Article.department_id, department_ids), *conditions).order_by(*order).limit(limit)
    ))


def most_viewed(dbsession: Session, department_ids, limit: int = LIST_LIMIT) -> list[Article]:
    return _articles(dbsession, department_ids, Article.state == State.published.value, Article.view_count > 0,
                     order=(Article.view_count.desc(), Article.id), limit=limit)


def least_helpful(dbsession: Session, department_ids, min_votes: int = MIN_VOTES,
                  limit: int = LIST_LIMIT) -> list[Article]:
    """Articles with at least ``min_votes`` votes, the smallest share of "helpful" first."""
    votes = Article.helpful_count + Article.unhelpful_count
    return _articles(dbsession, department_ids, votes >= min_votes,
                     order=((Article.helpful_count * 1.0) / votes, Article.unhelpful_count.desc(), Article.id),
                     limit=limit)


def due_for_review(dbsession: Session, department_ids, today: date, limit: int = 50) -> list[Article]:
    """Published articles whose review date is past or within two weeks, the most overdue first."""
    return _articles(dbsession, department_ids, *_due_conditions(today),
                     order=(Article.next_review_on, Article.id), limit=limit)


def _due_conditions(today: date):
    # The state is tested through an expression no index answers: SQLite, which keeps no
    # statistics here, would otherwise walk every published article instead of the short range
    # of the review-date index.
    return (func.coalesce(Article.state, "") == State.published.value,
            Article.confidence != Confidence.archived.value,
            Article.next_review_on <= today + timedelta(days=REVIEW_WITHIN_DAYS))


def most_reused(dbsession: Session, department_ids, limit: int = LIST_LIMIT) -> list[Article]:
    return _articles(dbsession, department_ids, Article.reuse_count > 0,
                     order=(Article.reuse_count.desc(), Article.id), limit=limit)


def open_flags(dbsession: Session, department_ids, limit: int = 50) -> list[tuple[Flag, Article]]:
    rows = dbsession.execute(
        select(Flag, Article).join(Article, Article.id == Flag.article_id)
        .options(joinedload(Flag.flagged_by), joinedload(Article.owner))
        .where(Flag.resolved_at.is_(None), _scoped(Article.department_id, department_ids))
        .order_by(Flag.id.desc()).limit(limit)
    ).all()
    return [(flag, article) for flag, article in rows]


def helpful_comments(dbsession: Session, department_ids, period: Period,
                     limit: int = 20) -> list[tuple[Feedback, Article]]:
    """What readers wrote with their votes in the period, newest first."""
    rows = dbsession.execute(
        select(Feedback, Article).join(Article, Article.id == Feedback.article_id)
        .where(Feedback.comment != "", Feedback.created_at >= period.start, Feedback.created_at < period.end,
               _scoped(Article.department_id, department_ids))
        .order_by(Feedback.id.desc()).limit(limit)
    ).all()
    return [(feedback, article) for feedback, article in rows]


@dataclass(frozen=True)
class Health:
    open_flags: int
    due_for_review: int


def health(dbsession: Session, department_ids, today: date) -> Health:
    """Open flags and articles due for review in the scope (one query, for the dashboard): the
    open flags are few, and the due articles a range of the review-date index."""
    open_flags = (select(func.count()).select_from(Flag).join(Article, Article.id == Flag.article_id)
                  .where(Flag.resolved_at.is_(None), _scoped(Article.department_id, department_ids)))
    due = select(func.count()).select_from(Article).where(*_due_conditions(today),
                                                          _scoped(Article.department_id, department_ids))
    row = dbsession.execute(select(open_flags.scalar_subquery(), due.scalar_subquery())).one()
    return Health(int(row[0]), int(row[1]))
