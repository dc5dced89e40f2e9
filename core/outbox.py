"""The outbox: side effects written in the request's transaction, delivered after commit.

A view calls ``enqueue(request.dbsession, channel="email", ...)``. If the transaction aborts, the
row is never written and nothing is sent; if it commits, ``pishkhan worker`` delivers it through
the channel plugin with retries and exponential backoff.

Each delivery is one claim: a single ``UPDATE … RETURNING`` that marks the next due row
``sending``. On PostgreSQL the row is chosen with ``FOR UPDATE SKIP LOCKED`` and on SQLite the
statement holds the database's write lock, so two workers never claim the same row. A claim is a
lease of ``CLAIM_SECONDS``: if the worker dies, the row becomes due again. The outcome is recorded
only by the claim's holder (``mark_sent``, ``mark_failed`` match the attempt number).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core.db import utcnow
from core.models import OutboxMessage as OutboxRow

MAX_ATTEMPTS = 8
BASE_BACKOFF_SECONDS = 30
CLAIM_SECONDS = 300  # a claim not finished by then (the worker died) is due again


@dataclass(frozen=True)
class OutboxMessage:
    """What a notification channel receives. ``attempts`` counts this delivery (1 for the first)."""

    id: int
    channel: str
    recipient: str
    subject: str
    template: str | None
    payload: dict
    attempts: int


def enqueue(dbsession: Session, *, channel: str, recipient: str, subject: str = "",
            template: str | None = None, payload: dict | None = None) -> OutboxRow:
    """Add a message to the outbox in the caller's transaction; it is sent only if that commits."""
    row = OutboxRow(channel=channel, recipient=recipient, subject=subject, template=template,
                    payload=payload or {})
    dbsession.add(row)
    return row


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed delivery: 30 s, 1 min, 2 min, 4 min…"""
    return timedelta(seconds=BASE_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0))


def claim_next(dbsession: Session) -> OutboxMessage | None:
    """Claim the next due message (``None`` if there is none); commit right after.

    Due means pending and past its ``next_attempt_at``, or ``sending`` with an expired claim.
    """
    now = utcnow()
    is_due = (OutboxRow.status.in_(("pending", "sending")), OutboxRow.next_attempt_at <= now)
    next_due = select(OutboxRow.id).where(*is_due).order_by(OutboxRow.next_attempt_at, OutboxRow.id).limit(1)
    if dbsession.bind.dialect.name == "postgresql":
        next_due = next_due.with_for_update(skip_locked=True)
    row = dbsession.execute(
        update(OutboxRow)
        # ``is_due`` again: PostgreSQL re-checks it if the row changed while this statement waited.
        .where(OutboxRow.id == next_due.scalar_subquery(), *is_due)
        .values(status="sending", next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS),
                attempts=OutboxRow.attempts + 1)
        .returning(OutboxRow.id, OutboxRow.channel, OutboxRow.recipient, OutboxRow.subject,
                   OutboxRow.template, OutboxRow.payload, OutboxRow.attempts)
        .execution_options(synchronize_session=False)
    ).one_or_none()
    if row is None:
        return None
    return OutboxMessage(row.id, row.channel, row.recipient, row.subject, row.template,
                         dict(row.payload or {}), row.attempts)


def mark_sent(dbsession: Session, message: OutboxMessage) -> bool:
    """Record a delivery; ``False`` if the claim had expired and another worker took the row."""
    return _finish(dbsession, message, status="sent", sent_at=utcnow(), last_error=None)


def mark_failed(dbsession: Session, message: OutboxMessage, error: str) -> bool:
    """Schedule a retry with backoff, or give up after ``MAX_ATTEMPTS``; ``False`` as in ``mark_sent``."""
    if message.attempts >= MAX_ATTEMPTS:
        return _finish(dbsession, message, status="failed", last_error=error[:2000])
    return _finish(dbsession, message, status="pending", last_error=error[:2000],
                   next_attempt_at=utcnow() + backoff(message.attempts))


def _finish(dbsession: Session, message: OutboxMessage, **values) -> bool:
    result = dbsession.execute(
        update(OutboxRow)
        .where(OutboxRow.id == message.id, OutboxRow.status == "sending",
               OutboxRow.attempts == message.attempts)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
