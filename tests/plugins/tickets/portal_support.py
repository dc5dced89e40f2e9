"""What the portal and tracking tests share: a guest's request typed in Persian, submitting it,
opening tickets through the desk, and reading pages (errors, Persian messages, Jalali dates)."""
from __future__ import annotations

from pathlib import Path

import jdatetime
from pyramid.i18n import make_localizer
from sqlalchemy import func, select

import core
from core.i18n import TEHRAN, _
from core.models import Department, User
from core.normalize import to_persian_digits
from core.testing import csrf_token
from plugins.tickets.desk import NewTicket
from plugins.tickets.models import Category, Ticket

FARSI = make_localizer("fa", [str(Path(core.__file__).parent / "locale")])
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 300


def department_id(dbsession, code: str) -> int:
    return dbsession.scalar(select(Department.id).where(Department.code == code))


def category(dbsession, code: str, index: int = 0) -> Category:
    return dbsession.scalars(
        select(Category).where(Category.department_id == department_id(dbsession, code)).order_by(Category.id)
    ).all()[index]


def user(dbsession, username: str) -> User:
    return dbsession.scalar(select(User).where(User.username == username))


def ticket_count(dbsession) -> int:
    return dbsession.scalar(select(func.count()).select_from(Ticket))


def guest_form(dbsession, **changes) -> dict:
    """A guest's request as typed in Persian: Arabic ي/ك in the text, Persian digits in the mobile."""
    it = category(dbsession, "it")
    values = {
        "department": str(it.department_id),
        "service": f"category:{it.id}",
        "type": "incident",
        "urgency": "high",
        "subject": "رمز عبور سامانه كار نمي‌كند",
        "description": "از ديروز نمي‌توانم وارد شوم.\nپيام خطا: رمز اشتباه است.",
        "guest_name": "مريم كاظمي",
        "guest_mobile": "۰۹۱۲ ۱۲۳ ۴۵۶۷",
        "guest_email": "",
        "guest_national_code": "",
    }
    values.update(changes)
    return values


def submit(testapp, values: dict, files=(), status: int | str = 303):
    params = {**values, "csrf_token": csrf_token(testapp)}
    return testapp.post("/requests/new", params, upload_files=list(files), status=status)


def open_ticket(desk, dbsession, requester: str | None = None, **changes) -> Ticket:
    it = category(dbsession, "it")
    data = NewTicket(subject="چاپگر طبقه دوم کار نمی‌کند", description="کاغذ گیر کرده است",
                     department_id=it.department_id, service_key=f"category:{it.id}")
    if requester:
        data.requester_id = user(dbsession, requester).id
    else:
        data.guest_name, data.guest_mobile = "علی رضایی", "09351234567"
    for name, value in changes.items():
        setattr(data, name, value)
    return desk(None).open(data)


def jalali_long(moment) -> str:
    day = jdatetime.date.fromgregorian(date=moment.astimezone(TEHRAN).date())
    return to_persian_digits(f"{day.day} {day.j_months_fa[day.month - 1]} {day.year}")


def persian(message: str, **mapping) -> str:
    """What a Persian reader sees for ``message``, from the catalog the application reads."""
    return FARSI.translate(_(message, mapping=mapping))


def errors_of(page) -> dict[str, str]:
    return {node["data-testid"][len("error-"):]: node.get_text(strip=True)
            for node in page.html.select("[data-testid^=error-]")}
