"""The tickets JSON API under ``/api/v1`` (described in ``/api/v1/openapi.json`` by ``plugins.tickets.openapi``).

Callers are integrations with a bearer token (``pishkhan tokens create``, no CSRF) or the UI with
its session cookie (CSRF token in the ``X-CSRF-Token`` header). Every change goes through the
``TicketDesk`` with the channel ``api``, so the API obeys the same lifecycle, locks and history as
the pages. Visibility is the pages' too: agents see their departments' tickets, requesters their
own; any other ticket does not exist (404) and is in no list.

Errors are always ``{"error": {"code", "message", "field"}}`` (``core.views.errors.api_error``),
with ``"fields"`` per input field for ``invalid_input``. Unknown keys in a body are refused, so a
forged field (``status``, ``priority``, ``requester_id``…) is an error rather than silently ignored.
An error aborts the transaction (nothing half-done is saved), except a failed guest lookup, which
is returned rather than raised so that its rate-limit row is committed.
"""
from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import colander
from pyramid.view import exception_view_config, view_config
from sqlalchemy import or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.orm.exc import StaleDataError

from core import api as core_api
from core.api import ApiError, json_body, not_found
from core.i18n import _
from core.models import Department, Team, User
from core.normalize import is_valid_mobile, normalize_line, normalize_mobile, to_latin_digits
from core.views.errors import api_error, api_localizer
from plugins.tickets import access, labels, request_forms
from plugins.tickets.api_schemas import (
    STAFF_ONLY_FIELDS,
    AssignmentSchema,
    CommentSchema,
    NewTicketSchema,
    TicketUpdateSchema,
    TransitionSchema,
    unknown_keys,
)
from plugins.tickets.desk import Conflict, DeskError, NewTicket, TicketDesk
from plugins.tickets.lifecycle import Party, allowed, available_actions
from plugins.tickets.models import Comment, Status, Ticket, TicketEvent, TicketLink, TicketTag
from plugins.tickets.queue import PAGE_SIZE, QueueFilter, QueueFilterError, Viewer, looked_up, page_with
from plugins.tickets.tracking import parse_code
from plugins.tickets.web import track as guest_tracking

API_CHANNEL = "api"
# The list's query parameters: the queue's filters, then the page's own.
LIST_PARAMS = ("scope", "sla", "status", "priority", "department", "service", "channel", "type", "assignee", "team",
               "q", "sort", "cursor", "limit")
MAX_LIMIT = 200
TRACK_PARAMS = ("mobile", "email")
# The desk names a few fields as its dataclass does; the API's callers know them by these names.
API_FIELD_NAMES = {"contact_at": "contact_time", "guest_mobile": "requester.mobile"}
# Methods of each route, for the 405 answer's Allow header.
METHODS = {
    "tickets.api.tickets": "GET, POST",
    "tickets.api.ticket": "GET, PATCH",
    "tickets.api.comments": "POST",
    "tickets.api.transitions": "POST",
    "tickets.api.assignment": "POST",
    "tickets.api.track": "GET",
}
# History events a guest may read on the tracking endpoint, besides public replies.
PUBLIC_EVENTS = ("created", "transitioned", "resolved", "closed")


def invalid_input(fields: dict[str, str]) -> ApiError:
    """``fields`` maps each bad field (dotted inside objects) to its translated message."""
    first = next(iter(fields), None)
    return ApiError(400, "invalid_input", _("Some fields are not valid."), first, fields=fields)


# --- errors --------------------------------------------------------------------------------------

@exception_view_config(DeskError, path_info="^/api/")
def desk_error_view(exc: DeskError, request):
    if isinstance(exc, Conflict):
        return conflict(request)
    status = 403 if exc.code == "forbidden" else 400
    return api_error(request, status, exc.code, exc.message, API_FIELD_NAMES.get(exc.field, exc.field))


@exception_view_config(StaleDataError, path_info="^/api/")
def stale_data_view(exc, request):
    """Another request saved the same ticket between our read and our write."""
    return conflict(request)


def conflict(request):
    return api_error(request, 409, "conflict", _("Someone else changed this ticket since you read it. "
                                                 "Read it again and retry with its new version."), "version")


@exception_view_config(QueueFilterError, path_info="^/api/")
def queue_filter_error_view(exc: QueueFilterError, request):
    message = api_localizer(request).translate(exc.message)
    return api_error(request, 400, "invalid_input", _("Some fields are not valid."), exc.field,
                     fields={exc.field: message})


method_not_allowed = core_api.method_not_allowed(METHODS)


# --- input ---------------------------------------------------------------------------------------

def validate(request, schema: colander.SchemaNode, data: dict, refused: tuple[str, ...] = ()) -> dict:
    """The body deserialized by ``schema``, or ``invalid_input`` naming every bad field: unknown
    keys, keys this caller may not set (``refused``) and the schema's own errors."""
    translate = api_localizer(request).translate
    schema = schema.bind(request=request)
    fields = {key: translate(_("Unknown field.")) for key in unknown_keys(schema, data)}
    fields.update({key: translate(_("Only agents can set this field.")) for key in refused if key in data})
    try:
        values = schema.deserialize(data)
    except colander.Invalid as error:
        fields.update({key or "body": message for key, message in error.asdict(translate=translate).items()})
    if fields:
        raise invalid_input(fields)
    return values


def flushed(request, ticket: Ticket) -> None:
    """Write now, so a concurrent save shows as a conflict here rather than at commit time; the
    rows the ticket points to are read again, since the change may have moved its foreign keys."""
    request.dbsession.flush()
    request.dbsession.expire(ticket, ["department", "team", "assignee", "requester"])


def desk_for(request) -> TicketDesk:
    return TicketDesk.for_request(request, channel=API_CHANNEL)


# --- visibility ----------------------------------------------------------------------------------

def load_ticket(request, staff_only: bool = False) -> tuple[Ticket, bool]:
    """The ticket of the URL and whether the caller works on it (``True``) or follows it as its
    requester (``False``); a ticket the caller may not see is not found."""
    ticket = request.dbsession.get(Ticket, int(request.matchdict["id"]))
    if ticket is None:
        raise not_found()
    if access.may_work_on(request, ticket):
        return ticket, True
    if ticket.requester_id is not None and ticket.requester_id == request.user.id:
        if staff_only:
            raise ApiError(403, "forbidden", _("You do not have permission for this."))
        return ticket, False
    raise not_found()


def list_viewer(request) -> Viewer:
    """The queue's viewer: an agent sees their departments' tickets and their own requests, a
    requester only their own requests (no department restricts them: the clause does)."""
    own = Ticket.requester_id == request.user.id
    if not access.is_staff(request):
        return Viewer(request.user.id, frozenset(), None, own)
    viewer = Viewer.from_request(request)
    if not viewer.department_ids:  # every department (already including their own), or none
        return dataclasses.replace(viewer, clause=or_(viewer.clause, own))
    return dataclasses.replace(viewer, clause=or_(viewer.clause, own), alternatives=(viewer.clause, own))


# --- output --------------------------------------------------------------------------------------

def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z``."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def person(user: User | None) -> dict | None:
    return {"id": user.id, "name": user.full_name} if user is not None else None


def requester_json(ticket: Ticket, staff: bool) -> dict:
    user = ticket.requester
    account = (user.id, user.full_name, user.mobile, user.email, user.national_code) if user is not None else None
    return _requester(ticket, account, staff)


def _requester(ticket, account: tuple | None, staff: bool) -> dict:
    """``account``: the requester's (id, name, mobile, e-mail, national code), ``None`` for a guest."""
    if account is not None:
        user_id, name, mobile, email, national_code = account
        data = {"id": user_id, "name": name, "mobile": mobile, "email": email}
    else:
        data = {"id": None, "name": ticket.guest_name or "", "mobile": ticket.guest_mobile,
                "email": ticket.guest_email}
        national_code = ticket.guest_national_code
    if staff:
        data["national_code"] = national_code
    return data


def ticket_json(ticket: Ticket, staff: bool) -> dict:
    team, requester = ticket.team, ticket.requester
    return _ticket_document(
        ticket, staff, department_name=ticket.department.name,
        team=(team.id, team.name, team.tier) if team is not None else None,
        assignee=person(ticket.assignee),
        account=(requester.id, requester.full_name, requester.mobile, requester.email, requester.national_code)
        if requester is not None else None,
        tags=[tag.tag for tag in ticket.tags])


def row_json(row, staff: bool, tags: list[str]) -> dict:
    """``ticket_json`` of a row of ``LIST_COLUMNS`` (the list's tickets, read without the ORM)."""
    return _ticket_document(
        row, staff, department_name=row.department_name,
        team=(row.team_id, row.team_name, row.team_tier) if row.team_id is not None else None,
        assignee={"id": row.assignee_id, "name": row.assignee_name} if row.assignee_id is not None else None,
        account=(row.requester_id, row.requester_name, row.requester_mobile, row.requester_email,
                 row.requester_national_code) if row.requester_id is not None else None,
        tags=tags)


def _ticket_document(ticket, staff: bool, *, department_name: str, team: tuple | None, assignee: dict | None,
                     account: tuple | None, tags: list[str]) -> dict:
    """A ticket as the API gives it; ``ticket`` is a Ticket or a row with the same columns."""
    return {
        "id": ticket.id,
        "tracking_code": ticket.tracking_code,
        "type": ticket.type,
        "status": ticket.status,
        "pending_reason": ticket.pending_reason,
        "priority": ticket.priority,
        "impact": ticket.impact,
        "urgency": ticket.urgency,
        "channel": ticket.channel,
        "contact_time": iso(ticket.contact_at),
        "created_at": iso(ticket.created_at),
        "updated_at": iso(ticket.updated_at),
        "department": {"id": ticket.department_id, "name": department_name},
        "service": {"key": ticket.service_key, "title": ticket.service_title} if ticket.service_key else None,
        "team": {"id": team[0], "name": team[1], "tier": team[2]} if team is not None else None,
        "tier": ticket.tier,
        "assignee": assignee,
        "requester": _requester(ticket, account, staff),
        "subject": ticket.subject,
        "description": ticket.description,
        "tags": tags,
        "sla": {"state": ticket.sla_state, "response_due_at": iso(ticket.response_due_at),
                "resolution_due_at": iso(ticket.resolution_due_at)},
        "promised_at": iso(ticket.promised_at),
        "resolution": ({"code": ticket.resolution_code, "note": ticket.resolution_note}
                       if ticket.resolution_code else None),
        "version": ticket.version,
    }


_list_requester = aliased(User)
LIST_COLUMNS = (
    *(column for column in Ticket.__table__.c if column.key != "form_values"),  # only the ticket's page shows it
    looked_up(Department.name, Department.id, Ticket.department_id).label("department_name"),
    looked_up(Team.name, Team.id, Ticket.team_id).label("team_name"),
    looked_up(Team.tier, Team.id, Ticket.team_id).label("team_tier"),
    looked_up(User.full_name, User.id, Ticket.assignee_id).label("assignee_name"),
    _list_requester.full_name.label("requester_name"), _list_requester.mobile.label("requester_mobile"),
    _list_requester.email.label("requester_email"), _list_requester.national_code.label("requester_national_code"),
)


def list_rows(dbsession, ids, order: list) -> list:
    """The listed tickets (``ids``, a subquery) as rows of ``LIST_COLUMNS``: no ORM objects for a
    page that is only read. The requester's four columns come from one join, the other names
    from ``queue.looked_up`` subqueries."""
    return dbsession.execute(
        select(*LIST_COLUMNS)
        .join(ids, ids.c.id == Ticket.id)
        .outerjoin(_list_requester, _list_requester.id == Ticket.requester_id)
        .order_by(*order)).all()


def tags_of(dbsession, ticket_ids: list[int]) -> dict[int, list[str]]:
    """Each listed ticket's tags, in one query."""
    tags: dict[int, list[str]] = {ticket_id: [] for ticket_id in ticket_ids}
    if ticket_ids:
        for ticket_id, tag in dbsession.execute(
                select(TicketTag.ticket_id, TicketTag.tag).where(TicketTag.ticket_id.in_(ticket_ids))
                .order_by(TicketTag.tag)):
            tags[ticket_id].append(tag)
    return tags


def comment_json(comment: Comment) -> dict:
    return {"id": comment.id, "author": {"id": comment.author_id, "name": comment.author_name},
            "internal": comment.is_internal, "body": comment.body, "channel": comment.channel,
            "created_at": iso(comment.created_at)}


def ticket_detail(request, ticket: Ticket, staff: bool) -> dict:
    """A ticket with its conversation (internal notes for agents only), its links (agents only)
    and the actions the caller may take now."""
    query = select(Comment).where(Comment.ticket_id == ticket.id).order_by(Comment.id)
    if not staff:
        query = query.where(Comment.is_internal.is_(False))
    data = ticket_json(ticket, staff)
    data["comments"] = [comment_json(comment) for comment in request.dbsession.scalars(query)]
    data["links"] = links_json(request, ticket) if staff else []
    data["form"] = ticket.form_values or []
    data["actions"] = available_actions(ticket.status, Party.staff if staff else Party.requester)
    return data


def links_json(request, ticket: Ticket) -> list[dict]:
    links = request.dbsession.scalars(
        select(TicketLink).where(or_(TicketLink.source_id == ticket.id, TicketLink.target_id == ticket.id))
        .order_by(TicketLink.id)
    )
    return [{"kind": link.kind, "source_id": link.source_id, "target_id": link.target_id} for link in links]


# --- tickets -------------------------------------------------------------------------------------

@view_config(route_name="tickets.api.tickets", request_method="GET", permission="portal", renderer="json")
def list_tickets(request):
    """One page of the caller's tickets, filtered like the agent queue, newest first."""
    params = request.GET
    unknown = [key for key in params if key not in LIST_PARAMS]
    if unknown:
        translate = api_localizer(request).translate
        raise invalid_input({key: translate(_("Unknown field.")) for key in unknown})
    dbsession = request.dbsession
    result = page_with(lambda ids, order: list_rows(dbsession, ids, order), list_viewer(request),
                       QueueFilter.parse(params), sort=params.get("sort"), cursor=params.get("cursor") or None,
                       limit=parse_limit(request, params.get("limit")))
    tags = tags_of(dbsession, [row.id for row in result.items])
    staff, visible = access.is_staff(request), access.visible_department_ids(request)
    items = [row_json(row, staff and (visible is None or row.department_id in visible), tags[row.id])
             for row in result.items]
    return {"items": items, "next_cursor": result.next_cursor}


def parse_limit(request, value: str | None) -> int:
    if value is None or value == "":
        return PAGE_SIZE
    digits = to_latin_digits(value.strip())
    if not digits.isdecimal() or len(digits) > 18 or not 1 <= int(digits) <= MAX_LIMIT:
        message = api_localizer(request).translate(_("Give a page size from 1 to ${max}.", mapping={"max": MAX_LIMIT}))
        raise invalid_input({"limit": message})
    return int(digits)


@view_config(route_name="tickets.api.tickets", request_method="POST", permission="portal", renderer="json")
def create_ticket(request):
    """Open a ticket. Agents may log a contact of another channel, back-dated, for someone else;
    a requester's ticket is their own, through the API, now."""
    staff = access.is_staff(request)
    body = json_body(request)
    form = body.pop("form", None) if isinstance(body, dict) else None
    values = validate(request, NewTicketSchema(), body, refused=() if staff else STAFF_ONLY_FIELDS)
    ticket = desk_for(request).open(NewTicket(
        form=service_form(request, values["service_key"], form),
        subject=values["subject"],
        description=values["description"],
        type=values["type"],
        department_id=values["department_id"],
        service_key=values["service_key"],
        channel=values["channel"] or API_CHANNEL,
        contact_at=values["contact_time"],
        impact=values["impact"],
        urgency=values["urgency"],
        tags=list(values["tags"]),
        **requester_fields(request, values["requester"]),
    ))
    flushed(request, ticket)
    request.response.status_int = 201
    request.response.location = request.route_url("tickets.api.ticket", id=ticket.id)
    return ticket_detail(request, ticket, access.may_work_on(request, ticket))


def service_form(request, service_key: str | None, data) -> request_forms.SubmittedForm | None:
    """The ``form`` of the body checked against the service's request form, as the portal does."""
    schema = request_forms.schema_for(request, service_key)
    if schema is None:
        if data:
            raise invalid_input({"form": api_localizer(request).translate(_("This service has no request form."))})
        return None
    try:
        return request_forms.validate_json(request, schema, data if data is not None else {})
    except request_forms.FormRefused as refused:
        raise invalid_input({f"form.{name}" if name else "form": message
                             for name, message in refused.errors.items()}) from None


def requester_fields(request, requester: dict | None) -> dict:
    """The requester of a new ticket: the account or guest an agent names, else the caller."""
    if requester is None:
        return {"requester_id": request.user.id}
    if requester["user_id"] is not None:
        user = request.dbsession.get(User, requester["user_id"])
        if user is None or not user.is_active:
            raise invalid_input({"requester.user_id": api_localizer(request).translate(_("Unknown user."))})
        return {"requester_id": user.id}
    return {"guest_name": requester["name"], "guest_mobile": requester["mobile"], "guest_email": requester["email"],
            "guest_national_code": requester["national_code"]}


@view_config(route_name="tickets.api.ticket", request_method="GET", permission="portal", renderer="json")
def get_ticket(request):
    ticket, staff = load_ticket(request)
    return ticket_detail(request, ticket, staff)


@view_config(route_name="tickets.api.ticket", request_method="PATCH", permission="workspace", renderer="json")
def update_ticket(request):
    """Change classification or text (agents); priority follows impact and urgency."""
    ticket, staff = load_ticket(request, staff_only=True)
    values = validate(request, TicketUpdateSchema(), json_body(request))
    version = values.pop("version")
    if "tags" in values:
        values["tags"] = list(values["tags"])
    desk_for(request).update(ticket, expected_version=version, **values)
    flushed(request, ticket)
    return ticket_detail(request, ticket, staff)


@view_config(route_name="tickets.api.comments", request_method="POST", permission="portal", renderer="json")
def add_comment(request):
    """A public reply, or (agents) an internal note."""
    ticket, staff = load_ticket(request)
    values = validate(request, CommentSchema(), json_body(request))
    if values["internal"] and not staff:
        raise ApiError(403, "forbidden", _("Only agents can write internal notes."), "internal")
    desk_for(request).comment(ticket, values["body"], internal=values["internal"])
    flushed(request, ticket)
    request.response.status_int = 201
    return ticket_detail(request, ticket, staff)


@view_config(route_name="tickets.api.transitions", request_method="POST", permission="portal", renderer="json")
def transition(request):
    """Move the ticket through its lifecycle; ``version`` is the one the caller read."""
    ticket, staff = load_ticket(request)
    values = validate(request, TransitionSchema(), json_body(request))
    if not staff and not allowed(values["action"], ticket.status, Party.requester):
        # An agent following their own request elsewhere acts on it as a requester, not as staff.
        raise DeskError("invalid_transition", _("This action is not possible for the ticket in its current status."))
    desk_for(request).transition(ticket, values["action"], expected_version=values["version"],
                                 reason=values["reason"], resolution_code=values["resolution_code"],
                                 note=values["note"])
    flushed(request, ticket)
    return ticket_detail(request, ticket, staff)


@view_config(route_name="tickets.api.assignment", request_method="POST", permission="workspace", renderer="json")
def assign(request):
    """Give the ticket to an agent (``assignee_id``, null for nobody) or escalate it to another
    team (``team_id`` with a ``reason``)."""
    ticket, staff = load_ticket(request, staff_only=True)
    data = json_body(request)
    values = validate(request, AssignmentSchema(), data)
    if ("assignee_id" in data) == (values["team_id"] is not None):
        message = api_localizer(request).translate(_("Give either assignee_id or team_id with a reason."))
        raise invalid_input({"assignee_id": message})
    desk = desk_for(request)
    if values["team_id"] is not None:
        desk.escalate(ticket, team_id=values["team_id"], reason=values["reason"] or "",
                      expected_version=values["version"])
    else:
        desk.assign(ticket, assignee_id=values["assignee_id"], expected_version=values["version"])
    flushed(request, ticket)
    return ticket_detail(request, ticket, staff)


# --- guest tracking ------------------------------------------------------------------------------

@view_config(route_name="tickets.api.track", request_method="GET", renderer="json")
def track(request):
    """A request's public progress for whoever has its tracking code and its mobile or e-mail.

    The portal's tracking page and this endpoint share their rules (``plugins.tickets.web.track``):
    an unknown code and a wrong contact get the same 404 and count against the caller's address
    (``tickets.track_lookups_per_hour`` failures, then 429).
    """
    dbsession = request.dbsession
    address = request.client_addr or ""
    if guest_tracking.is_throttled(dbsession, request.registry.settings, address):
        raise ApiError(429, "too_many_attempts", guest_tracking.TOO_MANY)
    translate = api_localizer(request).translate
    unknown = [key for key in request.GET if key not in TRACK_PARAMS]
    if unknown:
        raise invalid_input({key: translate(_("Unknown field.")) for key in unknown})
    code = parse_code(request.matchdict["code"])
    if code is None:
        raise ApiError(400, "invalid_tracking_code", guest_tracking.MALFORMED, "code")
    name, contact = tracking_contact(request.GET)
    if not contact:
        raise invalid_input({name: translate(guest_tracking.CONTACT_REQUIRED)})
    if "@" not in contact and not is_valid_mobile(normalize_mobile(contact)):
        raise invalid_input({name: translate(guest_tracking.BAD_CONTACT)})
    ticket = guest_tracking.find_ticket(dbsession, code, contact)
    if ticket is None:
        guest_tracking.record_failure(dbsession, address)
        return api_error(request, 404, "not_found", guest_tracking.NO_MATCH)
    return public_view(request, ticket)


def tracking_contact(params) -> tuple[str, str]:
    """The contact the guest gave, and the parameter it came in (``mobile`` first)."""
    for name in TRACK_PARAMS:
        value = normalize_line(params.get(name, ""))[:guest_tracking.MAX_INPUT]
        if value:
            return name, value
    return TRACK_PARAMS[0], ""


def public_view(request, ticket: Ticket) -> dict:
    """What a guest may read: progress and public replies, never notes, people's data or history
    details."""
    translate = api_localizer(request).translate
    return {
        "tracking_code": ticket.tracking_code,
        "status": ticket.status,
        "status_label": translate(labels.STATUS[ticket.status]),
        "subject": ticket.subject,
        "service": {"key": ticket.service_key, "title": ticket.service_title} if ticket.service_key else None,
        "created_at": iso(ticket.created_at),
        "updated_at": iso(ticket.updated_at),
        "promised_at": iso(ticket.promised_at),
        "updates": public_updates(request, ticket, translate),
    }


def public_updates(request, ticket: Ticket, translate) -> list[dict]:
    replies = request.dbsession.scalars(
        select(Comment).where(Comment.ticket_id == ticket.id, Comment.is_internal.is_(False)).order_by(Comment.id)
    )
    events = request.dbsession.scalars(
        select(TicketEvent).where(TicketEvent.ticket_id == ticket.id, TicketEvent.kind.in_(PUBLIC_EVENTS))
        .order_by(TicketEvent.id)
    )
    updates = [{"at": iso(reply.created_at), "kind": "reply", "author": reply.author_name, "body": reply.body}
               for reply in replies]
    for event in events:
        status = Status.new.value if event.kind == "created" else event.data.get("to")
        update = {"at": iso(event.at), "kind": "status", "status": status,
                  "status_label": translate(labels.STATUS.get(status, status))}
        if event.kind == "resolved" and event.data.get("note"):
            update["note"] = event.data["note"]
        updates.append(update)
    return sorted(updates, key=lambda update: update["at"])
