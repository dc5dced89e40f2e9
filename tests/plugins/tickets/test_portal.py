"""The requester portal through WebTest: submit, receipt, my requests, the request page."""
from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import timedelta
from urllib.parse import quote

import pytest
import webtest
from sqlalchemy import select

from core.app import make_app
from core.db import utcnow
from core.i18n import _
from core.normalize import to_persian_digits
from core.testing import counted_statements, csrf_token, log_in
from plugins.tickets import labels
from plugins.tickets.models import Attachment, Category, Comment, Rating, Status, Ticket, TicketEvent
from plugins.tickets.tracking import format_code
from plugins.tickets.web import portal
from tests.plugins.tickets.portal_support import (
    EXE,
    FARSI,
    PDF,
    category,
    department_id,
    errors_of,
    guest_form,
    jalali_long,
    open_ticket,
    persian,
    submit,
    ticket_count,
    user,
)


@pytest.fixture
def attachments_dir(tmp_path):
    return tmp_path / "attachments"


@pytest.fixture
def app(tickets_plugin, app_settings, pluginmanager, engine, attachments_dir):
    """The app with files stored in the test's own folder, and a one-megabyte limit."""
    settings = {**app_settings, "tickets.attachments_dir": str(attachments_dir), "tickets.max_attachment_mb": "1"}
    return make_app(settings, pluginmanager=pluginmanager)


# --- submitting ------------------------------------------------------------------------------------

def test_guest_submits_in_persian_and_gets_a_receipt_with_code_and_jalali_promise(testapp, org):
    form = testapp.get("/requests/new")
    assert form.html.h1.get_text() == persian("New request")
    assert form.html.find(attrs={"data-testid": "guest-fields"}) is not None

    receipt = submit(testapp, guest_form(org)).follow()

    ticket = org.scalars(select(Ticket).order_by(Ticket.id.desc())).first()
    assert ticket.subject == "رمز عبور سامانه کار نمی‌کند"  # Persian ی and ک stored
    assert ticket.description.startswith("از دیروز")
    assert ticket.guest_name == "مریم کاظمی"
    assert ticket.guest_mobile == "09121234567"
    assert (ticket.channel, ticket.impact, ticket.urgency, ticket.requester_id) == ("portal", "low", "high", None)
    assert ticket.service_title == category(org, "it").name
    assert abs(ticket.contact_at - utcnow()) < timedelta(minutes=1)

    assert receipt.html.h1.get_text() == persian("Receipt")
    code = receipt.html.find(attrs={"data-testid": "tracking-code"}).get_text()
    assert code == to_persian_digits(format_code(ticket.tracking_code))
    promised = receipt.html.find(attrs={"data-testid": "promised-date"}).get_text()
    assert promised == jalali_long(ticket.promised_at)
    assert receipt.html.find(attrs={"data-testid": "receipt-service"}).get_text() == category(org, "it").name
    assert receipt.html.find(attrs={"data-testid": "receipt-subject"}).get_text() == ticket.subject
    assert receipt.html.find(attrs={"data-testid": "track-link"})["href"] == "/track"
    assert receipt.html.find(attrs={"data-testid": "print-receipt"}) is not None
    assert "@media print" in receipt.text


def test_services_are_filtered_by_the_chosen_department(testapp, org):
    hr = department_id(org, "hr")
    page = testapp.get("/requests/new", {"department": hr})
    services = [option.get_text() for option in page.html.select("#service option") if option["value"]]
    assert services and set(services) <= {c.name for c in org.scalars(select(Category).where(
        Category.department_id == hr))}
    assert page.html.select_one("#department option[selected]")["value"] == str(hr)


def test_without_javascript_the_department_button_shows_its_services_and_keeps_the_text(testapp, org):
    values = guest_form(org, department=str(department_id(org, "finance")), service="")
    page = testapp.post("/requests/new", {**values, "refresh": "1", "csrf_token": csrf_token(testapp)}, status=200)
    assert [o.get_text() for o in page.html.select("#service option") if o["value"]] == sorted(
        c.name for c in org.scalars(select(Category).where(Category.department_id == department_id(org, "finance"))))
    assert page.html.select_one("#subject")["value"] == values["subject"]
    assert not errors_of(page)
    assert ticket_count(org) == 0


def test_signed_in_requester_submits_without_giving_contact_details(testapp, org):
    log_in(testapp, "student")
    form = testapp.get("/requests/new")
    assert form.html.find(attrs={"data-testid": "guest-fields"}) is None
    values = {k: v for k, v in guest_form(org, type="complaint").items() if not k.startswith("guest_")}
    receipt = submit(testapp, values).follow()
    ticket = org.scalars(select(Ticket).order_by(Ticket.id.desc())).first()
    assert ticket.requester_id == user(org, "student").id and ticket.guest_mobile is None
    assert ticket.type == "complaint"
    assert receipt.html.find(attrs={"data-testid": "track-link"}) is None  # they follow it under My requests
    assert receipt.html.select_one("[data-testid=receipt] a[href='/requests']") is not None


@pytest.mark.parametrize("changes, field, message", [
    ({"subject": "   "}, "subject", "Write a short subject."),
    ({"description": ""}, "description", "Describe your request."),
    ({"guest_name": ""}, "guest_name", "Write your name."),
    ({"guest_mobile": "۰۹۱۲۱۲۳"}, "guest_mobile", "Enter a mobile number like 09121234567."),
    ({"guest_mobile": "", "guest_email": ""}, "guest_mobile",
     "Give a mobile number or an e-mail address to follow the request."),
    ({"guest_email": "not-an-address"}, "guest_email", "Enter an email address like name@example.com."),
    ({"guest_national_code": "۰۰۱۲۳۴۵۶۷۸"}, "guest_national_code",
     "This national code is not valid (check its 10 digits)."),
    ({"type": "sabotage"}, "type", "Choose one of the listed options."),
    ({"urgency": "critical"}, "urgency", "Choose one of the listed options."),
    ({"department": "999999"}, "department", "Choose one of the listed options."),
    ({"department": ""}, "department", "Choose the department."),
    ({"service": ""}, "service", "Choose the service."),
])
def test_bad_input_is_refused_with_a_translated_message_and_the_text_kept(testapp, org, changes, field, message):
    values = guest_form(org, **changes)
    page = submit(testapp, values, status=400)
    assert errors_of(page)[field] == persian(message)
    assert ticket_count(org) == 0
    assert page.html.select_one("#description").get_text() == values["description"]
    if field != "subject":
        assert page.html.select_one("#subject")["value"] == values["subject"]


def test_a_service_of_another_department_is_refused(testapp, org):
    forged = guest_form(org, service=f"category:{category(org, 'hr').id}")
    page = submit(testapp, forged, status=400)
    assert errors_of(page)["service"] == persian("Choose a service of this department.")
    assert ticket_count(org) == 0


def test_valid_national_code_is_kept(testapp, org):
    submit(testapp, guest_form(org, guest_national_code="۰۰۸۴۵۷۵۹۴۸"))
    assert org.scalars(select(Ticket)).one().guest_national_code == "0084575948"


def test_files_are_stored_by_digest_and_listed_for_the_requester(testapp, org, attachments_dir):
    note = "یادداشت فارسی".encode()
    submit(testapp, guest_form(org), files=[("attachments", "گزارش خطا.pdf", PDF), ("attachments", "یادداشت.txt", note),
                                            ("attachments", "copy.pdf", PDF)])
    ticket = org.scalars(select(Ticket)).one()
    files = org.scalars(select(Attachment).where(Attachment.ticket_id == ticket.id).order_by(Attachment.id)).all()
    assert [(f.filename, f.content_type, f.size) for f in files] == [
        ("گزارش خطا.pdf", "application/pdf", len(PDF)), ("یادداشت.txt", "text/plain", len(note)),
        ("copy.pdf", "application/pdf", len(PDF))]
    digest = hashlib.sha256(PDF).hexdigest()
    assert (attachments_dir / digest[:2] / digest).read_bytes() == PDF
    assert sum(1 for path in attachments_dir.rglob("*") if path.is_file()) == 2  # the same PDF stored once

    page = testapp.get(f"/requests/{ticket.id}")
    links = page.html.select("[data-testid=attachment]")
    assert [link.get_text(strip=True) for link in links] == ["گزارش خطا.pdf", "یادداشت.txt", "copy.pdf"]
    download = testapp.get(links[0]["href"])
    assert download.body == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"] == (
        f"attachment; filename=\"file.pdf\"; filename*=UTF-8''{quote('گزارش خطا.pdf')}")


MISMATCH = "«${name}» does not contain what its name says: it is not a real .${extension} file."
NOT_ALLOWED = ("«${name}»: this kind of file cannot be attached. Attach images (JPG, PNG, GIF, WebP), PDF, plain text, "
               "Word, Excel, PowerPoint, OpenDocument text or ZIP files.")


@pytest.mark.parametrize("name, content, message, mapping", [
    ("scan.pdf", EXE, MISMATCH, {"extension": "pdf"}),
    ("scan.pdf", b"<html><script>alert(1)</script></html>", MISMATCH, {"extension": "pdf"}),
    ("photo.png", PDF, MISMATCH, {"extension": "png"}),
    ("setup.exe", EXE, NOT_ALLOWED, {}),
    ("big.pdf", PDF + b"0" * (1024 * 1024), "«${name}» is larger than ${max} MB.", {"max": "1"}),
])
def test_a_refused_file_refuses_the_whole_request_and_keeps_the_text(testapp, org, attachments_dir, name, content,
                                                                    message, mapping):
    values = guest_form(org)
    page = submit(testapp, values, files=[("attachments", "ok.pdf", PDF), ("attachments", name, content)], status=400)
    error = errors_of(page)["attachments"]
    assert persian(message, name=name, **mapping) in error
    assert persian("Nothing was sent. What you typed is kept below, but browsers do not keep chosen files: "
                          "choose your files again.") in error
    assert ticket_count(org) == 0
    assert not attachments_dir.exists() or not any(attachments_dir.rglob("*"))
    assert page.html.select_one("#subject")["value"] == values["subject"]
    assert page.html.select_one("#description").get_text() == values["description"]


def test_csrf_token_is_required_to_submit(testapp, org):
    testapp.post("/requests/new", guest_form(org), status=400)
    assert ticket_count(org) == 0


def test_a_refusal_of_the_desk_is_shown_on_the_form_with_the_text_kept(testapp, org, pluginmanager):
    from core import hookimpl

    class NoPrinterTickets:
        @hookimpl
        def pishkhan_ticket_validate(self, dbsession, ticket):
            return [_("Printer requests go to the faculty office.")] if "چاپگر" in ticket.subject else None

    pluginmanager.register(NoPrinterTickets(), name="no-printers")
    values = guest_form(org, subject="چاپگر خراب است")
    page = submit(testapp, values, status=400)
    assert page.html.find(attrs={"data-testid": "form-error"}).get_text(strip=True) == (
        "Printer requests go to the faculty office.")
    assert page.html.select_one("#subject")["value"] == values["subject"]
    assert ticket_count(org) == 0


# --- receipt, my requests, access ------------------------------------------------------------------------

def test_receipt_and_request_are_hidden_from_everyone_else(testapp, app, dbsession, org, desk):
    receipt_url = submit(testapp, guest_form(org)).location
    ticket = org.scalars(select(Ticket)).one()
    assert testapp.get(receipt_url).status_int == 200

    stranger = webtest.TestApp(app, extra_environ=dict(testapp.extra_environ))
    stranger.get(receipt_url, status=404)
    stranger.get(f"/requests/{ticket.id}", status=404)
    log_in(stranger, "student2")
    stranger.get(receipt_url, status=404)
    stranger.get(f"/requests/{ticket.id}", status=404)
    stranger.get("/requests/99999999999999999999999", status=404)


def test_a_requester_sees_only_their_own_requests(testapp, org, desk):
    own = open_ticket(desk, org, "student")
    other = open_ticket(desk, org, "student2", subject="درخواست دیگری")
    log_in(testapp, "student")
    page = testapp.get("/requests")
    assert [row["data-ticket"] for row in page.html.select("[data-ticket]")] == [str(own.id)]
    assert "درخواست دیگری" not in page.text
    testapp.get(f"/requests/{other.id}", status=404)
    testapp.get(f"/requests/{other.id}/receipt", status=404)
    testapp.get(f"/requests/{own.id}", status=200)


def test_my_requests_shows_status_code_and_service_newest_first_in_pages(testapp, org, desk, monkeypatch):
    tickets = [open_ticket(desk, org, "student", subject=f"درخواست {n}") for n in range(5)]
    desk("agent").transition(tickets[0], "cancel")
    monkeypatch.setattr(portal, "REQUESTS_PER_PAGE", 2)
    log_in(testapp, "student")
    first = testapp.get("/requests")
    rows = first.html.select("[data-ticket]")
    assert [row["data-ticket"] for row in rows] == [str(tickets[4].id), str(tickets[3].id)]
    assert rows[0].find(attrs={"data-testid": "tracking-code"}).get_text() == to_persian_digits(
        format_code(tickets[4].tracking_code))
    assert rows[0].find(attrs={"data-status": "new"}).get_text() == "جدید"
    assert tickets[4].service_title in rows[0].get_text()
    pages = [first]
    while (link := pages[-1].html.find(attrs={"data-testid": "next-page"})) is not None:
        pages.append(testapp.get(link["href"]))
    seen = [row["data-ticket"] for page in pages for row in page.html.select("[data-ticket]")]
    assert seen == [str(t.id) for t in reversed(tickets)]
    last_row = pages[-1].html.select("[data-ticket]")[-1]
    assert last_row.find(attrs={"data-status": "cancelled"}) is not None


def test_my_requests_runs_the_same_queries_however_many_requests(testapp, org, desk, engine):
    log_in(testapp, "student")
    open_ticket(desk, org, "student")

    def statements_for_page() -> int:
        org.flush()  # the outbox rows of the tickets just opened are not the page's
        with counted_statements(engine, org) as statements:
            testapp.get("/requests")
        return len(statements)

    testapp.get("/requests")  # what a process remembers after its first page is not the page's cost
    few = statements_for_page()
    for n in range(6):
        department = "hr" if n % 2 else "it"
        service = category(org, department)
        open_ticket(desk, org, "student", department_id=service.department_id, service_key=f"category:{service.id}")
    assert statements_for_page() <= few <= 5


def test_my_requests_sends_a_visitor_to_log_in(testapp, org):
    assert "/login?came_from=%2Frequests" in testapp.get("/requests", status=303).location


# --- the request page ----------------------------------------------------------------------------------------

def follow_as_guest(testapp, org) -> Ticket:
    submit(testapp, guest_form(org))
    return org.scalars(select(Ticket).order_by(Ticket.id.desc())).first()


def post_action(testapp, ticket: Ticket, action: str, status: int = 303, files=(), **fields):
    params = {"action": action, "csrf_token": csrf_token(testapp), **fields}
    return testapp.post(f"/requests/{ticket.id}", params, upload_files=list(files), status=status)


def test_internal_notes_and_their_files_never_reach_the_requester(testapp, org, desk):
    ticket = follow_as_guest(testapp, org)
    agent = desk("agent")
    agent.comment(ticket, "پاسخ عمومی: گذرواژه را بازنشانی کردیم")
    note = agent.comment(ticket, "یادداشت داخلی: کاربر قبلا هم مشکل داشته", internal=True)
    # An attachment row of an internal note that forgot its own flag is still hidden.
    org.add(Attachment(ticket_id=ticket.id, comment_id=note.id, filename="secret.pdf", content_type="application/pdf",
                       size=1, digest="0" * 64, is_internal=False))
    org.add(Attachment(ticket_id=ticket.id, filename="internal.pdf", content_type="application/pdf", size=1,
                       digest="1" * 64, is_internal=True))
    org.flush()

    page = testapp.get(f"/requests/{ticket.id}")
    assert "پاسخ عمومی" in page.text
    assert "یادداشت داخلی" not in page.text
    assert "secret.pdf" not in page.text and "internal.pdf" not in page.text
    hidden = org.scalars(select(Attachment.id).where(Attachment.ticket_id == ticket.id)).all()
    for file_id in hidden:
        testapp.get(f"/requests/{ticket.id}/files/{file_id}", status=404)


def test_requester_replies_with_a_file(testapp, org, attachments_dir):
    ticket = follow_as_guest(testapp, org)
    post_action(testapp, ticket, "reply", body="اين هم عكس صفحه", files=[("attachments", "screen.pdf", PDF)])
    comment = org.scalars(select(Comment).where(Comment.ticket_id == ticket.id)).one()
    assert comment.body == "این هم عکس صفحه" and comment.author_name == "مریم کاظمی" and not comment.is_internal
    page = testapp.get(f"/requests/{ticket.id}")
    assert page.html.find(attrs={"data-testid": "flash"}).get_text(strip=True) == persian("Your message was sent.")
    assert "این هم عکس صفحه" in page.text
    assert [a.get_text(strip=True) for a in page.html.select("[data-testid=attachment]")] == ["screen.pdf"]


def test_an_empty_reply_or_a_bad_file_is_refused_and_the_text_kept(testapp, org):
    ticket = follow_as_guest(testapp, org)
    empty = post_action(testapp, ticket, "reply", status=400, body="   ")
    assert errors_of(empty) == {} and empty.html.find(attrs={"data-testid": "form-error"}).get_text(strip=True) == (
        persian("Write a message."))
    bad = post_action(testapp, ticket, "reply", status=400, body="پیام من", files=[("attachments", "x.pdf", EXE)])
    assert "x.pdf" in errors_of(bad)["attachments"]
    assert bad.html.select_one("#body-reply").get_text() == "پیام من"
    assert org.scalars(select(Comment).where(Comment.ticket_id == ticket.id)).all() == []


def resolve(desk, ticket: Ticket, days_ago: float = 0) -> None:
    desk("agent", now=utcnow() - timedelta(days=days_ago)).transition(
        ticket, "resolve", resolution_code="solved", note="گذرواژه بازنشانی شد")


def test_reopen_is_offered_within_the_window_and_refused_after(testapp, org, desk):
    recent = follow_as_guest(testapp, org)
    resolve(desk, recent, days_ago=1)
    page = testapp.get(f"/requests/{recent.id}")
    assert page.html.find(attrs={"data-testid": "reopen-form"}) is not None
    assert "گذرواژه بازنشانی شد" in page.html.find(attrs={"data-testid": "resolution"}).get_text()
    post_action(testapp, recent, "reopen", body="هنوز وارد نمی‌شوم")
    org.refresh(recent)
    assert recent.status == Status.reopened and recent.reopen_count == 1
    assert org.scalars(select(Comment.body).where(Comment.ticket_id == recent.id)).all() == ["هنوز وارد نمی‌شوم"]

    old = follow_as_guest(testapp, org)
    resolve(desk, old, days_ago=8)  # tickets.reopen_within_days is 7
    page = testapp.get(f"/requests/{old.id}")
    assert page.html.find(attrs={"data-testid": "reopen-form"}) is None
    refused = post_action(testapp, old, "reopen", status=400)
    assert refused.html.find(attrs={"data-testid": "form-error"}).get_text(strip=True) == persian(
        "This request was resolved too long ago to reopen; please submit a new one.")
    org.refresh(old)
    assert old.status == Status.resolved


def test_confirm_and_close_a_resolved_request(testapp, org, desk):
    ticket = follow_as_guest(testapp, org)
    assert testapp.get(f"/requests/{ticket.id}").html.find(attrs={"data-testid": "close-form"}) is None
    resolve(desk, ticket)
    post_action(testapp, ticket, "close")
    org.refresh(ticket)
    assert ticket.status == Status.closed
    page = testapp.get(f"/requests/{ticket.id}")
    assert page.html.find(attrs={"data-status": "closed"}) is not None
    assert page.html.find(attrs={"data-testid": "reply-form"}) is None


def test_withdraw_only_while_new(testapp, org, desk):
    ticket = follow_as_guest(testapp, org)
    assert testapp.get(f"/requests/{ticket.id}").html.find(attrs={"data-testid": "cancel-form"}) is not None
    post_action(testapp, ticket, "cancel")
    org.refresh(ticket)
    assert ticket.status == Status.cancelled

    taken = follow_as_guest(testapp, org)
    desk("agent").assign(taken, assignee_id=user(org, "agent").id)
    assert testapp.get(f"/requests/{taken.id}").html.find(attrs={"data-testid": "cancel-form"}) is None
    post_action(testapp, taken, "cancel", status=400)
    org.refresh(taken)
    assert taken.status == Status.assigned


def test_rating_with_the_survey_axes_after_resolution(testapp, org, desk):
    ticket = follow_as_guest(testapp, org)
    assert testapp.get(f"/requests/{ticket.id}").html.find(attrs={"data-testid": "rating-form"}) is None
    post_action(testapp, ticket, "rate", status=400, score="5")  # not resolved yet
    resolve(desk, ticket)
    page = testapp.get(f"/requests/{ticket.id}")
    form = page.html.find(attrs={"data-testid": "rating-form"})
    for axis, question in labels.SURVEY_AXES.items():
        fieldset = form.find(attrs={"data-testid": f"axis-{axis}"})
        assert fieldset.legend.get_text(strip=True) == FARSI.translate(question)
        assert [label.get_text() for label in fieldset.select("label")] == [
            FARSI.translate(level) for level in labels.SURVEY_LEVELS.values()]

    missing = post_action(testapp, ticket, "rate", status=400, comment="خوب بود", axis_time="3")
    assert errors_of(missing)["score"] == persian("Choose a score from 1 to 5.")
    assert missing.html.select_one("#rating-comment").get_text() == "خوب بود"
    forged = post_action(testapp, ticket, "rate", status=400, score="9", axis_time="7")
    assert set(errors_of(forged)) == {"score", "axis_time"}

    post_action(testapp, ticket, "rate", score="4", comment="سريع بود", axis_time="3", axis_transparency="2")
    rating = org.get(Rating, ticket.id)
    assert (rating.score, rating.comment, rating.axes) == (4, "سریع بود", {"transparency": 2, "time": 3})
    page = testapp.get(f"/requests/{ticket.id}")
    assert page.html.find(attrs={"data-testid": "rating-form"}) is None
    assert to_persian_digits("4") in page.html.find(attrs={"data-testid": "rating"}).get_text()
    post_action(testapp, ticket, "rate", status=400, score="1")
    assert org.get(Rating, ticket.id).score == 4


def test_actions_need_the_csrf_token(testapp, org):
    ticket = follow_as_guest(testapp, org)
    testapp.post(f"/requests/{ticket.id}", {"action": "cancel"}, status=400)
    org.refresh(ticket)
    assert ticket.status == Status.new


def test_an_unknown_action_changes_nothing(testapp, org):
    ticket = follow_as_guest(testapp, org)
    post_action(testapp, ticket, "resolve", status=400)
    org.refresh(ticket)
    assert ticket.status == Status.new
    kinds = org.scalars(select(TicketEvent.kind).where(TicketEvent.ticket_id == ticket.id)).all()
    assert kinds == ["created"]


def test_docx_made_by_zipfile_is_accepted(testapp, org):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    submit(testapp, guest_form(org), files=[("attachments", "نامه.docx", buffer.getvalue())])
    assert org.scalars(select(Attachment.filename)).all() == ["نامه.docx"]
