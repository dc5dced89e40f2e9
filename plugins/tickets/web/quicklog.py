"""The front-desk quick-log (``/desk/contact``): a walk-in or a call logged in seconds.

One screen, in the order of the conversation: channel and contact time, the person (searched by
national code, mobile or name, or entered as a new guest), the service and the problem, then
either *resolve on the spot* (the ticket is opened and resolved on first contact, at the desk's
tier, through the contact's channel) or *hand off* to a team. Everything is in one transaction:
a refusal saves nothing and shows the form again as typed (HTTP 400). It works as a plain form
post; ``static/quicklog.js`` adds the live search, arrow keys and the Alt+S / Alt+H shortcuts.

Decision — departments: the front desk of the shared service center takes contacts for every
department, so an agent may log a ticket for ANY active department (defaulting to the department
of their front-desk team), and hand it to any team of that department (the team must belong to
the ticket's department: people see tickets by department, so a team of another department
would never see it). The agent stays the assignee of a ticket they resolve on the spot only when
they may work on that department. New people become guest requesters on the ticket; no login
account is created.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import colander
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config
from sqlalchemy import select

from core.forms import Digits, JalaliDate, Mobile, NormalizedString, mobile_validator, national_code_validator
from core.i18n import TEHRAN, _, to_tehran
from core.models import Department, Team, TeamMember, User
from core.normalize import to_latin_digits
from core.plugins import flatten
from core.schemas import department_choices, department_tree
from plugins.tickets import labels, people, request_forms
from plugins.tickets.access import may_work, may_work_on
from plugins.tickets.desk import DeskError, NewTicket, TicketDesk
from plugins.tickets.lifecycle import ResolutionCode
from plugins.tickets.models import Level, Ticket, TicketType
from plugins.tickets.priority import parse_matrix, priority_for
from plugins.tickets.request_forms import FormRefused, RequestForm, SubmittedForm

TEMPLATE = "plugins.tickets:templates/quicklog/contact.jinja2"
SESSION_KEY = "tickets.quicklog.logged"
DEFAULT_CHANNEL = "phone"
# Channels a person at the desk reports; "api" is for machines and "portal" for requesters.
NOT_LOGGED_BY_HAND = {"api", "portal"}
MINUTES_AGO = (0, 5, 10, 15, 20, 30, 45, 60, 90, 120)
# A typo in the year must not open a ticket whose SLA broke months ago.
MAX_BACKLOG = timedelta(days=30)
RESOLUTION_CODES = [code.value for code in ResolutionCode if code is not ResolutionCode.duplicate]
ACTIONS = ("resolve", "handoff")
CHOOSE = _("Choose one of the listed options.")
_CLOCK = re.compile(r"\s*(\d{1,2})\s*[:.٫]\s*(\d{2})\s*")


class ClockTime(colander.SchemaType):
    """A time of day typed as ``14:30`` (Persian, Arabic or Latin digits)."""

    def serialize(self, node, appstruct):
        return colander.null if appstruct in (colander.null, None) else appstruct.strftime("%H:%M")

    def deserialize(self, node, cstruct):
        if cstruct in (colander.null, None, ""):
            return colander.null
        match = _CLOCK.fullmatch(to_latin_digits(str(cstruct)))
        if match is None or int(match[1]) > 23 or int(match[2]) > 59:
            raise colander.Invalid(node, _("Enter the time as hours:minutes, for example 14:30."))
        return time(int(match[1]), int(match[2]))


def _one_of(choices) -> colander.OneOf:
    return colander.OneOf(list(choices), msg_err=CHOOSE)


def _max_length(column) -> colander.Length:
    return colander.Length(max=column.type.length, max_err=_("At most ${max} characters."))


class QuickLogSchema(colander.MappingSchema):
    """What the desk posts; the choices that depend on the database are set by ``bind``."""

    channel = colander.SchemaNode(colander.String())
    minutes_ago = colander.SchemaNode(colander.Integer(), missing=0, validator=_one_of(MINUTES_AGO))
    contact_date = colander.SchemaNode(JalaliDate(), missing=None)
    contact_time = colander.SchemaNode(ClockTime(), missing=None)
    requester = colander.SchemaNode(colander.String(), missing="")
    guest_name = colander.SchemaNode(NormalizedString(), missing=None, validator=_max_length(Ticket.guest_name))
    guest_mobile = colander.SchemaNode(Mobile(), missing=None, validator=mobile_validator)
    guest_national_code = colander.SchemaNode(Digits(), missing=None, validator=national_code_validator)
    guest_email = colander.SchemaNode(
        NormalizedString(), missing=None,
        validator=colander.All(_max_length(Ticket.guest_email),
                               colander.Email(msg=_("Enter an email address like name@example.com."))),
    )
    department_id = colander.SchemaNode(colander.Integer(), missing_msg=_("Choose the department."))
    service_key = colander.SchemaNode(colander.String(), missing=None)
    type = colander.SchemaNode(colander.String(), validator=_one_of(labels.TYPE))
    impact = colander.SchemaNode(colander.String(), validator=_one_of(labels.LEVEL))
    urgency = colander.SchemaNode(colander.String(), validator=_one_of(labels.LEVEL))
    subject = colander.SchemaNode(NormalizedString(), validator=_max_length(Ticket.subject),
                                  missing_msg=_("Write what the request is about."))
    description = colander.SchemaNode(NormalizedString(multiline=True), missing="")
    resolution_code = colander.SchemaNode(colander.String(), missing=None, validator=_one_of(RESOLUTION_CODES))
    resolution_note = colander.SchemaNode(NormalizedString(multiline=True), missing="")
    team_id = colander.SchemaNode(colander.Integer(), missing=None)
    assignee_id = colander.SchemaNode(colander.Integer(), missing=None)

    def after_bind(self, node, kw):
        node["channel"].validator = _one_of(kw["channels"])
        node["department_id"].validator = _one_of(kw["departments"])


# --- views ------------------------------------------------------------------------------------

@view_config(route_name="tickets.quicklog", request_method="GET", renderer=TEMPLATE, permission="workspace")
def contact_form(request: Request) -> dict:
    """The empty form, with the banner of the contact just logged (kept in the session, so a
    reload shows the clean form and no one reads another agent's codes from a URL)."""
    logged = request.session.pop(SESSION_KEY, None) if SESSION_KEY in request.session else None
    ticket = None
    if logged:
        ticket = request.dbsession.get(Ticket, logged["ticket"])
        if ticket is not None and ticket.created_by_id != request.user.id:
            ticket = None
    values = {"channel": logged["channel"] if logged else DEFAULT_CHANNEL}
    return form_page(request, values, logged=ticket)


@view_config(route_name="tickets.quicklog", request_method="POST", renderer=TEMPLATE, permission="workspace")
def contact_post(request: Request) -> dict | Response:
    """Save the contact (``action`` resolve or handoff); any other button only shows the form
    again with the search results and the chosen department's lists (the no-JavaScript path)."""
    values = {name: value for name, value in request.POST.items() if name != "csrf_token"}
    action = values.get("action")
    if action not in ACTIONS:
        return form_page(request, values, service_form=request_form(request, values))
    service_form = request_form(request, values)
    errors, submitted = {}, None
    try:
        appstruct = bound_schema(request).deserialize(form_cstruct(values))
    except colander.Invalid as invalid:
        errors = invalid.asdict(translate=request.localizer.translate)
    if service_form is not None:
        try:
            submitted = service_form.validate()
        except FormRefused:
            errors["request_form"] = request_forms.refusal(request, service_form.schema)
    if errors:
        return refused(request, values, errors, service_form)
    try:
        with request.dbsession.begin_nested():
            ticket = log_contact(request, appstruct, action, submitted)
    except DeskError as error:
        return refused(request, values, {error_field(error): request.localizer.translate(error.message)}, service_form)
    request.session[SESSION_KEY] = {"ticket": ticket.id, "channel": ticket.channel}
    return HTTPSeeOther(location=request.route_url("tickets.quicklog"))


@view_config(route_name="tickets.quicklog", request_method="GET", request_param="part=department",
             renderer="plugins.tickets:templates/quicklog/_department.jinja2", permission="workspace")
def department_part(request: Request) -> dict:
    """The service, team and assignee lists of another department (htmx swaps them in)."""
    values = {"department_id": request.GET.get("department_id", "")}
    return {"values": values, "errors": {}, "swap": True, "service_form_html": "",
            **department_lists(request, chosen_department(request, values))}


@view_config(route_name="tickets.quicklog", request_method="GET", request_param="part=service",
             renderer="plugins.tickets:templates/quicklog/_service_form.jinja2", permission="workspace")
def service_part(request: Request) -> dict:
    """The chosen service's own form (htmx swaps it in)."""
    service_form = request_form(request, dict(request.GET))
    return {"errors": {}, "service_form_html": service_form.html() if service_form is not None else ""}


@view_config(route_name="tickets.quicklog.people", renderer="plugins.tickets:templates/quicklog/_people.jinja2",
             permission="workspace")
def people_part(request: Request) -> dict:
    query = request.GET.get("q", "")
    return {"query": query, "people": people.search(request.dbsession, query), "selected": ""}


# --- saving -----------------------------------------------------------------------------------

def log_contact(request: Request, appstruct: dict, action: str, form: SubmittedForm | None = None) -> Ticket:
    """Open the ticket, then resolve it on the spot or hand it to a team; raises ``DeskError``."""
    dbsession = request.dbsession
    desk = TicketDesk.for_request(request, channel=appstruct["channel"])
    department_id = appstruct["department_id"]
    check_service(request, department_id, appstruct["service_key"])
    data = NewTicket(
        subject=appstruct["subject"],
        description=appstruct["description"],
        department_id=department_id,
        service_key=appstruct["service_key"],
        type=appstruct["type"],
        impact=appstruct["impact"],
        urgency=appstruct["urgency"],
        channel=appstruct["channel"],
        contact_at=contact_moment(appstruct, desk.now),
        form=form,
        **requester_fields(dbsession, appstruct),
    )
    if action == "resolve":
        data.team_id = own_team(request.user, department_id)
        if may_work(dbsession, request.registry.pluginmanager.hook, request.user, department_id):
            data.assignee_id = request.user.id
        ticket = desk.open(data)
        desk.resolve_on_first_contact(ticket, resolution_code=appstruct["resolution_code"],
                                      note=appstruct["resolution_note"])
        return ticket
    data.team_id = chosen_team(dbsession, department_id, appstruct["team_id"])
    ticket = desk.open(data)
    if appstruct["assignee_id"] is not None:
        desk.assign(ticket, assignee_id=appstruct["assignee_id"])
    return ticket


def contact_moment(appstruct: dict, now: datetime) -> datetime:
    """When the contact happened: the date and time typed (Tehran time), else minutes ago.

    A time typed without a date is today's, or yesterday's when today's is still to come and
    yesterday's was less than half a day ago (23:50, typed at 00:10). The future is refused by
    the desk (with the clock-skew margin it allows).
    """
    day, clock = appstruct["contact_date"], appstruct["contact_time"]
    if clock is None and day is not None:
        raise DeskError("contact_time_required", _("Enter the time of the contact as well as its date."),
                        "contact_at")
    if clock is not None:
        local = datetime.combine(day or to_tehran(now).date(), clock, tzinfo=TEHRAN)
        moment = local.astimezone(UTC)
        if day is None and moment > now and now - (moment - timedelta(days=1)) < timedelta(hours=12):
            moment -= timedelta(days=1)
    else:
        moment = now - timedelta(minutes=appstruct["minutes_ago"])
    if moment < now - MAX_BACKLOG:
        raise DeskError("contact_too_old", _("A contact can be logged at most 30 days after it happened."),
                        "contact_at")
    return moment


def requester_fields(dbsession, appstruct: dict) -> dict:
    """The picked account or earlier guest, or the new guest typed in; never a new account."""
    key = appstruct["requester"]
    if key and key != "new":
        person = people.find(dbsession, key)
        if person is None:
            raise DeskError("unknown_requester", _("This person could not be found any more; search again."),
                            "requester")
        if person.is_user:
            return {"requester_id": int(key.split(":")[1])}
        return guest(person.name, person.mobile, person.email, person.national_code)
    if not appstruct["guest_name"]:
        raise DeskError("requester_required", _("Pick the person from the search results, or enter a new "
                                                "person's name and mobile."), "guest_name")
    return guest(appstruct["guest_name"], appstruct["guest_mobile"], appstruct["guest_email"],
                 appstruct["guest_national_code"])


def guest(name, mobile, email, national_code) -> dict:
    return {"guest_name": name, "guest_mobile": mobile, "guest_email": email, "guest_national_code": national_code}


def check_service(request: Request, department_id: int, service_key: str | None) -> None:
    """A department that offers services needs one chosen (the desk checks it is theirs)."""
    if service_key is None and services_of(request, department_id):
        raise DeskError("service_required", _("Choose the service."), "service_key")


def chosen_team(dbsession, department_id: int, team_id: int | None) -> int | None:
    """The team to hand off to (one of the ticket's department), or ``None`` for the routing."""
    if team_id is None:
        return None
    team = dbsession.get(Team, team_id)
    if team is None or team.department_id != department_id:
        raise DeskError("invalid_team", _("Choose one of this department's teams, or the default routing."),
                        "team_id")
    return team.id


def own_team(user: User, department_id: int) -> int | None:
    """The agent's own team in the department (lowest tier): the tier that resolved the contact.
    ``None`` lets the routing choose (the agent answers for another department)."""
    teams = sorted((team for team in user.teams if team.department_id == department_id), key=lambda t: (t.tier, t.id))
    return teams[0].id if teams else None


def error_field(error: DeskError) -> str:
    """The form field beside which a desk refusal is shown."""
    return {"note": "resolution_note", None: "form"}.get(error.field, error.field)


def refused(request: Request, values: dict, errors: dict, service_form: RequestForm | None = None) -> dict:
    request.response.status_int = 400
    return form_page(request, values, errors=errors, service_form=service_form)


def request_form(request: Request, values: dict) -> RequestForm | None:
    """The chosen service's own form, if it has one (the contact's answers fill it in)."""
    department_id = chosen_department(request, values)
    key = str(values.get("service_key", ""))
    service = next((service for service in services_of(request, department_id) if service.key == key), None) \
        if department_id is not None and key else None
    schema = request_forms.schema_for(request, service.key) if service is not None else None
    return RequestForm(request, schema, service.title) if schema is not None else None


# --- the page ---------------------------------------------------------------------------------

def bound_schema(request: Request) -> QuickLogSchema:
    return QuickLogSchema().bind(request=request, channels=[c.name for c in staff_channels(request)],
                                 departments=[d.id for d, _depth in active_departments(request)])


def form_cstruct(values: dict) -> dict:
    """The posted strings the schema reads: a picked person makes the new-person fields moot."""
    cstruct = dict(values)
    if cstruct.get("requester") not in (None, "", "new"):
        for name in ("guest_name", "guest_mobile", "guest_national_code", "guest_email"):
            cstruct.pop(name, None)
    return cstruct


def form_page(request: Request, values: dict, errors: dict | None = None, logged: Ticket | None = None,
              service_form: RequestForm | None = None) -> dict:
    """Everything the template needs; ``values`` are the strings as typed, kept on refusal."""
    values = {**default_values(request), **values}
    department_id = chosen_department(request, values)
    values["department_id"] = str(department_id) if department_id else ""
    query = values.get("q", "")
    found = people.search(request.dbsession, query)
    picked = people.find(request.dbsession, values.get("requester"))
    if picked is not None and picked.key not in {person.key for person in found}:
        found.insert(0, picked)
    return {
        "values": values,
        "errors": errors or {},
        "logged": logged,
        "logged_visible": logged is not None and may_work_on(request, logged),
        "channels": staff_channels(request),
        "minutes_ago": MINUTES_AGO,
        "departments": department_choices(active_departments(request)),
        "query": query,
        "people": found,
        "selected": values.get("requester", ""),
        "resolution_codes": RESOLUTION_CODES,
        "priorities": priority_labels(request),
        "priority": priority_for(values["impact"], values["urgency"], matrix(request)),
        "swap": False,
        "service_form_html": service_form.html() if service_form is not None else "",
        **department_lists(request, department_id),
    }


def default_values(request: Request) -> dict:
    return {
        "channel": DEFAULT_CHANNEL,
        "minutes_ago": "0",
        "type": TicketType.incident.value,
        "impact": Level.low.value,
        "urgency": Level.low.value,
        "resolution_code": ResolutionCode.solved.value,
        "department_id": str(home_department(request.user) or ""),
    }


def home_department(user: User) -> int | None:
    """The department whose contacts the agent usually takes: their front-desk (lowest-tier)
    team's, else their own (a shared-service desk agent sits in the SSC but staffs IT's desk)."""
    teams = sorted(user.teams, key=lambda team: (team.tier, team.id))
    return teams[0].department_id if teams else user.department_id


def chosen_department(request: Request, values: dict) -> int | None:
    text = str(values.get("department_id", ""))
    ids = [department.id for department, _depth in active_departments(request)]
    if text.isdecimal() and len(text) <= 18 and int(text) in ids:
        return int(text)
    home = home_department(request.user)
    return home if home in ids else (ids[0] if ids else None)


def active_departments(request: Request) -> list[tuple[Department, int]]:
    """Every active department in tree order (computed once per request)."""
    cache = request.environ.setdefault("tickets.quicklog.departments", [])
    if not cache:
        cache.extend((department, depth) for department, depth in department_tree(request.dbsession)
                     if department.is_active)
    return cache


def department_lists(request: Request, department_id: int | None) -> dict:
    """The chosen department's services, teams and the members of those teams."""
    if department_id is None:
        return {"services": [], "teams": [], "assignees": []}
    teams = request.dbsession.scalars(
        select(Team).where(Team.department_id == department_id).order_by(Team.tier, Team.name)
    ).all()
    assignees = request.dbsession.execute(
        select(TeamMember.team_id, User.id, User.full_name)
        .join(User, User.id == TeamMember.user_id)
        .join(Team, Team.id == TeamMember.team_id)
        .where(Team.department_id == department_id, User.is_active.is_(True))
        .order_by(Team.tier, Team.name, User.full_name)
    ).all()
    return {"services": services_of(request, department_id), "teams": teams, "assignees": assignees}


def services_of(request: Request, department_id: int) -> list:
    hook = request.registry.pluginmanager.hook
    return flatten(hook.pishkhan_ticket_services(dbsession=request.dbsession, department_id=department_id))


def staff_channels(request: Request) -> list:
    """Walk-in and phone first, then the other channels a person reports at the desk."""
    channels = flatten(request.registry.pluginmanager.hook.pishkhan_ticket_channels())
    usable = [channel for channel in channels if channel.staff_only and channel.name not in NOT_LOGGED_BY_HAND]
    first = {"walk_in": 0, "phone": 1}
    return sorted(usable, key=lambda channel: first.get(channel.name, 2))


def matrix(request: Request):
    return parse_matrix(request.registry.settings["tickets.priority_matrix"])


def priority_labels(request: Request) -> dict[str, dict]:
    """``"impact/urgency"`` → the translated priority and its colour, for the live preview."""
    translate = request.localizer.translate
    table = matrix(request)
    cells = {}
    for impact in labels.LEVEL:
        for urgency in labels.LEVEL:
            priority = priority_for(impact, urgency, table)
            cells[f"{impact}/{urgency}"] = {"label": translate(labels.PRIORITY[priority]),
                                            "color": labels.PRIORITY_COLOR[priority]}
    return cells

