"""A certificate of enrolment through the desk, as the acceptance story runs it in the browser:
education's front desk receives it, the service owner approves, the front desk issues it, and the
last task done resolves the request, with the promised date taken from the identity card."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from core.i18n import to_tehran
from core.models import Department, User
from plugins.tickets import approvals, fulfilment
from plugins.tickets.desk import NewTicket

SATURDAY_MORNING = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)  # 09:30 in Tehran, a working Saturday


def test_a_certificate_is_approved_by_its_owner_issued_by_the_front_desk_and_resolved(desk, populated):
    education = populated.scalar(select(Department.id).where(Department.code == "education"))
    student = populated.scalar(select(User).where(User.username == "student"))
    ticket = desk("student").open(NewTicket(
        subject="گواهی اشتغال به تحصیل برای نظام وظیفه", department_id=education, type="service_request",
        service_key="catalog:10842120200", requester_id=student.id, contact_at=SATURDAY_MORNING))
    assert ticket.team.name == "میز خدمت آموزش"
    # The card's duration, 3 working days of education's calendar: Tuesday, at the same hour.
    assert to_tehran(ticket.promised_at).strftime("%A %Y-%m-%d %H:%M") == "Tuesday 2026-11-24 09:30"

    assert ticket.status == "pending"  # waiting for the approval of the card's owner
    [step] = approvals.steps_of(populated, ticket.id)
    assert (step.kind, step.title, step.approver.username) == ("service_owner", "تأیید کارشناس مسئول آموزش",
                                                                 "edu.lead")
    assert fulfilment.tasks_of(populated, ticket.id) == []
    approvals.decide(desk("edu.lead"), step, approve=True)

    [task] = fulfilment.tasks_of(populated, ticket.id)
    assert (task.title, task.team.name) == ("صدور و امضای گواهی", "میز خدمت آموزش")
    assert ticket.status == "new"
    assert fulfilment.complete(desk("edu.desk"), task, "گواهی صادر و در پیشخوان بارگذاری شد.")
    assert (ticket.status, ticket.resolution_code) == ("resolved", "fulfilled")
