"""Customer units seen from the center: how many requests each sent, how well they were served
(resolved within target, time to resolve, satisfaction) and what they asked for most.

A customer unit is the requesters' department; requests of guests (citizens without an account)
form a unit of their own with no department. Volume counts requests received in the period;
attainment counts, as the agreements do, those resolved in it and those still open that went late
in it; resolution time and satisfaction count those resolved in it.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from core.models import Department
from plugins.shared_services.facts import OPEN_STATUSES
from plugins.shared_services.models import TicketFact
from plugins.shared_services.periods import Period

TOP_SERVICES = 5
SATISFIED_FROM = 4  # CSAT: answers of 4 or 5 out of 5


@dataclass(frozen=True)
class Service:
    title: str
    provider: str
    volume: int


@dataclass
class CustomerFigures:
    department_id: int | None
    volume: int = 0
    resolved: int = 0
    counted: int = 0  # resolved, and open but late, in the period
    within_target: int = 0
    resolution_seconds: int = 0
    rated: int = 0
    score_total: int = 0
    satisfied: int = 0

    @property
    def attainment(self) -> float | None:
        return 100.0 * self.within_target / self.counted if self.counted else None

    @property
    def average_hours(self) -> float | None:
        return self.resolution_seconds / self.resolved / 3600 if self.resolved else None

    @property
    def csat(self) -> float | None:
        """The mean score out of 5."""
        return self.score_total / self.rated if self.rated else None

    @property
    def satisfied_share(self) -> float | None:
        return 100.0 * self.satisfied / self.rated if self.rated else None


def _in(column, period: Period):
    return column.between(period.start, period.end)


def counted_in(period: Period):
    """Requests that count for attainment in ``period``: resolved in it, or open and late in it."""
    f = TicketFact
    return or_(_in(f.resolved_on, period),
               and_(f.resolved_on.is_(None), f.status.in_(OPEN_STATUSES), _in(f.resolution_breached_on, period)))


def figures(dbsession: Session, period: Period, customer_department_id: int | None = None,
            only_one: bool = False) -> dict[int | None, CustomerFigures]:
    """Customer unit → its figures in the period (two statements); ``only_one`` restricts to
    ``customer_department_id`` (``None`` then meaning the guests)."""
    f = TicketFact
    scope = []
    if only_one:
        scope = [f.customer_department_id.is_(None) if customer_department_id is None
                 else f.customer_department_id == customer_department_id]
    result: dict[int | None, CustomerFigures] = {}
    for department_id, volume in dbsession.execute(
            select(f.customer_department_id, func.count()).where(_in(f.contact_on, period), *scope)
            .group_by(f.customer_department_id)):
        result.setdefault(department_id, CustomerFigures(department_id)).volume = volume
    is_resolved = f.resolved_on.is_not(None)
    resolved = select(
        f.customer_department_id, func.count(), func.sum(case((is_resolved, 1), else_=0)),
        func.sum(case((f.resolution_met.is_(True), 1), else_=0)),
        func.sum(f.resolution_seconds), func.count(f.csat_score), func.sum(f.csat_score),
        func.sum(case((f.csat_score >= SATISFIED_FROM, 1), else_=0)),
    ).where(counted_in(period), *scope).group_by(f.customer_department_id)
    for department_id, counted, count, within, seconds, rated, scores, satisfied in dbsession.execute(resolved):
        row = result.setdefault(department_id, CustomerFigures(department_id))
        row.counted, row.resolved, row.within_target = counted, count or 0, within or 0
        row.resolution_seconds = seconds or 0
        row.rated, row.score_total, row.satisfied = rated, scores or 0, satisfied or 0
    return result


def top_services(dbsession: Session, period: Period, customer_department_id: int | None) -> list[Service]:
    f = TicketFact
    who = f.customer_department_id.is_(None) if customer_department_id is None \
        else f.customer_department_id == customer_department_id
    volume = func.count().label("volume")
    rows = dbsession.execute(
        select(func.max(f.service_title), Department.name, volume)
        .join(Department, Department.id == f.provider_department_id)
        .where(who, _in(f.contact_on, period))
        .group_by(f.provider_department_id, Department.name, f.service_key)
        .order_by(volume.desc(), Department.name).limit(TOP_SERVICES)
    ).all()
    return [Service(title or "", provider, count) for title, provider, count in rows]


def customer_units(dbsession: Session) -> dict[int, Department]:
    """Every department by id (to name the units)."""
    return {department.id: department for department in dbsession.scalars(select(Department))}
