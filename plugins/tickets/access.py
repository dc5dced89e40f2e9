"""Who may see and work on which ticket, checked on the server for every page and API call.

Agents work on the tickets of the departments in their principals (their department and the
ones under it, their teams' departments, and any department a plugin grants through
``pishkhan_principals``); directors and administrators on all. Requesters follow their own
tickets, and a guest the tickets whose tracking code they proved in this browser session. A
ticket someone may not see does not exist for them: 404, and it is in no list or count.
"""
from __future__ import annotations

from pyramid.httpexceptions import HTTPNotFound
from sqlalchemy import false, true

from core.models import Role, User
from core.security import ALL_DEPARTMENTS, STAFF_ROLES, home_department_ids
from plugins.tickets.models import Ticket

TRACKED_SESSION_KEY = "tickets.tracked"


def is_staff(request) -> bool:
    return request.user is not None and request.user.role in STAFF_ROLES


def visible_department_ids(request) -> set[int] | None:
    """The departments whose tickets the caller works on; ``None`` means every department."""
    if not is_staff(request):
        return set()
    principals = request.principals
    if ALL_DEPARTMENTS in principals:
        return None
    return {int(p.split(":", 1)[1]) for p in principals if p.startswith("department:") and p != ALL_DEPARTMENTS}


def department_clause(request):
    """SQL condition restricting tickets to the caller's departments."""
    visible = visible_department_ids(request)
    if visible is None:
        return true()
    if not visible:
        return false()
    return Ticket.department_id.in_(visible)


def may_work_on(request, ticket: Ticket) -> bool:
    visible = visible_department_ids(request)
    return is_staff(request) and (visible is None or ticket.department_id in visible)


def may_follow(request, ticket: Ticket) -> bool:
    """The requester, or a guest who proved the tracking code in this session."""
    if request.user is not None and ticket.requester_id == request.user.id:
        return True
    return ticket.id in tracked_ticket_ids(request)


def tracked_ticket_ids(request) -> set[int]:
    if "pishkhan_session" not in request.cookies and not request.session.get(TRACKED_SESSION_KEY):
        return set()
    return set(request.session.get(TRACKED_SESSION_KEY, ()))


def remember_tracked(request, ticket: Ticket) -> None:
    tracked = list(request.session.get(TRACKED_SESSION_KEY, ()))
    if ticket.id not in tracked:
        request.session[TRACKED_SESSION_KEY] = (tracked + [ticket.id])[-20:]


def ticket_for_staff(request, ticket_id) -> Ticket:
    ticket = _load(request, ticket_id)
    if ticket is None or not may_work_on(request, ticket):
        raise HTTPNotFound()
    return ticket


def ticket_for_requester(request, ticket_id) -> Ticket:
    ticket = _load(request, ticket_id)
    if ticket is None or not may_follow(request, ticket):
        raise HTTPNotFound()
    return ticket


def _load(request, ticket_id) -> Ticket | None:
    try:
        return request.dbsession.get(Ticket, int(ticket_id))
    except (TypeError, ValueError):
        return None


def may_work(dbsession, hook, user: User, department_id: int) -> bool:
    """Whether ``user`` (not the caller) may be assigned tickets of ``department_id``."""
    if user.role not in STAFF_ROLES:
        return False
    if user.role in (Role.director.value, Role.admin.value):
        return True
    return (department_id in home_department_ids(dbsession, user)
            or any(hook.pishkhan_serves_every_department(dbsession=dbsession, user=user)))
