"""The portal's request pages, for signed-in requesters and for guests.

- ``/requests/new``: submit a request (department, then one of its services, type, urgency,
  subject, description, files; guests add a name and a mobile or e-mail). Requesters choose the
  urgency only; impact stays low until an agent reclassifies.
- ``/requests/{id}/receipt``: the receipt (رسید) with the tracking code and the promised date.
- ``/requests``: the signed-in requester's own requests, newest first, paged by id.
- ``/requests/{id}``: one request's public conversation, reply, reopen, confirm and close,
  withdraw, and the satisfaction survey; ``/requests/{id}/files/{file_id}`` its public files.

A guest reaches a request after submitting it or after proving its tracking code on ``/track``
(``plugins.tickets.web.track``); anyone else gets a 404. Every change goes through the
``TicketDesk``, inside a savepoint so that a refused change leaves nothing behind.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import colander
from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from core.contracts import TicketService
from core.db import utcnow
from core.forms import Digits, Mobile, NormalizedString, mobile_validator, national_code_validator
from core.i18n import _
from core.models import Department
from core.normalize import normalize_text
from core.plugins import flatten
from core.schemas import CHOOSE_FROM_LIST
from plugins.tickets import access, approvals, attachments, labels, request_forms
from plugins.tickets.attachments import AttachmentError
from plugins.tickets.desk import DeskError, NewTicket, TicketDesk
from plugins.tickets.models import Attachment, Comment, Level, Rating, Status, Ticket, TicketType
from plugins.tickets.request_forms import FormRefused as RequestFormRefused
from plugins.tickets.request_forms import RequestForm

NEW_TEMPLATE = "plugins.tickets:templates/portal/new.jinja2"
TICKET_TEMPLATE = "plugins.tickets:templates/portal/ticket.jinja2"
REQUESTS_PER_PAGE = 20
MAX_ID = 2**31 - 1  # tickets and files have INTEGER ids; a longer number in a URL names nothing
REQUIRED = _("This field is required.")
MAX_MESSAGE = 20000
SUBJECT_LENGTH = Ticket.__table__.c.subject.type.length
SUGGESTIONS_TEMPLATE = "plugins.tickets:templates/portal/new_suggestions.jinja2"
SUGGESTIONS = 5


# --- the request form --------------------------------------------------------------------------

@dataclass(frozen=True)
class ServiceCatalog:
    """The departments requesters may ask, each with its services (from whichever plugin)."""

    departments: list[Department]
    services: dict[int, list[TicketService]]

    @classmethod
    def load(cls, request) -> ServiceCatalog:
        services: dict[int, list[TicketService]] = {}
        hook = request.registry.pluginmanager.hook
        for service in flatten(hook.pishkhan_ticket_services(dbsession=request.dbsession, department_id=None)):
            services.setdefault(service.department_id, []).append(service)
        departments = request.dbsession.scalars(
            select(Department).where(Department.id.in_(services), Department.is_active.is_(True))
            .order_by(Department.name)
        ).all() if services else []
        return cls(list(departments), {d.id: services[d.id] for d in departments})

    def department_id(self, text: str) -> int | None:
        return int(text) if text.isdecimal() and len(text) <= 18 and int(text) in self.services else None

    def service(self, department_id: int | None, key: str) -> TicketService | None:
        return next((service for service in self.services.get(department_id, []) if service.key == key), None)

    def department_of(self, key: str) -> int | None:
        """The department offering the service ``key`` (the catalog's "Request this service")."""
        return next((department_id for department_id, services in self.services.items()
                     if any(service.key == key for service in services)), None)


def choice(options, message=CHOOSE_FROM_LIST) -> colander.OneOf:
    return colander.OneOf([str(option) for option in options], msg_err=message)


class RequestSchema(colander.Schema):
    """What a requester types; guests also say who they are and how to reach them."""

    department = colander.SchemaNode(colander.String(), missing_msg=_("Choose the department."))
    service = colander.SchemaNode(colander.String(), missing_msg=_("Choose the service."))
    type = colander.SchemaNode(colander.String(), validator=choice(TicketType), missing_msg=REQUIRED)
    urgency = colander.SchemaNode(colander.String(), validator=choice(Level), missing=Level.low.value)
    subject = colander.SchemaNode(
        NormalizedString(), missing_msg=_("Write a short subject."),
        validator=colander.Length(max=Ticket.__table__.c.subject.type.length, max_err=_("At most ${max} characters.")),
    )
    description = colander.SchemaNode(
        NormalizedString(multiline=True), missing_msg=_("Describe your request."),
        validator=colander.Length(max=MAX_MESSAGE, max_err=_("At most ${max} characters.")),
    )
    guest_name = colander.SchemaNode(
        NormalizedString(), missing_msg=_("Write your name."),
        validator=colander.Length(max=200, max_err=_("At most ${max} characters.")),
    )
    guest_mobile = colander.SchemaNode(Mobile(), missing=None, validator=mobile_validator)
    guest_email = colander.SchemaNode(
        NormalizedString(), missing=None,
        validator=colander.All(colander.Length(max=254, max_err=_("At most ${max} characters.")),
                               colander.Email(msg=_("Enter an email address like name@example.com."))),
    )
    guest_national_code = colander.SchemaNode(Digits(), missing=None, validator=national_code_validator)

    def __init__(self, *args, catalog: ServiceCatalog, guest: bool, **kw):
        super().__init__(*args, **kw)
        self.catalog = catalog
        if not guest:
            for name in ("guest_name", "guest_mobile", "guest_email", "guest_national_code"):
                del self[name]
        self["department"].validator = choice(catalog.services)

    def validator(self, node, value: dict) -> None:
        """The service belongs to the chosen department; a guest leaves a way to be reached."""
        error = colander.Invalid(node)
        services = self.catalog.services.get(int(value["department"]), [])
        if value["service"] not in {service.key for service in services}:
            error["service"] = _("Choose a service of this department.")
        if "guest_mobile" in value and not (value["guest_mobile"] or value["guest_email"]):
            error["guest_mobile"] = _("Give a mobile number or an e-mail address to follow the request.")
        if error.children:
            raise error


def posted(request, names) -> dict[str, str]:
    """What was typed, as typed, to show again beside the errors."""
    return {name: request.POST.get(name, "") for name in names}


def deserialize(request, schema: colander.Schema, values: dict) -> tuple[dict | None, dict[str, str]]:
    """``(appstruct, {})`` or ``(None, {field: translated message})``."""
    try:
        return schema.deserialize(values), {}
    except colander.Invalid as invalid:
        return None, invalid.asdict(translate=request.localizer.translate)


@view_config(route_name="tickets.portal.new", renderer=NEW_TEMPLATE, permission="view")
def new_request(request):
    catalog = ServiceCatalog.load(request)
    guest = request.user is None
    schema = RequestSchema(catalog=catalog, guest=guest)
    if request.method != "POST":
        # "I still need help" on a knowledge article comes back here with the text typed before;
        # the catalog's "Request this service" names the service (``?service=``).
        service = request.GET.get("service", "")[:200]
        department = request.GET.get("department", "") or str(catalog.department_of(service) or "")
        values = {"department": department, "service": service, "type": TicketType.incident.value,
                  "urgency": Level.low.value, "subject": request.GET.get("subject", "")[:SUBJECT_LENGTH],
                  "description": request.GET.get("description", "")[:MAX_MESSAGE]}
        if catalog.service(catalog.department_id(department), service) is not None:
            values["type"] = TicketType.service_request.value
        return form_page(request, catalog, values, request_form=request_form(request, catalog, values))
    values = posted(request, [node.name for node in schema.children])
    files = attachments.uploaded_files(request, "attachments")
    service_form = request_form(request, catalog, values)
    if "refresh" in request.POST:  # no JavaScript: the department changed, show its services
        return form_page(request, catalog, values, files_dropped=bool(files), request_form=service_form)
    data, errors = deserialize(request, schema, values)
    uploads = []
    try:
        uploads = attachments.validate_uploads(files, request.registry.settings)
    except AttachmentError as refused:
        errors["attachments"] = f"{translate(request, refused.message)} {translate(request, request_forms.FILES_AGAIN)}"
    submitted = None
    if service_form is not None:
        try:
            submitted = service_form.validate()
        except RequestFormRefused:
            errors["request_form"] = request_forms.refusal(request, service_form.schema)
    if data is None or errors:
        return form_page(request, catalog, values, errors, files_dropped=bool(files), status=400,
                         request_form=service_form)
    try:
        with request.dbsession.begin_nested():
            new = new_ticket(request, data)
            new.form = submitted
            ticket = TicketDesk.for_request(request, channel="portal").open(new)
            for upload in uploads:
                attachments.save(request.dbsession, request.registry.settings, upload, ticket,
                                 uploaded_by=request.user)
            request.registry.pluginmanager.hook.pishkhan_ticket_submitted(request=request, ticket=ticket)
    except DeskError as refused:
        errors = {"_form": translate(request, refused.message)}
        return form_page(request, catalog, values, errors, files_dropped=bool(files), status=400,
                         request_form=service_form)
    if guest:
        access.remember_tracked(request, ticket)
    return HTTPSeeOther(location=request.route_url("tickets.portal.receipt", id=ticket.id))


def request_form(request, catalog: ServiceCatalog, values: dict) -> RequestForm | None:
    """The chosen service's own form, if it has one."""
    service = catalog.service(catalog.department_id(values.get("department", "")), values.get("service", ""))
    schema = request_forms.schema_for(request, service.key) if service is not None else None
    return RequestForm(request, schema, service.title) if schema is not None else None


@view_config(route_name="tickets.portal.suggestions", renderer=SUGGESTIONS_TEMPLATE, permission="view")
def suggestions(request):
    """Answers to the subject typed so far (htmx fragment), best of every plugin's first."""
    text = request.GET.get("subject", "")[:SUBJECT_LENGTH]
    if not text.strip():
        return {"suggestions": []}
    department = request.GET.get("department", "")
    department_id = int(department) if department.isdecimal() and len(department) < 10 else None
    found = flatten(request.registry.pluginmanager.hook.pishkhan_deflection_suggestions(
        request=request, text=text, department_id=department_id, limit=SUGGESTIONS))
    return {"suggestions": sorted(found, key=lambda suggestion: -suggestion.score)[:SUGGESTIONS]}


def new_ticket(request, data: dict) -> NewTicket:
    """Channel portal, contact now (the desk's clock), impact low: agents reclassify."""
    ticket = NewTicket(subject=data["subject"], description=data["description"], type=data["type"],
                       department_id=int(data["department"]), service_key=data["service"], channel="portal",
                       urgency=data["urgency"], impact=Level.low.value)
    if request.user is not None:
        ticket.requester_id = request.user.id
    else:
        ticket.guest_name = data["guest_name"]
        ticket.guest_mobile = data["guest_mobile"]
        ticket.guest_email = data["guest_email"]
        ticket.guest_national_code = data["guest_national_code"]
    return ticket


def form_page(request, catalog: ServiceCatalog, values: dict, errors: dict | None = None, *,
              files_dropped: bool = False, status: int = 200, request_form: RequestForm | None = None) -> dict:
    request.response.status_int = status
    department_id = catalog.department_id(values.get("department", ""))
    return {
        "catalog": catalog,
        "values": values,
        "errors": errors or {},
        "services": catalog.services.get(department_id, []) if department_id else [],
        "files_dropped": files_dropped and not (errors or {}).get("attachments"),
        "max_mb": request.registry.settings.get("tickets.max_attachment_mb", 10),
        "max_files": attachments.MAX_FILES,
        "request_form_html": request_form.html() if request_form is not None else "",
    }


def translate(request, message) -> str:
    return request.localizer.translate(message)


# --- receipt and the requester's list -------------------------------------------------------------

@view_config(route_name="tickets.portal.receipt", renderer="plugins.tickets:templates/portal/receipt.jinja2",
             permission="view")
def receipt(request):
    ticket = requested_ticket(request)
    return {"ticket": ticket}


@view_config(route_name="tickets.portal.mine", renderer="plugins.tickets:templates/portal/mine.jinja2",
             permission="portal")
def my_requests(request):
    """The requester's own requests, newest first, a page at a time (keyset on the id)."""
    before = request.GET.get("before", "")
    statement = (
        select(Ticket)
        .options(joinedload(Ticket.department))
        .where(Ticket.requester_id == request.user.id)
        .order_by(Ticket.id.desc())
        .limit(REQUESTS_PER_PAGE + 1)
    )
    if re.fullmatch(r"[0-9]{1,10}", before):
        statement = statement.where(Ticket.id < int(before))
    tickets = request.dbsession.scalars(statement).all()
    next_url = None
    if len(tickets) > REQUESTS_PER_PAGE:
        tickets = tickets[:REQUESTS_PER_PAGE]
        next_url = request.route_url("tickets.portal.mine", _query={"before": tickets[-1].id})
    return {"tickets": tickets, "next_url": next_url, "paged": bool(before)}


# --- one request ---------------------------------------------------------------------------------------

class RatingSchema(colander.Schema):
    """CSAT 1–5 with a comment, and each survey axis optionally answered on three levels."""

    score = colander.SchemaNode(colander.String(), validator=choice(range(1, 6)),
                                missing_msg=_("Choose a score from 1 to 5."))
    comment = colander.SchemaNode(NormalizedString(multiline=True), missing="",
                                  validator=colander.Length(max=5000, max_err=_("At most ${max} characters.")))

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        for axis in labels.SURVEY_AXES:
            self.add(colander.SchemaNode(colander.String(), name=f"axis_{axis}", missing=None,
                                         validator=choice(labels.SURVEY_LEVELS)))


def requester_actions(ticket: Ticket, settings, rated: bool) -> set[str]:
    """What the requester may do now; the desk checks the same rules again when they do it."""
    status = ticket.status
    actions = set()
    if status not in (Status.closed, Status.cancelled):
        actions.add("reply")
    if status == Status.new:
        actions.add("cancel")
    if status == Status.resolved:
        actions.add("close")
    if status in (Status.resolved, Status.closed):
        window = timedelta(days=int(settings["tickets.reopen_within_days"]))
        if ticket.resolved_at is not None and utcnow() - ticket.resolved_at <= window:
            actions.add("reopen")
        if not rated:
            actions.add("rate")
    return actions


def message_text(request) -> str:
    """The message typed on the request page, normalized; the desk refuses an empty reply."""
    text = normalize_text(request.POST.get("body", ""))
    if len(text) > MAX_MESSAGE:
        raise FormRefused({"body": translate(request, _("At most ${max} characters.", mapping={"max": MAX_MESSAGE}))})
    return text


def reply(request, desk: TicketDesk, ticket: Ticket):
    uploads = attachments.validate_uploads(attachments.uploaded_files(request, "attachments"),
                                           request.registry.settings)
    comment = desk.comment(ticket, message_text(request))
    for upload in uploads:
        attachments.save(request.dbsession, request.registry.settings, upload, ticket, comment=comment,
                         uploaded_by=request.user)
    return _("Your message was sent.")


def reopen(request, desk: TicketDesk, ticket: Ticket):
    desk.transition(ticket, "reopen")
    note = message_text(request)
    if note:
        desk.comment(ticket, note)
    return _("The request was reopened; the service desk will look at it again.")


def close(request, desk: TicketDesk, ticket: Ticket):
    desk.transition(ticket, "close")
    return _("Thank you; the request is closed.")


def cancel(request, desk: TicketDesk, ticket: Ticket):
    desk.transition(ticket, "cancel")
    return _("Your request was withdrawn.")


def rate(request, desk: TicketDesk, ticket: Ticket):
    schema = RatingSchema()
    data, errors = deserialize(request, schema, posted(request, [node.name for node in schema.children]))
    if data is None:
        raise FormRefused(errors)
    axes = {axis: int(data[f"axis_{axis}"]) for axis in labels.SURVEY_AXES if data[f"axis_{axis}"]}
    desk.rate(ticket, score=int(data["score"]), comment=data["comment"], axes=axes)
    return _("Thank you for rating our service.")


class FormRefused(Exception):
    """A form on the request page had errors: ``{field: translated message}``."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


ACTIONS = {"reply": reply, "reopen": reopen, "close": close, "cancel": cancel, "rate": rate}
NOT_NOW = {
    "reopen": _("This request was resolved too long ago to reopen; please submit a new one."),
    "rate": _("A request can be rated once, after it is resolved."),
}


@view_config(route_name="tickets.portal.ticket", renderer=TICKET_TEMPLATE, permission="view")
def ticket_page(request):
    ticket = requested_ticket(request)
    if request.method != "POST":
        return ticket_view(request, ticket)
    action = request.POST.get("action", "")
    try:
        if action not in requester_actions(ticket, request.registry.settings, is_rated(request, ticket)):
            raise DeskError("invalid_transition", NOT_NOW.get(action, _(
                "This action is not possible for the request in its current status.")))
        with request.dbsession.begin_nested():
            message = ACTIONS[action](request, TicketDesk.for_request(request, channel="portal", as_requester=True),
                                      ticket)
    except FormRefused as refused:
        return ticket_view(request, ticket, action, refused.errors, status=400)
    except AttachmentError as refused:
        error = f"{translate(request, refused.message)} {translate(request, request_forms.FILES_AGAIN)}"
        return ticket_view(request, ticket, action, {"attachments": error}, status=400)
    except DeskError as refused:
        return ticket_view(request, ticket, action, {"_form": translate(request, refused.message)}, status=400)
    request.session.flash(translate(request, message))
    return HTTPSeeOther(location=request.route_url("tickets.portal.ticket", id=ticket.id))


def requested_ticket(request) -> Ticket:
    """The ticket of the URL if the caller may follow it, else 404."""
    if int(request.matchdict["id"]) > MAX_ID:
        raise HTTPNotFound()
    return access.ticket_for_requester(request, request.matchdict["id"])


def is_rated(request, ticket: Ticket) -> bool:
    return request.dbsession.get(Rating, ticket.id) is not None


def ticket_view(request, ticket: Ticket, action: str = "", errors: dict | None = None, *, status: int = 200) -> dict:
    """The request page: never an internal note, nor a file of one."""
    request.response.status_int = status
    dbsession = request.dbsession
    comments = dbsession.scalars(
        select(Comment).where(Comment.ticket_id == ticket.id, Comment.is_internal.is_(False)).order_by(Comment.id)
    ).all()
    files: dict[int | None, list[Attachment]] = {}
    for attachment in public_attachments(dbsession, ticket):
        files.setdefault(attachment.comment_id, []).append(attachment)
    rating = dbsession.get(Rating, ticket.id)
    return {
        "ticket": ticket,
        "comments": comments,
        "files": files,
        "rating": rating,
        "steps": approvals.steps_of(dbsession, ticket.id),
        "actions": requester_actions(ticket, request.registry.settings, rating is not None),
        "action": action,
        "errors": errors or {},
        "values": {name: value for name, value in request.POST.items() if isinstance(value, str)} if errors else {},
        "max_mb": request.registry.settings.get("tickets.max_attachment_mb", 10),
        "max_files": attachments.MAX_FILES,
    }


def public_attachments(dbsession, ticket: Ticket, file_id: int | None = None) -> list[Attachment]:
    """The ticket's files a requester may see: not internal, and not on an internal note."""
    statement = (
        select(Attachment)
        .outerjoin(Comment, Attachment.comment_id == Comment.id)
        .where(Attachment.ticket_id == ticket.id, Attachment.is_internal.is_(False),
               or_(Comment.id.is_(None), Comment.is_internal.is_(False)))
        .order_by(Attachment.id)
    )
    if file_id is not None:
        statement = statement.where(Attachment.id == file_id)
    return list(dbsession.scalars(statement))


@view_config(route_name="tickets.portal.attachment", permission="view")
def download(request):
    ticket = requested_ticket(request)
    file_id = int(request.matchdict["file_id"])
    found = public_attachments(request.dbsession, ticket, file_id) if file_id <= MAX_ID else []
    if not found:
        raise HTTPNotFound()
    return attachments.download_response(request, found[0])
