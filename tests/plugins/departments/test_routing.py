"""New tickets reach the team the department's routing rules name, by service or by the words of
the request (compared after Persian normalization), else the department's front desk."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from core.models import Department, User
from plugins.tickets.desk import NewTicket


def open_ticket(desk, populated, code: str, subject: str, service_id: str | None = None, username="student"):
    department = populated.scalar(select(Department.id).where(Department.code == code))
    requester = populated.scalar(select(User.id).where(User.username == username))
    return desk(username).open(NewTicket(
        subject=subject, description="", department_id=department, type="service_request",
        service_key=f"catalog:{service_id}" if service_id else None, requester_id=requester))


def test_a_certificate_of_enrolment_goes_to_the_education_front_desk(desk, populated):
    ticket = open_ticket(desk, populated, "education", "گواهی برای نظام وظیفه", "10842120200")
    assert ticket.team.name == "میز خدمت آموزش" and ticket.tier == 1
    assert ticket.service_title == "گواهی اشتغال به تحصیل"
    assert ticket.promised_at > ticket.contact_at


@pytest.mark.parametrize(("code", "subject", "service_id", "team"), [
    ("it", "قطعی اینترنت در دانشکده فنی و مهندسی", None, "کارشناسان شبکه و سامانه‌ها"),
    ("it", "کندی اینترنت در کتابخانه", "10842110300", "پشتیبانی عمومی فناوری اطلاعات"),
    ("it", "وصل نشدن به eduroam", "10842110300", "میز خدمت فناوری اطلاعات"),
    ("education", "ثبت پايان نامه", None, "کارشناسان تحصیلات تکمیلی"),  # Arabic yeh, a space for the half-space
    ("education", "ثبت پایاننامه", None, "کارشناسان تحصیلات تکمیلی"),  # the half-space left out
    ("finance", "مغایرت مبلغ", "10842130100", "کارشناسان حقوق و دستمزد"),
    ("hr", "پيگيري خسارت بيمه تکميلي", None, "کارشناسان رفاه و بیمه"),
    ("hr", "گواهی اشتغال به کار برای بانک", "10842140100", "میز خدمت منابع انسانی"),
    ("facilities", "گیر کردن آسانسور دانشکده علوم پایه", None, "کارشناسان فنی ساختمان"),
    ("facilities", "سرد بودن کلاس‌ها", "10842150200", "تأسیسات و نگهداری"),
])
def test_rules_route_by_service_and_words(desk, populated, code, subject, service_id, team):
    assert open_ticket(desk, populated, code, subject, service_id, username="staff").team.name == team
