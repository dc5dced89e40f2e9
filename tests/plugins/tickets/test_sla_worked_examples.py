"""SLA worked examples through the desk: tickets opened at fixed Tehran times on the office
calendar, their stored due dates read back as the desk shows them (Jalali, Tehran time).

The office week is Saturday–Wednesday 08:00–16:00. Priorities: P1 30 min / 4 h, P2 1 h / 8 h,
P3 4 h / 24 h, P4 8 h / 40 h of business time. 1405/09/04 is a Wednesday, 1405/09/07 a Saturday.
"""
from __future__ import annotations

from datetime import date, timedelta

import jdatetime
import pytest
from sqlalchemy import select

from core import hookimpl
from core.contracts import SlaTargets
from core.i18n import format_datetime
from plugins.tickets.models import SlaClock, SlaPolicy
from plugins.tickets.sla import manage
from tests.plugins.tickets import sla_helpers
from tests.plugins.tickets.sla_helpers import department_id, due_dates, open_ticket, service_key, shown, tehran

office = sla_helpers.office
pytestmark = pytest.mark.usefixtures("office")


def jalali_day(text: str) -> date:
    return jdatetime.date(*(int(part) for part in text.split("/"))).togregorian()


def test_across_thursday_and_friday(desk, dbsession):
    # Wednesday 14:00, P3: 2 h left on Wednesday; Thursday and Friday are closed.
    ticket = open_ticket(desk, dbsession, "1405/09/04 14:00")
    assert ticket.priority == 3
    # Response 4 h: Wed 14–16, Sat 08–10. Resolution 24 h: Wed 2 + Sat 8 + Sun 8 + Mon 08–14.
    assert due_dates(ticket) == ("1405/09/07 10:00", "1405/09/09 14:00")
    assert format_datetime(ticket.response_due_at, "fa") == "۱۴۰۵/۰۹/۰۷ ۱۰:۰۰"
    assert ticket.sla_due_at == ticket.response_due_at and ticket.sla_state == "ok"


def test_across_nowruz(desk, dbsession):
    # Wednesday 26 Esfand 1405, P4. Closed: Thu–Fri, 29 Esfand (oil nationalization day),
    # 1–4 Farvardin (Nowruz, Sunday–Wednesday), then Thu–Fri again: work resumes 7 Farvardin.
    ticket = open_ticket(desk, dbsession, "1405/12/26 10:00", impact="low", urgency="low")
    assert ticket.priority == 4
    # Response 8 h: Wed 10–16 (6 h) + Sat 7 Farvardin 08–10.
    # Resolution 40 h: 6 + 8 (Sat) + 8 (Sun) + 8 (Mon) + 8 (Tue) + Wed 11 Farvardin 08–10.
    assert due_dates(ticket) == ("1406/01/07 10:00", "1406/01/11 10:00")
    assert format_datetime(ticket.resolution_due_at, "fa") == "۱۴۰۶/۰۱/۱۱ ۱۰:۰۰"


def test_receipt_promise_across_nowruz(desk, dbsession):
    # The IT service "account and password" promises one business day (8 working hours).
    ticket = open_ticket(desk, dbsession, "1405/12/26 10:00", impact="low", urgency="low")
    assert ticket.service_title == "حساب کاربری و گذرواژه"
    assert shown(ticket.promised_at) == "1406/01/07 10:00"


def test_with_a_lunch_break(desk, dbsession):
    it = department_id(dbsession, "it")
    calendar = manage.create_department_calendar(dbsession, it, "تقویم فناوری اطلاعات", date(2026, 11, 1))
    week = {day: [] for day in range(7)}
    for day in manage.WEEK[:5]:
        week[day] = manage.parse_day("۰۸:۰۰-۱۲:۰۰، ۱۳:۰۰-۱۶:۰۰")
    manage.save_version(dbsession, calendar, date(2026, 11, 21), week, tehran("1405/09/01 08:00"))
    ticket = open_ticket(desk, dbsession, "1405/09/07 10:00")
    clocks = dbsession.scalars(select(SlaClock).where(SlaClock.ticket_id == ticket.id)).all()
    assert {row.calendar_id for row in clocks} == {calendar.id}
    # Response 4 h: 10–12, 13–15. Resolution 24 h over 7-hour days: Sat 5 + Sun 7 + Mon 7 +
    # Tue 08–12 (4) + 13–14.
    assert due_dates(ticket) == ("1405/09/07 15:00", "1405/09/10 14:00")


def test_a_declared_closure_moves_due_dates_and_lifting_it_moves_them_back(desk, dbsession):
    ticket = open_ticket(desk, dbsession, "1405/09/07 09:00")
    assert due_dates(ticket) == ("1405/09/07 13:00", "1405/09/10 09:00")
    version = ticket.version
    # At 09:30 on Saturday, offices are closed for heat from 10:00 until Sunday night.
    closure, moved = manage.declare_closure(dbsession, None, tehran("1405/09/07 10:00"), tehran("1405/09/09 00:00"),
                                            "گرمای هوا", None, tehran("1405/09/07 09:30"))
    assert moved == 1
    # Response: 09–10 used, 3 h from Monday 08:00. Resolution: 1 + Mon 8 + Tue 8 + Wed 08–15.
    assert due_dates(ticket) == ("1405/09/09 11:00", "1405/09/11 15:00")
    assert ticket.version == version  # a moved due date is no edit an agent could conflict with
    assert manage.lift_closure(dbsession, closure, tehran("1405/09/07 09:45")) == 1
    assert due_dates(ticket) == ("1405/09/07 13:00", "1405/09/10 09:00")


@pytest.mark.parametrize("created_at", [
    "1405/02/16 15:00",  # before the summer hours: the version in force is the year-round one
    "1405/02/20 09:00",  # during them: the ticket started under the year-round hours
])
def test_a_department_calendar_copies_every_version_and_closure_so_no_due_date_moves(
        desk, dbsession, office, created_at):
    """Summer hours 06:00–13:00 from Saturday 19 Ordibehesht 1405, announced in advance, and the
    organization's calendar (only) closed on Monday 21 Ordibehesht. A P3 ticket opened on
    Wednesday 16 Ordibehesht at 14:00. Then IT gets its own calendar, a copy of that one, and
    later a holiday far away: the ticket's clocks count on the copy and nothing may move."""
    summer = {day: [] for day in range(7)}
    for day in manage.WEEK[:5]:
        summer[day] = manage.parse_day("06:00-13:00")
    manage.save_version(dbsession, office, jalali_day("1405/02/19"), summer, tehran("1405/02/01 08:00"))
    ticket = open_ticket(desk, dbsession, "1405/02/16 14:00")
    manage.declare_closure(dbsession, office.id, tehran("1405/02/21 00:00"), tehran("1405/02/22 00:00"),
                           "قطع برق ساختمان مرکزی", None, tehran("1405/02/16 14:30"))
    # Response 4 h: Wed 14–16, Sat 06–08. Resolution 24 h: Wed 2 + Sat 7 + Sun 7 + (Mon closed)
    # Tue 7 + Wed 23 Ordibehesht 06–07.
    assert due_dates(ticket) == ("1405/02/19 08:00", "1405/02/23 07:00")

    it = manage.create_department_calendar(dbsession, department_id(dbsession, "it"), "تقویم فناوری اطلاعات",
                                           tehran(created_at).astimezone(sla_helpers.TEHRAN).date())
    assert {row.calendar_id for row in dbsession.scalars(select(SlaClock).where(SlaClock.ticket_id == ticket.id))} \
        == {it.id}
    moved = manage.add_holiday(dbsession, it, jalali_day("1405/06/01"), "تعطیلی دانشگاه", tehran(created_at))
    assert moved == 0
    assert due_dates(ticket) == ("1405/02/19 08:00", "1405/02/23 07:00")


def test_a_closure_of_another_calendar_moves_nothing_here(desk, dbsession):
    hr = manage.create_department_calendar(dbsession, department_id(dbsession, "hr"), "", date(2026, 11, 1))
    ticket = open_ticket(desk, dbsession, "1405/09/07 09:00")
    _, moved = manage.declare_closure(dbsession, hr.id, tehran("1405/09/07 10:00"), tehran("1405/09/09 00:00"),
                                      "قطع برق ساختمان منابع انسانی", None, tehran("1405/09/07 09:30"))
    assert moved == 0
    assert due_dates(ticket) == ("1405/09/07 13:00", "1405/09/10 09:00")


def test_pending_time_is_not_counted(desk, dbsession):
    ticket = open_ticket(desk, dbsession, "1405/09/07 09:00")
    desk("agent", now=tehran("1405/09/07 10:00")).transition(ticket, "pend", reason="awaiting_requester")
    assert ticket.sla_state == "paused" and ticket.sla_due_at is None
    assert due_dates(ticket) == (None, None)
    desk("agent", now=tehran("1405/09/09 10:00")).transition(ticket, "resume")
    # 1 h used before the pause. Response: 3 h from Monday 10:00. Resolution: 23 h = Mon 6 +
    # Tue 8 + Wed 8 + (Thu, Fri closed) Sat 08–09.
    assert due_dates(ticket) == ("1405/09/09 13:00", "1405/09/14 09:00")
    assert ticket.sla_state == "ok"


def test_a_closure_declared_late_gives_a_pending_ticket_back_the_time_it_ran(desk, dbsession):
    ticket = open_ticket(desk, dbsession, "1405/09/07 09:00")
    desk("agent", now=tehran("1405/09/07 10:00")).transition(ticket, "pend", reason="awaiting_requester")
    # At 11:00, Saturday is declared closed from 08:00 (heat): the hour it ran, 09–10, is given back.
    _, moved = manage.declare_closure(dbsession, None, tehran("1405/09/07 08:00"), tehran("1405/09/08 00:00"),
                                      "گرمای هوا", None, tehran("1405/09/07 11:00"))
    assert moved == 1
    assert {row.kind: row.consumed_seconds for row in dbsession.scalars(
        select(SlaClock).where(SlaClock.ticket_id == ticket.id))} == {"response": 0, "resolution": 0}
    desk("agent", now=tehran("1405/09/09 10:00")).transition(ticket, "resume")
    # The whole of both targets from Monday 10:00. Response: 4 h. Resolution: 24 h = Mon 6 +
    # Tue 8 + Wed 8 + (Thu, Fri closed) Sat 08–10.
    assert due_dates(ticket) == ("1405/09/09 14:00", "1405/09/14 10:00")


def test_a_priority_change_retargets_the_running_clocks(desk, dbsession):
    ticket = open_ticket(desk, dbsession, "1405/09/07 09:00", impact="low", urgency="low")
    assert due_dates(ticket) == ("1405/09/08 09:00", "1405/09/14 09:00")
    desk("agent", now=tehran("1405/09/07 10:00")).update(ticket, impact="high", urgency="high")
    assert ticket.priority == 1
    # Counted from the contact time: response 30 min (already missed), resolution 4 h.
    assert due_dates(ticket) == ("1405/09/07 09:30", "1405/09/07 13:00")
    assert ticket.sla_state == "breached"


def policy(dbsession, department=None, service=None, priority=3, response=60, resolution=600):
    return manage.save_policy(dbsession, department_id=department, service_key=service, priority=priority,
                              response_minutes=response, resolution_minutes=resolution)


def test_policy_rows_override_the_settings_most_specific_first(desk, dbsession):
    it = department_id(dbsession, "it")
    policy(dbsession, response=120, resolution=960)  # the whole organization: 2 h / 16 h
    ticket = open_ticket(desk, dbsession, "1405/09/07 09:00")
    assert due_dates(ticket) == ("1405/09/07 11:00", "1405/09/09 09:00")
    policy(dbsession, department=it, response=60, resolution=480)  # IT: 1 h / 8 h
    ticket = open_ticket(desk, dbsession, "1405/09/07 09:00")
    assert due_dates(ticket) == ("1405/09/07 10:00", "1405/09/08 09:00")
    policy(dbsession, department=it, service=service_key(dbsession, "it", 1), response=30, resolution=240)
    ticket = open_ticket(desk, dbsession, "1405/09/07 09:00", service_index=1)
    assert due_dates(ticket) == ("1405/09/07 09:30", "1405/09/07 13:00")
    # Another department's row, or another priority's, does not apply.
    policy(dbsession, department=department_id(dbsession, "hr"), priority=4, response=1, resolution=2)
    ticket = open_ticket(desk, dbsession, "1405/09/07 09:00")
    assert due_dates(ticket) == ("1405/09/07 10:00", "1405/09/08 09:00")
    # Saving the same scope and priority again replaces the row.
    policy(dbsession, department=it, response=90, resolution=480)
    assert len(dbsession.scalars(select(SlaPolicy).where(SlaPolicy.department_id == it)).all()) == 2


class FifteenMinutes:
    """A department plugin promising 15 minutes / 2 hours for everything."""

    @hookimpl
    def pishkhan_ticket_sla_policy(self, dbsession, ticket, settings):
        return SlaTargets(timedelta(minutes=15), timedelta(hours=2))


def test_a_plugin_sla_policy_wins_over_rows_and_settings(desk, dbsession, register_plugin):
    policy(dbsession, department=department_id(dbsession, "it"), response=60, resolution=480)
    register_plugin(FifteenMinutes(), "fifteen-minutes")
    ticket = open_ticket(desk, dbsession, "1405/09/07 09:00")
    assert due_dates(ticket) == ("1405/09/07 09:15", "1405/09/07 11:00")
