"""Colander schemas of the JSON API's request bodies (``plugins.tickets.web.api``).

They normalize Persian input like the forms do (Arabic ي/ك, any digits) and are the source of
the request bodies in the OpenAPI document (``plugins.tickets.openapi``), so the document
cannot drift from what the API accepts. Unknown keys are refused by the view (``unknown_keys``)
so that a forged field is an error rather than silently ignored. Choices that come from the
application (channels, departments) are bound per request: ``schema.bind(request=request)``.
"""
from __future__ import annotations

from datetime import UTC

import colander
from sqlalchemy import select

from core.forms import Digits, Mobile, NormalizedString, mobile_validator, national_code_validator
from core.i18n import _
from core.models import Department
from core.normalize import to_latin_digits
from core.plugins import flatten
from core.schemas import max_length
from plugins.tickets.lifecycle import ACTIONS, ResolutionCode
from plugins.tickets.models import Level, PendingReason, Ticket, TicketTag, TicketType

# Set only by agents: a requester's own ticket always comes through the API, as themselves.
STAFF_ONLY_FIELDS = ("channel", "contact_time", "requester", "impact", "urgency")
TICKET_TYPES = [t.value for t in TicketType]
LEVELS = [level.value for level in Level]
MAX_TEXT = 20000  # a description or a message; longer is a paste accident or an attack
MAX_TAGS = 20
MAX_REASON = 2000
MAX_ID = 2**31 - 1  # ids are INTEGER columns: a larger number names no row (and SQLite cannot even bind it)


class AwareDateTime(colander.DateTime):
    """An ISO 8601 date and time with its offset (``2026-01-05T10:30:00+03:30``), in UTC.

    A time without an offset is refused: guessing Tehran or UTC would move an SLA by hours.
    """

    def __init__(self):
        super().__init__(default_tzinfo=None)

    def deserialize(self, node, cstruct):
        if isinstance(cstruct, str):
            cstruct = to_latin_digits(cstruct.strip())
        value = super().deserialize(node, cstruct)
        if value is colander.null:
            return value
        if value.tzinfo is None:
            raise colander.Invalid(node, _("Give the time with its offset, for example 2026-01-05T10:30:00+03:30."))
        return value.astimezone(UTC)


def text_length(limit: int) -> colander.Length:
    return colander.Length(max=limit, max_err=_("At most ${max} characters."))


def one_of(values) -> colander.OneOf:
    return colander.OneOf(list(values))


def row_id(message) -> colander.Range:
    """An id that may name a row; ``message`` says that it names none."""
    return colander.Range(min=1, max=MAX_ID, min_err=message, max_err=message)


@colander.deferred
def channel_validator(node, kw):
    hook = kw["request"].registry.pluginmanager.hook
    return one_of(channel.name for channel in flatten(hook.pishkhan_ticket_channels()))


@colander.deferred
def department_validator(node, kw):
    ids = set(kw["request"].dbsession.scalars(select(Department.id).where(Department.is_active.is_(True))))

    def validator(child, value):
        if value not in ids:
            raise colander.Invalid(child, _("Unknown department."))

    return validator


class Tags(colander.SequenceSchema):
    tag = colander.SchemaNode(NormalizedString(), validator=max_length(TicketTag.__table__.c.tag))
    validator = colander.Length(max=MAX_TAGS, max_err=_("At most ${max} tags."))


class RequesterSchema(colander.MappingSchema):
    """Who asked: an account (``user_id``) or a guest with a name and a mobile and/or e-mail."""

    user_id = colander.SchemaNode(colander.Integer(), missing=None, validator=row_id(_("Unknown user.")),
                                  description="An account's id.")
    name = colander.SchemaNode(NormalizedString(), missing=None, validator=max_length(Ticket.__table__.c.guest_name))
    mobile = colander.SchemaNode(Mobile(), missing=None, validator=mobile_validator,
                                 description="An Iranian mobile number; Persian digits are fine.")
    email = colander.SchemaNode(
        NormalizedString(), missing=None,
        validator=colander.All(max_length(Ticket.__table__.c.guest_email),
                               colander.Email(msg=_("Enter an email address like name@example.com."))),
    )
    national_code = colander.SchemaNode(Digits(), missing=None, validator=national_code_validator)

    def validator(self, node, value):
        if value["user_id"] is not None:
            return
        error = colander.Invalid(node)
        if not value["name"]:
            error["name"] = _("Give the requester's name.")
        if not (value["mobile"] or value["email"]):
            error["mobile"] = _("Give a mobile number or an e-mail address to follow the request.")
        if error.children:
            raise error


class NewTicketSchema(colander.MappingSchema):
    subject = colander.SchemaNode(NormalizedString(), validator=max_length(Ticket.__table__.c.subject))
    description = colander.SchemaNode(NormalizedString(multiline=True), missing="", validator=text_length(MAX_TEXT))
    type = colander.SchemaNode(colander.String(), missing=TicketType.incident.value, validator=one_of(TICKET_TYPES))
    department_id = colander.SchemaNode(colander.Integer(), validator=department_validator)
    service_key = colander.SchemaNode(colander.String(), missing=None,
                                      validator=max_length(Ticket.__table__.c.service_key),
                                      description="The key of one of the department's services, e.g. category:3.")
    tags = Tags(missing=())
    channel = colander.SchemaNode(colander.String(), missing=None, validator=channel_validator,
                                  description="Agents only: how the contact came (default api).")
    contact_time = colander.SchemaNode(AwareDateTime(), missing=None,
                                       description="Agents only: when the contact happened (default now); "
                                                   "with its offset, never in the future.")
    impact = colander.SchemaNode(colander.String(), missing=Level.low.value, validator=one_of(LEVELS),
                                 description="Agents only.")
    urgency = colander.SchemaNode(colander.String(), missing=Level.low.value, validator=one_of(LEVELS),
                                  description="Agents only.")
    requester = RequesterSchema(missing=None, description="Agents only: who asked (an account or a guest).")


class TicketUpdateSchema(colander.MappingSchema):
    """Classification and text; give only what changes, with the ``version`` you read."""

    version = colander.SchemaNode(colander.Integer())
    subject = colander.SchemaNode(NormalizedString(), missing=colander.drop,
                                  validator=max_length(Ticket.__table__.c.subject))
    description = colander.SchemaNode(NormalizedString(multiline=True), missing=colander.drop,
                                      validator=text_length(MAX_TEXT))
    type = colander.SchemaNode(colander.String(), missing=colander.drop, validator=one_of(TICKET_TYPES))
    impact = colander.SchemaNode(colander.String(), missing=colander.drop, validator=one_of(LEVELS))
    urgency = colander.SchemaNode(colander.String(), missing=colander.drop, validator=one_of(LEVELS))
    service_key = colander.SchemaNode(colander.String(), missing=colander.drop,
                                      validator=max_length(Ticket.__table__.c.service_key))
    tags = Tags(missing=colander.drop)


class CommentSchema(colander.MappingSchema):
    body = colander.SchemaNode(NormalizedString(multiline=True), validator=text_length(MAX_TEXT))
    internal = colander.SchemaNode(colander.Boolean(), missing=False,
                                   description="Agents only: an internal note the requester never sees.")


class TransitionSchema(colander.MappingSchema):
    action = colander.SchemaNode(colander.String(), validator=one_of(ACTIONS))
    version = colander.SchemaNode(colander.Integer())
    reason = colander.SchemaNode(colander.String(), missing=None, validator=one_of(r.value for r in PendingReason),
                                 description="Required by pend.")
    resolution_code = colander.SchemaNode(colander.String(), missing=None,
                                          validator=one_of(c.value for c in ResolutionCode),
                                          description="Required by resolve.")
    note = colander.SchemaNode(NormalizedString(multiline=True), missing=None, validator=text_length(MAX_TEXT),
                               description="Required by resolve; optional for reopen.")


class AssignmentSchema(colander.MappingSchema):
    """Either ``assignee_id`` (an agent, or null to put the ticket back in its team's queue) or
    ``team_id`` with a ``reason`` (functional escalation)."""

    version = colander.SchemaNode(colander.Integer())
    assignee_id = colander.SchemaNode(colander.Integer(), missing=None, validator=row_id(_("Unknown agent.")))
    team_id = colander.SchemaNode(colander.Integer(), missing=None, validator=row_id(_("Unknown team.")))
    reason = colander.SchemaNode(NormalizedString(multiline=True), missing=None, validator=text_length(MAX_REASON),
                                 description="Required with team_id.")


def unknown_keys(node: colander.SchemaNode, data, prefix: str = "") -> list[str]:
    """The keys of ``data`` (and of its nested objects) that ``node`` does not know, dotted."""
    if not isinstance(data, dict) or not isinstance(node.typ, colander.Mapping):
        return []
    known = {child.name: child for child in node.children}
    found = []
    for key, value in data.items():
        if key not in known:
            found.append(prefix + str(key))
        else:
            found += unknown_keys(known[key], value, f"{prefix}{key}.")
    return found
