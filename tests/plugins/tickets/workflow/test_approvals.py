"""Approvals: the steps a service asks for, each to the right person, decided one at a time on
the workspace or through a single-use signed link, with reminders; a rejection cancels."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.db import utcnow
from core.models import OutboxMessage, User
from core.worker import JobContext
from plugins.tickets import approval_links, approvals
from plugins.tickets.models import Approval, Task, Ticket, TicketEvent
from tests.plugins.tickets.portal_support import persian
from tests.plugins.tickets.workflow.support import (
    OWNED,
    browser,
    form_fields,
    link_of,
    open_request,
    text_of,
    user,
)


def steps(dbsession, ticket) -> list[Approval]:
    return approvals.steps_of(dbsession, ticket.id)


def kinds(dbsession, ticket) -> list[str]:
    return list(dbsession.scalars(select(TicketEvent.kind).where(TicketEvent.ticket_id == ticket.id)
                                  .order_by(TicketEvent.id)))


def test_a_request_waits_for_its_approvers_one_at_a_time(org, desk, app):
    ticket = open_request(desk, org)
    assert (ticket.status, ticket.pending_reason, ticket.sla_state) == ("pending", "approval", "paused")
    first, second = steps(org, ticket)
    # The student's department manager, then the head of the ticket's department.
    assert first.approver_id == user(org, "edu.manager").id and first.state == "pending"
    assert second.kind == "department_head" and second.state == "waiting"
    assert kinds(org, ticket)[-2:] == ["transitioned", "approval_requested"]
    assert link_of(org, "edu.manager").startswith("/approve/")
    assert not org.scalars(select(Task).where(Task.ticket_id == ticket.id)).all()

    approvals.decide(desk("edu.manager"), first, approve=True, comment="موافقم")
    assert second.state == "pending" and ticket.status == "pending"
    approvals.decide(desk("edu.manager"), second, approve=True)
    assert ticket.status == "new" and ticket.pending_reason is None and ticket.sla_state != "paused"
    tasks = org.scalars(select(Task).where(Task.ticket_id == ticket.id).order_by(Task.position)).all()
    assert [task.title for task in tasks] == ["صدور گواهی", "امضای گواهی"]
    assert kinds(org, ticket)[-3:] == ["approval_approved", "transitioned", "tasks_created"]


def test_someone_who_is_not_the_approver_cannot_decide(org, desk, app, testapp):
    ticket = open_request(desk, org)
    first = steps(org, ticket)[0]
    for username in ("edu.desk", "fin.manager", "student"):
        assert not approvals.may_decide(org, user(org, username), first)
    # On the workspace the decision form is not offered, and a forged post is refused.
    agent = browser(app, org, "edu.desk")
    page = agent.get(f"/desk/tickets/{ticket.id}")
    assert page.html.select_one("[data-testid=decide-form]") is None
    refused = agent.post(f"/desk/tickets/{ticket.id}/decide",
                         {**form_fields(page, "comment"), "approval_id": first.id, "decision": "approve"}, status=400)
    assert persian("You are not the approver of this step.") in text_of(refused)
    assert first.state == "pending"
    other = browser(app, org, "fin.manager", address="10.0.0.3")
    other.get(f"/desk/approvals/{first.id}", status=404)


def test_the_approver_decides_on_the_workspace(org, desk, app):
    ticket = open_request(desk, org)
    manager = browser(app, org, "edu.manager")
    listing = manager.get("/desk/approvals")
    row = listing.html.select_one("[data-testid=approval-row]")
    assert "گواهی برای سفارت" in row.get_text()
    assert row.find("a")["href"] == f"/desk/approvals/{steps(org, ticket)[0].id}"
    page = manager.get(row.find("a")["href"])
    assert page.html.select_one("[data-testid=decide-form]") is not None
    done = page.forms["decide-form"].submit("decision", value="approve").follow()
    assert persian("You approved the request.") in text_of(done)
    # The head of the department decides the second step from the ticket page.
    ticket_page = manager.get(f"/desk/tickets/{ticket.id}")
    form = ticket_page.html.select_one("[data-testid=decide-form]")
    assert form is not None
    manager.post(f"/desk/tickets/{ticket.id}/decide", {**form_fields(ticket_page, "decide"), "decision": "approve"},
                 status=303)
    assert ticket.status == "new"


def test_a_rejection_cancels_the_request_and_tells_the_requester_why(org, desk, app, testapp):
    ticket = open_request(desk, org)
    first, second = steps(org, ticket)
    manager = browser(app, org, "edu.manager")
    page = manager.get(f"/desk/approvals/{first.id}")
    refused = page.forms["decide-form"].submit("decision", value="reject", status=400)
    assert persian("Say why the request is rejected.") in text_of(refused)
    refused.forms["decide-form"]["comment"] = "ثبت‌نام این نیم‌سال انجام نشده است"
    refused.forms["decide-form"].submit("decision", value="reject", status=303)
    assert (ticket.status, first.state, second.state) == ("cancelled", "rejected", "cancelled")
    told = org.scalars(select(OutboxMessage).where(OutboxMessage.recipient == user(org, "student").email)
                       .order_by(OutboxMessage.id)).all()
    assert "ثبت‌نام این نیم‌سال انجام نشده است" in told[-1].payload["body"]
    # One notice that says why, not a second one that the request was cancelled.
    assert [row.subject for row in told if "تأیید نشد" in row.subject or "لغو" in row.subject] == [
        told[-1].subject]
    student = browser(app, org, "student", address="10.0.0.4")
    mine = student.get(f"/requests/{ticket.id}")
    assert mine.html.select_one("[data-testid=rejected]") is not None
    assert "ثبت‌نام این نیم‌سال انجام نشده است" in text_of(mine)


def test_a_signed_link_decides_once(org, desk, app, testapp):
    ticket = open_request(desk, org)
    link = link_of(org, "edu.manager")
    page = testapp.get(link)
    assert "گواهی برای سفارت" in text_of(page)
    assert page.html.select_one("[data-testid=link-approver]") is not None
    # Deciding needs the page's CSRF token: a post without it is refused.
    testapp.post(link, {"decision": "approve"}, status=400)
    assert steps(org, ticket)[0].state == "pending"
    done = page.forms["decide-form"].submit("decision", value="approve")
    assert done.html.select_one("[data-testid=link-done]") is not None
    first = steps(org, ticket)[0]
    assert first.state == "approved" and first.decided_by_id == user(org, "edu.manager").id
    again = testapp.get(link, status=409)
    assert again.html.select_one("[data-testid=link-refused]")["data-reason"] == "used"
    assert persian("This approval link was already used: the step has been decided. A link can be used once.") \
        in text_of(again)
    replay = page.forms["decide-form"].submit("decision", value="reject", status=409)
    assert replay.html.select_one("[data-testid=link-refused]") is not None
    assert first.state == "approved"


def test_a_tampered_or_expired_link_is_refused(org, desk, app, testapp, settings):
    ticket = open_request(desk, org)
    link = link_of(org, "edu.manager")
    token = link.rsplit("/", 1)[-1]
    approval_id, user_id, nonce, expires, signature = token.split(".")
    # Another person's id, a longer expiry, a cut signature: each is refused as not valid.
    for forged in (f"{approval_id}.{user(org, 'edu.desk').id}.{nonce}.{expires}.{signature}",
                   f"{approval_id}.{user_id}.{nonce}.{int(expires) + 86400}.{signature}",
                   token[:-2], "nonsense"):
        page = testapp.get(f"/approve/{forged}", status=400)
        assert page.html.select_one("[data-testid=link-refused]")["data-reason"] == "tampered"
    first = steps(org, ticket)[0]
    old = approval_links.make(settings, approval_id=first.id, user_id=first.approver_id, nonce=first.link_nonce,
                              now=utcnow() - timedelta(days=30))
    page = testapp.get(f"/approve/{old}", status=410)
    assert persian("This approval link has expired. Sign in and decide from «My approvals»; the request is still "
                   "waiting for you.") in text_of(page)
    assert first.state == "pending"


def test_nobody_fits_a_step_so_managers_and_administrators_decide(org, desk, app):
    ticket = open_request(desk, org, OWNED)
    step = steps(org, ticket)[0]
    assert step.approver_id is None
    event = org.scalar(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id,
                                                 TicketEvent.kind == "approval_requested"))
    assert event.data["to_managers"] is True
    assert approvals.may_decide(org, user(org, "edu.manager"), step)
    assert approvals.may_decide(org, user(org, "admin"), step)
    assert not approvals.may_decide(org, user(org, "it.manager"), step)
    agent = browser(app, org, "edu.desk")
    page = agent.get(f"/desk/tickets/{ticket.id}")
    assert page.html.select_one("[data-testid=approval-to-managers]") is not None
    recipients = set(org.scalars(select(OutboxMessage.recipient).where(OutboxMessage.channel == "email")))
    assert {user(org, "edu.manager").email, user(org, "admin").email} <= recipients


def test_approvers_who_wait_are_reminded_after_business_hours(org, desk, app, settings, pluginmanager):
    ticket = open_request(desk, org)
    step = steps(org, ticket)[0]
    sent = org.query(OutboxMessage).filter_by(recipient=user(org, "edu.manager").email).count()

    def run(at):
        approvals.remind(JobContext(dbsession=org, settings=settings, hook=pluginmanager.hook, now=at))

    run(step.requested_at + timedelta(minutes=30))
    assert org.query(OutboxMessage).filter_by(recipient=user(org, "edu.manager").email).count() == sent
    later = step.requested_at + timedelta(days=7)
    run(later)
    assert step.reminded_at == later
    assert kinds(org, ticket)[-1] == "approval_reminded"
    assert org.query(OutboxMessage).filter_by(recipient=user(org, "edu.manager").email).count() == sent + 1
    run(later + timedelta(minutes=15))  # not again at once
    assert kinds(org, ticket).count("approval_reminded") == 1


def test_my_approvals_lists_only_mine(org, desk, app):
    open_request(desk, org)
    other = browser(app, org, "fin.manager")
    assert other.get("/desk/approvals").html.select_one("[data-testid=no-approvals]") is not None
    assert org.scalar(select(User).where(User.username == "fin.manager")) is not None
    assert org.query(Ticket).count() >= 1


def test_the_approver_reads_the_request_in_persian_digits(org, desk, app, testapp):
    """Stored with Latin digits, the subject and the description read with Persian ones in the
    approver's list, on the workspace and through the signed link."""
    ticket = open_request(desk, org, subject="گواهی برای سفارت؛ 2 نسخه",
                          description="تا 15 آذر لازم است؛ نشانی: ali.1402@uni.ac.ir")
    manager = browser(app, org, "edu.manager")
    row = manager.get("/desk/approvals").html.select_one("[data-testid=approval-row] a")
    assert row.get_text() == "گواهی برای سفارت؛ ۲ نسخه"
    for page in (manager.get(row["href"]), testapp.get(link_of(org, "edu.manager"))):
        assert page.html.select_one("[data-testid=ticket-subject]").get_text() == "گواهی برای سفارت؛ ۲ نسخه"
        assert page.html.select_one("[data-testid=ticket-description]").get_text() == \
            "تا ۱۵ آذر لازم است؛ نشانی: ali.1402@uni.ac.ir"
    assert ticket.subject == "گواهی برای سفارت؛ 2 نسخه"  # what is stored is unchanged
