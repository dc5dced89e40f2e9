"""Showback: volume × unit cost per service and provider department and per customer unit, in
integer rials, with the price list in force at the period's end; the CSV for Excel; unit costs
set by administrators with their refusals."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import jdatetime
from sqlalchemy import select

from core import hookimpl
from core.db import utcnow
from plugins.shared_services import showback, unit_costs
from plugins.shared_services.facts import tehran_day
from plugins.shared_services.models import UnitCost
from plugins.shared_services.periods import Period
from plugins.tickets.models import Category
from tests.plugins.shared_services.conftest import department, sign_in


def jalali(day) -> str:
    return jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d")


def category_key(dbsession, code: str, index: int) -> str:
    ids = dbsession.scalars(select(Category.id).where(Category.department_id == department(dbsession, code).id)
                            .order_by(Category.id)).all()
    return f"category:{ids[index]}"


def set_price(dbsession, code, rials, days_ago, service_key=None):
    valid_from = tehran_day(utcnow()) - timedelta(days=days_ago)
    unit_costs.add_unit_cost(dbsession, department_id=department(dbsession, code).id, service_key=service_key,
                             service_title="", cost_rials=rials, valid_from=valid_from, actor_id=None, now=utcnow())


def history(dbsession, open_ticket, desk):
    """IT: a service priced on its own (400,000) asked three times, another at the department's
    default (1,000,000, raised to 1,250,000 ten days ago) once by a guest; finance (2,000,000)
    twice; a cancelled request that costs nothing."""
    set_price(dbsession, "it", 1_000_000, 365)
    set_price(dbsession, "it", 1_250_000, 10)
    set_price(dbsession, "it", 400_000, 365, service_key=category_key(dbsession, "it", 0))
    set_price(dbsession, "finance", 2_000_000, 365)
    now = utcnow()
    for requester, days in (("student", 30), ("student2", 5), ("staff", 3)):
        open_ticket(requester, "it", at=now - timedelta(days=days))
    open_ticket(None, "it", at=now - timedelta(days=30), category=1)
    for days in (25, 2):
        open_ticket("staff", "finance", at=now - timedelta(days=days))
    cancelled = open_ticket("student", "it", at=now - timedelta(days=1))
    desk("student", now=now - timedelta(hours=20)).transition(cancelled, "cancel")


def last_60_days() -> Period:
    today = tehran_day(utcnow())
    return Period("range", today - timedelta(days=60), today)


def test_volume_times_unit_cost_per_service_customer_and_provider(dbsession, open_ticket, desk, pluginmanager):
    history(dbsession, open_ticket, desk)
    result = showback.report(dbsession, pluginmanager.hook, last_60_days(), tehran_day(utcnow()), "مهمان")
    lines = {(line.department, line.key[1]): (line.volume, line.unit_cost, line.cost) for line in result.services}
    it, finance = department(dbsession, "it").name, department(dbsession, "finance").name
    assert lines == {
        (it, category_key(dbsession, "it", 0)): (3, 400_000, 1_200_000),
        (it, category_key(dbsession, "it", 1)): (1, 1_250_000, 1_250_000),
        (finance, category_key(dbsession, "finance", 0)): (2, 2_000_000, 4_000_000),
    }
    assert (result.volume, result.cost, result.cost_per_request, result.unpriced) == (6, 6_450_000, 1_075_000, 0)
    customers = {line.title: (line.volume, line.cost) for line in result.customers}
    assert customers == {department(dbsession, "education").name: (2, 800_000),
                         department(dbsession, "finance").name: (2 + 1, 4_400_000), "مهمان": (1, 1_250_000)}
    providers = {line.title: (line.volume, line.cost, line.cost_per_request) for line in result.providers}
    assert providers == {it: (4, 2_450_000, 612_500), finance: (2, 4_000_000, 2_000_000)}


def test_a_past_period_is_valued_with_the_prices_then_in_force(dbsession, open_ticket, desk, pluginmanager):
    history(dbsession, open_ticket, desk)
    today = tehran_day(utcnow())
    result = showback.report(dbsession, pluginmanager.hook, Period("range", today - timedelta(days=40),
                                                                   today - timedelta(days=20)), today, "مهمان")
    assert {line.key[1]: line.unit_cost for line in result.services} == {
        category_key(dbsession, "it", 0): 400_000, category_key(dbsession, "it", 1): 1_000_000,
        category_key(dbsession, "finance", 0): 2_000_000}


def test_the_unit_cost_hook_answers_from_todays_prices_and_a_department_may_override_it(
        dbsession, open_ticket, desk, pluginmanager, register_plugin):
    history(dbsession, open_ticket, desk)
    hook = pluginmanager.hook
    it_id, finance_id = department(dbsession, "it").id, department(dbsession, "finance").id
    assert hook.pishkhan_service_unit_cost(dbsession=dbsession, service_key="category:0", department_id=it_id) \
        == 1_250_000
    assert hook.pishkhan_service_unit_cost(dbsession=dbsession, service_key=None,
                                           department_id=department(dbsession, "hr").id) is None

    class FinanceCosts:
        @hookimpl
        def pishkhan_service_unit_cost(self, dbsession, service_key, department_id):
            return 3_000_000 if department_id == finance_id else None

    register_plugin(FinanceCosts(), "finance-costs")
    result = showback.report(dbsession, hook, last_60_days(), tehran_day(utcnow()), "مهمان")
    assert result.cost == 1_200_000 + 1_250_000 + 2 * 3_000_000


def test_a_service_without_a_unit_cost_is_counted_and_flagged(testapp, dbsession, open_ticket):
    open_ticket("staff2", "hr")
    page = sign_in(testapp, "director").get("/desk/ssc/showback")
    assert page.html.find(attrs={"data-testid": "total-volume"}).get_text(strip=True) == "۱"
    assert "۱ درخواست به خدمت‌هایی تعلق دارد که هزینهٔ واحد ندارند" in page.text


def test_the_showback_page_and_its_csv_for_excel(testapp, dbsession, open_ticket, desk):
    history(dbsession, open_ticket, desk)
    today = tehran_day(utcnow())
    start = today - timedelta(days=60)
    params = {"period": "range", "start": jalali(start), "end": jalali(today)}
    page = sign_in(testapp, "director").get("/desk/ssc/showback", params)
    assert page.html.find(attrs={"data-testid": "total-cost"}).get_text(strip=True) == "۶٬۴۵۰٬۰۰۰"
    assert page.html.find(attrs={"data-testid": "cost-per-request"}).get_text(strip=True) == "۱٬۰۷۵٬۰۰۰"
    link = page.html.find(attrs={"data-testid": "csv-link"})["href"]
    response = testapp.get(link)
    assert response.content_type == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    assert response.body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.body.decode("utf-8-sig"))))
    assert rows[0] == ["از", "تا", "واحد ارائه‌دهنده", "کلید خدمت", "خدمت", "واحد مشتری", "تعداد درخواست‌ها",
                       "هزینهٔ واحد (ریال)", "هزینه (ریال)"]
    assert rows[-1] == [jalali(start), jalali(today), "جمع", "", "", "", "6", "", "6450000"]
    finance_rows = [row for row in rows[1:-1] if row[2] == department(dbsession, "finance").name]
    assert finance_rows == [[jalali(start), jalali(today), department(dbsession, "finance").name,
                             category_key(dbsession, "finance", 0), finance_rows[0][4],
                             department(dbsession, "finance").name, "2", "2000000", "4000000"]]
    assert sum(int(row[8]) for row in rows[1:-1]) == 6_450_000


def test_administrators_set_unit_costs_in_persian_digits_and_bad_ones_are_refused(testapp, dbsession, org):
    page = sign_in(testapp, "admin").get("/desk/ssc/costs")
    form = page.forms["deform"]
    it_default = f"d:{department(dbsession, 'it').id}"
    form["scope"] = it_default
    form["cost_rials"] = "-۵۰۰٬۰۰۰"
    refused = form.submit("save", status=400)
    assert "هزینهٔ واحد نمی‌تواند منفی باشد." in refused.text
    assert dbsession.scalar(select(UnitCost.id)) is None
    form = refused.forms["deform"]
    form["cost_rials"] = "۱٬۲۵۰٬۰۰۰"
    form.submit("save", status=303)
    saved = dbsession.scalar(select(UnitCost))
    assert (saved.cost_rials, saved.service_key, saved.valid_from) == (1_250_000, None, tehran_day(utcnow()))
    listed = testapp.get("/desk/ssc/costs").html.find("tr", attrs={"data-cost": str(saved.id)})
    assert "۱٬۲۵۰٬۰۰۰" in listed.get_text() and "معتبر" in listed.get_text()
