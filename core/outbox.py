"""The outbox: side effects written in the request's transaction, delivered after commit.

A view calls ``enqueue(request.dbsession, channel="email", ...)``. If the transaction aborts, the
row is never written and nothing is sent; if it commits, ``pishkhan worker`` delivers it through
the channel plugin with retries and exponential backoff. On PostgreSQL several workers claim rows
with ``FOR UPDATE SKIP LOCKED``, so no message is delivered twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from core.db import utcnow
from core.models import OutboxMessage as OutboxRow

MAX_ATTEMPTS = 8
BASE_BACKOFF_SECONDS = 30
CLAIM_SECONDS = 300  # a claimed row not finished by then (worker died) is retried


@dataclass(frozen=True)
class OutboxMessage:
    """What a notification channel receives."""

    id: int
    channel: str
    recipient: str
    subject: str
    template: str | None
    payload: dict
    attempts: int


def enqueue(dbsession, *, channel: str, recipient: str, subject: str = "", template: str | None = None,
            payload: dict | None = None) -> OutboxRow:
    row = OutboxRow(channel=channel, recipient=recipient, subject=subject, template=template,
                    payload=payload or {})
    dbsession.add(row)
    return row


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=BASE_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0))


def claim(dbsession, limit: int = 20) -> list[OutboxMessage]:
    """Claim due messages for this worker; commit the caller's transaction right after.

    A claimed row gets ``status='sending'`` and a due time ``CLAIM_SECONDS`` ahead, so another
    worker skips it; if this worker dies, the row becomes due again.
    """
    now = utcnow()
    query = (
        select(OutboxRow)
        .where(OutboxRow.status.in_(("pending", "sending")), OutboxRow.next_attempt_at <= now)
        .order_by(OutboxRow.next_attempt_at, OutboxRow.id)
        .limit(limit)
    )
    if dbsession.bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    claimed = []
    for row in dbsession.scalars(query).all():
        # The conditional update makes the claim safe on SQLite too: a row another worker
        # claimed in between no longer matches.
        result = dbsession.execute(
            update(OutboxRow)
            .where(OutboxRow.id == row.id, OutboxRow.next_attempt_at == row.next_attempt_at)
            .values(status="sending", next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS),
                    attempts=OutboxRow.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            claimed.append(OutboxMessage(row.id, row.channel, row.recipient, row.subject, row.template,
                                         dict(row.payload or {}), row.attempts + 1))
    return claimed


def mark_sent(dbsession, message_id: int) -> None:
    dbsession.execute(
        update(OutboxRow).where(OutboxRow.id == message_id)
        .values(status="sent", sent_at=utcnow(), last_error=None)
    )


def mark_failed(dbsession, message: OutboxMessage, error: str) -> None:
    """Schedule a retry with backoff, or give up after ``MAX_ATTEMPTS``."""
    if message.attempts >= MAX_ATTEMPTS:
        values = {"status": "failed", "last_error": error[:2000]}
    else:
        values = {"status": "pending", "last_error": error[:2000],
                  "next_attempt_at": utcnow() + backoff(message.attempts)}
    dbsession.execute(update(OutboxRow).where(OutboxRow.id == message.id).values(**values))
