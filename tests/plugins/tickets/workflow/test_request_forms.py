"""Request forms: a service's own fields on the portal, validated against its schema, stored with
the ticket as they read, documents attached; the same through the JSON API."""
from __future__ import annotations

import base64

import webtest
from sqlalchemy import select

from core.auth import create_api_token
from core.testing import log_in
from plugins.tickets.models import Approval, Attachment, Ticket
from plugins.tickets.request_forms import SubmittedForm
from tests.plugins.tickets.portal_support import persian
from tests.plugins.tickets.workflow.support import (
    CERTIFICATE,
    PDF,
    PLAIN,
    TRANSCRIPT,
    browser,
    department,
    link_of,
    open_request,
    portal_form,
    text_of,
    user,
    with_form,
)

CARD = webtest.Upload("کارت دانشجویی.pdf", PDF, "application/pdf")


def certificate_fields(**changes) -> list[tuple]:
    fields = {"needed_by": "۱۴۰۵/۰۹/۱۵", "language": "fa", "student_card": CARD}
    fields.update(changes)
    return [(name, value) for name, value in fields.items() if value is not None]


def submit(testapp, values, fields, status=303):
    return testapp.post("/requests/new", with_form(values, fields), status=status,
                        content_type="multipart/form-data")


def latest(dbsession) -> Ticket:
    return dbsession.scalar(select(Ticket).order_by(Ticket.id.desc()).limit(1))


def test_the_service_link_preselects_it_and_shows_its_fields(testapp, org, app):
    log_in(testapp, "student")
    page = testapp.get("/requests/new", {"service": CERTIFICATE})
    department_id = str(department(org, "education").id)
    assert page.html.find("select", id="department").find("option", selected=True)["value"] == department_id
    assert page.html.find("select", id="service").find("option", selected=True)["value"] == CERTIFICATE
    fields = page.html.find(id="request-form-fields")
    assert fields.find("input", {"name": "needed_by"}).has_attr("data-jalali-date")
    assert fields.find("input", {"name": "student_card"})["type"] == "file"
    assert "زبان گواهی" in fields.get_text()
    assert fields.select_one("[autofocus]") is None  # the subject keeps the focus order of the page
    # Choosing another service (htmx asks the same page) swaps the fields.
    other = testapp.get("/requests/new", {"department": department_id, "service": TRANSCRIPT},
                        headers={"HX-Request": "true"})
    swapped = other.html.find(id="request-form-fields")
    assert swapped.find("input", {"name": "semesters"}) is not None
    assert swapped.find("input", {"name": "needed_by"}) is None
    plain = testapp.get("/requests/new", {"department": department_id, "service": PLAIN})
    assert plain.html.find(id="request-form-fields").find("input") is None


def test_a_submitted_form_is_stored_as_it_reads_and_its_document_attached(testapp, org, app):
    log_in(testapp, "student")
    submit(testapp, portal_form(testapp, org), certificate_fields())
    ticket = latest(org)
    assert ticket.service_title == "گواهی اشتغال به تحصیل"
    assert ticket.form_values == [
        {"name": "needed_by", "title": "تاریخ مورد نیاز", "value": "۱۴۰۵/۰۹/۱۵", "date": "2026-12-06"},
        {"name": "language", "title": "زبان گواهی", "value": "فارسی"},
        {"name": "student_card", "title": "تصویر کارت دانشجویی", "value": "کارت دانشجویی.pdf", "file": True},
    ]
    attachment = org.scalar(select(Attachment).where(Attachment.ticket_id == ticket.id))
    assert (attachment.filename, attachment.label) == ("کارت دانشجویی.pdf", "تصویر کارت دانشجویی")
    page = testapp.get(f"/requests/{ticket.id}")
    values = {node["data-name"]: node.get_text(strip=True) for node in page.html.select("[data-testid=form-value]")}
    assert values["language"] == "فارسی"
    assert page.html.select_one("[data-testid=file-label]").get_text(strip=True) == "تصویر کارت دانشجویی:"
    agent = browser(app, org, "edu.desk")
    desk_page = agent.get(f"/desk/tickets/{ticket.id}")
    assert "تاریخ مورد نیاز" in text_of(desk_page) and "۱۴۰۵/۰۹/۱۵" in text_of(desk_page)


def test_a_form_without_its_required_document_is_refused_and_nothing_typed_is_lost(testapp, org, app):
    log_in(testapp, "student")
    before = org.query(Ticket).count()
    page = submit(testapp, portal_form(testapp, org), certificate_fields(student_card=None), status=400)
    assert org.query(Ticket).count() == before
    message = page.html.select_one("[data-testid=error-request_form]").get_text(strip=True)
    assert persian("Some details this service needs are missing or not valid: see the marked fields below.") in message
    assert persian("Nothing was sent. What you typed is kept below, but browsers do not keep chosen files: "
                   "choose your files again.") in message
    assert "«تصویر کارت دانشجویی» را پیوست کنید." in text_of(page)
    assert page.html.find("input", {"name": "needed_by"})["value"] == "۱۴۰۵/۰۹/۱۵"
    assert page.html.find("input", {"name": "subject"})["value"] == "گواهی برای سفارت"
    assert page.html.find("select", {"name": "language"}).find("option", selected=True)["value"] == "fa"


def test_a_bad_jalali_date_and_a_file_that_lies_are_refused(testapp, org, app):
    log_in(testapp, "student")
    fake = webtest.Upload("card.pdf", b"MZ\x90\x00" + b"\x00" * 100, "application/pdf")
    page = submit(testapp, portal_form(testapp, org), certificate_fields(needed_by="1405/13/40", student_card=fake),
                  status=400)
    text = text_of(page)
    assert persian("Enter a Jalali date as year/month/day, for example 1405/09/03.") in text
    assert "واقعی" in text or ".pdf" in text  # the content check of core.uploads speaks
    assert page.html.find("input", {"name": "needed_by"})["value"] == "1405/13/40"


def test_a_field_not_in_the_form_is_refused(testapp, org, app):
    log_in(testapp, "student")
    before = org.query(Ticket).count()
    page = submit(testapp, portal_form(testapp, org), certificate_fields() + [("grade", "20")], status=400)
    assert org.query(Ticket).count() == before
    assert page.html.select_one("[data-testid=error-request_form]") is not None


def test_a_service_without_a_form_is_submitted_as_before(testapp, org, app):
    log_in(testapp, "student")
    values = portal_form(testapp, org, PLAIN)
    testapp.post("/requests/new", values, status=303)
    assert latest(org).form_values is None


# --- the JSON API ------------------------------------------------------------------------------

def api_body(org, **changes) -> dict:
    body = {"subject": "گواهی برای سفارت", "description": "لازم است", "department_id": department(org, "education").id,
            "service_key": CERTIFICATE, "type": "service_request",
            "form": {"needed_by": "1405/09/15", "language": "en",
                     "student_card": {"filename": "card.pdf", "content": base64.b64encode(PDF).decode()}}}
    body.update(changes)
    return body


def test_the_api_accepts_form_values_validated_like_the_portal(testapp, org, app):
    log_in(testapp, "student")
    answer = testapp.post_json("/api/v1/tickets", api_body(org), status=201, headers=bearer(org, "student"))
    ticket = org.get(Ticket, answer.json["id"])
    assert ticket.form_values[1] == {"name": "language", "title": "زبان گواهی", "value": "انگلیسی"}
    assert answer.json["form"][0]["value"] == "۱۴۰۵/۰۹/۱۵"
    assert org.scalar(select(Attachment.label).where(Attachment.ticket_id == ticket.id)) == "تصویر کارت دانشجویی"


def test_the_api_names_a_field_the_form_does_not_have(testapp, org, app):
    log_in(testapp, "student")
    body = api_body(org)
    body["form"]["grade"] = "20"
    answer = testapp.post_json("/api/v1/tickets", body, status=400, headers=bearer(org, "student"))
    assert answer.json["error"]["field"] == "form.grade"


def test_the_api_refuses_a_form_without_its_document(testapp, org, app):
    log_in(testapp, "student")
    body = api_body(org)
    del body["form"]["student_card"]
    answer = testapp.post_json("/api/v1/tickets", body, status=400, headers=bearer(org, "student"))
    assert answer.json["error"]["field"] == "form.student_card"
    body = api_body(org, form={"needed_by": "1405/09/15", "language": "fa", "student_card": "not a file"})
    answer = testapp.post_json("/api/v1/tickets", body, status=400, headers=bearer(org, "student"))
    assert answer.json["error"]["field"] == "form.student_card"


def test_a_stored_form_reads_the_same_when_its_plugin_is_gone(org, desk, app, pluginmanager):
    values = [{"name": "needed_by", "title": "تاریخ مورد نیاز", "value": "۱۴۰۵/۰۹/۱۵"}]
    ticket = open_request(desk, org, PLAIN, form=SubmittedForm(values=values))
    pluginmanager.unregister(name="test_workflow")
    agent = browser(app, org, "edu.desk")
    page = agent.get(f"/desk/tickets/{ticket.id}")
    assert [node.get_text(strip=True) for node in page.html.select("[data-testid=form-value]")] == ["۱۴۰۵/۰۹/۱۵"]


def bearer(dbsession, username: str) -> dict:
    return {"Authorization": f"Bearer {create_api_token(dbsession, user(dbsession, username), 'test')}"}


def test_an_approver_from_another_department_reads_the_forms_documents_and_nobody_else_does(testapp, org, app):
    """A finance employee's certificate is first approved by finance's manager, who works on no
    education ticket: the step's page and its link open the document; an agent elsewhere gets 404."""
    log_in(testapp, "staff")
    submit(testapp, portal_form(testapp, org), certificate_fields())
    ticket = latest(org)
    step = org.scalar(select(Approval).where(Approval.ticket_id == ticket.id).order_by(Approval.position).limit(1))
    assert step.approver_id == user(org, "fin.manager").id
    manager = browser(app, org, "fin.manager", address="10.0.0.4")
    manager.get(f"/desk/tickets/{ticket.id}", status=404)
    page = manager.get(f"/desk/approvals/{step.id}")
    link = page.html.select_one("[data-testid=approval-document]")
    assert link.get_text(strip=True) == "کارت دانشجویی.pdf"
    assert manager.get(link["href"]).body == PDF
    document = org.scalar(select(Attachment).where(Attachment.ticket_id == ticket.id))
    browser(app, org, "hr.desk", address="10.0.0.5").get(f"/desk/approvals/{step.id}/files/{document.id}", status=404)

    link = link_of(org, "fin.manager")
    by_link = browser(app, org, address="10.0.0.6")
    linked = by_link.get(link)
    assert by_link.get(linked.html.select_one("[data-testid=approval-document]")["href"]).body == PDF
    by_link.get(f"{link}x/files/{document.id}", status=404)  # a changed link opens nothing
