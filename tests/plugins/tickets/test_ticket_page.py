"""The agent's ticket page: what an agent reads, every form on it, and who may reach it."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import webtest
from sqlalchemy import select

from core.app import make_app
from core.db import utcnow
from core.models import Department, Team, User
from core.normalize import to_persian_digits
from core.testing import counted_statements, csrf_token, log_in
from plugins.tickets import seed
from plugins.tickets.desk import NewTicket
from plugins.tickets.models import Attachment, CannedResponse, Category, Comment, Ticket, TicketEvent, TicketView
from plugins.tickets.tracking import format_code
from tests.browser.support import in_persian

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def department(dbsession, code: str) -> Department:
    return dbsession.scalar(select(Department).where(Department.code == code))


def user(dbsession, username: str) -> User:
    return dbsession.scalar(select(User).where(User.username == username))


def team(dbsession, code: str, tier: int) -> Team:
    return dbsession.scalar(select(Team).where(Team.department_id == department(dbsession, code).id, Team.tier == tier))


def open_ticket(desk, dbsession, code: str = "it", **overrides) -> Ticket:
    dept = department(dbsession, code)
    category = dbsession.scalar(select(Category.id).where(Category.department_id == dept.id).limit(1))
    values = dict(subject="چاپگر طبقه دوم کار نمی‌کند", department_id=dept.id, description="کاغذ گیر کرده است",
                  service_key=f"category:{category}", guest_name="رضا امینی", guest_mobile="09121234567",
                  guest_email="reza@example.ir", guest_national_code="0012345678", impact="medium", urgency="high",
                  tags=["چاپگر"])
    values.update(overrides)
    return desk(None).open(NewTicket(**values))


def url(ticket: Ticket, action: str | None = None) -> str:
    return f"/desk/tickets/{ticket.id}" + (f"/{action}" if action else "")


def form_fields(page, action: str) -> dict:
    """The hidden fields of the form posting to ``action``, as the browser would send them."""
    form = page.html.find("form", action=re.compile(f"/{action}$"))
    return {field["name"]: field.get("value", "") for field in form.find_all("input", type="hidden")}


def post(testapp, page, ticket, action: str, status=303, upload_files=None, **values):
    return testapp.post(url(ticket, action), {**form_fields(page, action), **values}, status=status,
                        upload_files=upload_files)


def text_of(page) -> str:
    return page.html.get_text(" ", strip=True)


@pytest.fixture
def attachments_dir(tmp_path):
    return tmp_path / "attachments"


@pytest.fixture
def app(tickets_plugin, app_settings, pluginmanager, engine, attachments_dir):
    return make_app({**app_settings, "tickets.attachments_dir": str(attachments_dir)}, pluginmanager=pluginmanager)


def second_agent(app, dbsession, username: str) -> webtest.TestApp:
    """Another browser, signed in as ``username``, on the same database transaction."""
    other = webtest.TestApp(app, extra_environ={"app.dbsession": dbsession, "REMOTE_ADDR": "10.0.0.2",
                                                "HTTP_HOST": "localhost"})
    log_in(other, username)
    return other


def form_error(page) -> str:
    return page.html.find(attrs={"data-testid": "form-error"}).get_text(" ", strip=True)


def flash(page) -> str:
    return page.html.find(attrs={"data-testid": "flash"}).get_text(" ", strip=True)


def events(dbsession, ticket) -> list[TicketEvent]:
    return list(dbsession.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)
                                  .order_by(TicketEvent.id)))


@pytest.fixture
def ticket(desk, dbsession):
    return open_ticket(desk, dbsession)


@pytest.fixture
def agent(testapp, org):
    log_in(testapp, "agent")
    return testapp


# --- what the page shows -------------------------------------------------------------------

def test_page_shows_what_an_agent_needs_in_persian(agent, ticket, desk, dbsession):
    desk("agent").comment(ticket, "لطفاً چاپگر را خاموش و روشن کنید")
    desk("agent").comment(ticket, "احتمالاً درام چاپگر خراب است", internal=True)
    page = agent.get(url(ticket))
    text = text_of(page)
    assert ticket.subject in text
    assert page.html.find(attrs={"data-testid": "tracking-code"}).get_text() == format_code(ticket.tracking_code) \
        .translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert page.html.find(attrs={"data-status": "new"}).get_text() == in_persian("New")
    requester = page.html.find(attrs={"data-testid": "requester"}).get_text(" ", strip=True)
    assert "رضا امینی" in requester and "۰۹۱۲۱۲۳۴۵۶۷" in requester and "reza@example.ir" in requester
    assert "۰۰۱۲۳۴۵۶۷۸" in requester  # the national code, for staff only
    assert page.html.find(attrs={"data-testid": "department"}).get_text(strip=True) == "مرکز فناوری اطلاعات و ارتباطات"
    assert in_persian("L1 · front desk") in page.html.find(attrs={"data-testid": "ticket-tier"}).get_text()
    assert page.html.find(attrs={"data-testid": "tag"}).get_text() == "چاپگر"
    assert in_persian("Unassigned") in page.html.find(attrs={"data-testid": "assignee"}).get_text()
    note = page.html.find(attrs={"data-testid": "internal-note"})
    assert "احتمالاً درام چاپگر خراب است" in note.get_text() and in_persian("Internal note") in note.get_text()
    reply = page.html.find(attrs={"data-testid": "public-message"})
    assert "لطفاً چاپگر را خاموش و روشن کنید" in reply.get_text()
    assert in_persian("Public reply") in reply.get_text()
    created = page.html.find(attrs={"data-testid": "event", "data-kind": "created"})
    assert in_persian("Created") in created.get_text() and "رضا امینی" in created.get_text()


def test_sla_clocks_show_target_due_date_in_jalali_and_state(agent, ticket):
    page = agent.get(url(ticket))
    clocks = page.html.find(attrs={"data-testid": "sla-clocks"})
    response = clocks.find(attrs={"data-clock": "response"})
    assert response["data-state"] == "running"
    assert in_persian("First response") in response.get_text()
    # P2 (medium impact, high urgency): an hour to respond.
    assert in_persian("${hours} h").replace("${hours}", "۱") in response.get_text()
    due = response.find(attrs={"data-testid": "clock-due"}).get_text()
    assert re.fullmatch(r"۱۴[۰-۹]{2}/[۰-۹]{2}/[۰-۹]{2} [۰-۹]{2}:[۰-۹]{2}", due), due
    resolution = clocks.find(attrs={"data-clock": "resolution"})
    assert resolution["data-state"] == "running"
    # The clock to resolve the request, not the kind of solution the resolve form asks for.
    assert "حل درخواست" in resolution.get_text() and "نوع راه‌حل" not in resolution.get_text()


def test_history_tells_who_did_what_through_which_channel(agent, ticket, desk, dbsession):
    l2 = team(dbsession, "it", 2)
    desk("agent").escalate(ticket, team_id=l2.id, reason="سوییچ طبقه باید بررسی شود")
    page = agent.get(url(ticket))
    escalated = page.html.find(attrs={"data-testid": "event", "data-kind": "escalated"})
    text = escalated.get_text(" ", strip=True)
    assert "سارا کریمی" in text and l2.name in text and "سوییچ طبقه باید بررسی شود" in text
    assert in_persian("L2 · general support") in text
    assert in_persian("Portal") in text


def test_timeline_merges_messages_and_history_in_time_order(agent, desk, dbsession):
    start = utcnow() - timedelta(hours=3)
    ticket = desk(None, now=start).open(NewTicket(
        subject="وای‌فای کتابخانه ضعیف است", department_id=department(dbsession, "it").id, guest_name="مینا",
        guest_mobile="09121234567", contact_at=start))
    desk("agent", now=start + timedelta(minutes=30)).transition(ticket, "start")
    desk("agent", now=start + timedelta(minutes=10)).comment(ticket, "کدام طبقه؟")
    desk(None, now=start + timedelta(minutes=40)).comment(ticket, "طبقه سوم")
    desk("agent", now=start + timedelta(minutes=50)).comment(ticket, "نقطه دسترسی باید عوض شود", internal=True)
    entries = agent.get(url(ticket)).html.find(attrs={"data-testid": "timeline"}).find_all("li", recursive=False)
    assert [(entry["data-testid"], entry.get("data-kind")) for entry in entries] == [
        ("event", "created"), ("public-message", None), ("event", "transitioned"), ("public-message", None),
        ("internal-note", None)]
    assert in_persian("From the requester") in entries[3].get_text()


def test_page_statements_do_not_grow_with_the_conversation(agent, ticket, desk, dbsession, engine):
    it_agents = ["agent", "it.agent2", "it.support"]

    def converse(rounds: int) -> None:
        for number in range(rounds):
            desk(it_agents[number % 3]).comment(ticket, f"پیام شماره {number}", internal=number % 2 == 0)
            desk(None).comment(ticket, f"پاسخ متقاضی {number}")
            desk("agent").assign(ticket, assignee_id=user(dbsession, it_agents[number % 3]).id)
            desk("agent").update(ticket, tags=[f"برچسب {number}"])

    def statements() -> int:
        with counted_statements(engine, dbsession) as seen:
            agent.get(url(ticket))
        return len(seen)

    converse(1)
    agent.get(url(ticket))  # the business calendar is remembered after the first page
    before = statements()
    converse(12)
    assert statements() == before


# --- who may see it ----------------------------------------------------------------------

def test_a_number_too_long_for_an_id_is_404_not_500(testapp, org):
    """SQLite cannot bind an integer beyond 64 bits: such an address named a 500."""
    log_in(testapp, "agent")
    huge = "9" * 30
    for address in (f"/desk/tickets/{huge}", f"/desk/tickets/{huge}/viewers", f"/desk/tickets/1/files/{huge}",
                    f"/desk/approvals/{huge}", f"/requests/{huge}"):
        testapp.get(address, status=404)


def test_an_hr_agent_gets_404_for_an_it_ticket(testapp, org, ticket, desk, dbsession):
    desk("agent").comment(ticket, "پیوست", internal=False)
    attachment = Attachment(ticket_id=ticket.id, filename="a.png", content_type="image/png", size=1,
                            digest="0" * 64)
    dbsession.add(attachment)
    dbsession.flush()
    log_in(testapp, "hr.desk")
    testapp.get(url(ticket), status=404)
    testapp.get(url(ticket, "viewers"), status=404)
    testapp.get(f"/desk/tickets/{ticket.id}/files/{attachment.id}", status=404)
    token = csrf_token(testapp)
    testapp.post(url(ticket, "comment"), {"csrf_token": token, "version": ticket.version, "body": "سلام",
                                          "visibility": "public"}, status=404)
    testapp.post(url(ticket, "start"), {"csrf_token": token, "version": ticket.version}, status=404)
    assert dbsession.scalar(select(Comment.id).where(Comment.body == "سلام")) is None
    assert ticket.status == "new"


def test_requesters_and_visitors_cannot_open_the_page(testapp, org, ticket):
    testapp.get(url(ticket), status=303)  # to the login page
    log_in(testapp, "student")
    testapp.get(url(ticket), status=403)


def test_a_form_without_the_csrf_token_is_refused(agent, ticket):
    agent.post(url(ticket, "start"), {"version": ticket.version}, status=400)
    assert ticket.status == "new"


# --- each form ---------------------------------------------------------------------------

def test_public_reply_and_internal_note(agent, ticket, dbsession):
    page = agent.get(url(ticket))
    done = post(agent, page, ticket, "comment", body="سلام، لطفا کابل را بررسی کنید", visibility="public")
    assert done.location.endswith(url(ticket))
    page = done.follow()
    assert flash(page) == in_persian("Your reply was sent to the requester.")
    assert ticket.first_response_at is not None  # the response clock stopped
    post(agent, page, ticket, "comment", body="به نظر مشکل از سوییچ است", visibility="internal")
    comments = dbsession.scalars(select(Comment).where(Comment.ticket_id == ticket.id).order_by(Comment.id)).all()
    assert [(c.body, c.is_internal) for c in comments] == [("سلام، لطفا کابل را بررسی کنید", False),
                                                          ("به نظر مشکل از سوییچ است", True)]
    page = agent.get(url(ticket))
    assert "به نظر مشکل از سوییچ است" in page.html.find(attrs={"data-testid": "internal-note"}).get_text()


def test_an_empty_reply_is_refused_with_a_translated_message(agent, ticket):
    page = agent.get(url(ticket))
    refused = post(agent, page, ticket, "comment", status=400, body="   ", visibility="public")
    assert form_error(refused) == in_persian("Write a message.")


def test_reply_with_a_file_that_the_agent_can_download(agent, ticket, dbsession):
    page = agent.get(url(ticket))
    post(agent, page, ticket, "comment", body="تصویر خطا پیوست شد", visibility="internal",
         upload_files=[("attachments", "خطا.png", PNG)])
    attachment = dbsession.scalar(select(Attachment).where(Attachment.ticket_id == ticket.id))
    assert attachment.is_internal and attachment.comment_id is not None
    page = agent.get(url(ticket))
    link = page.html.find(attrs={"data-testid": "internal-note"}).find("a", attrs={"data-testid": "file"})
    assert "خطا.png" in link.get_text()
    download = agent.get(link["href"])
    assert download.body == PNG and download.content_type == "image/png"


def test_a_file_whose_content_does_not_match_its_name_is_refused_and_the_text_kept(agent, ticket, dbsession):
    page = agent.get(url(ticket))
    refused = post(agent, page, ticket, "comment", status=400, body="گزارش پیوست است", visibility="public",
                   upload_files=[("attachments", "report.pdf", b"MZ\x90\x00 not a pdf at all")])
    assert "report.pdf" in form_error(refused)
    assert refused.html.find("textarea", id="reply-body").get_text() == "گزارش پیوست است"
    assert dbsession.scalar(select(Comment.id).where(Comment.ticket_id == ticket.id)) is None


def test_canned_responses_of_the_department_fill_the_reply(agent, ticket, dbsession):
    it, hr = department(dbsession, "it"), department(dbsession, "hr")
    dbsession.add_all([
        CannedResponse(department_id=None, title="سلام عمومی", body="با سلام و احترام"),
        CannedResponse(department_id=it.id, title="بازنشانی گذرواژه", body="گذرواژه شما بازنشانی شد."),
        CannedResponse(department_id=hr.id, title="فیش حقوقی", body="فیش در سامانه است."),
    ])
    dbsession.flush()
    page = agent.get(url(ticket))
    titles = [option.get_text() for option in page.html.find("select", id="canned_id").find_all("option")][1:]
    assert titles == ["بازنشانی گذرواژه", "سلام عمومی"]
    canned = dbsession.scalar(select(CannedResponse).where(CannedResponse.department_id == it.id))
    filled = agent.post(url(ticket, "canned"), {"canned_id": canned.id, "body": "علی جان،"},
                        headers={"X-CSRF-Token": csrf_token(agent)})
    assert filled.html.find("textarea").get_text() == "علی جان،\n\nگذرواژه شما بازنشانی شد."
    foreign = dbsession.scalar(select(CannedResponse).where(CannedResponse.department_id == hr.id))
    kept = agent.post(url(ticket, "canned"), {"canned_id": foreign.id, "body": "علی جان،"},
                      headers={"X-CSRF-Token": csrf_token(agent)})
    assert kept.html.find("textarea").get_text() == "علی جان،"


def test_the_demo_brings_canned_responses_for_every_department_and_its_own(agent, ticket, dbsession):
    """Nothing else creates canned responses: without the demo's, the box was never shown."""
    seed.add_demo_canned_responses(dbsession)
    seed.add_demo_canned_responses(dbsession)  # once
    page = agent.get(url(ticket))
    titles = [option.get_text() for option in page.html.find("select", id="canned_id").find_all("option")][1:]
    assert "بازنشانی گذرواژه" in titles and "سلام و احترام" in titles and "فیش حقوقی در سامانه" not in titles
    assert len(titles) == len(set(titles))


def test_status_actions_land_in_history(agent, ticket, dbsession):
    page = agent.get(url(ticket))
    buttons = {button["data-action"] for button in page.html.find(attrs={"data-testid": "status-actions"})
               .find_all("button")}
    assert buttons == {"start", "pend", "resolve", "cancel"}
    page = post(agent, page, ticket, "start").follow()
    assert flash(page) == in_persian("The ticket is now «${status}».").replace("${status}",
                                                                               in_persian("In progress"))
    page = post(agent, page, ticket, "pend", reason="awaiting_requester").follow()
    assert page.html.find(attrs={"data-testid": "pending-reason"}).get_text() == in_persian("Awaiting the requester")
    page = post(agent, page, ticket, "resume").follow()
    assert ticket.status == "in_progress"
    post(agent, page, ticket, "resolve", resolution_code="solved", note="کاغذ گیرکرده خارج شد")
    page = agent.get(url(ticket))
    assert page.html.find(attrs={"data-status": "resolved"}) is not None
    assert "کاغذ گیرکرده خارج شد" in page.html.find(attrs={"data-testid": "resolution"}).get_text()
    assert [(e.kind, e.data.get("to")) for e in events(dbsession, ticket)][1:] == [
        ("transitioned", "in_progress"), ("transitioned", "pending"), ("transitioned", "in_progress"),
        ("resolved", "resolved")]
    assert all(e.actor_id == user(dbsession, "agent").id for e in events(dbsession, ticket)[1:])


def test_an_invalid_transition_gets_a_translated_error(agent, ticket):
    page = agent.get(url(ticket))
    refused = agent.post(url(ticket, "close"), form_fields(page, "start"), status=400)  # a forged button
    message = refused.html.find(attrs={"data-testid": "page-error"}).get_text(strip=True)
    assert message == in_persian("This action is not possible for the ticket in its current status.")
    assert ticket.status == "new"
    agent.post(url(ticket, "fly"), form_fields(page, "start"), status=404)


def test_pending_needs_a_reason(agent, ticket):
    page = agent.get(url(ticket))
    refused = post(agent, page, ticket, "pend", status=400, reason="holiday")
    assert form_error(refused) == in_persian("Choose why the ticket is pending.")
    assert refused.html.find("select", id="pend-reason")["aria-invalid"] == "true"


def test_resolve_without_a_note_is_refused_and_what_was_chosen_is_kept(agent, ticket, desk, dbsession):
    desk("agent").transition(ticket, "pend", reason="third_party")
    page = agent.get(url(ticket))
    refused = post(agent, page, ticket, "resolve", status=400, resolution_code="workaround", note="  ")
    assert form_error(refused) == in_persian("Describe the resolution.")
    assert refused.html.find("select", id="resolve-code").find("option", selected=True)["value"] == "workaround"
    refused = post(agent, page, ticket, "resolve", status=400, resolution_code="", note="راه موقت: چاپگر دیگر")
    assert form_error(refused) == in_persian("Choose a resolution code.")
    assert refused.html.find("textarea", id="resolve-note").get_text() == "راه موقت: چاپگر دیگر"
    # The refused resolve had resumed the paused clocks in its savepoint: undone with it.
    assert ticket.status == "pending" and ticket.sla_state == "paused" and ticket.pending_reason == "third_party"


def test_assign_to_me_and_to_a_team_mate(agent, ticket, dbsession):
    page = agent.get(url(ticket))
    form = page.html.find(attrs={"data-testid": "assign-form"}).find_all("form")[1]
    assert form.find("input", attrs={"name": "assignee_id"})["value"] == "me"
    page = post(agent, page, ticket, "assign", assignee_id="me").follow()
    assert page.html.find(attrs={"data-testid": "assignee"}).get_text(strip=True) == "سارا کریمی"
    assert ticket.status == "assigned"
    mate = user(dbsession, "it.agent2")
    page = post(agent, page, ticket, "assign", assignee_id=str(mate.id)).follow()
    assert page.html.find(attrs={"data-testid": "assignee"}).get_text(strip=True) == mate.full_name
    assigned = [e.data for e in events(dbsession, ticket) if e.kind == "assigned"]
    assert assigned == [{"from": None, "to": user(dbsession, "agent").id}, {"from": user(dbsession, "agent").id,
                                                                          "to": mate.id}]
    outsider = user(dbsession, "hr.desk")
    refused = post(agent, page, ticket, "assign", status=400, assignee_id=str(outsider.id))
    assert form_error(refused) == in_persian("This person cannot work on tickets of this department.")


def test_functional_escalation_to_l2_shows_the_new_tier(agent, ticket, dbsession):
    l2 = team(dbsession, "it", 2)
    page = agent.get(url(ticket))
    refused = post(agent, page, ticket, "escalate", status=400, team_id=str(l2.id), reason="")
    assert form_error(refused) == in_persian("Say why the ticket is escalated.")
    assert refused.html.find("select", id="escalate-team").find("option", selected=True)["value"] == str(l2.id)
    page = post(agent, page, ticket, "escalate", team_id=str(l2.id), reason="نیاز به دسترسی سرور").follow()
    assert in_persian("L2 · general support") in page.html.find(attrs={"data-testid": "ticket-tier"}).get_text()
    assert l2.name in page.html.find(attrs={"data-testid": "team"}).get_text()
    assert ticket.tier == 2 and ticket.escalation_count == 1


def test_escalating_to_another_department_goes_back_to_the_queue(agent, ticket, dbsession):
    hr_l1 = team(dbsession, "hr", 1)
    page = agent.get(url(ticket))
    done = post(agent, page, ticket, "escalate", team_id=str(hr_l1.id), reason="موضوع مربوط به کارگزینی است")
    assert done.location.endswith("/desk/tickets")
    agent.get(url(ticket), status=404)
    assert ticket.department_id == department(dbsession, "hr").id


def test_hierarchical_escalation_is_recorded(agent, ticket, dbsession):
    page = agent.get(url(ticket))
    refused = post(agent, page, ticket, "management", status=400, reason=" ")
    assert form_error(refused) == in_persian("Say why management should look at this ticket.")
    page = post(agent, page, ticket, "management", reason="کل دانشکده بدون چاپگر است").follow()
    assert flash(page) == in_persian("The team lead and the department manager were told.")
    event = events(dbsession, ticket)[-1]
    assert (event.kind, event.data["kind"], event.data["reason"]) == ("escalated", "hierarchical",
                                                                    "کل دانشکده بدون چاپگر است")


def test_edit_classification_changes_priority_and_tags(agent, ticket, dbsession):
    page = agent.get(url(ticket))
    fields = dict(subject="چاپگرهای طبقه دوم", type="incident", impact="high", urgency="high",
                  service_key=ticket.service_key, tags="چاپگر، طبقه دوم, فوری")
    page = post(agent, page, ticket, "update", **fields).follow()
    assert page.html.find(attrs={"data-testid": "ticket-subject"}).get_text() == "چاپگرهای طبقه دوم"
    assert ticket.priority == 1
    assert [tag.get_text() for tag in page.html.find_all(attrs={"data-testid": "tag"})] == ["طبقه دوم", "فوری", "چاپگر"]
    changes = events(dbsession, ticket)[-1].data["changes"]
    assert changes["priority"] == [2, 1] and changes["impact"] == ["medium", "high"]


def test_edit_classification_refuses_forged_values_and_keeps_the_rest(agent, ticket):
    page = agent.get(url(ticket))
    refused = post(agent, page, ticket, "update", status=400, subject="موضوع تازه", type="lottery",
                   impact="high", urgency="low", service_key=ticket.service_key, tags="")
    assert form_error(refused) == in_persian("Choose the kind of request.")
    assert refused.html.find("input", id="update-subject")["value"] == "موضوع تازه"
    refused = post(agent, page, ticket, "update", status=400, subject="x" * 301, type="incident",
                   impact="high", urgency="low", service_key=ticket.service_key, tags="")
    assert refused.html.find("input", id="update-subject")["aria-invalid"] == "true"
    refused = post(agent, page, ticket, "update", status=400, subject="موضوع", type="incident",
                   impact="high", urgency="low", service_key="category:999999", tags="")
    assert form_error(refused) == in_persian("Choose a service of this department.")
    assert ticket.subject == "چاپگر طبقه دوم کار نمی‌کند" and ticket.impact == "medium"


def test_link_by_tracking_code_in_persian_digits(agent, ticket, desk, dbsession):
    other = open_ticket(desk, dbsession, subject="چاپگر طبقه سوم")
    page = agent.get(url(ticket))
    code = to_persian_digits(format_code(other.tracking_code))
    page = post(agent, page, ticket, "link", kind="related_to", target=code).follow()
    link = page.html.find(attrs={"data-testid": "link"})
    assert in_persian("Related to") in link.get_text() and "چاپگر طبقه سوم" in link.get_text()
    refused = post(agent, page, ticket, "link", status=400, kind="related_to", target=f"#{other.id}")
    assert form_error(refused) == in_persian("These tickets are already linked that way.")
    back = agent.get(url(other))
    assert in_persian("Related to") in back.html.find(attrs={"data-testid": "link"}).get_text()


def test_link_and_merge_refuse_tickets_the_agent_cannot_see(agent, ticket, desk, dbsession):
    hr_ticket = open_ticket(desk, dbsession, "hr", subject="گواهی اشتغال")
    page = agent.get(url(ticket))
    for action in ("link", "merge"):
        refused = post(agent, page, ticket, action, status=400, kind="related_to",
                       target=format_code(hr_ticket.tracking_code))
        assert form_error(refused) == in_persian("No ticket you work on has this number or tracking code.")
        assert refused.html.find("input", id=f"{action}-target")["value"] == format_code(hr_ticket.tracking_code)
    assert "گواهی اشتغال" not in agent.get(url(ticket)).text


def test_merge_into_another_ticket(agent, ticket, desk, dbsession):
    into = open_ticket(desk, dbsession, subject="چاپگرهای ساختمان مرکزی")
    page = agent.get(url(ticket))
    page = post(agent, page, ticket, "merge", target=str(into.id)).follow()
    assert page.html.find(attrs={"data-status": "resolved"}) is not None
    assert page.html.find(attrs={"data-testid": "merged-into"}).find("a")["href"] == url(into)
    merged = agent.get(url(into)).html.find(attrs={"data-testid": "event", "data-kind": "merged"})
    assert merged is not None


# --- another agent has the ticket open ----------------------------------------------------------

def test_warns_when_another_agent_has_the_ticket_open(app, agent, ticket, dbsession):
    colleague = second_agent(app, dbsession, "it.agent2")
    colleague.get(url(ticket))
    page = agent.get(url(ticket))
    assert "نرگس جعفری" in page.html.find(attrs={"data-testid": "viewers"}).get_text()
    assert page.html.find(id="ticket-viewers")["hx-trigger"] == "every 30s"
    fragment = colleague.get(url(ticket, "viewers"))
    assert "سارا کریمی" in fragment.html.find(attrs={"data-testid": "viewers"}).get_text()


def test_an_agent_who_left_minutes_ago_is_not_listed(app, agent, ticket, dbsession):
    colleague = second_agent(app, dbsession, "it.agent2")
    colleague.get(url(ticket))
    seen = dbsession.get(TicketView, (ticket.id, user(dbsession, "it.agent2").id))
    seen.seen_at = utcnow() - timedelta(minutes=3)
    dbsession.flush()
    page = agent.get(url(ticket))
    assert page.html.find(attrs={"data-testid": "viewers"}) is None
