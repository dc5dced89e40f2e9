"""The shared service center's tables, all prefixed ``ssc_``.

``TicketFact`` and ``Handoff`` are what the center learned of tickets through
``pishkhan_ticket_event`` (it never reads the tickets plugin's tables): one row per ticket, and
one row per time a ticket was handed to a team above the front desk. Days (``*_on``) are Tehran
dates, so reports group and filter on plain indexed dates on every database. Agreements and unit
costs are what administrators and the director set.
"""
from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow


class TicketFact(Base):
    """A ticket as the center measures it: who asked (the customer unit), who served, when."""

    __tablename__ = "ssc_ticket_facts"
    __table_args__ = (
        Index("ix_ssc_ticket_facts_customer_resolved", "customer_department_id", "resolved_on"),
        Index("ix_ssc_ticket_facts_customer_contact", "customer_department_id", "contact_on"),
        Index("ix_ssc_ticket_facts_contact_provider", "contact_on", "provider_department_id"),
        Index("ix_ssc_ticket_facts_resolved_on", "resolved_on"),
        Index("ix_ssc_ticket_facts_breached_open", "resolution_breached_on", "resolved_on"),
    )

    ticket_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    tracking_code: Mapped[str] = mapped_column(String(12), default="")
    customer_department_id: Mapped[int | None] = mapped_column(Integer)  # the requester's; NULL for guests
    provider_department_id: Mapped[int] = mapped_column(Integer)
    service_key: Mapped[str | None] = mapped_column(String(80))
    service_title: Mapped[str] = mapped_column(String(200), default="")
    priority: Mapped[int] = mapped_column(Integer, default=4)
    channel: Mapped[str] = mapped_column(String(30), default="")
    status: Mapped[str] = mapped_column(String(20), default="new")
    team_id: Mapped[int | None] = mapped_column(Integer)
    tier: Mapped[int] = mapped_column(Integer, default=1)
    contact_at: Mapped[object] = mapped_column(UTCDateTime)
    contact_on: Mapped[object] = mapped_column(Date)
    first_response_at: Mapped[object | None] = mapped_column(UTCDateTime)
    resolution_due_at: Mapped[object | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[object | None] = mapped_column(UTCDateTime)
    resolved_on: Mapped[object | None] = mapped_column(Date)
    resolution_seconds: Mapped[int | None] = mapped_column(Integer)  # contact → resolution, calendar time
    resolution_met: Mapped[bool | None] = mapped_column(Boolean)  # resolved within its SLA target
    response_breached: Mapped[bool] = mapped_column(Boolean, default=False)
    resolution_breached_on: Mapped[object | None] = mapped_column(Date)  # the day its target was missed
    first_contact_resolution: Mapped[bool] = mapped_column(Boolean, default=False)
    escalation_count: Mapped[int] = mapped_column(Integer, default=0)
    csat_score: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)


class Handoff(Base):
    """One stretch of a ticket with a team of tier 2 or 3: from the hand-off to that team's
    resolution, or until it passes the ticket back or on (the OLA's measure)."""

    __tablename__ = "ssc_handoffs"
    __table_args__ = (
        Index("ix_ssc_handoffs_team_ended_on", "team_id", "ended_on"),
        Index("ix_ssc_handoffs_ticket_open", "ticket_id", "ended_at"),
        Index("ix_ssc_handoffs_open_team", "ended_at", "team_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(Integer)
    team_id: Mapped[int] = mapped_column(Integer)
    department_id: Mapped[int] = mapped_column(Integer)
    tier: Mapped[int] = mapped_column(Integer)
    from_team_id: Mapped[int | None] = mapped_column(Integer)
    from_tier: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[object] = mapped_column(UTCDateTime)
    ended_at: Mapped[object | None] = mapped_column(UTCDateTime)
    ended_on: Mapped[object | None] = mapped_column(Date)
    end_kind: Mapped[str | None] = mapped_column(String(20))  # resolved, handed_back, passed_on, cancelled
    seconds: Mapped[int | None] = mapped_column(Integer)


class SlaAgreement(Base):
    """A service level agreement with a customer unit (the requesters' department), for all its
    requests or one service: a share resolved within their resolution target and, optionally, an
    average resolution time, valid between two days."""

    __tablename__ = "ssc_sla_agreements"
    __table_args__ = (Index("ix_ssc_sla_agreements_customer", "customer_department_id", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_department_id: Mapped[int] = mapped_column(ForeignKey("core_departments.id"))
    service_key: Mapped[str | None] = mapped_column(String(80))
    service_title: Mapped[str] = mapped_column(String(200), default="")
    target_percent: Mapped[int] = mapped_column(Integer)
    resolution_hours: Mapped[int | None] = mapped_column(Integer)
    valid_from: Mapped[object] = mapped_column(Date)
    valid_until: Mapped[object | None] = mapped_column(Date)
    updated_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))


class OlaAgreement(Base):
    """An operational level agreement between the front desk and a specialist team: the share of
    hand-offs the team settles within ``target_hours``, valid between two days."""

    __tablename__ = "ssc_ola_agreements"
    __table_args__ = (Index("ix_ssc_ola_agreements_team", "team_id", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("core_teams.id"))
    target_hours: Mapped[int] = mapped_column(Integer)
    target_percent: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[object] = mapped_column(Date)
    valid_until: Mapped[object | None] = mapped_column(Date)
    updated_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))


class UnitCost(Base):
    """What handling one request costs, in rials, from a day on: for one service of a department,
    or (``service_key`` NULL) the department's default."""

    __tablename__ = "ssc_unit_costs"
    __table_args__ = (Index("ix_ssc_unit_costs_scope", "department_id", "service_key", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("core_departments.id"))
    service_key: Mapped[str | None] = mapped_column(String(80))
    service_title: Mapped[str] = mapped_column(String(200), default="")
    cost_rials: Mapped[int] = mapped_column(BigInteger)
    valid_from: Mapped[object] = mapped_column(Date)
    updated_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
