"""The heartbeat: the periodic job records one, the page and the widget read them."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from core.db import utcnow
from pishkhan_example.models import Heartbeat

KEEP = timedelta(days=1)


def beat(context) -> None:
    """The ``example.heartbeat`` job: record a heartbeat and forget those older than a day."""
    now = utcnow()
    context.dbsession.add(Heartbeat(beat_at=now))
    context.dbsession.execute(delete(Heartbeat).where(Heartbeat.beat_at < now - KEEP))


def last_heartbeat(dbsession) -> datetime | None:
    return dbsession.scalar(select(func.max(Heartbeat.beat_at)))


def heartbeats_since(dbsession, moment: datetime) -> int:
    return dbsession.scalar(select(func.count(Heartbeat.id)).where(Heartbeat.beat_at >= moment))
