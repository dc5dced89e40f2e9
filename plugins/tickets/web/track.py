"""Guests follow a request with its tracking code and the mobile or e-mail given with it.

The code may be typed with Persian, Arabic or Latin digits, spaces and dashes. Its check digit
catches a mistyped code before any lookup. A well-formed code with the wrong contact gets the
same answer as an unknown code, so nobody learns which codes exist; and failed lookups are
limited per client address (``tickets.track_lookups_per_hour``), counted in
``TrackingLookup`` rows that commit with the request. A successful lookup remembers the ticket in
the browser session and opens its page.

``find_ticket`` and the rate-limit functions are shared with the JSON API's guest tracking.
"""
from __future__ import annotations

from datetime import timedelta

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config
from sqlalchemy import delete, func, select

from core.db import utcnow
from core.i18n import _
from core.normalize import is_valid_mobile, normalize_line, normalize_mobile
from plugins.tickets import access
from plugins.tickets.models import Ticket, TrackingLookup
from plugins.tickets.tracking import parse_code

WINDOW = timedelta(hours=1)
MALFORMED = _("This is not a valid tracking code — check the digits.")
NO_MATCH = _("No request matches this code and contact.")
TOO_MANY = _("Too many attempts. Please try again later.")
CONTACT_REQUIRED = _("Enter the mobile number or e-mail address you gave with the request.")
BAD_CONTACT = _("Enter a mobile number like 09121234567 or an e-mail address.")
MAX_INPUT = 100


def find_ticket(dbsession, code: str, contact: str) -> Ticket | None:
    """The ticket with this (well-formed) code whose requester gave ``contact``: a mobile number
    in any digits or form (0912…, +98912…), or an e-mail address in any letter case."""
    ticket = dbsession.scalar(select(Ticket).where(Ticket.tracking_code == code))
    if ticket is None:
        return None
    return ticket if contact_matches(ticket, contact) else None


def contact_matches(ticket: Ticket, contact: str) -> bool:
    requester = ticket.requester
    if "@" in contact:
        email = contact.strip().casefold()
        known = [ticket.guest_email, requester.email if requester else None]
        return any(value and value.strip().casefold() == email for value in known)
    mobile = normalize_mobile(contact)
    known = [ticket.guest_mobile, normalize_mobile(requester.mobile) if requester and requester.mobile else None]
    return is_valid_mobile(mobile) and mobile in known


def failures(dbsession, address: str) -> int:
    """Failed lookups from ``address`` in the last hour."""
    return dbsession.scalar(select(func.count()).select_from(TrackingLookup).where(
        TrackingLookup.address == address, TrackingLookup.at > utcnow() - WINDOW))


def is_throttled(dbsession, settings, address: str) -> bool:
    return failures(dbsession, address) >= int(settings["tickets.track_lookups_per_hour"])


def record_failure(dbsession, address: str) -> None:
    """Count one failed lookup, and forget this address's failures older than the window."""
    now = utcnow()
    dbsession.execute(delete(TrackingLookup).where(TrackingLookup.address == address,
                                                   TrackingLookup.at <= now - WINDOW))
    dbsession.add(TrackingLookup(address=address[:64], at=now))


@view_config(route_name="tickets.track", renderer="plugins.tickets:templates/portal/track.jinja2", permission="view")
def track(request):
    if request.method != "POST":
        return {"values": {"code": request.GET.get("code", "")[:MAX_INPUT], "contact": ""}, "errors": {}}
    values = {name: request.POST.get(name, "")[:MAX_INPUT] for name in ("code", "contact")}
    errors = input_errors(values)
    if not errors:
        address = request.client_addr or ""
        if is_throttled(request.dbsession, request.registry.settings, address):
            return refused(request, values, {"_form": TOO_MANY}, status=429)
        ticket = find_ticket(request.dbsession, parse_code(values["code"]), normalize_line(values["contact"]))
        if ticket is not None:
            access.remember_tracked(request, ticket)
            return HTTPSeeOther(location=request.route_url("tickets.portal.ticket", id=ticket.id))
        record_failure(request.dbsession, address)
        errors = {"_form": NO_MATCH}
    return refused(request, values, errors, status=400)


def input_errors(values: dict[str, str]) -> dict:
    """What is wrong with the form itself, found without asking the database."""
    errors = {}
    if parse_code(values["code"]) is None:
        errors["code"] = MALFORMED
    contact = normalize_line(values["contact"])
    if not contact:
        errors["contact"] = CONTACT_REQUIRED
    elif "@" not in contact and not is_valid_mobile(normalize_mobile(contact)):
        errors["contact"] = BAD_CONTACT
    return errors


def refused(request, values: dict, errors: dict, *, status: int) -> dict:
    request.response.status_int = status
    return {"values": values, "errors": {name: request.localizer.translate(message)
                                         for name, message in errors.items()}}
