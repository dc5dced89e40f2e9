"""The core's tables: organization (departments, teams, users), API tokens, login attempts,
the outbox and periodic job runs. Every table is prefixed ``core_``."""
from __future__ import annotations

import enum

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, UTCDateTime, utcnow


class Role(enum.StrEnum):
    requester = "requester"
    agent = "agent"
    team_lead = "team_lead"
    department_manager = "department_manager"
    director = "director"  # the shared service center's director: sees every department
    admin = "admin"


class Tier(enum.IntEnum):
    front_desk = 1  # L1
    general_support = 2  # L2
    specialists = 3  # L3


class Department(Base):
    """An organizational unit; departments nest (a faculty's IT office under IT)."""

    __tablename__ = "core_departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("core_departments.id"), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    parent: Mapped[Department | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Department]] = relationship(back_populates="parent")
    teams: Mapped[list[Team]] = relationship(back_populates="department")


class Team(Base):
    """A group of agents in one department working at one tier."""

    __tablename__ = "core_teams"
    __table_args__ = (UniqueConstraint("department_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("core_departments.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    tier: Mapped[int] = mapped_column(Integer, default=Tier.front_desk.value)

    department: Mapped[Department] = relationship(back_populates="teams")
    members: Mapped[list[User]] = relationship(secondary="core_team_members", back_populates="teams")


class TeamMember(Base):
    __tablename__ = "core_team_members"

    team_id: Mapped[int] = mapped_column(ForeignKey("core_teams.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("core_users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class User(Base):
    __tablename__ = "core_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    national_code: Mapped[str | None] = mapped_column(String(10), unique=True)
    mobile: Mapped[str | None] = mapped_column(String(20), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    preferred_language: Mapped[str] = mapped_column(String(5), default="fa")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    role: Mapped[str] = mapped_column(String(30), default=Role.requester.value)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("core_departments.id"), index=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)

    department: Mapped[Department | None] = relationship()
    teams: Mapped[list[Team]] = relationship(secondary="core_team_members", back_populates="members")


class ApiToken(Base):
    """A bearer token for integrators; only its SHA-256 digest is stored."""

    __tablename__ = "core_api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """Failed logins, counted per username and per address to throttle guessing."""

    __tablename__ = "core_login_attempts"
    __table_args__ = (
        Index("ix_core_login_attempts_username_at", "username", "attempted_at"),
        Index("ix_core_login_attempts_address_at", "address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)


class OutboxMessage(Base):
    """A side effect (mail, SMS, webhook) written in the request's transaction, sent later."""

    __tablename__ = "core_outbox"
    __table_args__ = (Index("ix_core_outbox_status_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300), default="")
    template: Mapped[str | None] = mapped_column(String(200))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[object | None] = mapped_column(UTCDateTime)


class JobRun(Base):
    """When each periodic job last ran; the row is the lock that keeps two workers apart."""

    __tablename__ = "core_job_runs"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    due_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    last_started_at: Mapped[object | None] = mapped_column(UTCDateTime)
    last_finished_at: Mapped[object | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
