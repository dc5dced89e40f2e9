"""What the requester and the agents are told, through the core outbox (e-mail and SMS).

``on_event`` runs for every ticket event (the ``pishkhan_ticket_event`` hook) inside the
transaction that made the change, so a message is sent only if the change is saved.

- The requester hears about their request: the receipt on creation (SMS and e-mail), a public
  reply of an agent, a question waiting for them, the resolution with a link to rate it (SMS and
  e-mail), and closing, reopening or cancelling by someone else (e-mail).
- Approvers hear by e-mail of a step waiting for them (and again when reminded), with a signed
  link to decide; the requester hears of a rejection and its reason.
- Agents hear by e-mail: the assignee (or, when nobody is assigned, the team lead) of the
  requester's replies and reopenings, of an SLA warning; the assignee and the team lead of a
  breach; the team lead and the department manager of a hierarchical escalation; a person of
  a ticket assigned to them and of an internal note on their ticket.

Nobody is told about their own action (the receipt aside), and internal notes reach staff only.
Messages are written in the recipient's language (guests: Persian), with Jalali dates and
Persian digits, the text people typed too (a subject, a reply: ``Text``), and link to the page
where the recipient acts on the ticket.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from pyramid.i18n import make_localizer
from pyramid.path import AssetResolver
from sqlalchemy import select
from translationstring import TranslationString

from core.i18n import DEFAULT_LANGUAGE, _, format_datetime, text_digits
from core.models import Department, Role, Team, TeamMember, User
from core.normalize import to_persian_digits
from core.outbox import enqueue
from core.security import STAFF_ROLES
from plugins.tickets.models import Comment, PendingReason, Ticket, TicketEvent
from plugins.tickets.tracking import format_code

DEFAULT_BASE_URL = "http://127.0.0.1:6543"
EXCERPT_CHARS = 1500  # of a reply quoted in an e-mail; the rest is on the ticket's page
CLOCK = {"response": _("response"), "resolution": _("resolution")}


# --- language ---------------------------------------------------------------------------------

class Digits(str):
    """Text whose digits are shown in the reader's script (a tracking code, a count)."""


class Text(str):
    """Text a person typed (a subject, a reply, a reason), stored with Latin digits: its numbers
    read in the reader's digits, its e-mail addresses and URLs as written (``text_digits``)."""


@lru_cache(maxsize=8)
def _localizer(language: str):
    return make_localizer(language, [AssetResolver().resolve("core:locale").abspath()])


def translate(term, language: str) -> str:
    """``term`` in ``language``; the values of its mapping are localized first (translation
    strings translated, datetimes in Jalali and Tehran time, ``Digits`` and ``Text`` in the
    language's digits)."""
    if not isinstance(term, TranslationString):
        return _localized(term, language)
    mapping = {key: _localized(value, language) for key, value in (term.mapping or {}).items()}
    return _localizer(language).translate(TranslationString(term, mapping=mapping or None))


def _localized(value, language: str) -> str:
    if isinstance(value, TranslationString):
        return translate(value, language)
    if isinstance(value, datetime):
        return format_datetime(value, language)
    if isinstance(value, Digits) and language == "fa":
        return to_persian_digits(value)
    if isinstance(value, Text):
        return text_digits(value, language)
    return str(value)


def translate_for_organization(settings, term) -> str:
    """Text stored once for everyone (a ticket's history) in the organization's language."""
    return translate(term, settings.get("pyramid.default_locale_name", DEFAULT_LANGUAGE))


# ``{id}`` or ``{id:\d{1,18}}`` in a route's pattern: its regular expression may hold braces.
ROUTE_PLACEHOLDER = re.compile(r"\{(\w+)(?::(?:[^{}]|\{[^{}]*\})*)?\}")


def absolute_url(settings, route_name: str, query: str = "", **params) -> str:
    """A link to one of the tickets pages for a message read outside the site (``pishkhan.base_url``)."""
    from plugins.tickets.web import PORTAL_ROUTES, WORKSPACE_ROUTES

    pattern = dict(PORTAL_ROUTES + WORKSPACE_ROUTES)[route_name]
    path = ROUTE_PLACEHOLDER.sub(lambda match: str(params[match.group(1)]), pattern)
    return settings.get("pishkhan.base_url", DEFAULT_BASE_URL).rstrip("/") + path + (f"?{query}" if query else "")


# --- who and what -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Recipient:
    name: str
    email: str | None = None
    mobile: str | None = None
    user_id: int | None = None
    language: str = DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Message:
    """One notice; ``sms`` is set only for what is worth a text message to the requester."""

    subject: TranslationString
    paragraphs: tuple = ()
    link: str | None = None
    link_text: TranslationString | None = None
    sms: TranslationString | None = None


@dataclass
class Notice:
    """An event to tell people about, with what every message about it needs."""

    dbsession: object
    settings: dict
    ticket: Ticket
    event: TicketEvent
    sent_to: set = field(default_factory=set)

    @property
    def code(self) -> Digits:
        return Digits(format_code(self.ticket.tracking_code))

    @property
    def site(self) -> str:
        return self.settings.get("pishkhan.site_name", "") or translate_for_organization(self.settings, _("Pishkhan"))

    @property
    def actor(self) -> User | None:
        return self.dbsession.get(User, self.event.actor_id) if self.event.actor_id else None

    @property
    def by_requester(self) -> bool:
        """Whether the requester acted: their account, or a guest (no account, not the worker)."""
        if self.event.actor_id is None:
            return self.event.channel != "system"
        return self.event.actor_id == self.ticket.requester_id and self.actor.role == Role.requester.value

    @property
    def by_staff(self) -> bool:
        actor = self.actor
        return actor is not None and actor.role in STAFF_ROLES and not self.by_requester

    def requester(self) -> Recipient | None:
        ticket = self.ticket
        if ticket.requester_id is not None:  # by id: the relationship may predate a change in this session
            user = self.dbsession.get(User, ticket.requester_id)
            return Recipient(user.full_name, user.email, user.mobile, user.id, user.preferred_language)
        if ticket.guest_email or ticket.guest_mobile:
            return Recipient(ticket.guest_name or "", ticket.guest_email, ticket.guest_mobile)
        return None

    def requester_link(self) -> str:
        """The portal page of a registered requester; a guest proves the code on the tracking page."""
        if self.ticket.requester_id is not None:
            return absolute_url(self.settings, "tickets.portal.ticket", id=self.ticket.id)
        return absolute_url(self.settings, "tickets.track", query=f"code={self.ticket.tracking_code}")

    def staff_link(self) -> str:
        return absolute_url(self.settings, "tickets.ticket", id=self.ticket.id)

    def send(self, recipients, message: Message, *, tell_actor: bool = False) -> None:
        """Enqueue ``message`` for each recipient once (per notice), never to the actor unless told."""
        for recipient in recipients:
            if recipient is None:
                continue
            key = recipient.user_id or recipient.email or recipient.mobile
            if key in self.sent_to or (not tell_actor and self._is_actor(recipient)):
                continue
            self.sent_to.add(key)
            _enqueue(self.dbsession, recipient, message)

    def _is_actor(self, recipient: Recipient) -> bool:
        if recipient.user_id is not None:
            return recipient.user_id == self.event.actor_id
        return self.by_requester  # a guest recipient is the ticket's requester


def _enqueue(dbsession, recipient: Recipient, message: Message) -> None:
    language = recipient.language
    if message.sms is not None and recipient.mobile:
        enqueue(dbsession, channel="sms", recipient=recipient.mobile,
                payload={"text": translate(message.sms, language)})
    if recipient.email:
        greeting = _("Dear ${name},", mapping={"name": recipient.name}) if recipient.name else _("Hello,")
        enqueue(dbsession, channel="email", recipient=recipient.email, subject=translate(message.subject, language),
                template="message",
                payload={"language": language, "greeting": translate(greeting, language),
                         "body": "\n\n".join(translate(paragraph, language) for paragraph in message.paragraphs),
                         "link": message.link or "",
                         "link_text": translate(message.link_text, language) if message.link_text else ""})


# --- staff to tell ------------------------------------------------------------------------------

def _staff(user: User) -> Recipient:
    return Recipient(user.full_name, user.email, None, user.id, user.preferred_language)


def _active(dbsession, query) -> list[User]:
    return list(dbsession.scalars(query.where(User.is_active.is_(True)).order_by(User.id)))


def assignee(notice: Notice) -> list[Recipient]:
    user = notice.dbsession.get(User, notice.ticket.assignee_id) if notice.ticket.assignee_id else None
    return [_staff(user)] if user is not None and user.is_active else []


def team_leads(notice: Notice) -> list[Recipient]:
    """The team leads of the ticket's team; a team without one (often the front desk) answers to
    the department's team leads."""
    dbsession, ticket = notice.dbsession, notice.ticket
    leads = (select(User).join(TeamMember, TeamMember.user_id == User.id)
             .where(User.role == Role.team_lead.value).distinct())
    found = _active(dbsession, leads.where(TeamMember.team_id == ticket.team_id)) if ticket.team_id else []
    if not found:
        department_teams = select(Team.id).where(Team.department_id == ticket.department_id)
        found = _active(dbsession, leads.where(TeamMember.team_id.in_(department_teams)))
    return [_staff(user) for user in found]


def department_managers(notice: Notice) -> list[Recipient]:
    """The managers of the ticket's department, else of the nearest department above it."""
    dbsession = notice.dbsession
    parents = dict(dbsession.execute(select(Department.id, Department.parent_id)).all())
    managers = {}
    for user in _active(dbsession, select(User).where(User.role == Role.department_manager.value)):
        managers.setdefault(user.department_id, []).append(user)
    department_id, seen = notice.ticket.department_id, set()
    while department_id is not None and department_id not in seen:
        if department_id in managers:
            return [_staff(user) for user in managers[department_id]]
        seen.add(department_id)
        department_id = parents.get(department_id)
    return []


def assignee_or_leads(notice: Notice) -> list[Recipient]:
    return assignee(notice) or team_leads(notice)


# --- the events ---------------------------------------------------------------------------------

def on_event(dbsession, settings, ticket, event) -> None:
    handler = HANDLERS.get(event.kind)
    if handler is not None:
        handler(Notice(dbsession, settings, ticket, event))


def created(notice: Notice) -> None:
    """The receipt (رسید): tracking code, service and promised date, even to a requester who
    submitted it themselves, since it is their proof of the request."""
    ticket = notice.ticket
    service = ticket.service_title or notice.dbsession.get(Department, ticket.department_id).name
    mapping = {"code": notice.code, "service": service, "promised": ticket.promised_at, "site": notice.site,
               "subject": Text(ticket.subject)}
    paragraphs = [_("Your request «${subject}» was registered.", mapping=mapping),
                  _("Tracking code: ${code}", mapping=mapping),
                  _("Service: ${service}", mapping=mapping)]
    if ticket.promised_at:
        paragraphs.append(_("Promised completion: ${promised}", mapping=mapping))
        sms = _("${site}: your request was registered. Tracking code ${code}; promised by ${promised}.",
                mapping=mapping)
    else:
        sms = _("${site}: your request was registered. Tracking code ${code}.", mapping=mapping)
    paragraphs.append(_("Keep the tracking code to follow your request."))
    notice.send([notice.requester()], Message(
        _("Receipt of your request ${code}", mapping=mapping), tuple(paragraphs),
        notice.requester_link(), _("Follow the request"), sms), tell_actor=True)


def commented(notice: Notice) -> None:
    comment = notice.dbsession.get(Comment, notice.event.data.get("comment_id"))
    if comment is None:
        return
    ticket = notice.ticket
    mapping = {"code": notice.code, "subject": Text(ticket.subject), "site": notice.site,
               "author": comment.author_name, "body": Text(_excerpt(comment.body))}
    if comment.is_internal:
        notice.send(assignee(notice), Message(
            _("Internal note on ticket ${code}", mapping=mapping),
            (_("${author} wrote an internal note on «${subject}»:", mapping=mapping), mapping["body"]),
            notice.staff_link(), _("Open the ticket")))
    elif notice.by_requester:
        notice.send(assignee_or_leads(notice), Message(
            _("The requester replied on ticket ${code}", mapping=mapping),
            (_("${author} replied on «${subject}»:", mapping=mapping), mapping["body"]),
            notice.staff_link(), _("Open the ticket")))
    elif notice.by_staff:
        notice.send([notice.requester()], Message(
            _("New reply to your request ${code}", mapping=mapping),
            (_("${author} replied to your request «${subject}»:", mapping=mapping), mapping["body"]),
            notice.requester_link(), _("Read and reply"),
            _("${site}: there is a new reply to your request ${code}.", mapping=mapping)))


def transitioned(notice: Notice) -> None:
    data, ticket = notice.event.data, notice.ticket
    mapping = {"code": notice.code, "subject": Text(ticket.subject), "site": notice.site}
    action = data.get("action")
    if action == "pend" and data.get("reason") == PendingReason.awaiting_requester.value:
        notice.send([notice.requester()], Message(
            _("Your request ${code} is waiting for your answer", mapping=mapping),
            (_("To go on with «${subject}» we need more information from you. Please answer on the "
               "request's page; the request waits for you meanwhile.", mapping=mapping),),
            notice.requester_link(), _("Answer"),
            _("${site}: your request ${code} is waiting for your answer.", mapping=mapping)))
    elif action == "reopen" and notice.by_requester:
        notice.send(assignee_or_leads(notice), Message(
            _("The requester reopened ticket ${code}", mapping=mapping),
            (_("The requester reopened «${subject}».", mapping=mapping),)
            + ((Text(data["note"]),) if data.get("note") else ()),
            notice.staff_link(), _("Open the ticket")))
    elif action == "reopen":
        notice.send([notice.requester()], Message(
            _("Your request ${code} was reopened", mapping=mapping),
            (_("Your request «${subject}» was reopened and is being worked on again.", mapping=mapping),),
            notice.requester_link(), _("Follow the request")))
    elif action == "cancel" and not data.get("rejected"):  # a rejection is told by its own notice
        notice.send([notice.requester()], Message(
            _("Your request ${code} was cancelled", mapping=mapping),
            (_("Your request «${subject}» was cancelled.", mapping=mapping),),
            notice.requester_link(), _("Follow the request")))


def resolved(notice: Notice) -> None:
    ticket = notice.ticket
    mapping = {"code": notice.code, "subject": Text(ticket.subject), "site": notice.site,
               "days": Digits(notice.settings.get("tickets.reopen_within_days", "7"))}
    paragraphs = [_("Your request «${subject}» was resolved.", mapping=mapping)]
    if ticket.resolution_note:
        paragraphs += [_("What was done:"), Text(_excerpt(ticket.resolution_note))]
    paragraphs += [_("If the problem remains, you can reopen the request within ${days} days. "
                     "Please tell us how we did: rating the service takes a minute.", mapping=mapping)]
    notice.send([notice.requester()], Message(
        _("Your request ${code} was resolved", mapping=mapping), tuple(paragraphs),
        notice.requester_link(), _("Rate the service"),
        _("${site}: your request ${code} was resolved. Please rate our service.", mapping=mapping)))


def closed(notice: Notice) -> None:
    mapping = {"code": notice.code, "subject": Text(notice.ticket.subject)}
    notice.send([notice.requester()], Message(
        _("Your request ${code} was closed", mapping=mapping),
        (_("Your request «${subject}» was closed. If you need more help, please submit a new request.",
           mapping=mapping),),
        notice.requester_link(), _("Follow the request")))


def assigned(notice: Notice) -> None:
    user = notice.dbsession.get(User, notice.event.data.get("to")) if notice.event.data.get("to") else None
    if user is None or not user.is_active:
        return
    mapping = {"code": notice.code, "subject": Text(notice.ticket.subject)}
    notice.send([_staff(user)], Message(
        _("Ticket ${code} was assigned to you", mapping=mapping),
        (_("The ticket «${subject}» was assigned to you.", mapping=mapping),),
        notice.staff_link(), _("Open the ticket")))


def escalated(notice: Notice) -> None:
    data = notice.event.data
    if data.get("kind") != "hierarchical":
        return
    mapping = {"code": notice.code, "subject": Text(notice.ticket.subject), "reason": Text(data.get("reason", ""))}
    first = (_("The ticket «${subject}» was escalated to you automatically, close to its SLA target.",
               mapping=mapping) if data.get("automatic")
             else _("The ticket «${subject}» was escalated to you.", mapping=mapping))
    notice.send(team_leads(notice) + department_managers(notice), Message(
        _("Ticket ${code} was escalated to you", mapping=mapping),
        (first, _("Reason: ${reason}", mapping=mapping)), notice.staff_link(), _("Open the ticket")))


def sla_warning(notice: Notice) -> None:
    mapping = _sla_mapping(notice)
    notice.send(assignee_or_leads(notice), Message(
        _("Ticket ${code}: the ${clock} target is near", mapping=mapping),
        (_("The ${clock} target of «${subject}» (${priority}) is due at ${due}.", mapping=mapping),),
        notice.staff_link(), _("Open the ticket")))


def sla_breach(notice: Notice) -> None:
    mapping = _sla_mapping(notice)
    notice.send(assignee(notice) + team_leads(notice), Message(
        _("Ticket ${code} missed its ${clock} target", mapping=mapping),
        (_("The ${clock} target of «${subject}» (${priority}) was due at ${due} and is missed.", mapping=mapping),),
        notice.staff_link(), _("Open the ticket")))


def _sla_mapping(notice: Notice) -> dict:
    from plugins.tickets.labels import PRIORITY

    data, ticket = notice.event.data, notice.ticket
    due = datetime.fromisoformat(data["due_at"]) if data.get("due_at") else ticket.sla_due_at
    return {"code": notice.code, "subject": Text(ticket.subject), "clock": CLOCK.get(data.get("clock"), ""),
            "due": due, "priority": PRIORITY[ticket.priority]}


def approval_requested(notice: Notice) -> None:
    """The approvers of the step (or, when nobody fits it, the department's managers and the
    administrators), each with their own signed link to decide without signing in."""
    from plugins.tickets import approval_links, approvals
    from plugins.tickets.labels import APPROVER
    from plugins.tickets.models import Approval

    data, ticket = notice.event.data, notice.ticket
    approval = notice.dbsession.get(Approval, data.get("approval"))
    if approval is None or approval.link_nonce is None:
        return
    reminder = notice.event.kind == "approval_reminded"
    mapping = {"code": notice.code, "subject": Text(ticket.subject), "requester": ticket.requester_name,
               "service": ticket.service_title or notice.dbsession.get(Department, ticket.department_id).name,
               "step": approval.title or APPROVER.get(approval.kind, approval.kind),
               "kind": APPROVER.get(approval.kind, approval.kind)}
    paragraphs = [_("${requester} asks for «${subject}» (${service}). The request needs your approval: ${step}.",
                    mapping=mapping)]
    if approval.approver_id is None:
        paragraphs.append(_("Nobody was found for this step (${kind}), so it comes to the department's managers "
                            "and the administrators.", mapping=mapping))
    paragraphs.append(_("The link below opens the request; it can be used once."))
    subject = (_("Reminder: request ${code} is waiting for your approval", mapping=mapping) if reminder
               else _("Request ${code} needs your approval", mapping=mapping))
    for user in approvals.deciders(notice.dbsession, ticket, approval):
        token = approval_links.make(notice.settings, approval_id=approval.id, user_id=user.id,
                                    nonce=approval.link_nonce, now=notice.event.at)
        notice.send([_staff(user)], Message(subject, tuple(paragraphs),
                                            absolute_url(notice.settings, "tickets.approval.link", token=token),
                                            _("Review and decide")))


def approval_rejected(notice: Notice) -> None:
    mapping = {"code": notice.code, "subject": Text(notice.ticket.subject),
               "reason": Text(notice.event.data.get("comment", "")), "site": notice.site}
    notice.send([notice.requester()], Message(
        _("Your request ${code} was not approved", mapping=mapping),
        (_("Your request «${subject}» was not approved, so it was cancelled.", mapping=mapping),
         _("Reason: ${reason}", mapping=mapping)),
        notice.requester_link(), _("Follow the request"),
        _("${site}: your request ${code} was not approved.", mapping=mapping)))


def _excerpt(text: str) -> str:
    text = (text or "").strip()
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS].rstrip() + "…"


HANDLERS = {
    "created": created,
    "commented": commented,
    "transitioned": transitioned,
    "resolved": resolved,
    "closed": closed,
    "assigned": assigned,
    "escalated": escalated,
    "sla_warning": sla_warning,
    "sla_breach": sla_breach,
    "approval_requested": approval_requested,
    "approval_reminded": approval_requested,
    "approval_rejected": approval_rejected,
}
