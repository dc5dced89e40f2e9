"""The tickets plugin's tables, all prefixed ``tickets_``.

A ticket's history is append-only (``TicketEvent``); its SLA clocks, comments, attachments, tags
and links hang off it. ``QueueCount`` keeps the workspace's counts up to date in the same
transaction as every ticket change, so queue badges never count the whole table.
"""
from __future__ import annotations

import enum

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, UTCDateTime, utcnow
from core.models import Department, Team, User


class TicketType(enum.StrEnum):
    incident = "incident"
    service_request = "service_request"
    complaint = "complaint"
    suggestion = "suggestion"
    information = "information"


class Level(enum.StrEnum):
    """Impact and urgency share one scale."""

    high = "high"
    medium = "medium"
    low = "low"


class Status(enum.StrEnum):
    new = "new"  # routed to a team, no agent yet
    assigned = "assigned"
    in_progress = "in_progress"
    pending = "pending"  # SLA clocks paused; see PendingReason
    reopened = "reopened"
    resolved = "resolved"
    closed = "closed"
    cancelled = "cancelled"


OPEN_STATUSES = (Status.new, Status.assigned, Status.in_progress, Status.pending, Status.reopened)
DONE_STATUSES = (Status.resolved, Status.closed, Status.cancelled)


class PendingReason(enum.StrEnum):
    awaiting_requester = "awaiting_requester"
    third_party = "third_party"
    approval = "approval"


class Category(Base):
    """A department's request category: the service list when no catalog plugin provides one."""

    __tablename__ = "tickets_categories"
    __table_args__ = (UniqueConstraint("department_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("core_departments.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    promised_days: Mapped[int] = mapped_column(Integer, default=5)  # business days, printed on receipts
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    department: Mapped[Department] = relationship()


class Ticket(Base):
    __tablename__ = "tickets_tickets"
    __table_args__ = (
        Index("ix_tickets_tickets_department_status_id", "department_id", "status", "id"),
        Index("ix_tickets_tickets_assignee_status_id", "assignee_id", "status", "id"),
        Index("ix_tickets_tickets_team_status_id", "team_id", "status", "id"),
        Index("ix_tickets_tickets_requester_id", "requester_id", "id"),
        Index("ix_tickets_tickets_status_id", "status", "id"),
        # "Overdue" and "breaching soon" badges: range scans that also cover the department.
        Index("ix_tickets_tickets_sla_due_at", "sla_due_at", "department_id"),
        Index("ix_tickets_tickets_sla_state_due", "sla_state", "sla_due_at", "department_id"),
        CheckConstraint("priority BETWEEN 1 AND 4", name="priority_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(12), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    type: Mapped[str] = mapped_column(String(30), default=TicketType.incident.value)
    status: Mapped[str] = mapped_column(String(20), default=Status.new.value)
    pending_reason: Mapped[str | None] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(30), index=True)
    contact_at: Mapped[object] = mapped_column(UTCDateTime)
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))

    requester_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    guest_name: Mapped[str | None] = mapped_column(String(200))
    guest_mobile: Mapped[str | None] = mapped_column(String(11), index=True)
    guest_email: Mapped[str | None] = mapped_column(String(254))
    guest_national_code: Mapped[str | None] = mapped_column(String(10))

    department_id: Mapped[int] = mapped_column(ForeignKey("core_departments.id"))
    service_key: Mapped[str | None] = mapped_column(String(80), index=True)
    service_title: Mapped[str] = mapped_column(String(200), default="")
    impact: Mapped[str] = mapped_column(String(10), default=Level.low.value)
    urgency: Mapped[str] = mapped_column(String(10), default=Level.low.value)
    priority: Mapped[int] = mapped_column(Integer, default=4)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("core_teams.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    tier: Mapped[int] = mapped_column(Integer, default=1)
    subject: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")

    promised_at: Mapped[object | None] = mapped_column(UTCDateTime)  # on the receipt
    first_response_at: Mapped[object | None] = mapped_column(UTCDateTime)
    response_due_at: Mapped[object | None] = mapped_column(UTCDateTime)
    resolution_due_at: Mapped[object | None] = mapped_column(UTCDateTime)
    # The earliest due date of a running clock; NULL when no clock runs, so "overdue" and
    # "breaching soon" are index range scans over open tickets only.
    sla_due_at: Mapped[object | None] = mapped_column(UTCDateTime)
    sla_state: Mapped[str] = mapped_column(String(10), default="ok")  # ok, warning, breached, paused, met

    resolved_at: Mapped[object | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[object | None] = mapped_column(UTCDateTime)
    resolution_code: Mapped[str | None] = mapped_column(String(30))
    resolution_note: Mapped[str | None] = mapped_column(Text)
    resolved_tier: Mapped[int | None] = mapped_column(Integer)
    first_contact_resolution: Mapped[bool] = mapped_column(Boolean, default=False)
    escalation_count: Mapped[int] = mapped_column(Integer, default=0)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("tickets_tickets.id"))
    # The service's request form as submitted: ``[{"name", "title", "value"}]``, titles and
    # values as the requester saw them, so they read the same if the form's plugin goes away.
    form_values: Mapped[list | None] = mapped_column(JSON)

    department: Mapped[Department] = relationship()
    team: Mapped[Team | None] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    requester: Mapped[User | None] = relationship(foreign_keys=[requester_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    tags: Mapped[list[TicketTag]] = relationship(cascade="all, delete-orphan", order_by="TicketTag.tag")

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def requester_name(self) -> str:
        return self.requester.full_name if self.requester is not None else (self.guest_name or "")


class TicketEvent(Base):
    """One line of a ticket's append-only history: who, when, what, through which channel."""

    __tablename__ = "tickets_events"
    __table_args__ = (Index("ix_tickets_events_ticket_id_id", "ticket_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets_tickets.id", ondelete="CASCADE"))
    at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    channel: Mapped[str] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(30))
    data: Mapped[dict] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship()


class Comment(Base):
    """A public reply (seen by the requester) or an internal note (agents only)."""

    __tablename__ = "tickets_comments"
    __table_args__ = (Index("ix_tickets_comments_ticket_id_id", "ticket_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets_tickets.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    author_name: Mapped[str] = mapped_column(String(200), default="")  # guests have no account
    is_internal: Mapped[bool] = mapped_column(Boolean, default=False)
    body: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()


class Attachment(Base):
    """A file on disk under ``tickets.attachments_dir``, named by its SHA-256 digest."""

    __tablename__ = "tickets_attachments"
    __table_args__ = (Index("ix_tickets_attachments_ticket_id", "ticket_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets_tickets.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("tickets_comments.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    is_internal: Mapped[bool] = mapped_column(Boolean, default=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    label: Mapped[str | None] = mapped_column(String(200))  # the request form's field it answers


class ApprovalState(enum.StrEnum):
    waiting = "waiting"  # an earlier step is not decided yet
    pending = "pending"  # asked, not decided
    approved = "approved"
    rejected = "rejected"
    cancelled = "cancelled"  # an earlier step was rejected


class Approval(Base):
    """One step of a request's approval, decided in order (``position``).

    ``approver_id`` is the person asked; ``NULL`` when nobody fits the step, and then the
    department's managers and the administrators decide. ``link_nonce`` makes the e-mailed
    links of the step single use: it is cleared when the step is decided.
    """

    __tablename__ = "tickets_approvals"
    __table_args__ = (
        UniqueConstraint("ticket_id", "position"),
        Index("ix_tickets_approvals_approver_state", "approver_id", "state", "id"),
        Index("ix_tickets_approvals_state_reminded", "state", "reminded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets_tickets.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))  # core.contracts.APPROVERS
    title: Mapped[str] = mapped_column(String(200), default="")
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    state: Mapped[str] = mapped_column(String(20), default=ApprovalState.waiting.value)
    requested_at: Mapped[object | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[object | None] = mapped_column(UTCDateTime)  # the last request or reminder
    link_nonce: Mapped[str | None] = mapped_column(String(32))
    decided_at: Mapped[object | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    comment: Mapped[str] = mapped_column(Text, default="")

    ticket: Mapped[Ticket] = relationship()
    approver: Mapped[User | None] = relationship(foreign_keys=[approver_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class Task(Base):
    """A piece of work that fulfils a request, for one team; the ticket is resolved when the
    last task of it is done."""

    __tablename__ = "tickets_tasks"
    __table_args__ = (
        Index("ix_tickets_tasks_ticket_id", "ticket_id", "position"),
        Index("ix_tickets_tasks_team_done_id", "team_id", "is_done", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets_tickets.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("core_teams.id"))
    is_done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[object | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    ticket: Mapped[Ticket] = relationship()
    team: Mapped[Team | None] = relationship()
    done_by: Mapped[User | None] = relationship()


class TicketTag(Base):
    __tablename__ = "tickets_tags"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets_tickets.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(50), primary_key=True, index=True)


class LinkKind(enum.StrEnum):
    duplicate_of = "duplicate_of"
    related_to = "related_to"
    parent_of = "parent_of"


class TicketLink(Base):
    __tablename__ = "tickets_links"
    __table_args__ = (UniqueConstraint("source_id", "target_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("tickets_tickets.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("tickets_tickets.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)


class SlaClock(Base):
    """A ticket's response or resolution clock in business time (see ``plugins.tickets.sla``)."""

    __tablename__ = "tickets_sla_clocks"
    __table_args__ = (
        UniqueConstraint("ticket_id", "kind"),
        # The sweep's two range scans: running clocks not yet breached (warned) past their due
        # (warning) date; clocks already recorded are not even read.
        Index("ix_tickets_sla_clocks_running_due", "is_running", "breached", "due_at"),
        Index("ix_tickets_sla_clocks_running_warn", "is_running", "warned", "warn_at"),
        # Paused clocks, recomputed with the running ones after a calendar change.
        Index("ix_tickets_sla_clocks_paused", "paused_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets_tickets.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # response, resolution
    calendar_id: Mapped[int | None] = mapped_column(ForeignKey("tickets_calendars.id"))
    target_seconds: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[object] = mapped_column(UTCDateTime)
    running_since: Mapped[object | None] = mapped_column(UTCDateTime)
    consumed_seconds: Mapped[int] = mapped_column(Integer, default=0)
    # The spans it ran before ``running_since``, ``[[start, end], …]`` in UTC ISO, so a closure
    # declared late gives back the time it covers after a pause too; None on clocks from before.
    runs: Mapped[list | None] = mapped_column(JSON)
    paused_at: Mapped[object | None] = mapped_column(UTCDateTime)
    stopped_at: Mapped[object | None] = mapped_column(UTCDateTime)
    due_at: Mapped[object | None] = mapped_column(UTCDateTime)
    warn_at: Mapped[object | None] = mapped_column(UTCDateTime)  # when 75% of the target is used
    is_running: Mapped[bool] = mapped_column(Boolean, default=True)
    warned: Mapped[bool] = mapped_column(Boolean, default=False)
    breached: Mapped[bool] = mapped_column(Boolean, default=False)

    ticket: Mapped[Ticket] = relationship()


class SlaPolicy(Base):
    """Targets for a priority, optionally narrowed to a department or a service.

    The most specific row wins (service, then department, then the organization-wide row); the
    ``tickets.sla.p1`` … settings are the fallback.
    """

    __tablename__ = "tickets_sla_policies"
    __table_args__ = (UniqueConstraint("department_id", "service_key", "priority"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("core_departments.id"))
    service_key: Mapped[str | None] = mapped_column(String(80))
    priority: Mapped[int] = mapped_column(Integer)
    response_minutes: Mapped[int] = mapped_column(Integer)
    resolution_minutes: Mapped[int] = mapped_column(Integer)


class Calendar(Base):
    """A business calendar; a department uses its own or its nearest ancestor's, else the default."""

    __tablename__ = "tickets_calendars"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("core_departments.id"), unique=True)
    timezone: Mapped[str] = mapped_column(String(50), default="Asia/Tehran")

    versions: Mapped[list[CalendarVersion]] = relationship(
        cascade="all, delete-orphan", order_by="CalendarVersion.valid_from"
    )
    holidays: Mapped[list[Holiday]] = relationship(cascade="all, delete-orphan", order_by="Holiday.day")


class CalendarVersion(Base):
    """Working hours valid from a date: ``hours`` maps a weekday (Monday 0 … Sunday 6) to a list
    of ``["08:00", "16:00"]`` intervals."""

    __tablename__ = "tickets_calendar_versions"
    __table_args__ = (UniqueConstraint("calendar_id", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    calendar_id: Mapped[int] = mapped_column(ForeignKey("tickets_calendars.id", ondelete="CASCADE"))
    valid_from: Mapped[object] = mapped_column(Date)
    hours: Mapped[dict] = mapped_column(JSON)


class Holiday(Base):
    __tablename__ = "tickets_holidays"
    __table_args__ = (UniqueConstraint("calendar_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    calendar_id: Mapped[int] = mapped_column(ForeignKey("tickets_calendars.id", ondelete="CASCADE"))
    day: Mapped[object] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(200))


class Closure(Base):
    """A declared closure (heat, power cuts, mourning) of one calendar, or of all when NULL."""

    __tablename__ = "tickets_closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    calendar_id: Mapped[int | None] = mapped_column(ForeignKey("tickets_calendars.id", ondelete="CASCADE"))
    starts_at: Mapped[object] = mapped_column(UTCDateTime)
    ends_at: Mapped[object] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(300))
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    declared_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)


class Rating(Base):
    """The requester's satisfaction: CSAT 1–5, a comment, and the optional Iranian survey axes
    (each answered on three levels)."""

    __tablename__ = "tickets_ratings"
    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),)

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets_tickets.id", ondelete="CASCADE"), primary_key=True)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    axes: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow, index=True)


class SavedView(Base):
    """An agent's named queue filter."""

    __tablename__ = "tickets_saved_views"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    filters: Mapped[dict] = mapped_column(JSON, default=dict)


class CannedResponse(Base):
    """A reusable reply; ``department_id`` NULL makes it available to every department."""

    __tablename__ = "tickets_canned_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("core_departments.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)


class QueueCount(Base):
    """How many tickets sit in each (department, team, assignee, status) cell.

    Kept current by a flush listener (``plugins.tickets.counts``); team and assignee use 0 for
    "none" so the key can be a primary key.
    """

    __tablename__ = "tickets_queue_counts"

    department_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assignee_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class TicketView(Base):
    """Who has a ticket open right now (refreshed while the page is open), to warn others."""

    __tablename__ = "tickets_viewers"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets_tickets.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_users.id", ondelete="CASCADE"), primary_key=True)
    seen_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)


class TrackingLookup(Base):
    """Failed guest lookups per address, to rate-limit guessing of tracking codes."""

    __tablename__ = "tickets_tracking_lookups"
    __table_args__ = (Index("ix_tickets_tracking_lookups_address_at", "address", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)


import plugins.tickets.counts  # noqa: E402,F401  (registers the queue-count listeners on Ticket)
