"""The agent's ticket page (``/desk/tickets/{id}``) and the forms on it.

Every form posts to ``/desk/tickets/{id}/{action}`` with the CSRF token and the ticket version
the page showed. The change runs in a savepoint through the ``TicketDesk``; when it is saved the
agent goes back to the ticket (303) with a message. When it is refused, the savepoint is rolled
back and the page comes back with the message beside the form and everything typed in it:

- 409 when someone else saved the ticket since the page was shown (a stale version, or a true
  race caught by SQLAlchemy's version check): the page shows the ticket as it is now, with the
  other agent's change, and the form carries the new version so that a second submit applies;
- 400 for any other refusal (a rule of the desk, or a value that is not acceptable).

Tickets outside the agent's departments do not exist here: 404 for the page, every form and
every file.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config
from sqlalchemy import exists, select
from sqlalchemy.orm.exc import StaleDataError
from translationstring import TranslationString

from core.db import utcnow
from core.i18n import _
from core.models import Department, Team, User
from core.normalize import normalize_digits, normalize_line, normalize_text
from plugins.tickets import attachments, fulfilment, labels
from plugins.tickets.access import may_work_on, ticket_for_staff, visible_department_ids
from plugins.tickets.desk import Conflict, DeskError, TicketDesk
from plugins.tickets.lifecycle import ACTIONS as LIFECYCLE_ACTIONS
from plugins.tickets.lifecycle import Party, available_actions
from plugins.tickets.models import Approval, Attachment, Level, LinkKind, Task, Ticket, TicketLink, TicketType
from plugins.tickets.tracking import parse_code
from plugins.tickets.web import approvals as approvals_web
from plugins.tickets.web import ticket_panels as panels

PAGE = "plugins.tickets:templates/ticket/page.jinja2"
# Changes made on this page are recorded as made through the web, like the portal's.
CHANNEL = "portal"
MAX_SUBJECT = 300
MAX_TAG = 50
MAX_TAGS = 20
MAX_REASON = 1000
MAX_TEXT = 20_000
TAG_SEPARATORS = re.compile(r"[,،;؛\n]+")
CONFLICT_MESSAGE = _("Someone else changed this ticket while you were editing it. "
                     "Review their change; what you typed is kept below.")


@dataclass(frozen=True)
class Refusal:
    """A refused form, shown again as it was typed with ``message`` beside ``field``."""

    action: str
    values: dict
    message: TranslationString
    field: str | None = None
    conflict: bool = False


# --- the page -------------------------------------------------------------------------------

@view_config(route_name="tickets.ticket", request_method="GET", permission="workspace", renderer=PAGE)
def ticket_page(request: Request) -> dict:
    return page(request, ticket_for_staff(request, request.matchdict["id"]))


def page(request: Request, ticket: Ticket, refusal: Refusal | None = None) -> dict:
    """Everything the page shows; ``refusal`` puts a refused form back as it was typed."""
    dbsession, hook, now = request.dbsession, request.registry.pluginmanager.hook, utcnow()
    panels.note_viewer(request, ticket.id, request.user.id, now)

    def typed(action: str, name: str, default="") -> str:
        if refusal is not None and refusal.action == action:
            return refusal.values.get(name, "")
        return default

    def invalid(action: str, name: str) -> bool:
        return refusal is not None and refusal.action == action and refusal.field == name

    status_actions = available_actions(ticket.status, Party.staff)
    workflow = panels.workflow(dbsession, ticket, request.user)
    forms = {"comment", "update", "link", *status_actions,
             *(("assign", "escalate", "management", "merge", "transfer") if ticket.is_open else ()),
             *(("decide",) if workflow.deciding is not None else ()),
             *(("task",) if refusal is not None and refusal.values.get("task_id") in workflow.task_forms(ticket)
               else ())}
    return {
        "ticket": ticket,
        "refusal": refusal,
        "refused_action": refusal.action if refusal is not None else None,
        # A refusal of a form the page no longer shows (the ticket moved on) is shown on top.
        "refused_elsewhere": refusal is not None and (refusal.conflict or refusal.action not in forms),
        "typed": typed,
        "invalid": invalid,
        "timeline": panels.timeline(dbsession, ticket),
        "clocks": panels.clocks(dbsession, ticket, now, request.locale_name),
        "links": panels.links(dbsession, ticket, visible_department_ids(request)),
        "status_actions": status_actions,
        "agents": panels.assignable_agents(dbsession, ticket) if ticket.is_open else [],
        "teams": panels.escalation_teams(dbsession, ticket) if ticket.is_open else [],
        "canned": panels.canned_responses(dbsession, ticket.department_id),
        "services": panels.services(hook, dbsession, ticket.department_id),
        "channels": panels.channel_titles(hook),
        "viewers": panels.other_viewers(dbsession, ticket.id, request.user.id, now),
        "plugin_panels": panels.plugin_panels(request, ticket),
        "workflow": workflow,
        "departments": panels.transfer_departments(dbsession, ticket) if ticket.is_open else [],
        "clock_kind": panels.CLOCK_KIND,
        "clock_state": panels.CLOCK_STATE,
        "clock_color": panels.CLOCK_COLOR,
        "link_kinds": [kind.value for kind in LinkKind],
        "types": [kind.value for kind in TicketType],
        "levels": [level.value for level in Level],
    }


@view_config(route_name="tickets.ticket.action", request_method="GET", match_param="action=viewers",
             permission="workspace", renderer="plugins.tickets:templates/ticket/_viewers.jinja2")
def viewers(request: Request) -> dict:
    """Polled by the open page every 30 seconds: keeps this agent in the list of viewers and
    tells who else has the ticket open."""
    ticket = ticket_for_staff(request, request.matchdict["id"])
    now = utcnow()
    panels.note_viewer(request, ticket.id, request.user.id, now)
    return {"ticket": ticket, "viewers": panels.other_viewers(request.dbsession, ticket.id, request.user.id, now)}


@view_config(route_name="tickets.ticket.action", request_method="POST", match_param="action=canned",
             permission="workspace", renderer="plugins.tickets:templates/ticket/_reply_body.jinja2")
def insert_canned_response(request: Request) -> dict:
    """The reply box again with the chosen canned response added after what was typed."""
    ticket = ticket_for_staff(request, request.matchdict["id"])
    body = request.POST.get("body", "")
    canned = panels.canned_response(request.dbsession, ticket.department_id, request.POST.get("canned_id"))
    if canned is not None:
        body = f"{body.rstrip()}\n\n{canned.body}" if body.strip() else canned.body
    return {"ticket": ticket, "body": body, "body_invalid": False, "body_focus": True}


@view_config(route_name="tickets.attachment", request_method="GET", permission="workspace")
def download(request: Request) -> Response:
    """Any file of a ticket the agent works on, internal ones included."""
    ticket = ticket_for_staff(request, request.matchdict["id"])
    attachment = request.dbsession.get(Attachment, _number(request.matchdict["file_id"]))
    if attachment is None or attachment.ticket_id != ticket.id:
        raise HTTPNotFound()
    return attachments.download_response(request, attachment)


# --- the forms -------------------------------------------------------------------------------

Handler = Callable[[Request, TicketDesk, Ticket], TranslationString]
HANDLERS: dict[str, Handler] = {}


def handles(*names: str):
    def register(handler: Handler) -> Handler:
        for name in names:
            HANDLERS[name] = handler
        return handler
    return register


@view_config(route_name="tickets.ticket.action", request_method="POST", permission="workspace", renderer=PAGE)
def ticket_action(request: Request) -> dict | Response:
    ticket = ticket_for_staff(request, request.matchdict["id"])
    action = request.matchdict["action"]
    handler = HANDLERS.get(action)
    if handler is None:
        raise HTTPNotFound()
    desk = TicketDesk.for_request(request, channel=CHANNEL)
    try:
        with request.dbsession.begin_nested():
            # A form without its version cannot prove it saw the current ticket: a conflict.
            desk.check_version(ticket, _number(request.POST.get("version")) or 0)
            message = handler(request, desk, ticket)
            request.dbsession.flush()
        # The desk changed foreign keys (team, assignee); relationships read before must reload.
        request.dbsession.expire(ticket)
    except Conflict as error:
        return refused(request, ticket, action, error.message, conflict=True)
    except StaleDataError:
        # Another agent's save committed between our read and our write.
        request.dbsession.refresh(ticket)
        return refused(request, ticket, action, CONFLICT_MESSAGE, conflict=True)
    except DeskError as error:
        return refused(request, ticket, action, error.message, error.field)
    except attachments.AttachmentError as error:
        return refused(request, ticket, action, error.message, "attachments")
    request.session.flash(request.localizer.translate(message))
    if may_work_on(request, ticket):
        return HTTPSeeOther(location=request.route_url("tickets.ticket", id=ticket.id))
    # Escalated to a department the agent does not work for: the ticket is out of their sight.
    return HTTPSeeOther(location=request.route_url("tickets.queue"))


def refused(request: Request, ticket: Ticket, action: str, message, field: str | None = None,
            conflict: bool = False) -> dict:
    values = {name: value for name, value in request.POST.items() if isinstance(value, str)}
    request.response.status_int = 409 if conflict else 400
    return page(request, ticket, Refusal(action, values, message, field, conflict))


@handles("comment")
def comment(request: Request, desk: TicketDesk, ticket: Ticket) -> TranslationString:
    """A public reply or, with ``visibility=internal``, a note only agents read; files attached."""
    internal = request.POST.get("visibility") == "internal"
    body = text(request, "body", MAX_TEXT)
    uploads = attachments.validate_uploads(attachments.uploaded_files(request, "attachments"),
                                           request.registry.settings)
    posted = desk.comment(ticket, body, internal=internal)
    for upload in uploads:
        attachments.save(request.dbsession, request.registry.settings, upload, ticket, comment=posted,
                         uploaded_by=request.user)
    return _("Your internal note was added.") if internal else _("Your reply was sent to the requester.")


@handles(*LIFECYCLE_ACTIONS)
def change_status(request: Request, desk: TicketDesk, ticket: Ticket) -> TranslationString:
    action = request.matchdict["action"]
    desk.transition(ticket, action, reason=request.POST.get("reason") or None,
                    resolution_code=request.POST.get("resolution_code") or None,
                    note=text(request, "note", MAX_TEXT) or None)
    status = request.localizer.translate(labels.STATUS[ticket.status])
    return _("The ticket is now «${status}».", mapping={"status": status})


@handles("assign")
def assign(request: Request, desk: TicketDesk, ticket: Ticket) -> TranslationString:
    """To ``me``, to an agent of the ticket's team or department, or back to the team (empty)."""
    chosen = request.POST.get("assignee_id", "")
    assignee_id = request.user.id if chosen == "me" else _number(chosen)
    if chosen and assignee_id is None:
        raise DeskError("invalid_assignee", _("Choose an agent."), "assignee_id")
    desk.assign(ticket, assignee_id=assignee_id)
    if assignee_id is None:
        return _("The ticket is back in its team's queue.")
    name = request.dbsession.get(User, assignee_id).full_name
    return _("The ticket was assigned to ${name}.", mapping={"name": name})


@handles("escalate")
def escalate(request: Request, desk: TicketDesk, ticket: Ticket) -> TranslationString:
    """Functional escalation to another team, of any department and tier."""
    team_id = _number(request.POST.get("team_id"))
    if team_id is None:
        raise DeskError("invalid_team", _("Choose the team to escalate to."), "team_id")
    desk.escalate(ticket, team_id=team_id, reason=line(request, "reason", MAX_REASON))
    team = request.dbsession.get(Team, ticket.team_id)
    tier = request.localizer.translate(labels.TIER.get(team.tier, str(team.tier)))
    return _("The ticket was escalated to ${team} (${tier}).", mapping={"team": team.name, "tier": tier})


@handles("management")
def escalate_to_management(request: Request, desk: TicketDesk, ticket: Ticket) -> TranslationString:
    """Hierarchical escalation: the team lead and the department manager are told."""
    desk.escalate_to_management(ticket, reason=line(request, "reason", MAX_REASON))
    return _("The team lead and the department manager were told.")


@handles("transfer")
def transfer(request: Request, desk: TicketDesk, ticket: Ticket) -> TranslationString:
    """To another department, whose routing rules choose the team."""
    department_id = _number(request.POST.get("department_id"))
    if department_id is None:
        raise DeskError("invalid_department", _("Choose the department to transfer to."), "department_id")
    desk.transfer(ticket, department_id=department_id, reason=line(request, "reason", MAX_REASON))
    name = request.dbsession.get(Department, ticket.department_id).name
    return _("The ticket was transferred to ${department}.", mapping={"department": name})


@handles("decide")
def decide(request: Request, desk: TicketDesk, ticket: Ticket) -> TranslationString:
    """The approver's decision on the ticket's current approval step."""
    approval = request.dbsession.get(Approval, _number(request.POST.get("approval_id")) or 0)
    if approval is None or approval.ticket_id != ticket.id:
        raise DeskError("already_decided", _("This approval step was already decided."))
    return approvals_web.decide(request, approval, desk)


@handles("task")
def task_done(request: Request, desk: TicketDesk, ticket: Ticket) -> TranslationString:
    """A member of the task's team marks it done; the last one resolves the ticket."""
    task = request.dbsession.get(Task, _number(request.POST.get("task_id")) or 0)
    if task is None or task.ticket_id != ticket.id:
        raise DeskError("unknown_task", _("This task is not one of the ticket's."), "task_id")
    if fulfilment.complete(desk, task, text(request, "note", MAX_TEXT)):
        return _("The task is done; it was the last one, so the request is resolved.")
    return _("The task is done.")


@handles("update")
def update(request: Request, desk: TicketDesk, ticket: Ticket) -> TranslationString:
    """Classification: subject, type, impact, urgency (and so priority), service and tags."""
    subject = line(request, "subject", MAX_SUBJECT)
    if not subject:
        raise DeskError("subject_required", _("Write a subject."), "subject")
    changes = {
        "subject": subject,
        "type": choice(request, "type", [kind.value for kind in TicketType], _("Choose the kind of request.")),
        "impact": choice(request, "impact", [level.value for level in Level], _("Choose high, medium or low.")),
        "urgency": choice(request, "urgency", [level.value for level in Level], _("Choose high, medium or low.")),
        "tags": tags(request),
    }
    service_key = request.POST.get("service_key") or None
    if service_key is not None:
        changes["service_key"] = service_key
    version = ticket.version
    desk.update(ticket, **changes)
    request.dbsession.flush()
    if ticket.version == version:
        return _("Nothing was changed.")
    return _("The ticket's classification was saved.")


@handles("link")
def link(request: Request, desk: TicketDesk, ticket: Ticket) -> TranslationString:
    kind = choice(request, "kind", [kind.value for kind in LinkKind], _("Choose how the tickets are related."))
    target = other_ticket(request, "target")
    if request.dbsession.scalar(select(exists().where(TicketLink.source_id == ticket.id,
                                                      TicketLink.target_id == target.id, TicketLink.kind == kind))):
        raise DeskError("already_linked", _("These tickets are already linked that way."), "target")
    desk.link(ticket, target, kind)
    return _("The tickets were linked.")


@handles("merge")
def merge(request: Request, desk: TicketDesk, ticket: Ticket) -> TranslationString:
    """Close this ticket as a duplicate of another open one."""
    target = other_ticket(request, "target")
    desk.merge(ticket, target)
    return _("This ticket was merged into #${id}.", mapping={"id": target.id})


# --- reading the forms -------------------------------------------------------------------------

def text(request: Request, name: str, max_length: int) -> str:
    value = normalize_text(request.POST.get(name, "").replace("\r\n", "\n"))
    if len(value) > max_length:
        raise DeskError("too_long", _("This text is too long (at most ${max} characters).",
                                      mapping={"max": max_length}), name)
    return value


def line(request: Request, name: str, max_length: int) -> str:
    value = normalize_line(request.POST.get(name, ""))
    if len(value) > max_length:
        raise DeskError("too_long", _("This text is too long (at most ${max} characters).",
                                      mapping={"max": max_length}), name)
    return value


def choice(request: Request, name: str, options: list[str], message: TranslationString) -> str:
    value = request.POST.get(name, "")
    if value not in options:
        raise DeskError("invalid_choice", message, name)
    return value


def tags(request: Request) -> list[str]:
    """Tags typed separated by commas (Latin or Persian), each at most ``MAX_TAG`` characters."""
    found = [normalize_line(tag) for tag in TAG_SEPARATORS.split(request.POST.get("tags", ""))]
    found = sorted({tag for tag in found if tag})
    if len(found) > MAX_TAGS or any(len(tag) > MAX_TAG for tag in found):
        raise DeskError("invalid_tags", _("Use at most ${count} tags of at most ${max} characters each.",
                                          mapping={"count": MAX_TAGS, "max": MAX_TAG}), "tags")
    return found


def other_ticket(request: Request, name: str) -> Ticket:
    """The ticket named by its number or tracking code, if the agent may work on it."""
    typed = request.POST.get(name, "")
    code = parse_code(typed)
    found = None
    if code is not None:
        found = request.dbsession.scalar(select(Ticket).where(Ticket.tracking_code == code))
    if found is None:
        number = _number(typed.strip().lstrip("#").strip())
        found = request.dbsession.get(Ticket, number) if number is not None else None
    if found is None or not may_work_on(request, found):
        raise DeskError("unknown_ticket", _("No ticket you work on has this number or tracking code."), name)
    return found


def _number(value) -> int | None:
    """A positive database id from a form or URL, ``None`` for anything else."""
    text_value = normalize_digits(value) if isinstance(value, str) and value.strip().isdecimal() else ""
    if not text_value or len(text_value) > 18:
        return None
    return int(text_value) or None
