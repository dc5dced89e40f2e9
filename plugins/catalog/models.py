"""The catalog's tables, all prefixed ``catalog_``.

A ``CatalogServiceRow`` is a service's identity card (شناسنامه خدمت, DOMAIN §1.3): every field of
``core.contracts.CatalogService`` but the ``form`` callable, which only the provider plugin's spec
has. Cards come from the plugins' ``pishkhan_catalog_services`` (``provider`` names the plugin)
or are created in the workspace (``provider`` is ``NULL``). Once a person edits a card
(``edited_at`` is set) the upgrade's sync leaves it as they wrote it.
"""
from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, UTCDateTime, utcnow
from core.models import Department, User


class CatalogServiceRow(Base):
    __tablename__ = "catalog_services"
    __table_args__ = (
        CheckConstraint("cost_rials >= 0", name="cost_not_negative"),
        CheckConstraint("duration_days > 0", name="duration_positive"),
        CheckConstraint("visits >= 0", name="visits_not_negative"),
        Index("ix_catalog_services_is_active_department_id", "is_active", "department_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[str] = mapped_column(String(11), unique=True)  # the 11-digit national ID
    provider: Mapped[str | None] = mapped_column(String(100), index=True)  # plugin name; NULL: made in the UI
    department_id: Mapped[int] = mapped_column(ForeignKey("core_departments.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    type: Mapped[str] = mapped_column(String(10), default="G2C")
    audience: Mapped[str] = mapped_column(Text, default="")
    nature: Mapped[str] = mapped_column(String(20), default="operational")
    levels: Mapped[list] = mapped_column(JSON, default=list)
    life_event: Mapped[str] = mapped_column(String(40), default="other")
    process: Mapped[str] = mapped_column(String(300), default="")
    sub_services: Mapped[list] = mapped_column(JSON, default=list)
    trigger: Mapped[str] = mapped_column(String(20), default="request")
    required_documents: Mapped[list] = mapped_column(JSON, default=list)
    duration_days: Mapped[int] = mapped_column(Integer, default=5)
    yearly_volume: Mapped[int | None] = mapped_column(Integer)
    once_for_ever: Mapped[bool] = mapped_column(Boolean, default=False)
    frequency: Mapped[str] = mapped_column(String(200), default="")
    visits: Mapped[int] = mapped_column(Integer, default=0)
    cost_rials: Mapped[int] = mapped_column(BigInteger, default=0)
    payment_account: Mapped[str] = mapped_column(String(200), default="")
    stages: Mapped[list] = mapped_column(JSON, default=list)  # [{stage, channels, electronic}]
    integrations: Mapped[list] = mapped_column(JSON, default=list)
    procedure: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(200), default="")
    owner_username: Mapped[str | None] = mapped_column(String(100))
    contact: Mapped[str] = mapped_column(String(300), default="")
    sla: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    approvals: Mapped[list] = mapped_column(JSON, default=list)  # [{approver, title, username}]
    tasks: Mapped[list] = mapped_column(JSON, default=list)  # [{title, team}]
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # ID, title, sub-services, keywords and audience folded by ``core.normalize.search_key``.
    search_text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    edited_at: Mapped[object | None] = mapped_column(UTCDateTime)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id", ondelete="SET NULL"))
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    department: Mapped[Department] = relationship()
    edited_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class CatalogServiceEdit(Base):
    """One save of a card in the workspace: who, when, and each changed field's old and new value."""

    __tablename__ = "catalog_service_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_row_id: Mapped[int] = mapped_column(ForeignKey("catalog_services.id", ondelete="CASCADE"), index=True)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id", ondelete="SET NULL"))
    edited_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)  # field → [old, new]

    edited_by: Mapped[User | None] = relationship()
