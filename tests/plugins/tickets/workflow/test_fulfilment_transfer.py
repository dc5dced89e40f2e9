"""Fulfilment tasks (created when approved, done by their teams, resolving the request) and
transfers between departments; the ticket page's cost with all of it."""
from __future__ import annotations

from sqlalchemy import select

from core.testing import counted_statements
from plugins.tickets import approvals
from plugins.tickets.models import Task, TicketEvent
from plugins.tickets.request_forms import SubmittedForm
from tests.plugins.tickets.portal_support import category, persian
from tests.plugins.tickets.workflow.support import (
    CERTIFICATE,
    PLAIN,
    TRANSCRIPT,
    browser,
    department,
    form_fields,
    open_request,
    team,
    text_of,
    user,
)


def tasks_of(dbsession, ticket) -> list[Task]:
    return list(dbsession.scalars(select(Task).where(Task.ticket_id == ticket.id).order_by(Task.position)))


def approved(desk, dbsession, ticket):
    for step in approvals.steps_of(dbsession, ticket.id):
        approvals.decide(desk("edu.manager"), step, approve=True)
    return ticket


def test_a_request_without_approvals_gets_its_tasks_at_once_an_unknown_team_becomes_the_tickets(org, desk, app):
    ticket = open_request(desk, org, TRANSCRIPT)
    (task,) = tasks_of(org, ticket)
    assert ticket.status == "new"
    assert task.team_id == ticket.team_id  # «تیمی که نیست» is no team of the department


def test_tasks_are_done_by_their_teams_and_the_last_one_resolves_the_request(org, desk, app):
    ticket = approved(desk, org, open_request(desk, org))
    issue, sign = tasks_of(org, ticket)
    assert issue.team_id == team(org, "میز خدمت آموزش").id and sign.team_id == team(org, "کارشناسان امور آموزشی").id

    desk_agent = browser(app, org, "edu.desk")
    page = desk_agent.get(f"/desk/tickets/{ticket.id}")
    forms = page.html.select("[data-testid=task-form]")
    assert len(forms) == 1  # only the task of their own team
    desk_agent.post(f"/desk/tickets/{ticket.id}/task", {**form_fields(page, "task"), "note": "صادر شد"}, status=303)
    assert issue.is_done and issue.note == "صادر شد" and ticket.status == "new"

    # Someone outside the team cannot mark the other task done, even by posting the form.
    page = desk_agent.get(f"/desk/tickets/{ticket.id}")
    refused = desk_agent.post(f"/desk/tickets/{ticket.id}/task",
                              {**form_fields(page, "comment"), "task_id": sign.id, "note": "x"}, status=400)
    assert persian("Only a member of the task's team can mark it done.") in text_of(refused)
    assert not sign.is_done

    lead = browser(app, org, "edu.lead", address="10.0.0.3")
    tasks_page = lead.get("/desk/tasks")
    assert [row.get_text(" ", strip=True).split(" ")[0] for row in tasks_page.html.select("[data-testid=task-row]")]
    page = lead.get(f"/desk/tickets/{ticket.id}")
    done = lead.post(f"/desk/tickets/{ticket.id}/task", {**form_fields(page, "task"), "note": "امضا شد"},
                     status=303).follow()
    assert persian("The task is done; it was the last one, so the request is resolved.") in text_of(done)
    assert (ticket.status, ticket.resolution_code) == ("resolved", "fulfilled")
    assert persian("Every fulfilment task is done: the request was fulfilled.") == ticket.resolution_note
    kinds = list(org.scalars(select(TicketEvent.kind).where(TicketEvent.ticket_id == ticket.id)
                             .order_by(TicketEvent.id)))
    assert kinds[-3:] == ["task_done", "task_done", "resolved"]
    assert lead.get("/desk/tasks").html.select_one("[data-testid=no-tasks]") is not None


def test_tasks_wait_for_the_approval(org, desk, app):
    ticket = open_request(desk, org)
    assert tasks_of(org, ticket) == []
    page = browser(app, org, "edu.desk").get("/desk/tasks")
    assert page.html.select_one("[data-testid=no-tasks]") is not None


def test_a_ticket_is_transferred_to_another_department(org, desk, app):
    ticket = open_request(desk, org, PLAIN)
    assert ticket.team_id == team(org, "میز خدمت آموزش").id
    agent = browser(app, org, "edu.desk")
    page = agent.get(f"/desk/tickets/{ticket.id}")
    refused = agent.post(f"/desk/tickets/{ticket.id}/transfer",
                         {**form_fields(page, "transfer"), "department_id": department(org, "it").id, "reason": ""},
                         status=400)
    assert persian("Say why the ticket is transferred.") in text_of(refused)
    assert refused.html.find("select", id="transfer-department").find("option", selected=True)["value"] == \
        str(department(org, "it").id)
    agent.post(f"/desk/tickets/{ticket.id}/transfer",
               {**form_fields(page, "transfer"), "department_id": department(org, "it").id,
                "reason": "مشکل حساب کاربری است"}, status=303)
    assert ticket.department_id == department(org, "it").id
    assert ticket.team_id == team(org, "میز خدمت فناوری اطلاعات").id
    assert (ticket.service_key, ticket.service_title) == (None, "")  # IT does not offer the education service
    event = org.scalar(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id, TicketEvent.kind == "transferred"))
    assert event.data["reason"] == "مشکل حساب کاربری است" and event.actor_id == user(org, "edu.desk").id
    assert event.data["from_department"] == department(org, "education").id
    # The old department's agents no longer see it; the new one's do, with the history.
    agent.get(f"/desk/tickets/{ticket.id}", status=404)
    it_page = browser(app, org, "agent", address="10.0.0.3").get(f"/desk/tickets/{ticket.id}")
    transfer = it_page.html.select_one("[data-kind=transferred]")
    assert "مشکل حساب کاربری است" in transfer.get_text()
    assert department(org, "education").name in transfer.get_text()


def test_a_transfer_keeps_a_service_the_new_department_offers(org, desk, app):
    it = category(org, "it")
    ticket = open_request(desk, org, PLAIN)
    ticket.service_key, ticket.service_title = f"category:{it.id}", it.name
    desk("edu.lead").transfer(ticket, department_id=it.department_id, reason="مربوط به فناوری اطلاعات")
    assert ticket.service_key == f"category:{it.id}"


def test_the_ticket_page_costs_the_same_with_approvals_tasks_and_a_form(org, desk, app, engine):
    values = [{"name": f"f{number}", "title": f"فیلد {number}", "value": "مقدار"} for number in range(12)]
    small = approved(desk, org, open_request(desk, org, form=SubmittedForm(values=values[:1])))
    large = approved(desk, org, open_request(desk, org, form=SubmittedForm(values=values)))
    plugin = app.registry.pluginmanager.get_plugin("test_workflow")
    plugin.approvals[CERTIFICATE] = [plugin.approvals[CERTIFICATE][0]] * 6
    plugin.tasks[CERTIFICATE] = plugin.tasks[CERTIFICATE] * 5
    larger = approved(desk, org, open_request(desk, org, form=SubmittedForm(values=values)))
    assert len(approvals.steps_of(org, larger.id)) == 6 and len(tasks_of(org, larger)) == 10
    agent = browser(app, org, "edu.desk")

    def statements(ticket) -> int:
        agent.get(f"/desk/tickets/{ticket.id}")
        with counted_statements(engine, org) as seen:
            agent.get(f"/desk/tickets/{ticket.id}")
        return len(seen)

    assert statements(small) == statements(large) == statements(larger)
