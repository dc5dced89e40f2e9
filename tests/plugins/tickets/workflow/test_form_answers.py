"""The answers of a service's form read in the reader's language wherever they are shown: stored
with Latin digits (input is normalized), they show Persian digits on Persian pages and Latin
digits on English ones; a date reads in the reader's calendar; e-mail addresses, URLs and file
names stay exactly as written."""
from __future__ import annotations

import colander
import pytest
import webtest
from sqlalchemy import select

from core import hookimpl
from core.app import make_app
from core.contracts import TicketService
from core.forms import Digits, NormalizedString, jalali_date
from core.testing import log_in
from plugins.tickets.models import Approval, Ticket
from plugins.tickets.request_forms import SubmittedForm
from tests.plugins.tickets.workflow.support import (
    CERTIFICATE,
    PDF,
    browser,
    department,
    open_request,
    portal_form,
    user,
    with_form,
)

ROOM = "test:room"  # a form of typed text, digits, an e-mail address, a URL and a date; no approval
EMAIL = "ali.1402@uni.ac.ir"
URL = "https://lms.uni.ac.ir/course/2140"


class RoomForm(colander.Schema):
    room = colander.SchemaNode(NormalizedString(), title="طبقه و اتاق")
    extension = colander.SchemaNode(Digits(), title="تلفن داخلی")
    email = colander.SchemaNode(NormalizedString(), title="نشانی پست الکترونیک", validator=colander.Email())
    page = colander.SchemaNode(NormalizedString(), title="نشانی صفحه درس", missing="")
    needed_by = jalali_date("تاریخ مورد نیاز")


class RoomPlugin:
    @hookimpl
    def pishkhan_ticket_services(self, dbsession, department_id):
        education = department(dbsession, "education").id
        if department_id not in (None, education):
            return None
        return [TicketService(ROOM, "جابه‌جایی تلفن", education, promised_days=2)]

    @hookimpl
    def pishkhan_request_form(self, request, service_key):
        return RoomForm() if service_key == ROOM else None


@pytest.fixture
def app(tickets_plugin, workflow_plugin, register_plugin, app_settings, pluginmanager, engine, attachments_dir):
    register_plugin(RoomPlugin(), "test_room")
    return make_app({**app_settings, "tickets.attachments_dir": str(attachments_dir)}, pluginmanager=pluginmanager)


def answers(page) -> dict[str, str]:
    return {node["data-name"]: node.get_text(strip=True) for node in page.html.select("[data-testid=form-value]")}


def latest(dbsession) -> Ticket:
    return dbsession.scalar(select(Ticket).order_by(Ticket.id.desc()).limit(1))


def submit_room(testapp, org, needed_by="۱۴۰۵/۰۹/۱۵") -> Ticket:
    fields = [("room", "طبقه ۲، اتاق ۲۱۴"), ("extension", "۴۳۲۱"), ("email", EMAIL), ("page", URL),
              ("needed_by", needed_by)]
    testapp.post("/requests/new", with_form(portal_form(testapp, org, ROOM), fields), status=303,
                 content_type="multipart/form-data")
    return latest(org)


def test_the_answers_read_in_persian_digits_on_persian_pages_and_latin_on_english_ones(testapp, org, app):
    log_in(testapp, "student")
    ticket = submit_room(testapp, org)
    stored = {item["name"]: item["value"] for item in ticket.form_values}
    assert stored["room"] == "طبقه 2، اتاق 214" and stored["extension"] == "4321"  # normalized on the way in

    persian = {"room": "طبقه ۲، اتاق ۲۱۴", "extension": "۴۳۲۱", "email": EMAIL, "page": URL,
               "needed_by": "۱۴۰۵/۰۹/۱۵"}
    assert answers(testapp.get(f"/requests/{ticket.id}")) == persian
    assert answers(browser(app, org, "edu.desk").get(f"/desk/tickets/{ticket.id}")) == persian

    user(org, "student").preferred_language = "en"
    user(org, "edu.desk").preferred_language = "en"
    english = {"room": "طبقه 2، اتاق 214", "extension": "4321", "email": EMAIL, "page": URL,
               "needed_by": "2026-12-06"}
    assert answers(testapp.get(f"/requests/{ticket.id}")) == english
    assert answers(browser(app, org, "edu.desk", address="10.0.0.3").get(f"/desk/tickets/{ticket.id}")) == english


def test_a_date_answered_on_an_english_page_reads_jalali_on_a_persian_one(testapp, org, app):
    user(org, "student").preferred_language = "en"
    log_in(testapp, "student")
    ticket = submit_room(testapp, org, needed_by="1405/09/15")
    assert answers(testapp.get(f"/requests/{ticket.id}"))["needed_by"] == "2026-12-06"
    agent = browser(app, org, "edu.desk")
    assert answers(agent.get(f"/desk/tickets/{ticket.id}"))["needed_by"] == "۱۴۰۵/۰۹/۱۵"


def test_the_approver_reads_the_answers_in_persian_digits(org, desk, app):
    values = [{"name": "room", "title": "طبقه و اتاق", "value": "طبقه 2، اتاق 214"},
              {"name": "email", "title": "نشانی پست الکترونیک", "value": EMAIL}]
    ticket = open_request(desk, org, CERTIFICATE, requester="staff", form=SubmittedForm(values=values))
    step = org.scalar(select(Approval).where(Approval.ticket_id == ticket.id).order_by(Approval.position).limit(1))
    page = browser(app, org, "fin.manager").get(f"/desk/approvals/{step.id}")
    assert answers(page) == {"room": "طبقه ۲، اتاق ۲۱۴", "email": EMAIL}


def test_answers_stored_before_dates_were_kept_apart_read_in_the_readers_calendar(org, desk, app):
    """Older tickets keep a Persian reader's date as text, with Persian digits: it is still a date."""
    values = [{"name": "needed_by", "title": "تاریخ مورد نیاز", "value": "۱۴۰۵/۰۹/۱۵"},
              {"name": "semesters", "title": "تعداد نیم‌سال‌ها", "value": "3"},
              {"name": "student_card", "title": "تصویر کارت", "value": "scan 2.pdf", "file": True}]
    ticket = open_request(desk, org, form=SubmittedForm(values=values))
    agent = browser(app, org, "edu.desk")
    assert answers(agent.get(f"/desk/tickets/{ticket.id}")) == {
        "needed_by": "۱۴۰۵/۰۹/۱۵", "semesters": "۳", "student_card": "scan 2.pdf"}
    user(org, "edu.desk").preferred_language = "en"
    assert answers(browser(app, org, "edu.desk", address="10.0.0.3").get(f"/desk/tickets/{ticket.id}")) == {
        "needed_by": "2026-12-06", "semesters": "3", "student_card": "scan 2.pdf"}


def test_a_documents_name_is_shown_as_the_file_is_named(testapp, org, app):
    log_in(testapp, "student")
    fields = [("needed_by", "۱۴۰۵/۰۹/۱۵"), ("language", "fa"),
              ("student_card", webtest.Upload("کارت 2 دانشجویی.pdf", PDF, "application/pdf"))]
    testapp.post("/requests/new", with_form(portal_form(testapp, org), fields), status=303,
                 content_type="multipart/form-data")
    ticket = latest(org)
    assert answers(testapp.get(f"/requests/{ticket.id}"))["student_card"] == "کارت 2 دانشجویی.pdf"
