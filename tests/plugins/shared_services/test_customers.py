"""Per-customer dashboards: a unit's volume, SLA attainment, resolution time, satisfaction and top
services in a period; the list of units with the guests as a unit of their own; the overview and
the dashboard card with this month's headline."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from core.db import utcnow
from core.i18n import TEHRAN
from core.testing import counted_statements
from plugins.shared_services import agreements
from plugins.shared_services.facts import tehran_day
from tests.plugins.shared_services.conftest import department, sign_in


def resolve(desk, username, ticket, at):
    desk(username, now=at).transition(ticket, "resolve", resolution_code="solved", note="حل شد")


def education_month(open_ticket, desk):
    """This month for education's students: three requests to IT and one to finance, two of them
    resolved in time (in one and two hours) and rated 5 and 4; plus a guest's request."""
    now = utcnow()
    midnight = datetime.combine(tehran_day(now), time(0, 1), tzinfo=TEHRAN)
    early = max(now - timedelta(hours=3), midnight)  # today, so this month whatever the hour
    tickets = [open_ticket("student", "it", at=early), open_ticket("student2", "it", at=early, category=0),
               open_ticket("student3", "finance", at=early), open_ticket("student4", "it", at=early, category=2)]
    resolve(desk, "agent", tickets[0], early + timedelta(hours=1))
    resolve(desk, "agent", tickets[1], early + timedelta(hours=2))
    for ticket, score in zip(tickets[:2], (5, 4), strict=True):
        desk(ticket.requester.username, now=early + timedelta(hours=2, minutes=30)).rate(ticket, score=score)
    open_ticket(None, "facilities", at=early)
    return tickets


def test_a_customer_units_dashboard(testapp, dbsession, open_ticket, desk):
    education_month(open_ticket, desk)
    agreements.save_sla(dbsession, None, {"customer_department_id": department(dbsession, "education").id,
                                          "service_key": None, "service_title": "", "target_percent": 90,
                                          "resolution_hours": None, "valid_from": tehran_day(utcnow()),
                                          "valid_until": None}, None, utcnow())
    page = sign_in(testapp, "director").get("/desk/ssc/customers/education")

    def figure(name):
        return page.html.find(attrs={"data-testid": f"customer-{name}"}).get_text(strip=True)

    assert (figure("volume"), figure("resolved"), figure("attainment")) == ("۴", "۲", "۱۰۰٪")
    assert (figure("csat"), figure("satisfied"), figure("hours")) == ("۴٫۵", "۱۰۰٪", "۱٫۵ ساعت")
    top = [row.find_all("td") for row in page.html.find(attrs={"data-testid": "top-services"}).find_all("tr")[1:]]
    assert top[0][1].get_text(strip=True) == department(dbsession, "it").name
    assert top[0][2].get_text(strip=True) == "۲"
    assert len(top) == 3
    assert page.html.find(attrs={"data-testid": "customer-agreements"}).find(attrs={"data-status": "met"})


def test_the_units_list_counts_guests_apart_and_unknown_units_are_404(testapp, dbsession, open_ticket, desk):
    education_month(open_ticket, desk)
    page = sign_in(testapp, "director").get("/desk/ssc/customers")
    rows = {row["data-customer"]: row.find_all("td")[1].get_text(strip=True)
            for row in page.html.select("tr[data-customer]")}
    assert rows == {"education": "۴", "": "۱"}
    assert "مراجعان مهمان (بدون واحد)" in page.text
    testapp.get("/desk/ssc/customers/no-such-unit", status=404)


def test_the_overview_and_the_dashboard_card(testapp, engine, dbsession, open_ticket, desk):
    education_month(open_ticket, desk)
    sign_in(testapp, "director")
    overview = testapp.get("/desk/ssc")
    assert overview.html.find(attrs={"data-testid": "ssc-overview"}).find(string="۵") is not None
    with counted_statements(engine, dbsession) as statements:
        dashboard = testapp.get("/workspace")
    card = dashboard.html.find(attrs={"data-widget": "ssc.headline"})
    assert card.find(attrs={"data-testid": "ssc-volume"}).get_text(strip=True) == "۵"
    assert card.find(attrs={"data-testid": "ssc-attainment"}).get_text(strip=True) == "۱۰۰٪"
    assert len([s for s in statements if "ssc_" in s]) == 3


def test_an_open_request_that_went_late_lowers_the_units_attainment(dbsession, open_ticket, desk, settings,
                                                                   pluginmanager):
    from core.worker import JobContext
    from plugins.shared_services import customers
    from plugins.shared_services.periods import Period
    from plugins.tickets.sla import sweep

    now = utcnow()
    on_time = open_ticket("staff", "it", at=now - timedelta(days=20))
    resolve(desk, "agent", on_time, now - timedelta(days=20) + timedelta(hours=1))
    open_ticket("staff", "hr", at=now - timedelta(days=20))
    sweep.sweep_clocks(JobContext(dbsession=dbsession, settings=settings, hook=pluginmanager.hook, now=now))
    today = tehran_day(now)
    finance = department(dbsession, "finance").id
    period = Period("range", today - timedelta(days=30), today)
    row = customers.figures(dbsession, period, finance, only_one=True)[finance]
    assert (row.volume, row.resolved, row.counted, row.within_target, row.attainment) == (2, 1, 2, 1, 50.0)
