"""Every change to a ticket goes through a ``TicketDesk``: web pages, the API, the front-desk
quick-log and the worker all use the same rules, history and hooks.

A desk acts for one actor (a user, or ``None`` for a guest or the worker) through one channel.
Each method checks the lifecycle and the optimistic lock, changes the ticket, appends a
``TicketEvent`` and calls ``pishkhan_ticket_event``. Errors are ``DeskError`` with a stable
``code`` (for the API) and a translatable ``message``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import exists, select

from core.db import utcnow
from core.i18n import _
from core.models import Department, Team, User
from core.plugins import flatten
from plugins.tickets import attachments, routing, workflow
from plugins.tickets.lifecycle import ACTIONS, Party, ResolutionCode, allowed
from plugins.tickets.models import (
    Comment,
    Level,
    LinkKind,
    PendingReason,
    Rating,
    Status,
    Ticket,
    TicketEvent,
    TicketLink,
    TicketTag,
    TicketType,
)
from plugins.tickets.priority import parse_matrix, priority_for
from plugins.tickets.request_forms import SubmittedForm
from plugins.tickets.sla import ticket_clocks as sla
from plugins.tickets.tracking import new_code

# Clocks on different machines disagree a little; a contact "now" must not be refused.
CLOCK_SKEW = timedelta(minutes=2)


class DeskError(Exception):
    """A refused change; nothing was saved. ``code`` is stable, ``message`` translatable."""

    def __init__(self, code: str, message, field_name: str | None = None):
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field_name


class Conflict(DeskError):
    """Someone else saved the ticket since the caller loaded it."""


@dataclass
class NewTicket:
    """What is needed to open a ticket; validated by the caller's schema first."""

    subject: str
    department_id: int
    description: str = ""
    type: str = TicketType.incident.value
    service_key: str | None = None
    channel: str = "portal"
    contact_at: datetime | None = None
    impact: str = Level.low.value
    urgency: str = Level.low.value
    requester_id: int | None = None
    guest_name: str | None = None
    guest_mobile: str | None = None
    guest_email: str | None = None
    guest_national_code: str | None = None
    team_id: int | None = None
    assignee_id: int | None = None
    tags: list[str] = field(default_factory=list)
    # The service's request form (``plugins.tickets.request_forms.SubmittedForm``), if it has one.
    form: SubmittedForm | None = None


class TicketDesk:
    def __init__(self, dbsession, settings, hook, actor: User | None, channel: str, now: datetime | None = None,
                 as_requester: bool = False):
        self.dbsession = dbsession
        self.as_requester = as_requester  # the portal: agents following their own requests act as requesters
        self.settings = settings
        self.hook = hook
        self.actor = actor
        self.channel = channel
        self.now = now or utcnow()

    @classmethod
    def for_request(cls, request, channel: str = "portal", as_requester: bool = False) -> TicketDesk:
        return cls(request.dbsession, request.registry.settings, request.registry.pluginmanager.hook,
                   request.user, channel, as_requester=as_requester)

    # --- opening ------------------------------------------------------------------------

    def open(self, data: NewTicket) -> Ticket:
        contact_at = data.contact_at or self.now
        if contact_at > self.now + CLOCK_SKEW:
            raise DeskError("contact_in_future", _("The contact time cannot be in the future."), "contact_at")
        if data.requester_id is None and not (data.guest_mobile or data.guest_email):
            raise DeskError("requester_required", _("Give a mobile number or an e-mail address to follow the request."),
                            "guest_mobile")
        if data.channel not in self.channels():
            raise DeskError("unknown_channel", _("Choose one of the desk's channels."), "channel")
        department = self.dbsession.get(Department, data.department_id)
        if department is None or not department.is_active:
            raise DeskError("unknown_department", _("Choose a department."), "department_id")
        if data.type not in {t.value for t in TicketType}:
            raise DeskError("invalid_type", _("Choose the kind of request."), "type")
        levels = {level.value for level in Level}
        if data.impact not in levels or data.urgency not in levels:
            raise DeskError("invalid_level", _("Choose high, medium or low."), "urgency")
        service = self.service(data.department_id, data.service_key) if data.service_key else None
        ticket = Ticket(
            tracking_code=self._unused_code(),
            type=data.type,
            status=Status.new.value,
            channel=data.channel,
            contact_at=contact_at,
            created_at=self.now,
            updated_at=self.now,
            created_by_id=self.actor.id if self.actor else None,
            requester_id=data.requester_id,
            guest_name=data.guest_name,
            guest_mobile=data.guest_mobile,
            guest_email=data.guest_email,
            guest_national_code=data.guest_national_code,
            department_id=data.department_id,
            service_key=service.key if service else None,
            service_title=service.title if service else "",
            impact=data.impact,
            urgency=data.urgency,
            priority=priority_for(data.impact, data.urgency, self.matrix),
            subject=data.subject,
            description=data.description,
            tags=[TicketTag(tag=tag) for tag in sorted(set(data.tags))],
            form_values=data.form.values if data.form is not None else None,
        )
        problems = flatten(self.hook.pishkhan_ticket_validate(dbsession=self.dbsession, ticket=ticket))
        if problems:
            raise DeskError("invalid_ticket", problems[0])
        team_id = (data.team_id or self.hook.pishkhan_ticket_route(dbsession=self.dbsession, ticket=ticket)
                   or routing.team_for(self.dbsession, ticket, flatten(self.hook.pishkhan_routing_rules())))
        self._set_team(ticket, team_id)
        if data.assignee_id:
            ticket.assignee_id = data.assignee_id
            ticket.status = Status.assigned.value
        promised_days = service.promised_days if service else int(self.settings.get("tickets.promised_days", 5))
        ticket.promised_at = sla.promise(self.dbsession, ticket.department_id, contact_at, promised_days)
        sla.attach(self, ticket)  # before the ticket is added: it is written with its due dates
        self.dbsession.add(ticket)
        self.dbsession.flush()
        for title, upload in data.form.documents if data.form is not None else ():
            attachments.save(self.dbsession, self.settings, upload, ticket, uploaded_by=self.actor, label=title)
        self.record(ticket, "created", channel=data.channel)
        workflow.start(self, ticket)
        return ticket

    def service(self, department_id: int, key: str):
        """The service ``key`` of the department, from whichever plugin provides it."""
        for service in flatten(self.hook.pishkhan_ticket_services(dbsession=self.dbsession,
                                                                  department_id=department_id)):
            if service.key == key:
                return service
        raise DeskError("unknown_service", _("Choose a service of this department."), "service_key")

    def channels(self) -> dict:
        """Every intake channel by name: the built-in ones and those plugins add."""
        return {channel.name: channel for channel in flatten(self.hook.pishkhan_ticket_channels())}

    @property
    def matrix(self):
        return parse_matrix(self.settings["tickets.priority_matrix"])

    def _unused_code(self) -> str:
        while True:
            code = new_code()
            if not self.dbsession.scalar(select(exists().where(Ticket.tracking_code == code))):
                return code

    # --- changes --------------------------------------------------------------------------

    def party(self, ticket: Ticket) -> Party:
        if self.actor is None:
            return Party.system if self.channel == "system" else Party.requester
        if ticket.requester_id == self.actor.id and (self.as_requester or self.actor.role == "requester"):
            return Party.requester
        return Party.staff

    def check_version(self, ticket: Ticket, expected_version: int | None) -> None:
        if expected_version is not None and int(expected_version) != ticket.version:
            raise Conflict("conflict", _("Someone else changed this ticket while you were editing it. "
                                         "Review their change; what you typed is kept below."))

    def transition(self, ticket: Ticket, action_name: str, *, expected_version: int | None = None,
                   reason: str | None = None, resolution_code: str | None = None, note: str | None = None) -> None:
        self.check_version(ticket, expected_version)
        party = self.party(ticket)
        if not allowed(action_name, ticket.status, party):
            raise DeskError("invalid_transition",
                            _("This action is not possible for the ticket in its current status."))
        self._check_requester_limits(ticket, action_name, party)
        self.apply_transition(ticket, action_name, reason=reason, resolution_code=resolution_code, note=note)

    def apply_transition(self, ticket: Ticket, action_name: str, *, reason: str | None = None,
                         resolution_code: str | None = None, note: str | None = None,
                         target: Status | None = None, **details) -> None:
        """The status change itself, whoever acts: the request's workflow (waiting for approval,
        resolved when fulfilled) moves tickets that its actor could not move by hand.
        ``target`` replaces the action's usual status; ``details`` go to the history."""
        action = ACTIONS[action_name]
        if ticket.status not in action.sources:
            raise DeskError("invalid_transition",
                            _("This action is not possible for the ticket in its current status."))
        old = ticket.status
        target = target or action.target
        data = {"action": action_name, "from": old, "to": target.value, **details}
        if action_name == "pend":
            if reason not in {r.value for r in PendingReason}:
                raise DeskError("reason_required", _("Choose why the ticket is pending."), "reason")
            ticket.pending_reason = reason
            data["reason"] = reason
            sla.pause(self, ticket)
        elif old == Status.pending.value:
            ticket.pending_reason = None
            sla.resume(self, ticket)
        if action_name == "resolve":
            if resolution_code not in {c.value for c in ResolutionCode}:
                raise DeskError("resolution_code_required", _("Choose a resolution code."), "resolution_code")
            if not (note or "").strip():
                raise DeskError("resolution_note_required", _("Describe the resolution."), "note")
            ticket.resolution_code = resolution_code
            ticket.resolution_note = note.strip()
            ticket.resolved_at = self.now
            ticket.resolved_tier = ticket.tier
            data.update(code=resolution_code, note=ticket.resolution_note)
            sla.stop(self, ticket)
        elif action_name == "close":
            ticket.closed_at = self.now
        elif action_name == "reopen":
            ticket.reopen_count += 1
            ticket.resolved_at = ticket.closed_at = None
            ticket.first_contact_resolution = False
            if note:
                data["note"] = note
            sla.reattach(self, ticket)
        elif action_name == "cancel":
            sla.stop(self, ticket)
        ticket.status = target.value
        self._touch(ticket)
        kind = {"resolve": "resolved", "close": "closed"}.get(action_name, "transitioned")
        self.record(ticket, kind, **data)

    def _check_requester_limits(self, ticket: Ticket, action_name: str, party: Party) -> None:
        if party is not Party.requester:
            return
        if action_name == "cancel" and ticket.status != Status.new.value:
            raise DeskError("invalid_transition", _("A request can be withdrawn only before an agent takes it."))
        if action_name == "reopen":
            days = int(self.settings["tickets.reopen_within_days"])
            if ticket.resolved_at is None or self.now - ticket.resolved_at > timedelta(days=days):
                raise DeskError("reopen_expired", _("This request was resolved too long ago to reopen; "
                                                    "please submit a new one."))

    def resolve_on_first_contact(self, ticket: Ticket, *, resolution_code: str, note: str) -> None:
        """The front desk solved the contact on the spot: resolved, and counted as such."""
        self.transition(ticket, "resolve", resolution_code=resolution_code, note=note)
        ticket.first_contact_resolution = True

    def assign(self, ticket: Ticket, *, assignee_id: int | None, expected_version: int | None = None) -> None:
        """Give the ticket to an agent of its team (``None`` puts it back in the team's queue)."""
        self.check_version(ticket, expected_version)
        if not ticket.is_open:
            raise DeskError("invalid_transition", _("A closed ticket cannot be assigned."))
        if assignee_id is not None and not self._may_work(assignee_id, ticket.department_id):
            raise DeskError("invalid_assignee", _("This person cannot work on tickets of this department."),
                            "assignee_id")
        old = ticket.assignee_id
        ticket.assignee_id = assignee_id
        if assignee_id and ticket.status == Status.new.value:
            ticket.status = Status.assigned.value
        elif assignee_id is None and ticket.status == Status.assigned.value:
            ticket.status = Status.new.value
        self._touch(ticket)
        self.record(ticket, "assigned", **{"from": old, "to": assignee_id})

    def escalate(self, ticket: Ticket, *, team_id: int, reason: str, expected_version: int | None = None) -> None:
        """Functional escalation: hand the ticket to another team (usually a higher tier)."""
        self.check_version(ticket, expected_version)
        if not ticket.is_open:
            raise DeskError("invalid_transition", _("A closed ticket cannot be escalated."))
        if not (reason or "").strip():
            raise DeskError("reason_required", _("Say why the ticket is escalated."), "reason")
        team = self.dbsession.get(Team, team_id)
        if team is None or team.id == ticket.team_id:
            raise DeskError("invalid_team", _("Choose another team."), "team_id")
        old_team, old_tier = ticket.team_id, ticket.tier
        self._set_team(ticket, team.id)
        ticket.department_id = team.department_id
        ticket.assignee_id = None
        if ticket.status in (Status.assigned.value, Status.in_progress.value, Status.reopened.value):
            ticket.status = Status.new.value
        ticket.escalation_count += 1
        self._touch(ticket)
        self.record(ticket, "escalated", kind="functional", reason=reason.strip(),
                    from_team=old_team, to_team=team.id, from_tier=old_tier, to_tier=team.tier)

    def transfer(self, ticket: Ticket, *, department_id: int, reason: str,
                 expected_version: int | None = None) -> None:
        """Hand the ticket to another department: its routing rules choose the team, a service
        it does not offer is cleared, the SLA clocks run on, and the history says why."""
        self.check_version(ticket, expected_version)
        if not ticket.is_open:
            raise DeskError("invalid_transition", _("A closed ticket cannot be transferred."))
        if not (reason or "").strip():
            raise DeskError("reason_required", _("Say why the ticket is transferred."), "reason")
        department = self.dbsession.get(Department, department_id)
        if department is None or not department.is_active or department.id == ticket.department_id:
            raise DeskError("invalid_department", _("Choose another department."), "department_id")
        old_department, old_team, old_service = ticket.department_id, ticket.team_id, ticket.service_title
        ticket.department_id = department.id
        offered = {service.key for service in flatten(self.hook.pishkhan_ticket_services(
            dbsession=self.dbsession, department_id=department.id))}
        service_cleared = ticket.service_key is not None and ticket.service_key not in offered
        if service_cleared:
            ticket.service_key, ticket.service_title = None, ""
        team_id = (self.hook.pishkhan_ticket_route(dbsession=self.dbsession, ticket=ticket)
                   or routing.team_for(self.dbsession, ticket, flatten(self.hook.pishkhan_routing_rules())))
        self._set_team(ticket, team_id)
        ticket.assignee_id = None
        if ticket.status in (Status.assigned.value, Status.in_progress.value, Status.reopened.value):
            ticket.status = Status.new.value
        self._touch(ticket)
        self.record(ticket, "transferred", from_department=old_department, to_department=department.id,
                    from_team=old_team, to_team=ticket.team_id, reason=reason.strip(),
                    service=[old_service, None] if service_cleared else None)

    def escalate_to_management(self, ticket: Ticket, *, reason: str, automatic: bool = False) -> None:
        """Hierarchical escalation: the team lead and the department manager are told."""
        if not (reason or "").strip():
            raise DeskError("reason_required", _("Say why management should look at this ticket."), "reason")
        self.record(ticket, "escalated", kind="hierarchical", reason=reason.strip(), automatic=automatic)

    def update(self, ticket: Ticket, *, expected_version: int | None = None, **changes) -> None:
        """Edit classification and text; priority follows impact and urgency."""
        self.check_version(ticket, expected_version)
        editable = {"subject", "description", "type", "impact", "urgency", "service_key", "tags"}
        unknown = set(changes) - editable
        if unknown:
            raise DeskError("invalid_field", _("This field cannot be changed."), sorted(unknown)[0])
        diff = {}
        if "service_key" in changes and changes["service_key"] != ticket.service_key:
            service = self.service(ticket.department_id, changes.pop("service_key"))
            diff["service"] = [ticket.service_title, service.title]
            ticket.service_key, ticket.service_title = service.key, service.title
        changes.pop("service_key", None)
        if "tags" in changes:
            new_tags = sorted(set(changes.pop("tags")))
            old_tags = [tag.tag for tag in ticket.tags]
            if new_tags != old_tags:
                ticket.tags = [TicketTag(tag=tag) for tag in new_tags]
                diff["tags"] = [old_tags, new_tags]
        for name, value in changes.items():
            if getattr(ticket, name) != value:
                diff[name] = [getattr(ticket, name), value]
                setattr(ticket, name, value)
        priority = priority_for(ticket.impact, ticket.urgency, self.matrix)
        if priority != ticket.priority:
            diff["priority"] = [ticket.priority, priority]
            ticket.priority = priority
        if not diff:
            return
        if "priority" in diff or "service" in diff:
            sla.retarget(self, ticket)
        self._touch(ticket)
        self.record(ticket, "updated", changes=diff)

    def comment(self, ticket: Ticket, body: str, *, internal: bool = False, author_name: str = "") -> Comment:
        body = (body or "").strip()
        if not body:
            raise DeskError("empty_comment", _("Write a message."), "body")
        party = self.party(ticket)
        if internal and party is not Party.staff:
            raise DeskError("forbidden", _("Only agents can write internal notes."))
        if ticket.status in (Status.closed.value, Status.cancelled.value) and party is not Party.staff:
            raise DeskError("ticket_closed", _("This request is closed; reopen it or submit a new one."))
        comment = Comment(ticket_id=ticket.id, author_id=self.actor.id if self.actor else None,
                          author_name=author_name or (self.actor.full_name if self.actor else ticket.guest_name or ""),
                          is_internal=internal, body=body, channel=self.channel, created_at=self.now)
        self.dbsession.add(comment)
        if party is Party.staff and not internal and ticket.first_response_at is None:
            ticket.first_response_at = self.now
            sla.stop(self, ticket, kind="response")
        self._touch(ticket)
        self.dbsession.flush()
        self.record(ticket, "commented", comment_id=comment.id, internal=internal)
        if (party is Party.requester and ticket.status == Status.pending.value
                and ticket.pending_reason == PendingReason.awaiting_requester.value):
            self.transition(ticket, "resume")
        return comment

    def link(self, ticket: Ticket, target: Ticket, kind: str) -> None:
        if kind not in {k.value for k in LinkKind} or target.id == ticket.id:
            raise DeskError("invalid_link", _("These tickets cannot be linked that way."), "kind")
        self.dbsession.add(TicketLink(source_id=ticket.id, target_id=target.id, kind=kind, created_at=self.now))
        self.record(ticket, "linked", kind=kind, target=target.id)

    def merge(self, ticket: Ticket, into: Ticket) -> None:
        """Close ``ticket`` as a duplicate of ``into``; its conversation stays where it was."""
        if into.id == ticket.id or not into.is_open:
            raise DeskError("invalid_merge", _("Merge into another open ticket."), "target")
        self.link(ticket, into, LinkKind.duplicate_of.value)
        ticket.merged_into_id = into.id
        self.transition(ticket, "resolve", resolution_code=ResolutionCode.duplicate.value,
                        note=f"#{into.id}")
        self.record(into, "merged", source=ticket.id)

    def rate(self, ticket: Ticket, *, score: int, comment: str = "", axes: dict | None = None) -> Rating:
        if ticket.status not in (Status.resolved.value, Status.closed.value):
            raise DeskError("not_resolved", _("A request can be rated after it is resolved."))
        if self.dbsession.get(Rating, ticket.id) is not None:
            raise DeskError("already_rated", _("This request has already been rated. Thank you!"))
        if not 1 <= int(score) <= 5:
            raise DeskError("invalid_score", _("Choose a score from 1 to 5."), "score")
        rating = Rating(ticket_id=ticket.id, score=int(score), comment=(comment or "").strip(), axes=axes or {},
                        created_at=self.now)
        self.dbsession.add(rating)
        self.record(ticket, "rated", score=rating.score)
        return rating

    # --- plumbing ----------------------------------------------------------------------

    def record(self, ticket: Ticket, kind: str, /, channel: str | None = None, **data) -> TicketEvent:
        event = TicketEvent(ticket_id=ticket.id, at=self.now, actor_id=self.actor.id if self.actor else None,
                            channel=channel or self.channel, kind=kind, data=data)
        self.dbsession.add(event)
        self.dbsession.flush()
        self.hook.pishkhan_ticket_event(dbsession=self.dbsession, settings=self.settings, ticket=ticket, event=event)
        return event

    def _touch(self, ticket: Ticket) -> None:
        ticket.updated_at = self.now

    def _set_team(self, ticket: Ticket, team_id: int | None) -> None:
        team = self.dbsession.get(Team, team_id) if team_id else None
        ticket.team_id = team.id if team else None
        ticket.tier = team.tier if team else 1

    def _may_work(self, user_id: int, department_id: int) -> bool:
        from plugins.tickets.access import may_work

        user = self.dbsession.get(User, user_id)
        return user is not None and user.is_active and may_work(self.dbsession, self.hook, user, department_id)
