"""What people typed reads in the page's digits: stored with Latin digits (input is normalized),
a subject, a description, a reply, a note or a reason shows Persian digits on Persian pages and
Latin digits on English ones, wherever it is shown; e-mail addresses and URLs stay as written."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from core.app import make_app
from core.testing import log_in
from plugins.tickets.models import Ticket
from plugins.tickets.tracking import format_code
from tests.plugins.tickets.portal_support import guest_form, open_ticket, submit, user
from tests.plugins.tickets.test_track import track
from tests.plugins.tickets.workflow.support import browser

SUBJECT = "پرینتر اتاق ۲۰۴ کار نمی‌کند"  # as typed
STORED_SUBJECT = "پرینتر اتاق 204 کار نمی‌کند"
EMAIL = "ali.1402@uni.ac.ir"
URL = "https://help.uni.ac.ir/kb/2140"
DESCRIPTION = f"از ساعت ۹ صبح خاموش است؛ مدل HP-M404. گزارش را به {EMAIL} و {URL} فرستادم."
PERSIAN_DESCRIPTION = f"از ساعت ۹ صبح خاموش است؛ مدل HP-M404. گزارش را به {EMAIL} و {URL} فرستادم."
ENGLISH_DESCRIPTION = f"از ساعت 9 صبح خاموش است؛ مدل HP-M404. گزارش را به {EMAIL} و {URL} فرستادم."


@pytest.fixture
def app(tickets_plugin, app_settings, pluginmanager, engine, tmp_path):
    return make_app({**app_settings, "tickets.attachments_dir": str(tmp_path)}, pluginmanager=pluginmanager)


def shown(page, name: str) -> str:
    return page.html.find(attrs={"data-testid": name}).get_text(strip=True)


def latest(dbsession) -> Ticket:
    return dbsession.scalars(select(Ticket).order_by(Ticket.id.desc())).first()


def requesters_ticket(desk, dbsession, username: str = "student") -> Ticket:
    """A request as its requester typed it, stored as the portal stores it: Latin digits."""
    return open_ticket(desk, dbsession, username, subject=STORED_SUBJECT,
                       description=ENGLISH_DESCRIPTION)


def test_a_guest_reads_the_subject_in_persian_digits_on_the_receipt_and_the_request_page(testapp, org, desk):
    receipt = submit(testapp, guest_form(org, subject=SUBJECT, description=DESCRIPTION)).follow()
    ticket = latest(org)
    assert ticket.subject == STORED_SUBJECT and ticket.description == ENGLISH_DESCRIPTION  # stored as before
    assert shown(receipt, "receipt-subject") == SUBJECT

    desk("agent").comment(ticket, "کارتریج 305 سفارش داده شد؛ پیگیری در https://help.uni.ac.ir/t/77")
    desk("agent").comment(ticket, "یادداشت داخلی 12", internal=True)
    desk("agent").transition(ticket, "resolve", resolution_code="solved", note="کارتریج 305 عوض شد")
    page = testapp.get(f"/requests/{ticket.id}")
    assert shown(page, "ticket-subject") == SUBJECT
    assert page.html.title.get_text().startswith(SUBJECT)
    messages = [node.get_text(" ", strip=True) for node in page.html.select("[data-testid=message] .card-body")]
    assert messages[0] == PERSIAN_DESCRIPTION
    assert "کارتریج ۳۰۵ سفارش داده شد؛ پیگیری در https://help.uni.ac.ir/t/77" in messages[1]
    assert len(messages) == 2  # the internal note is not the requester's
    assert "کارتریج ۳۰۵ عوض شد" in shown(page, "resolution")


def test_a_requesters_list_and_pages_read_in_their_languages_digits(testapp, org, desk):
    ticket = requesters_ticket(desk, org)
    log_in(testapp, "student")
    row = testapp.get("/requests").html.select_one(f'[data-ticket="{ticket.id}"] a')
    assert row.get_text() == SUBJECT
    assert shown(testapp.get(f"/requests/{ticket.id}/receipt"), "receipt-subject") == SUBJECT

    user(org, "student").preferred_language = "en"
    assert testapp.get("/requests").html.select_one(f'[data-ticket="{ticket.id}"] a').get_text() == STORED_SUBJECT
    assert shown(testapp.get(f"/requests/{ticket.id}/receipt"), "receipt-subject") == STORED_SUBJECT
    page = testapp.get(f"/requests/{ticket.id}")
    assert shown(page, "ticket-subject") == STORED_SUBJECT
    assert ENGLISH_DESCRIPTION in page.html.select_one("[data-testid=message] .card-body").get_text(" ", strip=True)


def test_a_guest_tracking_the_request_reads_persian_digits(testapp, org, desk):
    ticket = open_ticket(desk, org, subject=STORED_SUBJECT)
    page = track(testapp, format_code(ticket.tracking_code), "09351234567").follow()
    assert shown(page, "ticket-subject") == SUBJECT


def test_the_agent_reads_subject_description_replies_notes_and_history_in_persian_digits(app, org, desk):
    ticket = requesters_ticket(desk, org)
    agent = desk("agent")
    agent.comment(ticket, "اتاق 204 را بررسی کردیم")
    agent.comment(ticket, "تونر 12 درصد است", internal=True)
    agent.escalate_to_management(ticket, reason="سومین بار در 3 روز")
    agent.update(ticket, subject="پرینتر اتاق 205 کار نمی‌کند")
    agent.transition(ticket, "resolve", resolution_code="solved", note="کارتریج 305 عوض شد؛ نشانی " + EMAIL)

    page = browser(app, org, "agent").get(f"/desk/tickets/{ticket.id}")
    assert shown(page, "ticket-subject") == "پرینتر اتاق ۲۰۵ کار نمی‌کند"
    assert shown(page, "ticket-description") == PERSIAN_DESCRIPTION
    assert "اتاق ۲۰۴ را بررسی کردیم" in shown(page, "public-message")
    assert "تونر ۱۲ درصد است" in shown(page, "internal-note")
    history = page.html.find(attrs={"data-testid": "timeline"}).get_text(" ", strip=True)
    assert "سومین بار در ۳ روز" in history
    assert "پرینتر اتاق ۲۰۴ کار نمی‌کند" in history and "پرینتر اتاق ۲۰۵ کار نمی‌کند" in history  # the subject's change
    assert f"کارتریج ۳۰۵ عوض شد؛ نشانی {EMAIL}" in page.html.get_text(" ", strip=True)  # the resolution
    assert "204" not in history and "305" not in page.html.find("main").get_text()

    user(org, "agent").preferred_language = "en"
    english = browser(app, org, "agent", address="10.0.0.3").get(f"/desk/tickets/{ticket.id}")
    assert shown(english, "ticket-subject") == "پرینتر اتاق 205 کار نمی‌کند"
    assert shown(english, "ticket-description") == ENGLISH_DESCRIPTION
    assert "اتاق 204 را بررسی کردیم" in shown(english, "public-message")


def test_the_queue_shows_the_subject_in_the_agents_digits(app, org, desk):
    ticket = open_ticket(desk, org, subject=STORED_SUBJECT)
    row = f'tr[data-ticket="{ticket.id}"] [data-testid=ticket-link]'
    assert browser(app, org, "agent").get("/desk/tickets").html.select_one(row).get_text() == SUBJECT
    user(org, "agent").preferred_language = "en"
    english = browser(app, org, "agent", address="10.0.0.3").get("/desk/tickets")
    assert english.html.select_one(row).get_text() == STORED_SUBJECT


def test_the_text_is_still_escaped(app, org, desk):
    ticket = open_ticket(desk, org, subject="اتاق 204 <b>بسیار</b> & <script>alert(1)</script>")
    page = browser(app, org, "agent").get(f"/desk/tickets/{ticket.id}")
    subject = page.html.find(attrs={"data-testid": "ticket-subject"})
    assert subject.find() is None  # no element inside: the tags are text
    assert subject.get_text() == "اتاق ۲۰۴ <b>بسیار</b> & <script>alert(1)</script>"
    assert "<script>alert(1)" not in page.text
