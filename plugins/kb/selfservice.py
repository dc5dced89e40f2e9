"""The self-service success rate (DOMAIN §3.4), computed from the portal's trail.

A *visit* is the events sharing one ``session_key`` in the period (``kb_selfservice_events``,
written by the portal). Events of agents in the workspace are left out: they are not
self-service.

- A visit has **support intent** when it searched, viewed an article, was shown suggestions on
  the request form, asked for more help or filed a request: a request filed without reading
  anything is support demand too, and leaving it out would make the rate rise when people skip
  the knowledge base.
- It is **successful** when it recorded "this solved my problem" (``solved``), or a helpful vote,
  or it viewed an article and filed no ticket (no ``ticket_created``) and did not ask for more
  help (no ``still_need_help``).
- **Success rate** = successful visits ÷ visits with support intent.

Alongside: searches, searches that found nothing, visits solved without a ticket (``solved``
and no ``ticket_created``), and drafts abandoned after reading a suggestion (shown suggestions,
viewed an article, no ``ticket_created``). All of it is one aggregate query: the inner query
folds each visit into flags, the outer one counts them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from plugins.kb.models import SelfServiceEvent, TrailKind

NOT_SELF_SERVICE = ("workspace",)
UNANSWERED_LIMIT = 20


@dataclass(frozen=True)
class SelfService:
    visits: int = 0
    with_intent: int = 0
    successful: int = 0
    searches: int = 0
    searches_without_result: int = 0
    solved_without_ticket: int = 0
    abandoned_drafts: int = 0

    @property
    def success_rate(self) -> float | None:
        """Successful ÷ with intent; ``None`` when no visit showed an intent."""
        return self.successful / self.with_intent if self.with_intent else None


@dataclass(frozen=True)
class Unanswered:
    query: str
    count: int
    last_at: datetime


def _in_period(start: datetime, end: datetime):
    # Every kind is listed so the (kind, at) index answers the period's range scan.
    return and_(SelfServiceEvent.kind.in_([kind.value for kind in TrailKind]),
                SelfServiceEvent.at >= start, SelfServiceEvent.at < end,
                SelfServiceEvent.source.not_in(NOT_SELF_SERVICE))


def success(dbsession: Session, start: datetime, end: datetime) -> SelfService:
    """The measures of the visits in ``[start, end)`` (one query)."""
    kind = SelfServiceEvent.kind

    def seen(*kinds: TrailKind):
        return func.max(case((kind.in_([k.value for k in kinds]), 1), else_=0))

    def counted(condition):
        return func.sum(case((condition, 1), else_=0))

    visits = (
        select(
            seen(TrailKind.search, TrailKind.view, TrailKind.suggested, TrailKind.still_need_help,
                 TrailKind.ticket_created).label("intent"),
            seen(TrailKind.solved).label("solved"),
            seen(TrailKind.helpful).label("helpful"),
            seen(TrailKind.view).label("viewed"),
            seen(TrailKind.suggested).label("suggested"),
            seen(TrailKind.ticket_created).label("ticket"),
            seen(TrailKind.still_need_help).label("still"),
            counted(kind == TrailKind.search.value).label("searches"),
            counted(and_(kind == TrailKind.search.value, SelfServiceEvent.result_count == 0)).label("empty"),
        )
        .where(_in_period(start, end))
        .group_by(SelfServiceEvent.session_key)
        .subquery("visits")
    )
    intent = visits.c.intent == 1
    successful = and_(intent, or_(visits.c.solved == 1, visits.c.helpful == 1,
                                  and_(visits.c.viewed == 1, visits.c.ticket == 0, visits.c.still == 0)))
    row = dbsession.execute(select(
        func.count(),
        counted(intent),
        counted(successful),
        func.coalesce(func.sum(visits.c.searches), 0),
        func.coalesce(func.sum(visits.c.empty), 0),
        counted(and_(visits.c.solved == 1, visits.c.ticket == 0)),
        counted(and_(visits.c.suggested == 1, visits.c.viewed == 1, visits.c.ticket == 0)),
    )).one()
    return SelfService(*(int(value or 0) for value in row))


def unanswered(dbsession: Session, start: datetime, end: datetime, limit: int = UNANSWERED_LIMIT) -> list[Unanswered]:
    """What people look for and don't find: searches with no result, most asked first."""
    rows = dbsession.execute(
        select(SelfServiceEvent.query, func.count().label("count"), func.max(SelfServiceEvent.at))
        .where(SelfServiceEvent.kind == TrailKind.search.value, SelfServiceEvent.at >= start,
               SelfServiceEvent.at < end, SelfServiceEvent.result_count == 0, SelfServiceEvent.query != "")
        .group_by(SelfServiceEvent.query)
        .order_by(func.count().desc(), SelfServiceEvent.query)
        .limit(limit)
    ).all()
    return [Unanswered(query, count, last_at) for query, count, last_at in rows]
