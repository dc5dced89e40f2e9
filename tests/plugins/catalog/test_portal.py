"""The public catalog: services grouped by department and life event, search with the Persian
normalizer, the service page, the printable identity card and 404s."""
from __future__ import annotations

import webtest
from sqlalchemy import select

from core import hookimpl
from core.app import make_app
from core.contracts import LIFE_EVENTS, BusinessCalendarSpec
from core.models import Department
from core.testing import counted_statements, log_in
from plugins.catalog import listing
from plugins.catalog.models import CatalogServiceRow
from tests.plugins.catalog.catalog_specs import ENROLMENT, INTERNAL, TRANSCRIPT, VPN, persian


def titles(page) -> list[str]:
    return [link.text for link in page.html.select("[data-testid=service-title]")]


def test_catalog_lists_service_ids_and_titles_by_department(testapp, synced):
    page = testapp.get("/catalog")
    headings = [h.text for h in page.html.select("[data-testid=group-heading]")]
    assert "معاونت آموزشی و امور دانشجویی" in headings
    assert "مرکز فناوری اطلاعات و ارتباطات" in headings
    assert "گواهی اشتغال به تحصیل" in titles(page)
    ids = [cell.text for cell in page.html.select("[data-testid=service-id]")]
    assert "۱۰۰۶۱۰۷۳۰۰۰" in ids
    assert "پشتیبانی سرور دانشکده" not in titles(page)  # internal: staff only
    sub = page.html.select_one("[data-testid=sub-services]")
    assert "+" in sub.summary.text and "گواهی انگلیسی" in sub.text


def test_catalog_by_life_event(testapp, synced):
    page = testapp.get("/catalog", {"by": "life_event"})
    headings = [h.text for h in page.html.select("[data-testid=group-heading]")]
    assert headings == [persian("Education"), persian("Certificates"), persian("Employment")]


def test_search_folds_arabic_letters_and_digits(testapp, synced):
    assert titles(testapp.get("/catalog", {"q": "گواهي اشتغال"})) == ["گواهی اشتغال به تحصیل"]
    assert titles(testapp.get("/catalog", {"q": "۱۰۰۶۱۰۷۳۰۰۱"})) == ["درخواست ریز نمرات"]
    assert titles(testapp.get("/catalog", {"q": "10061073001"})) == ["درخواست ریز نمرات"]
    nothing = testapp.get("/catalog", {"q": "ناموجود"})
    assert nothing.html.select_one("[data-testid=nothing-found]") is not None


def test_service_page_shows_basic_data_and_links(testapp, synced):
    page = testapp.get(f"/catalog/{ENROLMENT}")
    assert page.html.select_one("[data-testid=audience]").text == "دانشجویان شاغل به تحصیل"
    assert "۱۲۰٬۰۰۰" in page.html.select_one("[data-testid=cost]").text
    assert "۳" in page.html.select_one("[data-testid=duration]").text
    assert page.html.select_one("[data-testid=card-link]").text.strip() == "جزئیات خدمت (شناسنامه خدمت)"
    free = testapp.get(f"/catalog/{TRANSCRIPT}")
    assert free.html.select_one("[data-testid=cost]").text.strip() == "رایگان"


def test_identity_card_is_printable_with_e_level(testapp, synced):
    card = testapp.get(f"/catalog/{ENROLMENT}/card")
    assert card.html.select_one("[data-testid=card-service-id]").text == "۱۰۰۶۱۰۷۳۰۰۰"
    assert card.html.select_one("[data-testid=print-card]") is not None
    assert "@media print" in card.text
    assert card.html.select_one("[data-testid=card-e-level]").text.strip().startswith("۳")
    vpn = testapp.get(f"/catalog/{VPN}/card")
    assert vpn.html.select_one("[data-testid=card-e-level]").text.strip().startswith("۴")


def test_contact_reads_in_the_page_digits_but_addresses_stay_as_written(testapp, synced, dbsession):
    row = dbsession.scalar(select(CatalogServiceRow).where(CatalogServiceRow.service_id == TRANSCRIPT))
    row.contact = "edu2@univ.ac.ir، داخلی 2040"
    dbsession.flush()
    card = testapp.get(f"/catalog/{TRANSCRIPT}/card").html.select_one("[data-testid=card-contact]").text
    service = testapp.get(f"/catalog/{TRANSCRIPT}").html.select_one("[data-testid=contact]").text
    for shown in (card, service):
        assert "edu2@univ.ac.ir" in shown and "داخلی ۲۰۴۰" in shown


def test_unknown_or_internal_service_is_not_found(testapp, synced):
    testapp.get("/catalog/12345678901", status=404)
    testapp.get("/catalog/abc", status=404)
    testapp.get(f"/catalog/{INTERNAL}", status=404)


def add_cards(dbsession, count: int, start: int) -> None:
    departments = dbsession.scalars(select(Department.id).order_by(Department.id)).all()
    for number in range(start, start + count):
        dbsession.add(CatalogServiceRow(
            service_id=f"{90000000000 + number}", provider=None, department_id=departments[number % len(departments)],
            title=f"خدمت آزمایشی {number}", sub_services=["زیرخدمت"], life_event=LIFE_EVENTS[number % len(LIFE_EVENTS)],
            search_text=f"خدمت ازمایشی {number}"))
    dbsession.flush()


def test_the_catalog_costs_the_same_statements_for_5_or_50_services(testapp, demo_org, catalog_plugins, engine):
    add_cards(demo_org, 5, 0)
    testapp.get("/catalog", {"by": "department"})  # the app's first page warms what every page shares
    listing.forget()
    with counted_statements(engine, demo_org) as few:
        page = testapp.get("/catalog", {"by": "life_event"})
    add_cards(demo_org, 45, 5)
    listing.forget()
    with counted_statements(engine, demo_org) as many:
        more = testapp.get("/catalog", {"by": "life_event"})
    assert len(titles(page)) == 5 and len(titles(more)) == 50
    assert len(many) == len(few) <= 2


class RequestFormAndCalendar:
    """Stands for the tickets plugin's portal form and the education plugin's working week."""

    @hookimpl
    def pishkhan_configure(self, config):
        config.add_route("tickets.portal.new", "/requests/new")

    @hookimpl
    def pishkhan_business_calendars(self):
        office = (("08:00", "16:00"),)
        return [BusinessCalendarSpec("education", "تقویم آموزش", hours={5: office, 6: office, 0: office, 1: office,
                                                                         2: office, 3: (("08:00", "12:00"),)})]


def test_the_service_page_links_the_request_form_and_shows_working_hours(register_plugin, synced, app_settings,
                                                                           pluginmanager, dbsession):
    register_plugin(RequestFormAndCalendar(), "stand-in")
    testapp = webtest.TestApp(make_app(dict(app_settings), pluginmanager=pluginmanager),
                              extra_environ={"app.dbsession": dbsession, "HTTP_HOST": "hours.localhost"})
    page = testapp.get(f"/catalog/{ENROLMENT}")
    assert page.html.select_one("[data-testid=request-service]")["href"] == (
        f"http://hours.localhost/requests/new?service=catalog%3A{ENROLMENT}")
    hours = page.html.select_one("[data-testid=working-hours]").get_text(" ", strip=True)
    assert hours.startswith(persian("${first} to ${last}", first=persian("Saturday"), last=persian("Wednesday")))
    assert "۰۸:۰۰–۱۶:۰۰" in hours and persian("Thursday") in hours and "۰۸:۰۰–۱۲:۰۰" in hours


def test_staff_see_internal_services(testapp, synced):
    log_in(testapp, "agent")
    assert "پشتیبانی سرور دانشکده" in titles(testapp.get("/catalog"))
    assert testapp.get(f"/catalog/{INTERNAL}").status_int == 200
