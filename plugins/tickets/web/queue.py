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

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.request import Request
from pyramid.view import view_config
from sqlalchemy import bindparam, select
from sqlalchemy.orm.exc import StaleDataError
from webob.multidict import MultiDict

from core.i18n import _, format_datetime, text_digits
from core.normalize import normalize_line, to_latin_digits, to_persian_digits
from plugins.tickets import directory, labels, queue
from plugins.tickets.desk import DeskError, TicketDesk
from plugins.tickets.lifecycle import ACTIONS, ResolutionCode
from plugins.tickets.models import OPEN_STATUSES, PendingReason, SavedView, Status, Ticket, TicketType
from plugins.tickets.tracking import format_code

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
    # Checked before popping: popping marks the session changed and re-sends its cookie.
    bulk = request.session.pop(BULK_RESULT_KEY) if BULK_RESULT_KEY in request.session else None
    return _page(request, request.GET, bulk)


def _page(request: Request, form: MultiDict, bulk: dict | None, typed: dict | None = None) -> dict:
    """The queue filtered by ``form`` (its query string); ``typed`` is a refused bulk form."""
    viewer = queue.Viewer.from_request(request)
    error = None
    try:
        queue_filter = queue.QueueFilter.parse(form)
        sort = queue.parse_sort(form.get("sort"))
        result = queue.rows(request.dbsession, viewer, queue_filter, sort, form.get("cursor") or None,
                            limit=PAGE_SIZE)
    except queue.QueueFilterError as refused:
        request.response.status_int = 400
        error, queue_filter, sort, result = refused, queue.QueueFilter(), queue.DEFAULT_SORT, queue.Page([])
    params = queue_filter.to_params() | ({"sort": sort} if sort != queue.DEFAULT_SORT else {})
    cursor = form.get("cursor") if error is None else None
    choices = _choices(request, viewer)
    return {
        "lines": _lines(request, result.items, choices["channels"]),
        "error": error,
        "form": form,  # what was typed, shown again even when it was refused
        "chosen": {name: set(form.getall(name)) for name in form},
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
        "choices": choices,
        "saved_views": _saved_views(request),
        "bulk": bulk,
        "typed": typed or {},
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
    """The options of the filter form and of the bulk form, from the remembered directory."""
    found = directory.snapshot(request)
    visible = viewer.department_ids
    departments = found.visible_departments(visible)
    shown = {department_id for department_id, _name in departments}
    translated = labels.translated(request.localizer)
    translate = request.localizer.translate
    channels = {channel.name: translate(channel.title) for channel in found.channels}
    return {
        "department": departments,
        "team": [(team_id, f"{department} · {name}") for team_id, _d, department, name in found.visible_teams(visible)],
        "service": [(service.key, translate(service.title)) for service in found.services
                    if service.department_id in shown],
        "channel": list(channels.items()),
        "type": [(t.value, translated["TYPE"][t.value]) for t in TicketType],
        "priority": [(p, translated["PRIORITY"][p]) for p in (1, 2, 3, 4)],
        "sla": [("breaching_soon", translated["SLA_STATE"]["warning"]),
                ("overdue", translated["SLA_STATE"]["breached"])],
        "channels": channels,
        "agents": found.agents(visible),
        "statuses": [(s.value, translated["STATUS"][s.value]) for s in Status],
        "resolution_codes": [(c.value, translated["RESOLUTION_CODE"][c.value])
                             for c in ResolutionCode if c != ResolutionCode.withdrawn],
        "pending_reasons": [(r.value, translated["PENDING_REASON"][r.value]) for r in PendingReason],
        "actions": [(action, translated["ACTION"][action]) for action in BULK_ACTIONS if action in labels.ACTION],
    }


@dataclass(slots=True)
class QueueLine:
    """One row of the queue as shown: every text already translated and formatted."""

    id: int
    version: int
    code: str  # grouped, in the page's digits
    code_digits: str  # ungrouped, for the checkbox's label
    url: str
    subject: str
    requester: str
    channel: str
    service: str
    department: str
    priority: int
    priority_label: str
    priority_color: str
    status: str
    status_label: str
    status_color: str
    sla_shown: bool
    sla_state: str
    sla_label: str
    sla_color: str
    sla_due: str
    assignee: str
    team: str
    updated: str


def _lines(request: Request, rows: list, channels: dict) -> list[QueueLine]:
    """The page's rows (``queue.ROW_COLUMNS``) with their labels, dates and digits (the subject's
    too, as typed: ``core.i18n.text_digits``): one pass in Python instead of macros and helper
    calls per cell in the template."""
    language = request.locale_name
    digits = to_persian_digits if language == "fa" else str
    translated = labels.translated(request.localizer)
    status_label, priority_label, sla_label = translated["STATUS"], translated["PRIORITY"], translated["SLA_STATE"]
    open_statuses = {status.value for status in OPEN_STATUSES}
    route_path = request.route_path
    lines = []
    for row in rows:
        due = format_datetime(row.sla_due_at, language) if row.sla_due_at else ""
        lines.append(QueueLine(
            id=row.id, version=row.version, code=digits(format_code(row.tracking_code)),
            code_digits=digits(row.tracking_code), url=route_path("tickets.ticket", id=row.id),
            subject=text_digits(row.subject, language),
            requester=row.requester_full_name if row.requester_full_name is not None else (row.guest_name or ""),
            channel=channels.get(row.channel, row.channel), service=row.service_title,
            department=row.department_name,
            priority=row.priority, priority_label=priority_label[row.priority],
            priority_color=labels.PRIORITY_COLOR[row.priority],
            status=row.status, status_label=status_label[row.status], status_color=labels.STATUS_COLOR[row.status],
            sla_shown=row.status in open_statuses or row.sla_state == "breached", sla_state=row.sla_state,
            sla_label=sla_label[row.sla_state], sla_color=labels.SLA_COLOR[row.sla_state], sla_due=due,
            assignee=row.assignee_name or "", team=(row.team_name or "") if row.assignee_id is None else "",
            updated=format_datetime(row.updated_at, language),
        ))
    return lines


_SAVED_VIEWS = select(SavedView).where(SavedView.user_id == bindparam("user_id")).order_by(SavedView.name)


def _saved_views(request: Request) -> list[SavedView]:
    return list(request.dbsession.scalars(_SAVED_VIEWS, {"user_id": request.user.id}))


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
    view = request.dbsession.get(SavedView, int(digits)) if digits.isdecimal() and len(digits) < 18 else None
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
    return HTTPSeeOther(location=_queue_path(request, query))


def _queue_path(request: Request, query: str) -> str:
    """The queue with the posted ``query`` (its filters), encoded again: a line break typed into
    it must not reach the ``Location`` header."""
    return request.route_path("tickets.queue", _query=_parse_query(query))


# --- bulk actions ---------------------------------------------------------------------------

@view_config(route_name="tickets.bulk", request_method="POST", permission="workspace", renderer=PAGE)
def bulk(request: Request) -> HTTPSeeOther | dict:
    """Apply one action to the ticked tickets (``ticket`` = ``<id>:<version>`` as listed)."""
    query = request.POST.get("query", "")
    action = request.POST.get("action", "")
    selected = _selected(request.POST.getall("ticket"))
    if action not in BULK_ACTIONS:
        return _refused(request, query, selected, _("Choose what to do with the selected tickets."))
    if not selected:
        return _refused(request, query, selected, _("Select at least one ticket."))
    if len(selected) > MAX_BULK:
        return _refused(request, query, selected, _("Too many tickets at once."))
    if action == "assign" and _assignee(request) is None:
        return _refused(request, query, selected, _("Choose the agent to assign the tickets to."))
    done, failures = run_bulk(request, action, selected)
    request.session[BULK_RESULT_KEY] = {"done": done, "failures": failures}
    return HTTPSeeOther(location=_queue_path(request, query))


def _refused(request: Request, query: str, selected: dict[int, int | None], message) -> dict:
    """The queue as it was, with ``message`` shown as a refusal and the ticks and choices kept."""
    request.response.status_int = 400
    post = request.POST
    typed = {name: post.get(name, "") for name in ("action", "assignee", "reason", "resolution_code")}
    typed |= {"note": post.get("note", "")[:MAX_NOTE], "tickets": set(selected)}
    return _page(request, MultiDict(_parse_query(query)), {"error": request.localizer.translate(message)}, typed)


def _selected(values: list[str]) -> dict[int, int | None]:
    """Ticket id → the version the list showed; malformed entries are dropped."""
    selected: dict[int, int | None] = {}
    for value in values:
        ticket_id, _sep, version = to_latin_digits(value).partition(":")
        if ticket_id.isdecimal() and len(ticket_id) < 18:
            selected[int(ticket_id)] = int(version) if version.isdecimal() and len(version) < 9 else None
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
    return int(digits) if digits.isdecimal() and len(digits) < 18 else None


def _apply(desk: TicketDesk, ticket: Ticket, action: str, arguments: dict) -> None:
    if action in ("assign_me", "assign"):
        desk.assign(ticket, assignee_id=arguments["assignee_id"])
    else:
        desk.transition(ticket, action, reason=arguments["reason"], resolution_code=arguments["resolution_code"],
                        note=arguments["note"])
