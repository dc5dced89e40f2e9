"""Agreements measured on hand-made tickets: an SLA with a customer unit (share resolved within
target, average resolution time) and an OLA with a specialist team (hand-off to resolution or
hand-back), their statuses, the page's cost in statements, and the forms' refusals."""
from __future__ import annotations

from datetime import timedelta

import jdatetime
from sqlalchemy import select

from core.db import utcnow
from core.testing import counted_statements
from plugins.shared_services import agreements
from plugins.shared_services.facts import tehran_day
from plugins.shared_services.models import OlaAgreement, SlaAgreement
from plugins.shared_services.periods import Period
from tests.plugins.shared_services.conftest import department, sign_in, team


def jalali(day) -> str:
    return jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d")


def resolve(desk, username, ticket, at):
    desk(username, now=at).transition(ticket, "resolve", resolution_code="solved", note="حل شد")


def education_history(open_ticket, desk):
    """Four requests of education's students to IT, three resolved in time and one late; one of
    finance's staff, late; one of education still open and in time (not counted)."""
    now = utcnow()
    for days in (40, 30, 20):
        ticket = open_ticket("student", "it", at=now - timedelta(days=days))
        resolve(desk, "agent", ticket, now - timedelta(days=days - 1))
    late = open_ticket("student2", "it", at=now - timedelta(days=40))
    resolve(desk, "agent", late, now - timedelta(days=10))
    finance = open_ticket("staff", "finance", at=now - timedelta(days=40))
    resolve(desk, "fin.desk", finance, now - timedelta(days=10))
    open_ticket("professor", "it", at=now - timedelta(hours=1))
    return late.service_key


def add_sla(dbsession, code, target, *, service_key=None, hours=None, valid_from=None, valid_until=None):
    values = {"customer_department_id": department(dbsession, code).id, "service_key": service_key,
              "service_title": "حساب کاربری و گذرواژه" if service_key else "", "target_percent": target,
              "resolution_hours": hours, "valid_from": valid_from or tehran_day(utcnow()) - timedelta(days=365),
              "valid_until": valid_until}
    return agreements.save_sla(dbsession, None, values, None, utcnow())


def last_60_days():
    today = tehran_day(utcnow())
    return Period("range", today - timedelta(days=60), today), today


def test_an_sla_is_measured_on_its_customer_units_requests(dbsession, open_ticket, desk):
    it_service = education_history(open_ticket, desk)
    today = tehran_day(utcnow())
    whole = add_sla(dbsession, "education", 70, hours=24 * 40, valid_until=today + timedelta(days=30))
    service = add_sla(dbsession, "education", 78, service_key=it_service)
    later = add_sla(dbsession, "education", 95, valid_from=today + timedelta(days=31))
    finance = add_sla(dbsession, "finance", 90)
    slow = add_sla(dbsession, "education", 50, service_key="category:0", hours=1)
    period, today = last_60_days()
    measures = {m.agreement.id: m for m in agreements.measure_slas(dbsession, period, today)}
    assert (measures[whole.id].counted, measures[whole.id].within, measures[whole.id].status) == (4, 3, "met")
    assert measures[whole.id].attainment == 75.0
    assert measures[whole.id].average_hours == (3 * 24 + 30 * 24) / 4
    assert (measures[service.id].counted, measures[service.id].status) == (4, "at_risk")  # 75 vs 78
    assert measures[later.id].status == "not_in_force"
    assert (measures[finance.id].counted, measures[finance.id].within, measures[finance.id].status) == (1, 0, "missed")
    assert (measures[slow.id].counted, measures[slow.id].status) == (0, "no_data")


def test_an_open_request_that_went_late_counts_as_missed_where_it_went_late(dbsession, open_ticket, settings,
                                                                          pluginmanager):
    from core.worker import JobContext
    from plugins.tickets.sla import sweep

    agreement = add_sla(dbsession, "hr", 90)
    open_ticket("staff2", "hr", at=utcnow() - timedelta(days=20))
    sweep.sweep_clocks(JobContext(dbsession=dbsession, settings=settings, hook=pluginmanager.hook, now=utcnow()))
    period, today = last_60_days()
    [measure] = [m for m in agreements.measure_slas(dbsession, period, today) if m.agreement.id == agreement.id]
    assert (measure.counted, measure.within, measure.status) == (1, 0, "missed")


def test_an_ola_is_measured_from_hand_off_to_resolution_with_late_open_stretches(dbsession, open_ticket, desk):
    now = utcnow()
    support = team(dbsession, "it", 2)
    agreement = agreements.save_ola(dbsession, None, {"team_id": support.id, "target_hours": 8, "target_percent": 50,
                                                      "valid_from": tehran_day(now) - timedelta(days=90),
                                                      "valid_until": None}, None, now)
    for hours in (2, 30):
        ticket = open_ticket("student", "it", at=now - timedelta(days=5))
        desk("agent", now=now - timedelta(days=5) + timedelta(minutes=10)).escalate(ticket, team_id=support.id,
                                                                                  reason="کارشناسی")
        resolve(desk, "it.support", ticket, now - timedelta(days=5) + timedelta(minutes=10, hours=hours))
    period, _today = last_60_days()
    [measure] = agreements.measure_olas(dbsession, period, now)
    assert (measure.counted, measure.within, measure.status) == (2, 1, "met")
    assert measure.average_hours == 16.0
    stuck = open_ticket("student", "it", at=now - timedelta(hours=21))
    desk("agent", now=now - timedelta(hours=20)).escalate(stuck, team_id=support.id, reason="کارشناسی")
    [measure] = agreements.measure_olas(dbsession, period, now)
    assert (measure.counted, measure.within, measure.status) == (3, 1, "missed")
    assert measure.agreement.id == agreement.id


def test_the_agreements_page_shows_measured_against_target_for_a_jalali_range(testapp, dbsession, open_ticket, desk):
    it_service = education_history(open_ticket, desk)
    met = add_sla(dbsession, "education", 70)
    at_risk = add_sla(dbsession, "education", 78, service_key=it_service)
    start, end = tehran_day(utcnow()) - timedelta(days=60), tehran_day(utcnow())
    page = sign_in(testapp, "director").get("/desk/ssc/agreements", {"period": "range", "start": jalali(start),
                                                                     "end": jalali(end)})
    row = page.html.find("tr", attrs={"data-sla": str(met.id)})
    assert row.find(attrs={"data-status": "met"}).get_text(strip=True) == "برآورده"
    assert row.find(attrs={"data-testid": "attainment"}).get_text(strip=True) == "۷۵٪"
    assert page.html.find("tr", attrs={"data-sla": str(at_risk.id)}).find(attrs={"data-status": "at_risk"})
    shown = page.html.find(attrs={"data-testid": "period-shown"}).get_text()
    assert jdatetime.date.fromgregorian(date=start).strftime("%Y") in shown.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹",
                                                                                                   "0123456789"))


def test_the_agreements_page_costs_the_same_statements_for_two_or_twelve_agreements(testapp, engine, dbsession, org):
    sign_in(testapp, "director").get("/desk/ssc/agreements")
    add_sla(dbsession, "education", 90)
    agreements.save_ola(dbsession, None, {"team_id": team(dbsession, "it", 2).id, "target_hours": 8,
                                          "target_percent": 80, "valid_from": tehran_day(utcnow()),
                                          "valid_until": None}, None, utcnow())
    with counted_statements(engine, dbsession) as few:
        testapp.get("/desk/ssc/agreements")
    for code in ("finance", "hr", "facilities", "it"):
        add_sla(dbsession, code, 85)
    for code in ("education", "finance", "hr", "facilities"):
        for tier in (2, 3):
            agreements.save_ola(dbsession, None, {"team_id": team(dbsession, code, tier).id, "target_hours": 24,
                                                  "target_percent": 80, "valid_from": tehran_day(utcnow()),
                                                  "valid_until": None}, None, utcnow())
    with counted_statements(engine, dbsession) as many:
        page = testapp.get("/desk/ssc/agreements")
    assert len(page.html.select("tr[data-sla]")) == 5 and len(page.html.select("tr[data-ola]")) == 9
    assert len(many) == len(few) <= 12


def form_post(testapp, path, **fields):
    token = testapp.get(path).html.find("input", {"name": "csrf_token"})["value"]
    return testapp.post(path, {"__formid__": "deform", "csrf_token": token, "save": "save", **fields},
                        expect_errors=True)


def sla_fields(dbsession, **changes):
    fields = {"customer_department_id": str(department(dbsession, "education").id), "service_key": "",
              "target_percent": "۹۰", "resolution_hours": "", "valid_from": "۱۴۰۵/۰۱/۰۱", "valid_until": ""}
    return {**fields, **changes}


def test_the_director_sets_an_sla_in_persian_digits(testapp, dbsession, org):
    sign_in(testapp, "director")
    response = form_post(testapp, "/desk/ssc/agreements/sla/new",
                         **sla_fields(dbsession, resolution_hours="۴۸", valid_until="1405/12/29"))
    assert response.status_int == 303
    agreement = dbsession.scalar(select(SlaAgreement))
    assert (agreement.target_percent, agreement.resolution_hours) == (90, 48)
    assert jalali(agreement.valid_from) == "1405/01/01" and jalali(agreement.valid_until) == "1405/12/29"
    edit = form_post(testapp, f"/desk/ssc/agreements/sla/{agreement.id}", **sla_fields(dbsession, target_percent="95"))
    assert edit.status_int == 303 and agreement.target_percent == 95


def test_bad_agreements_are_refused_in_persian_and_nothing_is_saved(testapp, dbsession, org):
    sign_in(testapp, "director")
    cases = [
        (sla_fields(dbsession, target_percent="150"), "هدف باید درصدی از ۰ تا ۱۰۰ باشد."),
        (sla_fields(dbsession, target_percent="-5"), "هدف باید درصدی از ۰ تا ۱۰۰ باشد."),
        (sla_fields(dbsession, target_percent="نود"), "یک عدد صحیح بنویسید، برای نمونه ۹۰."),
        (sla_fields(dbsession, valid_from="1405/06/01", valid_until="1405/05/01"),
         "تاریخ پایان پیش از تاریخ آغاز است."),
        (sla_fields(dbsession, valid_from="1405/13/01"), "تاریخ را به صورت سال/ماه/روز شمسی وارد کنید"),
        (sla_fields(dbsession, customer_department_id="999999"), "یکی از گزینه‌های فهرست را انتخاب کنید."),
    ]
    for fields, message in cases:
        response = form_post(testapp, "/desk/ssc/agreements/sla/new", **fields)
        assert response.status_int == 400, fields
        assert message in response.text, (fields, message)
        assert 'value="۱۴۰۵/۰۱/۰۱"' in response.text or fields["valid_from"] in response.text  # kept as typed
    assert dbsession.scalar(select(SlaAgreement.id)) is None


def test_overlapping_agreements_of_one_scope_are_refused(testapp, dbsession, org):
    sign_in(testapp, "director")
    assert form_post(testapp, "/desk/ssc/agreements/sla/new", **sla_fields(dbsession)).status_int == 303
    response = form_post(testapp, "/desk/ssc/agreements/sla/new", **sla_fields(dbsession, valid_from="1405/06/01"))
    assert response.status_int == 400
    assert "توافق دیگری برای همین دامنه" in response.text


def test_an_ola_form_refuses_a_front_desk_team_and_zero_hours(testapp, dbsession, org):
    sign_in(testapp, "admin")
    fields = {"team_id": str(team(dbsession, "it", 1).id), "target_hours": "0", "target_percent": "80",
              "valid_from": "1405/01/01", "valid_until": ""}
    response = form_post(testapp, "/desk/ssc/agreements/ola/new", **fields)
    assert response.status_int == 400
    assert "یکی از گزینه‌های فهرست را انتخاب کنید." in response.text and "دست‌کم یک ساعت" in response.text
    fields.update(team_id=str(team(dbsession, "it", 3).id), target_hours="۲۴")
    assert form_post(testapp, "/desk/ssc/agreements/ola/new", **fields).status_int == 303
    assert dbsession.scalar(select(OlaAgreement.target_hours)) == 24


def test_a_period_typed_wrong_is_explained_and_this_month_is_shown(testapp, org):
    sign_in(testapp, "director")
    page = testapp.get("/desk/ssc/agreements", {"period": "range", "start": "1405/06/10", "end": "1405/06/01"},
                       status=400)
    assert page.html.find(attrs={"data-testid": "period-error"}).get_text(strip=True) == \
        "تاریخ پایان پیش از تاریخ آغاز است."
    page = testapp.get("/desk/ssc/agreements", {"period": "range", "start": "فردا"}, status=400)
    assert "سال/ماه/روز" in page.html.find(attrs={"data-testid": "period-error"}).get_text()
    page = testapp.get("/desk/ssc/agreements", {"period": "range", "start": "1405/01/01"}, status=400)
    assert page.html.find(attrs={"data-testid": "period-error"}).get_text(strip=True) == "آخرین روز بازه را بنویسید."
