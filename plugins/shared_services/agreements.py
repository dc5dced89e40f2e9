"""Agreements and how they are measured.

**SLA with a customer unit** (the department the requesters belong to), for all its requests or
one service. Counted in a period: the unit's requests resolved in it, and those still open whose
resolution target was missed in it (a request is counted once: where it was resolved or, while
open, where it went late). Measured: the share resolved within their resolution target (the
tickets' own SLA clocks, in business time) and the average time from contact to resolution
(calendar hours).

**OLA between the front desk and a specialist team** (tier 2 or 3). Counted in a period: the
team's stretches that ended in it (resolved, handed back or passed on; cancelled ones are not
counted), and those still open whose ``target_hours`` ran out in it. Measured: the share settled
within ``target_hours`` (calendar hours from the hand-off) and their average length.

**Status**: met when the measure reaches the target; at risk when it misses by a little (at most
5 percentage points, or 10% over a time target), which in a period still running can be caught
up; missed beyond that. An agreement not in force in the period, or with nothing to count, has
no status. Every agreement of a page is measured with the same five statements.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from core.i18n import _
from core.models import Department, Team
from plugins.shared_services.errors import Refused
from plugins.shared_services.facts import OPEN_STATUSES, tehran_day
from plugins.shared_services.models import Handoff, OlaAgreement, SlaAgreement, TicketFact
from plugins.shared_services.periods import Period

MET, AT_RISK, MISSED, NO_DATA, NOT_IN_FORCE = "met", "at_risk", "missed", "no_data", "not_in_force"
STATUS_TITLES = {
    MET: _("Target met"), AT_RISK: _("Target at risk"), MISSED: _("Target missed"), NO_DATA: _("Nothing to count yet"),
    NOT_IN_FORCE: _("Not in force in this period"),
}
AT_RISK_POINTS = 5
AT_RISK_TIME_SHARE = 0.10
SEVERITY = (MET, AT_RISK, MISSED)


@dataclass(frozen=True)
class Measure:
    """An agreement's result in a period."""

    agreement: SlaAgreement | OlaAgreement
    title: str  # the customer unit (› service), or the team (› department)
    window: tuple[date, date] | None
    counted: int = 0
    within: int = 0
    average_hours: float | None = None
    status: str = NO_DATA

    @property
    def attainment(self) -> float | None:
        return 100.0 * self.within / self.counted if self.counted else None


def percent_status(measured: float, target: float) -> str:
    if measured >= target:
        return MET
    return AT_RISK if measured >= target - AT_RISK_POINTS else MISSED


def time_status(measured_hours: float, target_hours: float) -> str:
    if measured_hours <= target_hours:
        return MET
    return AT_RISK if measured_hours <= target_hours * (1 + AT_RISK_TIME_SHARE) else MISSED


def worst(*statuses: str) -> str:
    return max(statuses, key=SEVERITY.index)


# --- SLA --------------------------------------------------------------------------------------

def in_window(day_column, agreement_table, period: Period):
    """``day_column`` inside the period and the agreement's validity."""
    return and_(day_column >= period.start, day_column <= period.end, day_column >= agreement_table.valid_from,
                or_(agreement_table.valid_until.is_(None), day_column <= agreement_table.valid_until))


def in_force(agreement_table, period: Period):
    return and_(agreement_table.valid_from <= period.end,
                or_(agreement_table.valid_until.is_(None), agreement_table.valid_until >= period.start))


def sla_counts(dbsession: Session, period: Period, customer_department_id: int | None = None) -> dict[int, tuple]:
    """Agreement id → (counted, within, resolved, seconds), one statement for every SLA."""
    a, f = SlaAgreement, TicketFact
    resolved = f.resolved_on.is_not(None)
    query = (
        select(a.id, func.count(), func.sum(case((and_(resolved, f.resolution_met.is_(True)), 1), else_=0)),
               func.sum(case((resolved, 1), else_=0)), func.sum(f.resolution_seconds))
        .join(f, and_(f.customer_department_id == a.customer_department_id,
                      or_(a.service_key.is_(None), f.service_key == a.service_key)))
        .where(in_force(a, period),
               or_(in_window(f.resolved_on, a, period),
                   and_(f.resolved_on.is_(None), f.status.in_(OPEN_STATUSES),
                        in_window(f.resolution_breached_on, a, period))))
        .group_by(a.id)
    )
    if customer_department_id is not None:
        query = query.where(a.customer_department_id == customer_department_id)
    return {row[0]: tuple(value or 0 for value in row[1:]) for row in dbsession.execute(query)}


def sla_agreements(dbsession: Session, customer_department_id: int | None = None) -> list[tuple[SlaAgreement, str]]:
    query = (select(SlaAgreement, Department.name)
             .join(Department, Department.id == SlaAgreement.customer_department_id)
             .order_by(Department.name, SlaAgreement.service_key.is_not(None), SlaAgreement.service_title,
                       SlaAgreement.valid_from))
    if customer_department_id is not None:
        query = query.where(SlaAgreement.customer_department_id == customer_department_id)
    return [(agreement, name) for agreement, name in dbsession.execute(query)]


def measure_slas(dbsession: Session, period: Period, today: date,
                 customer_department_id: int | None = None) -> list[Measure]:
    counts = sla_counts(dbsession, period, customer_department_id)
    measures = []
    for agreement, customer_name in sla_agreements(dbsession, customer_department_id):
        title = " › ".join(filter(None, (customer_name, agreement.service_title if agreement.service_key else "")))
        window = period.overlap(agreement.valid_from, agreement.valid_until)
        if window is None:
            measures.append(Measure(agreement, title, None, status=NOT_IN_FORCE))
            continue
        counted, within, resolved, seconds = counts.get(agreement.id, (0, 0, 0, 0))
        average = seconds / resolved / 3600 if resolved else None
        status = NO_DATA
        if counted:
            status = percent_status(100.0 * within / counted, agreement.target_percent)
            if agreement.resolution_hours and average is not None:
                status = worst(status, time_status(average, agreement.resolution_hours))
        measures.append(Measure(agreement, title, window, counted, within, average, status))
    return measures


# --- OLA --------------------------------------------------------------------------------------

def ola_agreements(dbsession: Session) -> list[tuple[OlaAgreement, str, str]]:
    return [tuple(row) for row in dbsession.execute(
        select(OlaAgreement, Team.name, Department.name).join(Team, Team.id == OlaAgreement.team_id)
        .join(Department, Department.id == Team.department_id)
        .order_by(Department.name, Team.tier, Team.name, OlaAgreement.valid_from))]


def ola_counts(dbsession: Session, period: Period) -> dict[int, tuple]:
    """Agreement id → (counted, within, seconds) of the stretches that ended in the period."""
    o, h = OlaAgreement, Handoff
    query = (
        select(o.id, func.count(), func.sum(case((h.seconds <= o.target_hours * 3600, 1), else_=0)),
               func.sum(h.seconds))
        .join(h, h.team_id == o.team_id)
        .where(in_force(o, period), in_window(h.ended_on, o, period), h.end_kind != "cancelled")
        .group_by(o.id)
    )
    return {row[0]: tuple(value or 0 for value in row[1:]) for row in dbsession.execute(query)}


def ola_overdue(dbsession: Session, period: Period, now: datetime,
                agreements: list[OlaAgreement]) -> dict[int, int]:
    """Agreement id → open stretches whose target ran out inside the period and its validity."""
    o, h = OlaAgreement, Handoff
    rows = dbsession.execute(
        select(o.id, h.started_at).join(h, h.team_id == o.team_id)
        .where(in_force(o, period), h.ended_at.is_(None))
    ).all()
    by_id = {agreement.id: agreement for agreement in agreements}
    overdue: dict[int, int] = {}
    for agreement_id, started_at in rows:
        agreement = by_id[agreement_id]
        deadline = started_at + timedelta(hours=agreement.target_hours)
        window = period.overlap(agreement.valid_from, agreement.valid_until)
        if deadline <= now and window is not None and window[0] <= tehran_day(deadline) <= window[1]:
            overdue[agreement_id] = overdue.get(agreement_id, 0) + 1
    return overdue


def measure_olas(dbsession: Session, period: Period, now: datetime) -> list[Measure]:
    rows = ola_agreements(dbsession)
    counts = ola_counts(dbsession, period)
    overdue = ola_overdue(dbsession, period, now, [agreement for agreement, _team, _dept in rows])
    measures = []
    for agreement, team_name, department_name in rows:
        title = f"{team_name} › {department_name}"
        window = period.overlap(agreement.valid_from, agreement.valid_until)
        if window is None:
            measures.append(Measure(agreement, title, None, status=NOT_IN_FORCE))
            continue
        ended, within, seconds = counts.get(agreement.id, (0, 0, 0))
        counted = ended + overdue.get(agreement.id, 0)
        average = seconds / ended / 3600 if ended else None
        status = percent_status(100.0 * within / counted, agreement.target_percent) if counted else NO_DATA
        measures.append(Measure(agreement, title, window, counted, within, average, status))
    return measures


# --- changes ----------------------------------------------------------------------------------

def check_no_overlap(dbsession: Session, model, scope: dict, valid_from: date, valid_until: date | None,
                     editing_id: int | None) -> None:
    """Two agreements of the same scope may not be in force on the same day."""
    query = select(model.id).where(
        *[getattr(model, name).is_(None) if value is None else getattr(model, name) == value
          for name, value in scope.items()],
        or_(model.valid_until.is_(None), model.valid_until >= valid_from),
    )
    if valid_until is not None:
        query = query.where(model.valid_from <= valid_until)
    if editing_id is not None:
        query = query.where(model.id != editing_id)
    if dbsession.scalar(query.limit(1)) is not None:
        raise Refused("valid_from", _("Another agreement for the same scope is in force on some of these "
                                             "days; end it first or choose other dates."))


def save_sla(dbsession: Session, agreement: SlaAgreement | None, values: dict, actor_id: int | None,
             now: datetime) -> SlaAgreement:
    check_no_overlap(dbsession, SlaAgreement, {"customer_department_id": values["customer_department_id"],
                                               "service_key": values["service_key"]},
                     values["valid_from"], values["valid_until"], agreement.id if agreement else None)
    if agreement is None:
        agreement = SlaAgreement()
        dbsession.add(agreement)
    for name in ("customer_department_id", "service_key", "service_title", "target_percent", "resolution_hours",
                 "valid_from", "valid_until"):
        setattr(agreement, name, values[name])
    agreement.updated_at, agreement.updated_by_id = now, actor_id
    dbsession.flush()
    return agreement


def save_ola(dbsession: Session, agreement: OlaAgreement | None, values: dict, actor_id: int | None,
             now: datetime) -> OlaAgreement:
    check_no_overlap(dbsession, OlaAgreement, {"team_id": values["team_id"]}, values["valid_from"],
                     values["valid_until"], agreement.id if agreement else None)
    if agreement is None:
        agreement = OlaAgreement()
        dbsession.add(agreement)
    for name in ("team_id", "target_hours", "target_percent", "valid_from", "valid_until"):
        setattr(agreement, name, values[name])
    agreement.updated_at, agreement.updated_by_id = now, actor_id
    dbsession.flush()
    return agreement
