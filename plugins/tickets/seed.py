"""Data every installation needs (the organization's business calendar, and the calendars and
SLA policies departments' plugins declare) and the demo's categories; the demo's twelve months
of tickets come from ``plugins.tickets.demo``.

A department whose services are in the catalog (``pishkhan_ticket_services`` answers ``catalog:``
keys for it) gets no demo categories: its requesters ask for its catalog services, and the
portal must not offer a category and a service of the same name."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core.contracts import BusinessCalendarSpec, SlaPolicySpec, catalog_service_key
from core.models import Department
from core.plugins import flatten
from plugins.tickets.models import Calendar, CalendarVersion, CannedResponse, Category, Holiday, SlaPolicy
from plugins.tickets.sla.calendar import default_hours, iranian_holidays
from plugins.tickets.sla.ticket_clocks import hours_to_json

# department code → (category, promised business days, the catalog services (IDs) whose demo
# requests it receives when the catalog does not offer them)
DEMO_CATEGORIES = {
    "it": [("حساب کاربری و گذرواژه", 1, ("10842110100", "10842110200")),
           ("اینترنت و شبکه بی‌سیم", 2, ("10842110300",)), ("پست الکترونیک", 2, ("10842110400",)),
           ("سامانه آموزشی (گلستان)", 3, ("10842110500",)), ("نصب نرم‌افزار", 3, ("10842110600",)),
           ("سخت‌افزار و چاپگر", 5, ("10842110700",))],
    "education": [("انتخاب واحد", 3, ("10842120100",)), ("گواهی اشتغال به تحصیل", 2, ("10842120200",)),
                  ("ریزنمرات", 5, ("10842120300", "10842120400")), ("مهمانی و انتقال", 10, ("10842120500",)),
                  ("فارغ‌التحصیلی", 15, ("10842120700", "10842120600"))],
    "finance": [("فیش حقوقی", 2, ("10842130100", "10842130600")), ("بازپرداخت هزینه", 10, ("10842130200",)),
                ("شهریه دانشجویی", 5, ("10842130300", "10842130400")), ("وام دانشجویی", 10, ("10842130500",))],
    "hr": [("گواهی اشتغال به کار", 3, ("10842140100",)), ("مرخصی", 2, ("10842140200",)),
           ("بیمه تکمیلی", 10, ("10842140300", "10842140500")), ("حکم کارگزینی", 10, ("10842140400",))],
    "facilities": [("تعمیرات ساختمان", 5, ("10842150100",)), ("سرمایش و گرمایش", 2, ("10842150200",)),
                   ("رزرو سالن", 3, ("10842150300",)), ("نظافت", 1, ("10842150400",))],
}


def populate(dbsession, settings, demo: bool, hook) -> None:
    ensure_default_calendar(dbsession)
    add_department_calendars(dbsession, flatten(hook.pishkhan_business_calendars()))
    add_department_sla_policies(dbsession, flatten(hook.pishkhan_sla_policies()))
    if demo:
        add_demo_categories(dbsession, skip=catalog_departments(dbsession, hook))
        add_demo_canned_responses(dbsession)
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


def add_department_calendars(dbsession, specs: list[BusinessCalendarSpec]) -> None:
    """A calendar for each department that has none, with Iran's official holidays."""
    departments = dict(dbsession.execute(select(Department.code, Department.id)).all())
    with_calendar = set(dbsession.scalars(select(Calendar.department_id).where(Calendar.department_id.is_not(None))))
    this_year = date.today().year
    for spec in specs:
        department_id = departments.get(spec.department)
        if department_id is None or department_id in with_calendar:
            continue
        holidays = iranian_holidays(range(this_year - 1, this_year + 2))
        holidays.update(dict(spec.holidays))
        dbsession.add(Calendar(
            name=spec.name,
            department_id=department_id,
            versions=[CalendarVersion(valid_from=date(2000, 1, 1),
                                      hours={str(day): [list(interval) for interval in intervals]
                                             for day, intervals in spec.hours.items() if intervals})],
            holidays=[Holiday(day=day, name=name[:200]) for day, name in sorted(holidays.items())],
        ))
        with_calendar.add(department_id)
    dbsession.flush()


def add_department_sla_policies(dbsession, specs: list[SlaPolicySpec]) -> None:
    """The departments' SLA policies, unless administrators already have a row for the same
    department, service and priority."""
    departments = dict(dbsession.execute(select(Department.code, Department.id)).all())
    existing = set(dbsession.execute(select(SlaPolicy.department_id, SlaPolicy.service_key, SlaPolicy.priority)).all())
    for spec in specs:
        department_id = departments.get(spec.department)
        key = (department_id, spec.service, spec.priority)
        if department_id is None or key in existing:
            continue
        dbsession.add(SlaPolicy(department_id=department_id, service_key=spec.service, priority=spec.priority,
                                response_minutes=spec.response_minutes, resolution_minutes=spec.resolution_minutes))
        existing.add(key)
    dbsession.flush()


def catalog_departments(dbsession, hook) -> set[str]:
    """The codes of the departments some of whose services are catalog services."""
    prefix = catalog_service_key("")
    with_services = {service.department_id
                     for service in flatten(hook.pishkhan_ticket_services(dbsession=dbsession, department_id=None))
                     if service.key.startswith(prefix)}
    return set(dbsession.scalars(select(Department.code).where(Department.id.in_(with_services))))


# department code (None: every department) → the demo's canned responses (title, body)
DEMO_CANNED_RESPONSES = {
    None: [("سلام و احترام", "با سلام و احترام،"),
           ("درخواست اطلاعات بیشتر", "برای بررسی دقیق‌تر، لطفاً زمان بروز مشکل و پیام خطایی را که دیدید "
                                     "(در صورت امکان با تصویر صفحه) برای ما بنویسید."),
           ("پیگیری با کد رهگیری", "پیشرفت کار را می‌توانید در صفحهٔ «پیگیری درخواست» با کد رهگیری ببینید.")],
    "it": [("بازنشانی گذرواژه", "گذرواژهٔ شما بازنشانی شد و گذرواژهٔ موقت به شمارهٔ همراه ثبت‌شده پیامک شد. "
                                "لطفاً پس از ورود آن را تغییر دهید."),
           ("اتصال به eduroam", "لطفاً شبکهٔ eduroam را در دستگاه خود «فراموش» کنید و دوباره با نام کاربری "
                                "و گذرواژهٔ سامانهٔ جامع وصل شوید.")],
    "education": [("گواهی آماده است", "گواهی درخواستی شما صادر شد و از سامانهٔ گلستان قابل دریافت است.")],
    "finance": [("فیش حقوقی در سامانه", "فیش حقوقی از سامانهٔ جامع، بخش «حقوق و دستمزد» قابل دریافت است.")],
    "hr": [("مدارک ناقص", "برای ادامهٔ کار، لطفاً مدارک خواسته‌شده را پیوست کنید.")],
    "facilities": [("اعزام تکنسین", "تکنسین تأسیسات برای بررسی به محل اعزام می‌شود.")],
}


def add_demo_canned_responses(dbsession) -> None:
    """The demo's canned responses, for the departments that exist; once."""
    if dbsession.scalar(select(CannedResponse.id).limit(1)) is not None:
        return
    departments = dict(dbsession.execute(select(Department.code, Department.id)).all())
    for code, responses in DEMO_CANNED_RESPONSES.items():
        if code is not None and code not in departments:
            continue
        for title, body in responses:
            dbsession.add(CannedResponse(department_id=departments.get(code), title=title, body=body))
    dbsession.flush()


def add_demo_categories(dbsession, skip: set[str] = frozenset()) -> None:
    """The demo categories of the departments that exist, except those of ``skip`` (codes)."""
    if dbsession.scalar(select(Category.id).limit(1)) is not None:
        return
    departments = dict(dbsession.execute(select(Department.code, Department.id)).all())
    for code, categories in DEMO_CATEGORIES.items():
        if code in skip or code not in departments:
            continue
        for name, days, _services in categories:
            dbsession.add(Category(department_id=departments[code], name=name, promised_days=days))
    dbsession.flush()
