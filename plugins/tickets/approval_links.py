"""Signed links that let an approver decide a step from their e-mail, without signing in.

A link names the step, the person it was sent to, the step's current nonce and an expiry, signed
with HMAC-SHA256 under a key derived from ``session.secret``. It is refused when the signature
does not match (tampered), when it has expired (``tickets.approval_link_days``), and when the
step was decided since (the nonce is cleared then): each link decides at most once.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_DAYS = 7
_TOKEN = re.compile(r"([0-9]{1,18})\.([0-9]{1,18})\.([0-9a-f]{32})\.([0-9]{1,12})\.([0-9a-f]{64})")


class LinkRefused(Exception):
    """``reason`` is ``tampered`` or ``expired``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class LinkClaim:
    approval_id: int
    user_id: int
    nonce: str


def make(settings, *, approval_id: int, user_id: int, nonce: str, now: datetime) -> str:
    days = float(settings.get("tickets.approval_link_days", DEFAULT_DAYS))
    expires = int((now + timedelta(days=days)).timestamp())
    body = f"{approval_id}.{user_id}.{nonce}.{expires}"
    return f"{body}.{_signature(settings, body)}"


def read(settings, token: str, now: datetime) -> LinkClaim:
    """The claim of a genuine, unexpired ``token``; ``LinkRefused`` otherwise."""
    match = _TOKEN.fullmatch(token or "")
    if match is None:
        raise LinkRefused("tampered")
    approval_id, user_id, nonce, expires, signature = match.groups()
    body = f"{approval_id}.{user_id}.{nonce}.{expires}"
    if not hmac.compare_digest(signature, _signature(settings, body)):
        raise LinkRefused("tampered")
    if now.timestamp() > int(expires):
        raise LinkRefused("expired")
    return LinkClaim(int(approval_id), int(user_id), nonce)


def _signature(settings, body: str) -> str:
    key = hashlib.sha256(b"pishkhan.tickets.approval-link\0" + settings["session.secret"].encode()).digest()
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()
