"""Helpers of the SLA tests: Tehran wall-clock times in Jalali, the office calendar sure to
cover the worked examples, and tickets logged by the IT front desk at a given time."""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import jdatetime
import pytest
from sqlalchemy import select

from core.models import Department
from plugins.tickets import seed
from plugins.tickets.desk import NewTicket
from plugins.tickets.models import Category
from plugins.tickets.sla import manage

TEHRAN = ZoneInfo("Asia/Tehran")
OFFICE_WEEK = manage.week_of(None)


def tehran(jalali: str) -> datetime:
    """A Jalali Tehran wall-clock time such as "1405/09/04 14:00", as the UTC instant stored."""
    local = jdatetime.datetime.strptime(jalali, "%Y/%m/%d %H:%M").togregorian()
    return local.replace(tzinfo=TEHRAN).astimezone(UTC)


def shown(at: datetime | None) -> str | None:
    """A stored UTC instant as the desk shows it: Jalali date and Tehran time."""
    if at is None:
        return None
    return jdatetime.datetime.fromgregorian(datetime=at.astimezone(TEHRAN)).strftime("%Y/%m/%d %H:%M")


@pytest.fixture
def office(org, dbsession):
    """The organization's calendar, sure to cover the examples whatever today's date: office
    hours since 2020 and Iran's official holidays of 1405 and 1406 (what an administrator's
    "load the official holidays" action adds)."""
    calendar = seed.ensure_default_calendar(dbsession)
    now = tehran("1405/09/01 08:00")
    manage.save_version(dbsession, calendar, date(2020, 1, 1), OFFICE_WEEK, now)
    for year in (1405, 1406):
        manage.load_official_holidays(dbsession, calendar, year, now)
    return calendar


def department_id(dbsession, code: str) -> int:
    return dbsession.scalar(select(Department.id).where(Department.code == code))


def service_key(dbsession, code: str, index: int = 0) -> str:
    ids = dbsession.scalars(select(Category.id).where(Category.department_id == department_id(dbsession, code))
                            .order_by(Category.id)).all()
    return f"category:{ids[index]}"


def open_ticket(desk, dbsession, at: str, *, impact="medium", urgency="medium", code="it", service_index=0):
    """A phone call logged by the IT front desk at Tehran time ``at`` (P3 by default)."""
    return desk("agent", "phone", now=tehran(at)).open(NewTicket(
        subject="چاپگر طبقه دوم کار نمی‌کند", department_id=department_id(dbsession, code),
        service_key=service_key(dbsession, code, service_index), channel="phone", impact=impact, urgency=urgency,
        guest_name="رضا امینی", guest_mobile="09121234567"))


def due_dates(ticket) -> tuple[str | None, str | None]:
    return shown(ticket.response_due_at), shown(ticket.resolution_due_at)
