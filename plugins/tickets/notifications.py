"""What the requester and the agents are told, through the core outbox (e-mail and SMS).

Messages are Persian: requesters of an Iranian desk read them on a phone, often by SMS. Each
event produces at most one message per person and channel; the worker sends them after commit.
"""
from __future__ import annotations

from core.i18n import format_datetime
from core.outbox import enqueue
from plugins.tickets.tracking import format_code


def on_event(dbsession, settings, ticket, event) -> None:
    if event.kind == "created":
        _tell_requester(dbsession, ticket, "رسید درخواست",
                        f"درخواست شما ثبت شد. کد رهگیری: {format_code(ticket.tracking_code)}"
                        + (f" — موعد انجام: {format_datetime(ticket.promised_at, 'fa')}" if ticket.promised_at else ""))


def _tell_requester(dbsession, ticket, subject: str, text: str) -> None:
    mobile = ticket.requester.mobile if ticket.requester else ticket.guest_mobile
    email = ticket.requester.email if ticket.requester else ticket.guest_email
    if mobile:
        enqueue(dbsession, channel="sms", recipient=mobile, payload={"text": text})
    if email:
        enqueue(dbsession, channel="email", recipient=email, subject=f"{subject} — {ticket.subject}",
                payload={"body": text})
