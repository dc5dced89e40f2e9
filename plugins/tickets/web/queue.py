"""The agent queue (``/desk/tickets``): filters as a bookmarkable GET form, sorting, keyset pages,
counts, saved views and bulk actions.

The queries live in ``plugins.tickets.queue`` (shared with the JSON API); this module reads the
form, shows the page and runs bulk actions ticket by ticket through the ``TicketDesk``, each in
its own savepoint with its own version check, so one refusal never undoes the others. A bulk
action reports how many tickets changed and why the others did not (kept in the session for the
page the browser is sent back to). Tickets outside the agent's departments are refused like
tickets that do not exist.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.request import Request
from pyramid.view import view_config
from sqlalchemy import or_, select
from sqlalchemy.orm.exc import StaleDataError
from webob.multidict import MultiDict

from core.i18n import _
from core.models import Department, Team, TeamMember, User
from core.normalize import normalize_line, to_latin_digits
from core.plugins import flatten
from core.security import STAFF_ROLES
from plugins.tickets import labels, queue
from plugins.tickets.desk import DeskError, TicketDesk
from plugins.tickets.lifecycle import ACTIONS, ResolutionCode
from plugins.tickets.models import PendingReason, SavedView, Status, Ticket, TicketType

PAGE = "plugins.tickets:templates/queue/queue.jinja2"
CHANNEL = "portal"  # changes made in the workspace are recorded as made through the web
BULK_RESULT_KEY = "tickets.bulk_result"
PAGE_SIZE = 25  # rows a person reads before filtering further; each costs rendering time
MAX_BULK = queue.MAX_PAGE_SIZE
MAX_VIEW_NAME = 100
MAX_VIEWS = 50
MAX_NOTE = 5000
BULK_ACTIONS = ("assign_me", "assign", *ACTIONS)
CONFLICT = _("Someone else changed this ticket after the list was shown.")
NOT_YOURS = _("This ticket does not exist or is not one you work on.")


# --- the page -------------------------------------------------------------------------------

@view_config(route_name="tickets.queue", request_method="GET", permission="workspace", renderer=PAGE)
def queue_page(request: Request) -> dict:
    viewer = queue.Viewer.from_request(request)
    error = None
    try:
        queue_filter = queue.QueueFilter.parse(request.GET)
        sort = queue.parse_sort(request.GET.get("sort"))
        result = queue.page(request.dbsession, viewer, queue_filter, sort, request.GET.get("cursor") or None,
                            limit=PAGE_SIZE)
    except queue.QueueFilterError as refused:
        request.response.status_int = 400
        error, queue_filter, sort, result = refused, queue.QueueFilter(), queue.DEFAULT_SORT, queue.Page([])
    params = queue_filter.to_params() | ({"sort": sort} if sort != queue.DEFAULT_SORT else {})
    cursor = request.GET.get("cursor") if error is None else None
    return {
        "result": result,
        "error": error,
        "form": request.GET,  # what was typed, shown again even when it was refused
        "chosen": {name: set(request.GET.getall(name)) for name in request.GET},
        "queue_filter": queue_filter,
        "sort": sort,
        "query": urlencode(params, doseq=True),
        "here": urlencode(params | ({"cursor": cursor} if cursor else {}), doseq=True),
        "next_url": _url(request, params | {"cursor": result.next_cursor}) if result.next_cursor else None,
        "paged": bool(cursor),
        "first_url": _url(request, params),
        "counts": queue.counts(request.dbsession, viewer),
        "count_links": _count_links(request),
        "current_tab": _current_tab(queue_filter),
        "choices": _choices(request, viewer),
        "saved_views": _saved_views(request),
        # Checked before popping: popping marks the session changed and re-sends its cookie.
        "bulk": request.session.pop(BULK_RESULT_KEY) if BULK_RESULT_KEY in request.session else None,
        "bulk_actions": BULK_ACTIONS,
    }


def _url(request: Request, params: dict) -> str:
    return request.route_path("tickets.queue", _query=[(k, v) for k, vs in params.items()
                                                       for v in (vs if isinstance(vs, list) else [vs])])


def _count_links(request: Request) -> dict[str, str]:
    """Where each badge of the side bar leads."""
    return {
        "open": _url(request, {}),
        "mine": _url(request, {"scope": "mine"}),
        "my_teams": _url(request, {"scope": "my_teams"}),
        "unassigned": _url(request, {"scope": "unassigned"}),
        "breaching_soon": _url(request, {"sla": "breaching_soon", "sort": "due"}),
        "overdue": _url(request, {"sla": "overdue", "sort": "due"}),
        **{f"status:{s.value}": _url(request, {"status": s.value}) for s in Status},
    }


def _current_tab(queue_filter: queue.QueueFilter) -> str | None:
    """Which badge of the counts the queue shows exactly, to highlight it."""
    tabs = {"open": queue.QueueFilter(), "mine": queue.QueueFilter(scope="mine"),
            "my_teams": queue.QueueFilter(scope="my_teams"), "unassigned": queue.QueueFilter(scope="unassigned"),
            "breaching_soon": queue.QueueFilter(sla="breaching_soon"), "overdue": queue.QueueFilter(sla="overdue")}
    return next((name for name, tab in tabs.items() if tab == queue_filter), None)


def _choices(request: Request, viewer: queue.Viewer) -> dict:
    """The options of the filter form and of the bulk form, in a constant number of queries."""
    dbsession, hook = request.dbsession, request.registry.pluginmanager.hook
    # Plain rows, not ORM objects: the page runs on every queue view.
    departments = dbsession.execute(
        select(Department.id, Department.name).where(viewer.departments_of(Department.id))
        .order_by(Department.name)).all()
    teams = dbsession.execute(
        select(Team.id, Department.name, Team.name).join(Department, Department.id == Team.department_id)
        .where(viewer.departments_of(Team.department_id)).order_by(Team.department_id, Team.tier, Team.name)).all()
    visible = {department_id for department_id, _name in departments}
    services = [service for service in flatten(hook.pishkhan_ticket_services(dbsession=dbsession, department_id=None))
                if service.department_id in visible]
    channels = {channel.name: channel.title for channel in flatten(hook.pishkhan_ticket_channels())}
    return {
        "department": [tuple(row) for row in departments],
        "team": [(team_id, f"{department} · {name}") for team_id, department, name in teams],
        "service": [(service.key, service.title) for service in services],
        "channel": list(channels.items()),
        "type": [(t.value, labels.TYPE[t.value]) for t in TicketType],
        "priority": [(p, labels.PRIORITY[p]) for p in (1, 2, 3, 4)],
        "sla": [("breaching_soon", labels.SLA_STATE["warning"]), ("overdue", labels.SLA_STATE["breached"])],
        "channels": channels,
        "agents": _agents(dbsession, viewer),
        "statuses": [s.value for s in Status],
        "resolution_codes": [c.value for c in ResolutionCode if c != ResolutionCode.withdrawn],
        "pending_reasons": [r.value for r in PendingReason],
    }


def _agents(dbsession, viewer: queue.Viewer) -> list:
    """(id, full name) of the active staff who work in the viewer's departments (by their
    department or a team)."""
    staff = select(User.id, User.full_name).where(User.is_active.is_(True),
                                                  User.role.in_([role.value for role in STAFF_ROLES]))
    if viewer.department_ids is not None:
        in_teams = select(TeamMember.user_id).join(Team, Team.id == TeamMember.team_id).where(
            viewer.departments_of(Team.department_id))
        staff = staff.where(or_(viewer.departments_of(User.department_id), User.id.in_(in_teams)))
    return dbsession.execute(staff.order_by(User.full_name)).all()


def _saved_views(request: Request) -> list[SavedView]:
    return list(request.dbsession.scalars(
        select(SavedView).where(SavedView.user_id == request.user.id).order_by(SavedView.name)))


# --- saved views ----------------------------------------------------------------------------

@view_config(route_name="tickets.views", request_method="GET", permission="workspace")
def views_index(request: Request) -> HTTPSeeOther:
    """Saved views are listed beside the queue."""
    return HTTPSeeOther(location=request.route_url("tickets.queue"))


@view_config(route_name="tickets.views", request_method="POST", permission="workspace")
def save_or_delete_view(request: Request) -> HTTPSeeOther:
    """``delete=<id>`` removes one of the agent's views; otherwise ``name`` saves the filters in
    ``query`` (the queue's query string) under that name, replacing a view of the same name."""
    if request.POST.get("delete"):
        return _delete_view(request, request.POST["delete"])
    query = request.POST.get("query", "")
    name = normalize_line(request.POST.get("name"))[:MAX_VIEW_NAME]
    try:
        params = MultiDict(_parse_query(query))
        queue_filter = queue.QueueFilter.parse(params)
        sort = queue.parse_sort(params.get("sort"))
    except queue.QueueFilterError as refused:
        return _back(request, query, refused.message)
    if not name:
        return _back(request, query, _("Give the view a name."))
    filters = queue_filter.to_params() | ({"sort": sort} if sort != queue.DEFAULT_SORT else {})
    dbsession = request.dbsession
    view = dbsession.scalar(select(SavedView).where(SavedView.user_id == request.user.id, SavedView.name == name))
    if view is None:
        if len(_saved_views(request)) >= MAX_VIEWS:
            return _back(request, query, _("You have too many saved views; delete one first."))
        view = SavedView(user_id=request.user.id, name=name)
        dbsession.add(view)
    view.filters = filters
    request.session.flash(request.localizer.translate(_("The view “${name}” was saved.", mapping={"name": name})))
    return HTTPSeeOther(location=view_url(request, view))


def _delete_view(request: Request, view_id: str) -> HTTPSeeOther:
    digits = to_latin_digits(view_id)
    view = request.dbsession.get(SavedView, int(digits)) if digits.isdigit() and len(digits) < 18 else None
    if view is not None and view.user_id == request.user.id:
        request.dbsession.delete(view)
        request.session.flash(request.localizer.translate(_("The view “${name}” was deleted.",
                                                             mapping={"name": view.name})))
    return HTTPSeeOther(location=request.route_url("tickets.queue"))


def view_url(request: Request, view: SavedView) -> str:
    return _url(request, dict(view.filters))


def _parse_query(query: str) -> list[tuple[str, str]]:
    return parse_qsl(query[:4000], keep_blank_values=False)


def _back(request: Request, query: str, message) -> HTTPSeeOther:
    """Back to the queue as it was, with ``message`` shown as a refusal."""
    request.session[BULK_RESULT_KEY] = {"error": request.localizer.translate(message)}
    return HTTPSeeOther(location=request.route_path("tickets.queue") + (f"?{query}" if query else ""))


# --- bulk actions ---------------------------------------------------------------------------

@view_config(route_name="tickets.bulk", request_method="POST", permission="workspace")
def bulk(request: Request) -> HTTPSeeOther:
    """Apply one action to the ticked tickets (``ticket`` = ``<id>:<version>`` as listed)."""
    query = request.POST.get("query", "")
    action = request.POST.get("action", "")
    selected = _selected(request.POST.getall("ticket"))
    if action not in BULK_ACTIONS:
        return _back(request, query, _("Choose what to do with the selected tickets."))
    if not selected:
        return _back(request, query, _("Select at least one ticket."))
    if len(selected) > MAX_BULK:
        return _back(request, query, _("Too many tickets at once."))
    if action == "assign" and _assignee(request) is None:
        return _back(request, query, _("Choose the agent to assign the tickets to."))
    done, failures = run_bulk(request, action, selected)
    request.session[BULK_RESULT_KEY] = {"done": done, "failures": failures}
    return HTTPSeeOther(location=request.route_path("tickets.queue") + (f"?{query}" if query else ""))


def _selected(values: list[str]) -> dict[int, int | None]:
    """Ticket id → the version the list showed; malformed entries are dropped."""
    selected: dict[int, int | None] = {}
    for value in values:
        ticket_id, _sep, version = to_latin_digits(value).partition(":")
        if ticket_id.isdigit() and len(ticket_id) < 18:
            selected[int(ticket_id)] = int(version) if version.isdigit() and len(version) < 9 else None
    return selected


def run_bulk(request: Request, action: str, selected: dict[int, int | None]) -> tuple[int, list[list]]:
    """Run ``action`` on each ticket; returns how many succeeded and, for the others, each
    reason (translated) with the tracking codes (or ``#id`` for tickets not shown) it refused."""
    dbsession = request.dbsession
    viewer = queue.Viewer.from_request(request)
    tickets = {ticket.id: ticket for ticket in dbsession.scalars(
        select(Ticket).where(Ticket.id.in_(sorted(selected)), viewer.clause))}
    desk = TicketDesk.for_request(request, channel=CHANNEL)
    arguments = _bulk_arguments(request, action)
    done, refused = 0, {}
    for ticket_id, version in selected.items():
        ticket = tickets.get(ticket_id)
        if ticket is None:
            _refuse(refused, NOT_YOURS, f"#{ticket_id}")
            continue
        try:
            with dbsession.begin_nested():
                desk.check_version(ticket, version)
                _apply(desk, ticket, action, arguments)
                dbsession.flush()
            done += 1
        except DeskError as error:
            _refuse(refused, error.message, ticket.tracking_code)
        except StaleDataError:
            dbsession.refresh(ticket)
            _refuse(refused, CONFLICT, ticket.tracking_code)
    translate = request.localizer.translate
    return done, [[translate(message), codes] for message, codes in refused.items()]


def _refuse(refused: dict, message, code: str) -> None:
    refused.setdefault(message, []).append(code)


def _bulk_arguments(request: Request, action: str) -> dict:
    post = request.POST
    if action == "assign_me":
        return {"assignee_id": request.user.id}
    if action == "assign":
        return {"assignee_id": _assignee(request)}
    return {"reason": post.get("reason") or None, "resolution_code": post.get("resolution_code") or None,
            "note": (post.get("note") or "")[:MAX_NOTE] or None}


def _assignee(request: Request) -> int | None:
    digits = to_latin_digits(request.POST.get("assignee", ""))
    return int(digits) if digits.isdigit() and len(digits) < 18 else None


def _apply(desk: TicketDesk, ticket: Ticket, action: str, arguments: dict) -> None:
    if action in ("assign_me", "assign"):
        desk.assign(ticket, assignee_id=arguments["assignee_id"])
    else:
        desk.transition(ticket, action, reason=arguments["reason"], resolution_code=arguments["resolution_code"],
                        note=arguments["note"])
