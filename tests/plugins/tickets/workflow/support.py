"""A test department plugin with request forms, approvals and fulfilment tasks (no catalog), and
what the tests of those share: the app with it registered, opening its requests, reading pages.

The fixtures are in this folder's ``conftest.py``.
"""
from __future__ import annotations

import re

import colander
import deform
import webtest
from sqlalchemy import select

from core import hookimpl
from core.contracts import ApprovalStep, FulfilmentTask, TicketService
from core.forms import document, jalali_date
from core.models import Department, OutboxMessage, Team, User
from core.testing import csrf_token, log_in
from plugins.tickets.desk import NewTicket
from plugins.tickets.models import Ticket
from plugins.tickets.request_forms import SubmittedForm

CERTIFICATE = "test:certificate"  # a form with a document; two approvals; two tasks
TRANSCRIPT = "test:transcript"  # a form without documents; no approval; one task for an unknown team
OWNED = "test:owned"  # approved by a service owner nobody is
PLAIN = "test:plain"  # no form, no approval, no task
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class CertificateForm(colander.Schema):
    needed_by = jalali_date("تاریخ مورد نیاز")
    language = colander.SchemaNode(
        colander.String(), title="زبان گواهی", validator=colander.OneOf(["fa", "en"]),
        widget=deform.widget.SelectWidget(values=[("", "انتخاب کنید"), ("fa", "فارسی"), ("en", "انگلیسی")]))
    student_card = document("تصویر کارت دانشجویی")


class TranscriptForm(colander.Schema):
    semesters = colander.SchemaNode(colander.Integer(), title="تعداد نیم‌سال‌ها",
                                    validator=colander.Range(1, 20))


class WorkflowPlugin:
    """Services of the education department, each with its own form, approvals and tasks."""

    def __init__(self):
        self.approvals = {
            CERTIFICATE: [ApprovalStep("requester_manager", "تأیید مدیر گروه"),
                          ApprovalStep("department_head")],
            OWNED: [ApprovalStep("service_owner", "تأیید مالک خدمت", username="nobody.here")],
        }
        self.tasks = {
            CERTIFICATE: [FulfilmentTask("صدور گواهی", "میز خدمت آموزش"),
                          FulfilmentTask("امضای گواهی", "کارشناسان امور آموزشی")],
            TRANSCRIPT: [FulfilmentTask("چاپ کارنامه", "تیمی که نیست")],
        }

    @hookimpl
    def pishkhan_ticket_services(self, dbsession, department_id):
        education = dbsession.scalar(select(Department.id).where(Department.code == "education"))
        if department_id not in (None, education):
            return None
        return [TicketService(key, title, education, promised_days=days) for key, title, days in (
            (CERTIFICATE, "گواهی اشتغال به تحصیل", 3), (TRANSCRIPT, "کارنامه", 2), (OWNED, "خدمت با مالک", 2),
            (PLAIN, "پرسش آموزشی", 5))]

    @hookimpl
    def pishkhan_request_form(self, request, service_key):
        return {CERTIFICATE: CertificateForm, TRANSCRIPT: TranscriptForm}.get(service_key, lambda: None)()

    @hookimpl
    def pishkhan_ticket_approvals(self, dbsession, ticket):
        return self.approvals.get(ticket.service_key)

    @hookimpl
    def pishkhan_ticket_fulfilment(self, dbsession, ticket):
        return self.tasks.get(ticket.service_key)


def browser(app, dbsession, username: str | None = None, address: str = "10.0.0.2") -> webtest.TestApp:
    """Another browser on the same database transaction, signed in as ``username``."""
    other = webtest.TestApp(app, extra_environ={"app.dbsession": dbsession, "REMOTE_ADDR": address,
                                                "HTTP_HOST": "localhost"})
    if username:
        log_in(other, username)
    return other


def department(dbsession, code: str) -> Department:
    return dbsession.scalar(select(Department).where(Department.code == code))


def user(dbsession, username: str) -> User:
    return dbsession.scalar(select(User).where(User.username == username))


def team(dbsession, name: str) -> Team:
    return dbsession.scalar(select(Team).where(Team.name == name))


def open_request(desk, dbsession, service_key: str = CERTIFICATE, requester: str = "student",
                 form: SubmittedForm | None = None, **changes) -> Ticket:
    data = NewTicket(subject="گواهی برای سفارت", description="برای ارائه به سفارت لازم است",
                     department_id=department(dbsession, "education").id, service_key=service_key,
                     type="service_request", requester_id=user(dbsession, requester).id, form=form)
    for name, value in changes.items():
        setattr(data, name, value)
    return desk(requester).open(data)


def portal_form(testapp, dbsession, service_key: str = CERTIFICATE, **changes) -> dict:
    values = {"department": str(department(dbsession, "education").id), "service": service_key,
              "type": "service_request", "urgency": "low", "subject": "گواهی برای سفارت",
              "description": "برای ارائه به سفارت لازم است", "csrf_token": csrf_token(testapp)}
    values.update(changes)
    return values


def with_form(values: dict, fields: list[tuple]) -> list[tuple]:
    """The portal's fields and the service's form inside its ``form`` mapping, as deform posts them."""
    return list(values.items()) + [("__start__", "form:mapping"), *fields, ("__end__", "form:mapping")]


def form_fields(page, action: str) -> dict:
    """The hidden fields of the form posting to ``action``, as the browser would send them."""
    form = page.html.find("form", action=re.compile(f"/{action}$"))
    return {field["name"]: field.get("value", "") for field in form.find_all("input", type="hidden")}


def text_of(page) -> str:
    return page.html.get_text(" ", strip=True)


def link_of(dbsession, username: str) -> str:
    """The approval link in the last e-mail to ``username``."""
    address = user(dbsession, username).email
    row = dbsession.scalar(select(OutboxMessage).where(OutboxMessage.recipient == address,
                                                       OutboxMessage.channel == "email")
                           .order_by(OutboxMessage.id.desc()).limit(1))
    return row.payload["link"].split("localhost", 1)[-1].split("6543", 1)[-1]
