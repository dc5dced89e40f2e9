"""Which ticket a knowledge-panel form acts on, without asking the tickets plugin.

The kb plugin never imports the tickets plugin, so it cannot load a ticket to check who may see
it. The panel is rendered on a ticket page the tickets plugin has already authorized; it signs
what it knows of the ticket (id, department, tracking code) and the time with an HMAC keyed by
the app's session secret and the session's CSRF token. The panel's forms carry this *grant*.
A handler accepts it only from the same browser session, within the session's lifetime, and only
while the caller's principals still include the ticket's department, so a form forged for a
ticket the caller cannot see, or replayed from another session, is refused (404).

A ticket moved to another department after its page was shown keeps its old department in the
grant until the page is shown again; the caller could see the ticket when the grant was made.
"""
from __future__ import annotations

import hashlib
import hmac
import time

from pyramid.csrf import get_csrf_token

from core.security import ALL_DEPARTMENTS
from plugins.kb.ticket_links import TicketRef

DEFAULT_LIFETIME = 8 * 3600


def issue(request, ticket) -> str:
    """The grant for ``ticket`` (any object with ``id``, ``department_id``, ``tracking_code``)."""
    fields = (str(int(ticket.id)), str(int(ticket.department_id)), str(ticket.tracking_code), str(int(time.time())))
    return ".".join((*fields[1:], _signature(request, *fields)))


def verify(request, ticket_id, grant: str | None) -> TicketRef | None:
    """The ticket the grant names, or ``None`` when it is forged, stale or out of the caller's scope."""
    try:
        department_id, tracking_code, issued, signature = (grant or "").split(".")
        ticket_id, department_id, issued_at = int(ticket_id), int(department_id), int(issued)
    except (TypeError, ValueError):
        return None
    expected = _signature(request, str(ticket_id), str(department_id), tracking_code, issued)
    if not hmac.compare_digest(expected, signature):
        return None
    lifetime = int(request.registry.settings.get("session.timeout", DEFAULT_LIFETIME))
    if not 0 <= time.time() - issued_at <= lifetime:
        return None
    principals = request.principals
    if ALL_DEPARTMENTS not in principals and f"department:{department_id}" not in principals:
        return None
    return TicketRef(ticket_id, department_id, tracking_code)


def _signature(request, *fields: str) -> str:
    key = request.registry.settings["session.secret"].encode()
    message = "\n".join(("kb.ticket", get_csrf_token(request), *fields)).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:40]
