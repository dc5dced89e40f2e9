"""Two agents saving the same ticket: the second is told, sees the first one's change, and keeps
what they typed; nothing is overwritten and nothing is lost."""
from __future__ import annotations

import pytest
from sqlalchemy import select, text

from core.testing import log_in
from plugins.tickets.models import Comment
from tests.browser.support import in_persian
from tests.plugins.tickets.test_ticket_page import form_fields, open_ticket, second_agent, url

CONFLICT = ("Someone else changed this ticket while you were editing it. "
            "Review their change; what you typed is kept below.")


@pytest.fixture
def ticket(desk, dbsession):
    return open_ticket(desk, dbsession)


@pytest.fixture
def two_agents(app, testapp, org, dbsession):
    """Sara (``agent``) and Narges (``it.agent2``) of the IT front desk, each in a browser."""
    log_in(testapp, "agent")
    return testapp, second_agent(app, dbsession, "it.agent2")


def conflict_message(page) -> str:
    return page.html.find(attrs={"data-testid": "conflict"}).get_text(" ", strip=True)


def test_second_classification_save_is_a_conflict_and_keeps_what_was_typed(two_agents, ticket):
    sara, narges = two_agents
    sara_page, narges_page = sara.get(url(ticket)), narges.get(url(ticket))
    common = dict(type="incident", urgency="high", service_key=ticket.service_key, tags="چاپگر")
    sara.post(url(ticket, "update"), {**form_fields(sara_page, "update"), **common, "impact": "medium",
                                      "subject": "چاپگر طبقه دوم: کاغذ گیر کرده"}, status=303)

    refused = narges.post(url(ticket, "update"), {**form_fields(narges_page, "update"), **common, "impact": "high",
                                                  "subject": "چاپگر کل طبقه دوم خاموش است"}, status=409)
    assert conflict_message(refused) == in_persian(CONFLICT)
    # The page shows Sara's change…
    assert refused.html.find(attrs={"data-testid": "ticket-subject"}).get_text() == "چاپگر طبقه دوم: کاغذ گیر کرده"
    # …and Narges's form as she typed it, open, ready to send again over the current version.
    form = refused.html.find("form", action=url(ticket, "update"))
    assert form.find("input", id="update-subject")["value"] == "چاپگر کل طبقه دوم خاموش است"
    assert form.find("select", id="update-impact").find("option", selected=True)["value"] == "high"
    assert form.find_parent("details").has_attr("open")
    assert form.find("input", attrs={"name": "version"})["value"] == str(ticket.version)
    # Nothing of Sara's was overwritten.
    assert (ticket.subject, ticket.impact) == ("چاپگر طبقه دوم: کاغذ گیر کرده", "medium")

    narges.post(url(ticket, "update"), {**form_fields(refused, "update"), **common, "impact": "high",
                                        "subject": "چاپگر کل طبقه دوم خاموش است"}, status=303)
    assert (ticket.subject, ticket.impact, ticket.priority) == ("چاپگر کل طبقه دوم خاموش است", "high", 1)


def test_second_reply_on_a_stale_page_keeps_the_message(two_agents, ticket, dbsession):
    sara, narges = two_agents
    sara_page, narges_page = sara.get(url(ticket)), narges.get(url(ticket))
    sara.post(url(ticket, "comment"), {**form_fields(sara_page, "comment"), "body": "کابل را عوض کنید",
                                       "visibility": "public"}, status=303)
    refused = narges.post(url(ticket, "comment"), {**form_fields(narges_page, "comment"),
                                                   "body": "چاپگر را از برق بکشید", "visibility": "public"},
                          status=409)
    assert conflict_message(refused) == in_persian(CONFLICT)
    assert "کابل را عوض کنید" in refused.html.find(attrs={"data-testid": "public-message"}).get_text()
    assert refused.html.find("textarea", id="reply-body").get_text() == "چاپگر را از برق بکشید"
    narges.post(url(ticket, "comment"), {**form_fields(refused, "comment"), "body": "چاپگر را از برق بکشید",
                                         "visibility": "public"}, status=303)
    bodies = dbsession.scalars(select(Comment.body).where(Comment.ticket_id == ticket.id).order_by(Comment.id)).all()
    assert bodies == ["کابل را عوض کنید", "چاپگر را از برق بکشید"]


def test_status_change_on_a_stale_page_is_a_conflict(two_agents, ticket):
    sara, narges = two_agents
    sara_page, narges_page = sara.get(url(ticket)), narges.get(url(ticket))
    sara.post(url(ticket, "pend"), {**form_fields(sara_page, "pend"), "reason": "awaiting_requester"}, status=303)
    refused = narges.post(url(ticket, "resolve"), {**form_fields(narges_page, "resolve"), "resolution_code": "solved",
                                                   "note": "درایور دوباره نصب شد"}, status=409)
    assert refused.html.find(attrs={"data-status": "pending"}) is not None
    assert refused.html.find("textarea", id="resolve-note").get_text() == "درایور دوباره نصب شد"
    assert ticket.status == "pending"


def test_a_true_race_caught_at_the_write_is_a_conflict_too(two_agents, ticket, dbsession):
    """The other save commits after this request read the ticket and before it writes: the
    version check of the UPDATE itself (SQLAlchemy's StaleDataError) catches it."""
    sara, _ = two_agents
    page = sara.get(url(ticket))
    read_version = ticket.version
    # Another process commits a change behind this session's back (its copy stays as it was read).
    dbsession.execute(text("UPDATE tickets_tickets SET version = version + 1, subject = :subject WHERE id = :id"),
                      {"subject": "چاپگر: تونر تمام شده", "id": ticket.id})
    assert ticket.version == read_version
    refused = sara.post(url(ticket, "update"), {**form_fields(page, "update"), "subject": "چاپگر طبقه دوم",
                                                "type": "incident", "impact": "high", "urgency": "high",
                                                "service_key": ticket.service_key, "tags": ""}, status=409)
    assert conflict_message(refused) == in_persian(CONFLICT)
    assert refused.html.find(attrs={"data-testid": "ticket-subject"}).get_text() == "چاپگر: تونر تمام شده"
    assert refused.html.find("input", id="update-subject")["value"] == "چاپگر طبقه دوم"
    assert (ticket.subject, ticket.impact) == ("چاپگر: تونر تمام شده", "medium")


def test_a_form_without_its_version_is_a_conflict(two_agents, ticket):
    sara, _ = two_agents
    page = sara.get(url(ticket))
    fields = {name: value for name, value in form_fields(page, "start").items() if name != "version"}
    refused = sara.post(url(ticket, "start"), fields, status=409)
    assert conflict_message(refused) == in_persian(CONFLICT)
    assert ticket.status == "new"
