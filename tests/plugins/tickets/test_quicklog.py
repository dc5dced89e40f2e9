"""The front-desk quick-log (/desk/contact): walk-ins and calls logged, resolved on the spot or
handed off, with the requester found whatever the keyboard."""
from __future__ import annotations

from datetime import datetime, time, timedelta

import jdatetime
import pytest
from sqlalchemy import func, select

from core.db import utcnow
from core.i18n import to_tehran
from core.models import Department, Team, User
from core.normalize import to_persian_digits
from core.testing import counted_statements, log_in
from plugins.tickets.desk import NewTicket
from plugins.tickets.models import Category, Status, Ticket, TicketEvent
from plugins.tickets.tracking import format_code
from plugins.tickets.web.quicklog import contact_moment

SUBJECT = "گذرواژه سامانه گلستان را فراموش کرده‌ام"
ARABIC_YEH_KAF = str.maketrans({"ی": "ي", "ک": "ك"})


def user(dbsession, username) -> User:
    return dbsession.scalar(select(User).where(User.username == username))


def department_id(dbsession, code) -> int:
    return dbsession.scalar(select(Department.id).where(Department.code == code))


def service_key(dbsession, code, name=None) -> str:
    query = select(Category.id).where(Category.department_id == department_id(dbsession, code))
    if name:
        query = query.where(Category.name == name)
    return f"category:{dbsession.scalar(query.order_by(Category.id).limit(1))}"


def team(dbsession, code, tier) -> Team:
    return dbsession.scalar(select(Team).where(Team.department_id == department_id(dbsession, code), Team.tier == tier))


def jalali_fields(moment) -> dict:
    """The date and time boxes as an agent types them: Jalali date, Tehran time, Persian digits."""
    local = to_tehran(moment)
    day = jdatetime.date.fromgregorian(date=local.date())
    return {"contact_date": to_persian_digits(f"{day.year}/{day.month:02d}/{day.day:02d}"),
            "contact_time": to_persian_digits(local.strftime("%H:%M"))}


@pytest.fixture
def agent_app(testapp, org):
    log_in(testapp, "agent")
    return testapp


def contact_form(testapp, **fields):
    """The quick-log form as shown, filled in with ``fields``. As without JavaScript, a search or
    another department is shown by the Find button before the rest is filled in."""
    form = testapp.get("/desk/contact").forms["quicklog"]
    if "q" in fields or "department_id" in fields:
        for name in ("q", "department_id"):
            if name in fields:
                form[name] = fields.pop(name)
        form = form.submit("action", value="find").forms["quicklog"]
    for name, value in fields.items():
        form[name] = value
    return form


def tickets_with(dbsession, subject=SUBJECT) -> list[Ticket]:
    return dbsession.scalars(select(Ticket).where(Ticket.subject == subject)).all()


def test_phone_call_resolved_on_first_contact(agent_app, dbsession):
    student = user(dbsession, "student")
    contact_at = (utcnow() - timedelta(minutes=40)).replace(second=0, microsecond=0)
    form = contact_form(agent_app, q=to_persian_digits(student.mobile))
    form["requester"] = f"user:{student.id}"
    form["service_key"] = service_key(dbsession, "it", "حساب کاربری و گذرواژه")
    form["subject"] = SUBJECT
    form["description"] = "تماس تلفنی؛ دانشجو رمز ورود را فراموش کرده است"
    form["resolution_code"] = "solved"
    form["resolution_note"] = "گذرواژه بازنشانی و پیامک شد"
    for name, value in jalali_fields(contact_at).items():
        form[name] = value
    done = form.submit("action", value="resolve", status=303).follow()

    [ticket] = tickets_with(dbsession)
    assert ticket.status == Status.resolved
    assert ticket.first_contact_resolution is True
    assert ticket.resolved_tier == 1
    assert ticket.channel == "phone"
    assert ticket.contact_at == contact_at
    assert ticket.requester_id == student.id and ticket.guest_name is None
    assert ticket.assignee_id == user(dbsession, "agent").id
    events = dbsession.execute(select(TicketEvent.kind, TicketEvent.channel)
                               .where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.id)).all()
    assert [kind for kind, _channel in events] == ["created", "resolved"]
    assert {channel for _kind, channel in events} == {"phone"}

    banner = done.html.find(attrs={"data-testid": "quicklog-success"})
    assert to_persian_digits(format_code(ticket.tracking_code)) in banner.text
    assert "در همان مراجعه رسیدگی و ثبت شد." in banner.text
    assert banner.find(attrs={"data-status": "resolved"}) is not None
    assert banner.find(attrs={"data-testid": "promised-date"}).text.strip()
    fresh = done.forms["quicklog"]
    assert fresh["subject"].value == "" and fresh["channel"].value == "phone"
    assert agent_app.get("/desk/contact").html.find(attrs={"data-testid": "quicklog-success"}) is None


def test_walk_in_handed_off_to_a_team_with_an_assignee(agent_app, dbsession):
    it_l2 = team(dbsession, "it", 2)
    support = user(dbsession, "it.support")
    form = contact_form(agent_app, channel="walk_in", requester="new", guest_name="رضا امینی",
                        guest_mobile="۰۹۱۲۱۲۳۴۵۶۷", guest_national_code="", service_key=service_key(dbsession, "it"),
                        subject=SUBJECT, impact="high", urgency="medium", team_id=str(it_l2.id),
                        assignee_id=str(support.id))
    form.submit("action", value="handoff", status=303)

    [ticket] = tickets_with(dbsession)
    assert ticket.channel == "walk_in"
    assert ticket.status == Status.assigned and ticket.team_id == it_l2.id and ticket.assignee_id == support.id
    assert ticket.tier == 2 and ticket.priority == 2 and not ticket.first_contact_resolution
    assert (ticket.requester_id, ticket.guest_name, ticket.guest_mobile) == (None, "رضا امینی", "09121234567")


def test_hand_off_to_the_default_routing(agent_app, dbsession):
    form = contact_form(agent_app, requester="new", guest_name="نسرین صالحی", guest_mobile="09351112233",
                        department_id=str(department_id(dbsession, "hr")), service_key=service_key(dbsession, "hr"),
                        subject=SUBJECT)
    done = form.submit("action", value="handoff", status=303).follow()

    [ticket] = tickets_with(dbsession)
    assert ticket.status == Status.new and ticket.team_id == team(dbsession, "hr", 1).id
    assert "ثبت و به تیم ارجاع شد." in done.html.find(attrs={"data-testid": "quicklog-success"}).text
    # The IT agent logged it for HR but works on IT only: no link to a ticket they cannot open.
    assert done.html.find("a", href=f"/desk/tickets/{ticket.id}") is None


def test_back_logged_contact_time_is_accepted(agent_app, dbsession):
    form = contact_form(agent_app, requester="new", guest_name="نسرین صالحی", guest_mobile="09351112233",
                        service_key=service_key(dbsession, "it"), subject=SUBJECT, minutes_ago="20")
    before = utcnow()
    form.submit("action", value="handoff", status=303)

    [ticket] = tickets_with(dbsession)
    assert abs(ticket.contact_at - (before - timedelta(minutes=20))) < timedelta(seconds=30)


def test_contact_time_in_the_future_is_refused_and_nothing_is_lost(agent_app, dbsession):
    form = contact_form(agent_app, requester="new", guest_name="نسرین صالحی", guest_mobile="09351112233",
                        service_key=service_key(dbsession, "it"), subject=SUBJECT, description="شرح مشکل",
                        **jalali_fields(utcnow() + timedelta(hours=1)))
    refused = form.submit("action", value="resolve", status=400)

    assert "زمان مراجعه نمی‌تواند در آینده باشد." in refused.text
    kept = refused.forms["quicklog"]
    assert kept["subject"].value == SUBJECT and kept["guest_name"].value == "نسرین صالحی"
    assert kept["description"].value == "شرح مشکل"
    assert kept["contact_time"].value == jalali_fields(utcnow() + timedelta(hours=1))["contact_time"]
    assert tickets_with(dbsession) == []


@pytest.mark.parametrize(("now", "typed", "expected"), [
    # 00:10 in Tehran on 4 Azar 1405 (20:40 UTC the day before): 23:50 was twenty minutes ago.
    ("2026-11-24T20:40:00+00:00", time(23, 50), "2026-11-24T20:20:00+00:00"),
    # 10:00 in Tehran: 09:30 is today's; 11:00 is still to come, not yesterday's 23 hours ago.
    ("2026-11-25T06:30:00+00:00", time(9, 30), "2026-11-25T06:00:00+00:00"),
    ("2026-11-25T06:30:00+00:00", time(11, 0), "2026-11-25T07:30:00+00:00"),
])
def test_a_time_typed_without_a_date_is_its_latest_time_within_half_a_day(now, typed, expected):
    appstruct = {"contact_date": None, "contact_time": typed, "minutes_ago": 0}
    assert contact_moment(appstruct, datetime.fromisoformat(now)) == datetime.fromisoformat(expected)


def test_a_refusal_after_the_ticket_was_opened_saves_nothing(agent_app, dbsession):
    """The desk refuses a resolution without a note after opening the ticket: all is undone."""
    form = contact_form(agent_app, requester="new", guest_name="نسرین صالحی", guest_mobile="09351112233",
                        service_key=service_key(dbsession, "it"), subject=SUBJECT, resolution_note="")
    refused = form.submit("action", value="resolve", status=400)

    assert "شرح راه‌حل را بنویسید." in refused.html.find(attrs={"data-error": "resolution_note"}).text
    assert tickets_with(dbsession) == []
    assert dbsession.scalar(select(func.count()).select_from(TicketEvent)) == 0


def test_new_guest_with_an_invalid_national_code_is_refused(agent_app, dbsession):
    form = contact_form(agent_app, requester="new", guest_name="رضا امینی", guest_mobile="09121234567",
                        guest_national_code="۰۰۱۲۳۴۵۶۷۸", service_key=service_key(dbsession, "it"), subject=SUBJECT)
    refused = form.submit("action", value="handoff", status=400)

    assert "کد ملی معتبر نیست" in refused.html.find(attrs={"data-error": "guest_national_code"}).text
    assert refused.forms["quicklog"]["guest_national_code"].value == "۰۰۱۲۳۴۵۶۷۸"
    assert tickets_with(dbsession) == []


def test_a_requester_is_needed(agent_app, dbsession):
    form = contact_form(agent_app, service_key=service_key(dbsession, "it"), subject=SUBJECT)
    refused = form.submit("action", value="handoff", status=400)
    assert refused.html.find(attrs={"data-error": "guest_name"}) is not None
    assert tickets_with(dbsession) == []


def test_a_team_of_another_department_is_refused(agent_app, dbsession):
    """The team list holds the chosen department's teams; a forged id of another is refused."""
    form = contact_form(agent_app, requester="new", guest_name="نسرین صالحی", guest_mobile="09351112233",
                        service_key=service_key(dbsession, "it"), subject=SUBJECT)
    form["team_id"].force_value(str(team(dbsession, "hr", 2).id))
    refused = form.submit("action", value="handoff", status=400)
    assert refused.html.find(attrs={"data-error": "team_id"}) is not None
    assert tickets_with(dbsession) == []


@pytest.mark.parametrize("typed", [
    pytest.param(lambda student: student.national_code, id="national-code"),
    pytest.param(lambda student: to_persian_digits(student.mobile), id="mobile-in-persian-digits"),
    pytest.param(lambda student: "٠" + "".join("٠١٢٣٤٥٦٧٨٩"[int(d)] for d in student.mobile[1:]), id="arabic-digits"),
    pytest.param(lambda student: student.full_name.translate(ARABIC_YEH_KAF), id="name-with-arabic-yeh"),
    pytest.param(lambda student: student.mobile[:7], id="mobile-prefix"),
])
def test_requester_search_finds_the_account(agent_app, dbsession, typed):
    student = user(dbsession, "student")
    found = agent_app.get("/desk/contact/people", {"q": typed(student)}, headers={"HX-Request": "true"})
    person = found.html.find(attrs={"data-person": f"user:{student.id}"})
    assert person is not None and student.full_name in person.text


def test_requester_search_finds_earlier_guests_once(agent_app, dbsession, desk):
    for subject in ("اول", "دوم"):
        desk("agent", "phone").open(NewTicket(subject=subject, department_id=department_id(dbsession, "it"),
                                              guest_name="کاوه کرمانی", guest_mobile="09187654321"))
    by_mobile = agent_app.get("/desk/contact/people", {"q": "۰۹۱۸۷۶۵۴۳۲۱"})
    assert len(by_mobile.html.find_all(attrs={"data-person": lambda key: key and key.startswith("guest:")})) == 1
    assert "کاوه کرمانی" in by_mobile.text
    by_name = agent_app.get("/desk/contact/people", {"q": "كاوه كرماني"})  # Arabic kaf and yeh
    assert "کاوه کرمانی" in by_name.text


def test_picking_an_earlier_guest_copies_their_details(agent_app, dbsession, desk):
    earlier = desk("agent", "phone").open(NewTicket(subject="قبلی", department_id=department_id(dbsession, "it"),
                                                    guest_name="کاوه کرمانی", guest_mobile="09187654321",
                                                    guest_email="kaveh@example.com"))
    form = contact_form(agent_app, q="09187654321", service_key=service_key(dbsession, "it"), subject=SUBJECT)
    form["requester"] = f"guest:{earlier.id}"
    form.submit("action", value="handoff", status=303)
    [ticket] = tickets_with(dbsession)
    assert (ticket.guest_name, ticket.guest_mobile, ticket.guest_email) == ("کاوه کرمانی", "09187654321",
                                                                            "kaveh@example.com")


def test_search_without_javascript_keeps_what_was_typed(agent_app, dbsession):
    student = user(dbsession, "student")
    form = contact_form(agent_app, subject=SUBJECT)
    form["q"] = student.national_code
    page = form.submit("action", value="find", status=200)
    assert page.html.find(attrs={"data-person": f"user:{student.id}"}) is not None
    assert page.forms["quicklog"]["subject"].value == SUBJECT
    assert tickets_with(dbsession) == []


def test_search_asks_few_queries(agent_app, dbsession, engine):
    with counted_statements(engine, dbsession) as statements:
        agent_app.get("/desk/contact/people", {"q": "رستمی"})
    searches = [s for s in statements if "core_users" in s or "tickets_tickets" in s]
    assert len(searches) <= 5


def test_changing_the_department_sends_its_lists(agent_app, dbsession):
    hr = department_id(dbsession, "hr")
    part = agent_app.get("/desk/contact", {"part": "department", "department_id": str(hr)},
                         headers={"HX-Request": "true"})
    assert "مرخصی" in part.text and "انتخاب واحد" not in part.text
    assert team(dbsession, "hr", 2).name in part.html.find(id="team-field").text
    assert part.html.find(id="team-field")["hx-swap-oob"] == "true"


def test_the_form_starts_in_the_agents_department_with_the_search_focused(agent_app, dbsession):
    form = agent_app.get("/desk/contact").html.find("form", id="quicklog")
    assert form.find(id="q").has_attr("autofocus")
    assert form.find(id="department_id").find("option", selected=True)["value"] == str(department_id(dbsession, "it"))
    assert form.find(id="channel").find("option", selected=True)["value"] == "phone"
    assert form.find(id="resolve").get("accesskey") == ["s"] and form.find(id="handoff").get("accesskey") == ["h"]
    assert "Alt+S" in form.find(id="resolve").text and "Alt+H" in form.find(id="handoff").text


def test_requesters_and_visitors_cannot_log_contacts(testapp, org):
    testapp.get("/desk/contact", status=303)  # a visitor is sent to the login page
    log_in(testapp, "student")
    testapp.get("/desk/contact", status=403)
    testapp.get("/desk/contact/people", {"q": "0912"}, status=403)


def test_a_post_without_the_csrf_token_is_refused(agent_app, dbsession):
    form = contact_form(agent_app, requester="new", guest_name="نسرین صالحی", guest_mobile="09351112233",
                        service_key=service_key(dbsession, "it"), subject=SUBJECT)
    form["csrf_token"] = "forged"
    form.submit("action", value="handoff", status=400)
    assert tickets_with(dbsession) == []


def test_the_resolve_on_the_spot_box_asks_for_a_resolution_code(agent_app):
    page = agent_app.get("/desk/contact")
    label = page.html.find("label", attrs={"for": "resolution_code"}).get_text(strip=True)
    assert label == "کد رسیدگی"  # as the ticket page and the queue call it


def test_the_example_placeholders_are_in_the_digits_of_the_page(agent_app, dbsession):
    def placeholders(page):
        boxes = ("contact_date", "contact_time", "guest_mobile")
        return [page.html.find("input", id=name)["placeholder"] for name in boxes]

    assert placeholders(agent_app.get("/desk/contact")) == ["۱۴۰۵/۰۹/۰۳", "۱۴:۳۰", "۰۹۱۲۱۲۳۴۵۶۷"]
    user(dbsession, "agent").preferred_language = "en"
    dbsession.commit()
    assert placeholders(agent_app.get("/desk/contact")) == ["1405/09/03", "14:30", "09121234567"]
