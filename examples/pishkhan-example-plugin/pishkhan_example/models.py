"""The example plugin's one table; every table of a plugin is prefixed with its name."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow


class Heartbeat(Base):
    """One pass of the ``example.heartbeat`` periodic job: proof that the worker runs."""

    __tablename__ = "example_heartbeats"

    id: Mapped[int] = mapped_column(primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow, index=True)
