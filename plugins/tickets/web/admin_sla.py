"""SLA administration: business calendars (weekly hours in versions, holidays), declared
closures and SLA policies. Administrators only.

Each page may hold several forms; a post names its form (deform's ``__formid__``) or an
``action`` of a small button form (remove, lift). A valid post changes things through
``plugins.tickets.sla.manage`` in a savepoint, flashes what happened (how many due dates moved)
and redirects; a refused one shows the page again with what was typed and the message beside
the field (400).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import colander
import deform
import jdatetime
from markupsafe import Markup
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from translationstring import TranslationString

from core.db import utcnow
from core.forms import Digits, JalaliDate, JalaliDateWidget, NormalizedString, csrf_form, render_form, validate_form
from core.i18n import TEHRAN, _, list_separator, to_tehran
from core.models import Department, User
from core.normalize import to_latin_digits, to_persian_digits
from core.plugins import flatten
from core.schemas import CHOOSE_FROM_LIST, department_choices, department_tree, max_length, text_widget
from core.views.admin import MAX_ID, FieldError, get_or_404, show_field_error
from plugins.tickets.models import Calendar, Closure, Holiday, SlaPolicy
from plugins.tickets.sla import manage
from plugins.tickets.sla.ticket_clocks import parse_duration

WEEKDAY = {
    manage.SATURDAY: _("Saturday"), manage.SUNDAY: _("Sunday"), manage.MONDAY: _("Monday"),
    manage.TUESDAY: _("Tuesday"), manage.WEDNESDAY: _("Wednesday"), manage.THURSDAY: _("Thursday"),
    manage.FRIDAY: _("Friday"),
}
PRIORITIES = {1: _("P1 · critical"), 2: _("P2 · high"), 3: _("P3 · normal"), 4: _("P4 · low")}
ALL_DEPARTMENTS = _("All departments")
CLOSURE_ROWS = 100
SAVE = (deform.Button("save", _("Save")),)


# --- shared plumbing ------------------------------------------------------------------------------

def jalali_today(request: Request) -> jdatetime.date:
    return jdatetime.date.fromgregorian(date=to_tehran(utcnow()).date())


def digits(request: Request, text) -> str:
    return to_persian_digits(str(text)) if request.locale_name == "fa" else str(text)


def handle_post(request: Request, forms: dict[str, deform.Form], handlers: dict[str, Callable],
                field_names: dict[str, str] | None = None) -> tuple[dict[str, Markup], object, Response | None]:
    """Render every form; on a post, run the named form's (or action's) handler in a savepoint.

    Returns ``(form_html, page_error, redirect)``: a successful handler returns the flash
    message and the page anchor to go back to.
    """
    html = {formid: render_form(form) for formid, form in forms.items()}
    if request.method != "POST":
        return html, None, None
    formid = request.POST.get("__formid__") or request.POST.get("action", "")
    if formid not in handlers:
        request.response.status_int = 400
        return html, CHOOSE_FROM_LIST, None
    form = forms.get(formid)
    values = None
    if form is not None:
        values, failed = validate_form(form, request)
        if values is None:
            html[formid] = failed
            request.response.status_int = 400
            return html, None, None
    try:
        with request.dbsession.begin_nested():
            message, anchor = handlers[formid](values)
    except manage.CalendarError as error:
        manage.forget_calendars()
        request.response.status_int = 400
        message = numbers_localized(request, error.message)
        field = (field_names or {}).get(error.field, error.field)
        if form is not None and field is not None and field in form.schema:
            html[formid] = show_field_error(form, FieldError(field, message))
            return html, None, None
        return html, message, None
    request.session.flash(message if isinstance(message, str) and not hasattr(message, "domain")
                          else request.localizer.translate(message))
    return html, None, HTTPSeeOther(location=request.path_url + (f"#{anchor}" if anchor else ""))


def numbers_localized(request: Request, message: TranslationString) -> TranslationString:
    """The message with the numbers of its mapping in the reader's digits (years, limits)."""
    if not message.mapping:
        return message
    mapping = {key: digits(request, value) if isinstance(value, int) else value
               for key, value in message.mapping.items()}
    return TranslationString(message, mapping=mapping)


def posted_id(request: Request) -> int:
    text = request.POST.get("id", "")
    return int(text) if text.isdecimal() and len(text) <= 18 and int(text) <= MAX_ID else 0


def moved_message(request: Request, moved: int):
    return _("Due dates of ${count} open tickets moved.", mapping={"count": digits(request, moved)})


def joined(request: Request, *messages) -> str:
    return " ".join(request.localizer.translate(message) for message in messages)


# --- colander pieces ------------------------------------------------------------------------------

def hours_validator(node, value):
    try:
        manage.parse_day(value)
    except manage.CalendarError as error:
        raise colander.Invalid(node, error.message) from None


def clock_time_validator(node, value):
    if parse_clock_time(value) is None:
        raise colander.Invalid(node, _("Write a time like 08:00 or 13:30."))


def parse_clock_time(text: str) -> time | None:
    parts = to_latin_digits(text or "").strip().split(":")
    if not 1 <= len(parts) <= 2 or not all(part.isdigit() and len(part) <= 2 for part in parts):
        return None
    try:
        return time(int(parts[0]), int(parts[1]) if len(parts) == 2 else 0)
    except ValueError:
        return None


def jalali_date_node(title, **kw) -> colander.SchemaNode:
    return colander.SchemaNode(JalaliDate(), title=title, widget=JalaliDateWidget(), **kw)


def number_node(title, **kw) -> colander.SchemaNode:
    return colander.SchemaNode(Digits(), title=title, validator=colander.Regex(
        r"^\d{1,7}$", msg=_("Write a whole number.")), widget=text_widget(dir="ltr", inputmode="numeric"), **kw)


class HoursSchema(colander.Schema):
    """Weekly hours from a date: one text per weekday, several intervals separated by commas."""

    valid_from = jalali_date_node(_("Valid from"))

    def after_bind(self, node, kw):
        for weekday in manage.WEEK:
            node.add(colander.SchemaNode(
                NormalizedString(), name=f"day{weekday}", title=WEEKDAY[weekday], missing="",
                validator=hours_validator, description=_("For example 08:00-12:00, 13:00-16:00; empty when closed."),
                widget=text_widget(dir="ltr", autocomplete="off")))


class HolidaySchema(colander.Schema):
    day = jalali_date_node(_("Day"))
    name = colander.SchemaNode(NormalizedString(), title=_("Name"), validator=max_length(Holiday.__table__.c.name),
                               widget=text_widget(dir="auto"))


class OfficialHolidaysSchema(colander.Schema):
    year = number_node(_("Jalali year"), description=_("Iran's official holidays of that year are added, "
                                                       "from 1 Farvardin to the end of Esfand."))


class NewCalendarSchema(colander.Schema):
    department = colander.SchemaNode(colander.Integer(), title=_("Department"))
    name = colander.SchemaNode(NormalizedString(), title=_("Name"), missing="",
                               validator=max_length(Calendar.__table__.c.name), widget=text_widget(dir="auto"),
                               description=_("Empty: the department's name."))

    def after_bind(self, node, kw):
        dbsession = kw["request"].dbsession
        taken = set(dbsession.scalars(select(Calendar.department_id).where(Calendar.department_id.is_not(None))))
        tree = [(department, depth) for department, depth in department_tree(dbsession) if department.id not in taken]
        node["department"].widget = deform.widget.SelectWidget(values=department_choices(tree))
        node["department"].validator = colander.OneOf([department.id for department, _depth in tree],
                                                      msg_err=CHOOSE_FROM_LIST)


class ClosureSchema(colander.Schema):
    """From a day and time to a day and time, Tehran time; empty times mean the whole days."""

    scope = colander.SchemaNode(colander.String(), title=_("Calendars closed"))
    starts_on = jalali_date_node(_("From day"))
    starts_time = colander.SchemaNode(colander.String(), title=_("From time"), missing="",
                                      validator=clock_time_validator,
                                      description=_("Empty: from the start of the day."))
    ends_on = jalali_date_node(_("To day"))
    ends_time = colander.SchemaNode(colander.String(), title=_("To time"), missing="",
                                    validator=clock_time_validator, description=_("Empty: to the end of the day."))
    reason = colander.SchemaNode(NormalizedString(), title=_("Reason"),
                                 validator=max_length(Closure.__table__.c.reason),
                                 widget=text_widget(dir="auto", placeholder=_("For example: heat, power cut")))

    def after_bind(self, node, kw):
        for name, example in (("starts_time", "00:00"), ("ends_time", "16:00")):
            node[name].widget = text_widget(dir="ltr", placeholder=digits(kw["request"], example))
        calendars = kw["request"].dbsession.execute(select(Calendar.id, Calendar.name).order_by(Calendar.id)).all()
        choices = [("", _("Every calendar"))] + [(str(calendar_id), name) for calendar_id, name in calendars]
        node["scope"].missing = ""
        node["scope"].widget = deform.widget.SelectWidget(values=choices)
        node["scope"].validator = colander.OneOf([value for value, _label in choices], msg_err=CHOOSE_FROM_LIST)


class PolicySchema(colander.Schema):
    scope = colander.SchemaNode(colander.String(), title=_("Applies to"), missing="")
    priority = colander.SchemaNode(colander.Integer(), title=_("Priority"), validator=colander.OneOf(
        list(PRIORITIES), msg_err=CHOOSE_FROM_LIST), widget=deform.widget.SelectWidget(
        values=[(str(priority), label) for priority, label in PRIORITIES.items()]))
    response_minutes = number_node(_("Response target (business minutes)"))
    resolution_minutes = number_node(_("Resolution target (business minutes)"))

    def after_bind(self, node, kw):
        choices = policy_scopes(kw["request"])
        node["scope"].widget = deform.widget.SelectWidget(values=choices)
        node["scope"].validator = colander.OneOf([value for value, _label in choices], msg_err=CHOOSE_FROM_LIST)


def services_by_department(request: Request) -> dict[int, list]:
    services: dict[int, list] = {}
    hook = request.registry.pluginmanager.hook
    for service in flatten(hook.pishkhan_ticket_services(dbsession=request.dbsession, department_id=None)):
        services.setdefault(service.department_id, []).append(service)
    return services


def policy_scopes(request: Request) -> list[tuple[str, str]]:
    """``""`` (everyone), ``d:<department>`` and ``s:<department>:<service key>``, as a tree."""
    services = services_by_department(request)
    choices = [("", ALL_DEPARTMENTS)]
    for department, depth in department_tree(request.dbsession):
        choices.append((f"d:{department.id}", "\u00a0\u00a0" * depth + department.name))
        choices += [(f"s:{department.id}:{service.key}", "\u00a0\u00a0" * (depth + 1) + "› " + service.title)
                    for service in services.get(department.id, ())]
    return choices


def scope_of(value: str) -> tuple[int | None, str | None]:
    if value.startswith("s:"):
        department, key = value[2:].split(":", 1)
        return int(department), key
    return (int(value[2:]), None) if value.startswith("d:") else (None, None)


def form(request: Request, schema: colander.Schema, formid: str, anchor: str, buttons=SAVE) -> deform.Form:
    return csrf_form(schema, request, buttons=buttons, formid=formid, action=f"{request.path_url}#{anchor}")


# --- calendars ------------------------------------------------------------------------------------

@view_config(route_name="tickets.admin.calendars", renderer="plugins.tickets:templates/admin/calendars.jinja2",
             permission="admin")
def calendars(request: Request) -> dict | Response:
    dbsession = request.dbsession
    new_form = form(request, NewCalendarSchema(), "new-calendar", "new-calendar")
    created: list[Calendar] = []

    def create(values):
        calendar = manage.create_department_calendar(dbsession, values["department"], values["name"],
                                                     to_tehran(utcnow()).date())
        created.append(calendar)
        return _("The calendar ${name} was created from the one the department followed.",
                 mapping={"name": calendar.name}), None

    html, error, done = handle_post(request, {"new-calendar": new_form}, {"new-calendar": create})
    if done is not None:
        return HTTPSeeOther(location=request.route_url("tickets.admin.calendar", id=created[0].id))
    rows = dbsession.execute(
        select(Calendar, Department.name).outerjoin(Department, Department.id == Calendar.department_id)
        .options(selectinload(Calendar.versions))
        .order_by(Calendar.department_id.is_not(None), Department.name, Calendar.id)
    ).all()
    years = holiday_years(dbsession)
    next_year = jalali_today(request).year + 1
    return {"calendars": rows, "years": years, "next_year": next_year, "form_html": html, "error": error,
            "today": to_tehran(utcnow()).date(), "order": manage.WEEK, "weekday_names": WEEKDAY,
            "in_force": manage.version_in_force, "hours_of": manage.week_of,
            "hours_text": lambda intervals: hours_text(request, intervals)}


def holiday_years(dbsession) -> dict[int, dict[int, int]]:
    """Calendar → Jalali year → number of holidays (one query; Jalali years computed here)."""
    counts: dict[int, dict[int, int]] = {}
    for calendar_id, day in dbsession.execute(select(Holiday.calendar_id, Holiday.day)):
        year = jdatetime.date.fromgregorian(date=day).year
        counts.setdefault(calendar_id, {}).setdefault(year, 0)
        counts[calendar_id][year] += 1
    return counts


def hours_text(request: Request, intervals) -> str:
    """``۰۸:۰۰–۱۲:۰۰، ۱۳:۰۰–۱۶:۰۰`` in Persian; empty for a closed day."""
    separator = list_separator(request.locale_name)
    return digits(request, separator.join(f"{start:%H:%M}–{end:%H:%M}" for start, end in intervals))


@view_config(route_name="tickets.admin.calendar", renderer="plugins.tickets:templates/admin/calendar.jinja2",
             permission="admin")
def calendar_page(request: Request) -> dict | Response:
    dbsession = request.dbsession
    calendar: Calendar = get_or_404(request, Calendar)
    now = utcnow()
    today = to_tehran(now).date()
    forms = {
        "hours": form(request, HoursSchema(), "hours", "hours"),
        "holiday": form(request, HolidaySchema(), "holiday", "holidays"),
        "official": form(request, OfficialHolidaysSchema(), "official", "holidays",
                         buttons=(deform.Button("load", _("Load the official holidays")),)),
    }

    def save_hours(values):
        week = {weekday: manage.parse_day(values[f"day{weekday}"]) for weekday in manage.WEEK}
        moved = manage.save_version(dbsession, calendar, values["valid_from"], week, now)
        return joined(request, _("The working hours were saved."), moved_message(request, moved)), "hours"

    def add_holiday(values):
        moved = manage.add_holiday(dbsession, calendar, values["day"], values["name"], now)
        return joined(request, _("The holiday «${name}» was added.", mapping={"name": values["name"]}),
                      moved_message(request, moved)), "holidays"

    def load_official(values):
        year = int(values["year"])
        added, moved = manage.load_official_holidays(dbsession, calendar, year, now)
        return joined(request, _("${count} official holidays of ${year} were added.",
                                 mapping={"count": digits(request, added), "year": digits(request, year)}),
                      moved_message(request, moved)), "holidays"

    def remove_holiday(_values):
        holiday, moved = manage.remove_holiday(dbsession, calendar, posted_id(request), now)
        return joined(request, _("The holiday «${name}» was removed.", mapping={"name": holiday.name}),
                      moved_message(request, moved)), "holidays"

    def remove_version(_values):
        moved = manage.delete_version(dbsession, calendar, posted_id(request), now)
        return joined(request, _("The version was removed."), moved_message(request, moved)), "hours"

    handlers = {"hours": save_hours, "holiday": add_holiday, "official": load_official,
                "remove-holiday": remove_holiday, "remove-version": remove_version}
    if request.method != "POST":
        forms["hours"].schema["valid_from"].default = today
        current = manage.week_of(manage.version_in_force(calendar, today))
        for weekday in manage.WEEK:
            forms["hours"].schema[f"day{weekday}"].default = digits(request, manage.format_day(current[weekday]))
        forms["official"].schema["year"].default = digits(request, jalali_today(request).year + 1)
    html, error, done = handle_post(request, forms, handlers, {"hours": f"day{manage.WEEK[0]}", "year": "year"})
    if done is not None:
        return done
    closures = dbsession.scalars(
        select(Closure).where((Closure.calendar_id == calendar.id) | Closure.calendar_id.is_(None),
                              Closure.ends_at > now - timedelta(days=30))
        .order_by(Closure.starts_at)).all()
    return {"calendar": calendar, "form_html": html, "error": error, "order": manage.WEEK, "weekday_names": WEEKDAY,
            "holidays_by_year": holidays_by_year(calendar), "closures": closures,
            "hours_of": lambda version: manage.week_of(version),
            "hours_text": lambda intervals: hours_text(request, intervals),
            "in_force": manage.version_in_force(calendar, today), "this_year": jalali_today(request).year}


def holidays_by_year(calendar: Calendar) -> list[tuple[int, list[Holiday]]]:
    years: dict[int, list[Holiday]] = {}
    for holiday in calendar.holidays:  # ordered by day
        years.setdefault(jdatetime.date.fromgregorian(date=holiday.day).year, []).append(holiday)
    return sorted(years.items())


# --- closures -------------------------------------------------------------------------------------

@view_config(route_name="tickets.admin.closures", renderer="plugins.tickets:templates/admin/closures.jinja2",
             permission="admin")
def closures(request: Request) -> dict | Response:
    dbsession = request.dbsession
    now = utcnow()
    declare_form = form(request, ClosureSchema(), "closure", "declare",
                        buttons=(deform.Button("declare", _("Declare the closure")),))

    def declare(values):
        starts_at = tehran_instant(values["starts_on"], values["starts_time"], end=False)
        ends_at = tehran_instant(values["ends_on"], values["ends_time"], end=True)
        _closure, moved = manage.declare_closure(dbsession, int(values["scope"]) if values["scope"] else None,
                                                 starts_at, ends_at, values["reason"], request.user.id, now)
        return joined(request, _("The closure was declared."), moved_message(request, moved)), None

    def lift(_values):
        closure = dbsession.get(Closure, posted_id(request))
        if closure is None:
            raise manage.CalendarError(None, _("This closure does not exist any more."))
        moved = manage.lift_closure(dbsession, closure, now)
        return joined(request, _("The closure was lifted."), moved_message(request, moved)), None

    if request.method != "POST":
        today = to_tehran(now).date()
        declare_form.schema["starts_on"].default = today
        declare_form.schema["ends_on"].default = today
    html, error, done = handle_post(request, {"closure": declare_form}, {"closure": declare, "lift": lift},
                                    {"ends": "ends_on", "scope": "scope"})
    if done is not None:
        return done
    rows = dbsession.execute(
        select(Closure, Calendar.name, User.full_name)
        .outerjoin(Calendar, Calendar.id == Closure.calendar_id)
        .outerjoin(User, User.id == Closure.declared_by_id)
        .order_by(Closure.starts_at.desc()).limit(CLOSURE_ROWS)
    ).all()
    return {"rows": rows, "form_html": html, "error": error, "now": now}


def tehran_instant(day: date, clock_text: str, *, end: bool) -> datetime:
    """A Tehran day and wall-clock time as UTC; no time means the day's start (or its end)."""
    clock = parse_clock_time(clock_text) if clock_text else None
    if clock is None:
        day, clock = (day + timedelta(days=1), time(0)) if end else (day, time(0))
    return datetime.combine(day, clock, tzinfo=TEHRAN).astimezone(UTC)


# --- SLA policies ---------------------------------------------------------------------------------

@view_config(route_name="tickets.admin.sla", renderer="plugins.tickets:templates/admin/sla.jinja2",
             permission="admin")
def sla_policies(request: Request) -> dict | Response:
    dbsession = request.dbsession
    policy_form = form(request, PolicySchema(), "policy", "policy")

    def save(values):
        department_id, service_key = scope_of(values["scope"])
        manage.save_policy(dbsession, department_id=department_id, service_key=service_key,
                           priority=values["priority"], response_minutes=int(values["response_minutes"]),
                           resolution_minutes=int(values["resolution_minutes"]))
        return _("The SLA policy was saved; it applies to tickets opened from now on."), "policies"

    def remove(_values):
        policy = dbsession.get(SlaPolicy, posted_id(request))
        if policy is None:
            raise manage.CalendarError(None, _("This policy does not exist any more."))
        dbsession.delete(policy)
        return _("The SLA policy was removed."), "policies"

    editing = dbsession.get(SlaPolicy, int(request.GET["edit"])) if request.GET.get("edit", "").isdecimal() \
        and len(request.GET["edit"]) <= 18 and int(request.GET["edit"]) <= MAX_ID else None
    if editing is not None and request.method != "POST":
        schema = policy_form.schema
        schema["scope"].default = (f"s:{editing.department_id}:{editing.service_key}" if editing.service_key
                                   else f"d:{editing.department_id}" if editing.department_id else "")
        schema["priority"].default = editing.priority
        schema["response_minutes"].default = digits(request, editing.response_minutes)
        schema["resolution_minutes"].default = digits(request, editing.resolution_minutes)
    html, error, done = handle_post(request, {"policy": policy_form}, {"policy": save, "remove": remove})
    if done is not None:
        return done
    titles = {service.key: service.title for services in services_by_department(request).values()
              for service in services}
    policies = [
        (policy, " › ".join(filter(None, (department_name or request.localizer.translate(ALL_DEPARTMENTS),
                                          titles.get(policy.service_key, policy.service_key)))))
        for policy, department_name in dbsession.execute(
            select(SlaPolicy, Department.name).outerjoin(Department, Department.id == SlaPolicy.department_id)
            .order_by(SlaPolicy.department_id.is_not(None), Department.name, SlaPolicy.service_key.is_not(None),
                      SlaPolicy.service_key, SlaPolicy.priority))
    ]
    settings = request.registry.settings
    defaults = [(priority, *(parse_duration(part) for part in settings[f"tickets.sla.p{priority}"].split()))
                for priority in PRIORITIES]
    return {"defaults": defaults, "policies": policies, "priorities": PRIORITIES,
            "form_html": html, "error": error, "editing": editing,
            "duration": lambda value: duration_text(request, value)}


def duration_text(request: Request, value) -> str:
    """Business time in minutes, hours or eight-hour days, as people say it."""
    minutes = int(value.total_seconds() // 60) if isinstance(value, timedelta) else int(value)
    if minutes % (8 * 60) == 0 and minutes >= 5 * 8 * 60:
        text = _("${count} business days", mapping={"count": digits(request, minutes // (8 * 60))})
    elif minutes % 60 == 0:
        text = _("${count} h", mapping={"count": digits(request, minutes // 60)})
    else:
        text = _("${count} min", mapping={"count": digits(request, minutes)})
    return request.localizer.translate(text)
