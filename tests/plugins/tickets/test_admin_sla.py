"""SLA administration pages, as an administrator uses them: calendars with working hours in
versions and holidays, declared closures that move due dates, and SLA policies."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from core.normalize import to_persian_digits
from core.testing import csrf_token, log_in
from plugins.tickets.models import Calendar, Closure, Holiday, SlaPolicy
from tests.plugins.tickets import sla_helpers
from tests.plugins.tickets.sla_helpers import department_id, due_dates, open_ticket

office = sla_helpers.office
pytestmark = pytest.mark.usefixtures("office")


@pytest.fixture
def admin(testapp):
    log_in(testapp, "admin")
    return testapp


def default_calendar(dbsession) -> Calendar:
    return dbsession.scalar(select(Calendar).where(Calendar.department_id.is_(None)))


def texts(page, selector: str) -> list[str]:
    return [" ".join(element.get_text(" ").split()) for element in page.html.select(selector)]


def flash(page) -> str:
    return " ".join(texts(page, "[data-testid=flash]"))


def field_error(page, form_id: str) -> str:
    return " ".join(texts(page, f"form#{form_id} .invalid-feedback, form#{form_id} .help-block, "
                                f"form#{form_id} [id^=error-]"))


def test_only_administrators_reach_the_pages(testapp, dbsession):
    for url in ("/admin/calendars", f"/admin/calendars/{default_calendar(dbsession).id}", "/admin/closures",
                "/admin/sla"):
        assert testapp.get(url, status=303).location.startswith("http://localhost/login")
    log_in(testapp, "it.manager")
    for url in ("/admin/calendars", "/admin/closures", "/admin/sla"):
        testapp.get(url, status=403)
    dashboard = testapp.get("/workspace")
    assert "/admin/calendars" not in [link["href"] for link in dashboard.html.select("nav a")]


def test_administrators_find_the_pages_in_the_workspace_navigation(admin):
    dashboard = admin.get("/workspace")
    links = {link["href"]: " ".join(link.get_text().split()) for link in dashboard.html.select("nav a")}
    assert links["/admin/calendars"] == "تقویم‌ها و تعطیلی‌ها"
    assert links["/admin/sla"] == "سیاست‌های سطح خدمت"


def test_calendar_list_shows_hours_and_holiday_years(admin, dbsession):
    page = admin.get("/admin/calendars")
    row = page.html.select_one(f"tr[data-calendar='{default_calendar(dbsession).id}']")
    assert "تقویم کاری سازمان" in row.get_text()
    saturday = " ".join(row.select_one("li[data-weekday='5']").get_text().split())
    thursday = " ".join(row.select_one("li[data-weekday='3']").get_text().split())
    assert saturday == "شنبه ۰۸:۰۰–۱۶:۰۰" and thursday == "پنجشنبه بسته"
    assert row.select_one("[data-year='1406']") is not None


def test_a_department_calendar_starts_as_a_copy(admin, dbsession):
    page = admin.get("/admin/calendars")
    form = page.forms["new-calendar"]
    form["department"] = str(department_id(dbsession, "it"))
    form["name"] = "تقویم فناوری اطلاعات"
    page = form.submit("save", status=303).follow()
    assert "تقویم فناوری اطلاعات" in page.html.h1.get_text()
    assert "تقویم تقویم فناوری اطلاعات از روی تقویمی که واحد دنبال می‌کرد ساخته شد." in flash(page)
    calendar = dbsession.scalar(select(Calendar).where(Calendar.department_id == department_id(dbsession, "it")))
    assert len(calendar.holidays) == len(default_calendar(dbsession).holidays)
    again = admin.get("/admin/calendars")
    assert str(department_id(dbsession, "it")) not in [option[0] for option in
                                                         again.forms["new-calendar"]["department"].options]


def test_working_hours_with_a_lunch_break_in_persian_digits(admin, dbsession, desk):
    calendar = default_calendar(dbsession)
    ticket = open_ticket(desk, dbsession, "1405/09/07 10:00")
    assert due_dates(ticket) == ("1405/09/07 14:00", "1405/09/10 10:00")
    page = admin.get(f"/admin/calendars/{calendar.id}")
    form = page.forms["hours"]
    form["valid_from"] = "۱۴۰۵/۰۹/۰۱"
    for weekday in (5, 6, 0, 1, 2):
        form[f"day{weekday}"] = "۰۸:۰۰-۱۲:۰۰، ۱۳:۰۰-۱۶:۰۰"
    for weekday in (3, 4):
        form[f"day{weekday}"] = ""
    page = form.submit("save", status=303).follow()
    assert flash(page) == "ساعات کاری ذخیره شد. موعد ۱ درخواست باز جابه‌جا شد."
    row = page.html.select("tr[data-version]")[-1]
    assert "۱۴۰۵/۰۹/۰۱" in row.get_text() and "۰۸:۰۰–۱۲:۰۰، ۱۳:۰۰–۱۶:۰۰" in row.get_text()
    dbsession.refresh(ticket)
    assert due_dates(ticket) == ("1405/09/07 15:00", "1405/09/10 14:00")


BAD_HOURS = [
    ("16:00-08:00", "16:00-08:00: بازه باید پیش از پایانش شروع شود."),
    ("08:00-12:00, 11:00-16:00", "08:00-12:00 و 11:00-16:00 روی هم افتاده‌اند."),
    ("صبح", "ساعت‌ها را مانند 08:00-12:00, 13:00-16:00 بنویسید («صبح» این‌گونه نیست)."),
    ("25:00-26:00", "25:00-26:00: ساعت از 00:00 تا 23:59 است."),
]


def test_bad_hours_are_refused_and_kept(admin, dbsession):
    calendar = default_calendar(dbsession)
    versions = len(calendar.versions)
    page = admin.get(f"/admin/calendars/{calendar.id}")
    for typed, message in BAD_HOURS:
        form = page.forms["hours"]
        form["day5"] = typed
        page = form.submit("save", status=400)
        assert message in page.text
        assert page.forms["hours"]["day5"].value == typed
    dbsession.expire_all()
    assert len(default_calendar(dbsession).versions) == versions


def test_a_week_without_hours_is_refused(admin, dbsession):
    page = admin.get(f"/admin/calendars/{default_calendar(dbsession).id}")
    form = page.forms["hours"]
    for weekday in range(7):
        form[f"day{weekday}"] = ""
    page = form.submit("save", status=400)
    assert "ساعات کاری دست‌کم یک روز را بدهید." in page.text


def test_holidays_added_refused_twice_removed_and_loaded_for_a_year(admin, dbsession):
    calendar = default_calendar(dbsession)
    page = admin.get(f"/admin/calendars/{calendar.id}")
    form = page.forms["holiday"]
    form["day"] = "۱۴۰۵/۰۹/۰۹"
    form["name"] = "تعطیلی دانشگاه"
    page = form.submit("save", status=303).follow()
    assert flash(page).startswith("تعطیلی «تعطیلی دانشگاه» افزوده شد.")
    item = page.html.select_one("li[data-holiday='2026-11-30']")
    assert "۱۴۰۵/۰۹/۰۹" in item.get_text() and "تعطیلی دانشگاه" in item.get_text()

    form = page.forms["holiday"]
    form["day"] = "1405/9/9"
    form["name"] = "دوباره"
    refused = form.submit("save", status=400)
    assert "این روز از پیش تعطیل است (تعطیلی دانشگاه)." in refused.text

    remove = page.html.select_one("li[data-holiday='2026-11-30'] form")
    page = admin.post(f"/admin/calendars/{calendar.id}", {
        "csrf_token": remove.select_one("[name=csrf_token]")["value"], "action": "remove-holiday",
        "id": remove.select_one("[name=id]")["value"]}, status=303).follow()
    assert page.html.select_one("li[data-holiday='2026-11-30']") is None
    assert "تعطیلی «تعطیلی دانشگاه» برداشته شد." in flash(page)

    form = page.forms["official"]
    form["year"] = "۱۴۰۷"
    page = form.submit("load", status=303).follow()
    added = dbsession.scalars(select(Holiday).where(  # 1 Farvardin 1407 to the end of Esfand
        Holiday.calendar_id == calendar.id, Holiday.day >= date(2028, 3, 20), Holiday.day < date(2029, 3, 21))).all()
    assert len(added) > 20
    assert f"{to_persian_digits(len(added))} تعطیل رسمی سال ۱۴۰۷ افزوده شد" in flash(page)
    assert "عیدنوروز" in page.html.select_one("[data-testid=holidays-1407]").get_text()
    page = page.forms["official"].submit("load", status=303).follow()  # loading again adds nothing
    assert "۰ تعطیل رسمی" in flash(page)


@pytest.mark.parametrize(("typed", "reason"), [
    # 1404 is a common year: Esfand has 29 days (1403, a leap year, has a 30 Esfand).
    ("۱۴۰۴/۱۲/۳۰", "تاریخ ۱۴۰۴/۱۲/۳۰ وجود ندارد؛ آن ماه ۲۹ روز دارد."),
    ("1403/07/31", "تاریخ ۱۴۰۳/۰۷/۳۱ وجود ندارد؛ آن ماه ۳۰ روز دارد."),
    ("١٤٠٥/١٣/٠١", "ماه ۱۳ وجود ندارد؛ ماه‌ها از ۱ تا ۱۲ هستند."),
    ("05/01/01", "سال را با چهار رقم بنویسید."),  # not a holiday in the year 5 (626 in the Gregorian calendar)
])
def test_a_holiday_on_a_day_that_does_not_exist_is_refused_and_kept(admin, dbsession, typed, reason):
    calendar = default_calendar(dbsession)
    count = len(calendar.holidays)
    form = admin.get(f"/admin/calendars/{calendar.id}").forms["holiday"]
    form["day"] = typed
    form["name"] = "تعطیلی دانشگاه"
    page = form.submit("save", status=400)
    assert field_error(page, "holiday") == f"تاریخ را به صورت سال/ماه/روز شمسی وارد کنید؛ مثلاً ۱۴۰۵/۰۹/۰۳. {reason}"
    assert page.forms["holiday"]["day"].value == typed and page.forms["holiday"]["name"].value == "تعطیلی دانشگاه"
    dbsession.expire_all()
    assert len(default_calendar(dbsession).holidays) == count


def test_official_holidays_for_a_year_out_of_range(admin, dbsession):
    page = admin.get(f"/admin/calendars/{default_calendar(dbsession).id}")
    form = page.forms["official"]
    form["year"] = "2026"
    page = form.submit("load", status=400)
    assert "سالی از ۱۳۵۹ تا ۱۵۰۰ انتخاب کنید." in page.text


def test_declaring_and_lifting_a_closure_moves_due_dates(admin, dbsession, desk):
    ticket = open_ticket(desk, dbsession, "1405/09/07 09:00")
    page = admin.get("/admin/closures")
    form = page.forms["closure"]
    form["scope"] = ""
    form["starts_on"] = "۱۴۰۵/۰۹/۰۷"
    form["starts_time"] = "۱۰:۰۰"
    form["ends_on"] = "۱۴۰۵/۰۹/۰۸"
    form["ends_time"] = ""
    form["reason"] = "گرمای هوا و کمبود برق"
    page = form.submit("declare", status=303).follow()
    assert flash(page) == "تعطیلی اعلام شد. موعد ۱ درخواست باز جابه‌جا شد."
    row = page.html.select_one("tr[data-closure]")
    assert texts(page, "tr[data-closure] td")[:4] == [
        "۱۴۰۵/۰۹/۰۷ ۱۰:۰۰", "۱۴۰۵/۰۹/۰۹ ۰۰:۰۰", "همه تقویم‌ها", "گرمای هوا و کمبود برق"]
    dbsession.refresh(ticket)
    assert due_dates(ticket) == ("1405/09/09 11:00", "1405/09/11 15:00")

    page = admin.post("/admin/closures", {"csrf_token": csrf_token(admin), "action": "lift",
                                          "id": row["data-closure"]}, status=303).follow()
    assert flash(page) == "تعطیلی برداشته شد. موعد ۱ درخواست باز جابه‌جا شد."
    assert dbsession.scalar(select(Closure.id)) is None
    dbsession.refresh(ticket)
    assert due_dates(ticket) == ("1405/09/07 13:00", "1405/09/10 09:00")


def test_the_closure_times_show_their_example_in_persian_digits(admin):
    page = admin.get("/admin/closures")
    assert [page.html.find("input", attrs={"name": name})["placeholder"] for name in ("starts_time", "ends_time")] \
        == ["۰۰:۰۰", "۱۶:۰۰"]


def test_a_closure_ending_before_it_begins_is_refused(admin, dbsession):
    page = admin.get("/admin/closures")
    form = page.forms["closure"]
    form["starts_on"] = "۱۴۰۵/۰۹/۰۸"
    form["ends_on"] = "۱۴۰۵/۰۹/۰۷"
    form["reason"] = "برف"
    page = form.submit("declare", status=400)
    assert "تعطیلی باید پس از آغازش پایان یابد." in page.text
    assert page.forms["closure"]["reason"].value == "برف"
    form = page.forms["closure"]
    form["ends_on"] = "۱۴۰۵/۰۹/۰۸"
    form["starts_time"] = "۲۵:۰۰"
    page = form.submit("declare", status=400)
    assert "زمان را مانند 08:00 یا 13:30 بنویسید." in page.text
    assert dbsession.scalar(select(Closure.id)) is None


def test_posts_without_the_csrf_token_are_refused(admin, dbsession):
    admin.post("/admin/closures", {"action": "lift", "id": "1"}, status=400)


def test_sla_policies_page_shows_defaults_and_saves_a_department_policy(admin, dbsession, desk):
    page = admin.get("/admin/sla")
    assert texts(page, "[data-testid=sla-defaults] tr[data-priority='1'] td") == ["P1 · بحرانی", "۳۰ دقیقه",
                                                                                 "۴ ساعت"]
    assert texts(page, "[data-testid=sla-defaults] tr[data-priority='4'] td")[2] == "۵ روز کاری"
    it = department_id(dbsession, "it")
    form = page.forms["policy"]
    form["scope"] = f"d:{it}"
    form["priority"] = "3"
    form["response_minutes"] = "۶۰"
    form["resolution_minutes"] = "۴۸۰"
    page = form.submit("save", status=303).follow()
    assert flash(page) == "سیاست سطح خدمت ذخیره شد؛ برای درخواست‌هایی که از این پس ثبت شوند به کار می‌رود."
    assert texts(page, "[data-testid=sla-policies] tr[data-policy] td")[:4] == [
        "مرکز فناوری اطلاعات و ارتباطات", "P3 · عادی", "۱ ساعت", "۸ ساعت"]
    ticket = open_ticket(desk, dbsession, "1405/09/07 09:00")
    assert due_dates(ticket) == ("1405/09/07 10:00", "1405/09/08 09:00")

    policy = dbsession.scalar(select(SlaPolicy))
    page = admin.get(f"/admin/sla?edit={policy.id}")
    form = page.forms["policy"]
    assert form["scope"].value == f"d:{it}" and form["response_minutes"].value == "۶۰"
    form["response_minutes"] = "600"
    refused = form.submit("save", status=400)
    assert "هدف پاسخ نمی‌تواند از هدف حل درخواست طولانی‌تر باشد." in refused.text
    assert refused.forms["policy"]["response_minutes"].value == "600"

    remove = page.html.select_one(f"tr[data-policy='{policy.id}'] form")
    page = admin.post("/admin/sla", {"csrf_token": remove.select_one("[name=csrf_token]")["value"],
                                     "action": "remove", "id": str(policy.id)}, status=303).follow()
    assert flash(page) == "سیاست سطح خدمت برداشته شد."
    assert dbsession.scalar(select(SlaPolicy.id)) is None


def test_a_service_policy_is_listed_under_its_department(admin, dbsession):
    it = department_id(dbsession, "it")
    page = admin.get("/admin/sla")
    form = page.forms["policy"]
    key = sla_helpers.service_key(dbsession, "it")
    form["scope"] = f"s:{it}:{key}"
    form["priority"] = "1"
    form["response_minutes"] = "15"
    form["resolution_minutes"] = "2400"
    page = form.submit("save", status=303).follow()
    assert texts(page, "[data-testid=sla-policies] tr[data-policy] td")[:4] == [
        "مرکز فناوری اطلاعات و ارتباطات › حساب کاربری و گذرواژه", "P1 · بحرانی", "۱۵ دقیقه", "۵ روز کاری"]
