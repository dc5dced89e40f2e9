"""Data every installation needs (the organization's business calendar) and the demo's
categories; the demo's twelve months of tickets come from ``plugins.tickets.demo``."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.models import Department
from plugins.tickets.models import Calendar, CalendarVersion, Category, Holiday
from plugins.tickets.sla.calendar import default_hours, iranian_holidays
from plugins.tickets.sla.ticket_clocks import hours_to_json

# department code → (category, promised business days)
DEMO_CATEGORIES = {
    "it": [("حساب کاربری و گذرواژه", 1), ("اینترنت و شبکه بی‌سیم", 2), ("پست الکترونیک", 2),
           ("سامانه آموزشی (گلستان)", 3), ("نصب نرم‌افزار", 3), ("سخت‌افزار و چاپگر", 5)],
    "education": [("انتخاب واحد", 3), ("گواهی اشتغال به تحصیل", 2), ("ریزنمرات", 5),
                  ("مهمانی و انتقال", 10), ("فارغ‌التحصیلی", 15)],
    "finance": [("فیش حقوقی", 2), ("بازپرداخت هزینه", 10), ("شهریه دانشجویی", 5), ("وام دانشجویی", 10)],
    "hr": [("گواهی اشتغال به کار", 3), ("مرخصی", 2), ("بیمه تکمیلی", 10), ("حکم کارگزینی", 10)],
    "facilities": [("تعمیرات ساختمان", 5), ("سرمایش و گرمایش", 2), ("رزرو سالن", 3), ("نظافت", 1)],
}


def populate(dbsession, settings, demo: bool) -> None:
    ensure_default_calendar(dbsession)
    if demo:
        add_demo_categories(dbsession)
        from plugins.tickets import demo as demo_tickets

        demo_tickets.load(dbsession, settings)


def ensure_default_calendar(dbsession) -> Calendar:
    """The organization-wide calendar: Saturday–Wednesday 08:00–16:00 and Iran's official
    holidays for this year and the next two, which administrators then edit."""
    calendar = dbsession.scalar(select(Calendar).where(Calendar.department_id.is_(None)))
    if calendar is not None:
        return calendar
    this_year = date.today().year
    calendar = Calendar(
        name="تقویم کاری سازمان",
        versions=[CalendarVersion(valid_from=date(2000, 1, 1), hours=hours_to_json(default_hours()))],
        holidays=[Holiday(day=day, name=name[:200])
                  for day, name in iranian_holidays(range(this_year - 1, this_year + 2)).items()],
    )
    dbsession.add(calendar)
    dbsession.flush()
    return calendar


def add_demo_categories(dbsession) -> None:
    if dbsession.scalar(select(Category.id).limit(1)) is not None:
        return
    departments = dict(dbsession.execute(select(Department.code, Department.id)).all())
    for code, categories in DEMO_CATEGORIES.items():
        for name, days in categories:
            dbsession.add(Category(department_id=departments[code], name=name, promised_days=days))
    dbsession.flush()
