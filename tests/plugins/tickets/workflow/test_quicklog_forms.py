"""The front desk fills the service's own form for a walk-in or a call: the fields come with the
service, the answers and documents are stored with the ticket as on the portal, and a missing
answer is refused with everything typed kept."""
from __future__ import annotations

import webtest
from sqlalchemy import select

from plugins.tickets.models import Attachment, Ticket
from tests.plugins.tickets.portal_support import persian
from tests.plugins.tickets.workflow.support import CERTIFICATE, PDF, PLAIN, browser, department, text_of, user

SUBJECT = "گواهی اشتغال به تحصیل برای بانک"


def contact(app, org):
    """The quick-log of the education front desk, the certificate chosen for a known student."""
    desk = browser(app, org, "edu.desk")
    page = desk.get("/desk/contact")
    form = page.forms["quicklog"]
    form["department_id"] = str(department(org, "education").id)
    form["service_key"] = CERTIFICATE
    form["q"] = user(org, "student").mobile
    form = form.submit("action", value="find").forms["quicklog"]  # as without JavaScript
    form["requester"] = f"user:{user(org, 'student').id}"
    form["subject"] = SUBJECT
    form["description"] = "دانشجو حضوری مراجعه کرده است."
    return desk, form


def test_the_services_fields_come_with_it_and_go_with_another(app, org):
    desk = browser(app, org, "edu.desk")
    education = str(department(org, "education").id)
    fields = desk.get("/desk/contact", {"part": "service", "department_id": education, "service_key": CERTIFICATE},
                      headers={"HX-Request": "true"})
    assert fields.html.find("input", {"name": "needed_by"}).has_attr("data-jalali-date")
    assert fields.html.find("input", {"name": "student_card"})["type"] == "file"
    plain = desk.get("/desk/contact", {"part": "service", "department_id": education, "service_key": PLAIN},
                     headers={"HX-Request": "true"})
    assert plain.html.find("input") is None
    other_department = desk.get("/desk/contact", {"part": "department", "department_id": education},
                                headers={"HX-Request": "true"})
    assert other_department.html.find(id="service-form").find("input") is None  # cleared with the department


def test_a_walk_in_handed_off_with_the_services_form_and_document(app, org):
    _desk, form = contact(app, org)
    form["needed_by"] = "۱۴۰۵/۱۰/۰۱"
    form["language"] = "en"
    form["student_card"] = webtest.Upload("کارت.pdf", PDF, "application/pdf")
    form.submit("action", value="handoff", status=303)
    ticket = org.scalar(select(Ticket).where(Ticket.subject == SUBJECT))
    assert ticket.channel == "phone" and ticket.status == "pending"  # waiting for its approval
    assert {item["name"]: item["value"] for item in ticket.form_values} == {
        "needed_by": "۱۴۰۵/۱۰/۰۱", "language": "انگلیسی", "student_card": "کارت.pdf"}
    attachment = org.scalar(select(Attachment).where(Attachment.ticket_id == ticket.id))
    assert attachment.label == "تصویر کارت دانشجویی"


def test_a_missing_answer_is_refused_and_what_was_typed_is_kept(app, org):
    _desk, form = contact(app, org)
    form["language"] = "fa"
    page = form.submit("action", value="handoff", status=400)
    assert persian("Some details this service needs are missing or not valid: see the marked fields below.") \
        in text_of(page)
    again = page.forms["quicklog"]
    assert again["subject"].value == SUBJECT and again["language"].value == "fa"
    assert org.scalar(select(Ticket).where(Ticket.subject == SUBJECT)) is None
