"""Queue counts come from ``tickets_queue_counts`` and index range scans, and always agree with
a count over the tickets themselves; the queue's queries on the tickets table use an index."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select

from core.db import utcnow
from plugins.tickets.models import OPEN_STATUSES, Status, Ticket
from plugins.tickets.queue import QueueCounts, QueueFilter, counts, page
from tests.plugins.tickets.queue_helpers import open_ticket, team, user, viewer

VIEWERS = ("agent", "it.lead", "hr.desk", "edu.desk", "director")


def brute_force(dbsession, queue_viewer, now) -> QueueCounts:
    """The counts the slow way: every ticket, in Python."""
    tickets = [t for t in dbsession.scalars(select(Ticket)).all()
               if queue_viewer.department_ids is None or t.department_id in queue_viewer.department_ids]
    open_tickets = [t for t in tickets if t.status in OPEN_STATUSES]
    by_status = {status.value: sum(t.status == status for t in tickets) for status in Status}
    return QueueCounts(
        mine=sum(t.assignee_id == queue_viewer.user_id for t in open_tickets),
        my_teams=sum(t.team_id in queue_viewer.team_ids for t in open_tickets),
        unassigned=sum(t.assignee_id is None for t in open_tickets),
        open=len(open_tickets),
        breaching_soon=sum(t.sla_state == "warning" and t.sla_due_at is not None and t.sla_due_at >= now
                           for t in tickets),
        overdue=sum(t.sla_due_at is not None and t.sla_due_at < now for t in tickets),
        by_status=by_status,
    )


def assert_counts_agree(dbsession, now):
    dbsession.flush()
    for username in VIEWERS:
        queue_viewer = viewer(dbsession, username)
        assert counts(dbsession, queue_viewer, now) == brute_force(dbsession, queue_viewer, now), username


def test_counts_agree_with_the_tickets_through_a_working_day(desk, dbsession):
    now = utcnow()
    agent, support = user(dbsession, "agent"), user(dbsession, "it.support")
    it_desk = desk("agent")
    tickets = [open_ticket(desk, dbsession, "it", subject=f"مشکل {n}") for n in range(4)]
    hr_ticket = open_ticket(desk, dbsession, "hr", subject="گواهی اشتغال")
    edu_ticket = open_ticket(desk, dbsession, "education", subject="انتخاب واحد")
    late = open_ticket(desk, dbsession, "it", subject="قدیمی", actor="agent", channel="phone",
                       contact_at=now - timedelta(days=20))
    assert late.sla_due_at < now  # back-logged long ago: its clocks are overdue
    assert_counts_agree(dbsession, now)

    it_desk.assign(tickets[0], assignee_id=agent.id)
    it_desk.assign(tickets[1], assignee_id=agent.id)
    it_desk.transition(tickets[1], "start")
    it_desk.transition(tickets[1], "pend", reason="third_party")
    assert_counts_agree(dbsession, now)

    it_desk.escalate(tickets[2], team_id=team(dbsession, "it", 2).id, reason="نیاز به کارشناس")
    desk("it.lead").assign(tickets[2], assignee_id=support.id)
    desk("edu.desk").escalate(edu_ticket, team_id=team(dbsession, "it", 1).id, reason="مربوط به سامانه")
    assert_counts_agree(dbsession, now)

    it_desk.transition(tickets[1], "resume")
    it_desk.transition(tickets[1], "resolve", resolution_code="solved", note="انجام شد")
    it_desk.transition(tickets[1], "close")
    it_desk.transition(tickets[1], "reopen", note="دوباره")
    it_desk.transition(tickets[3], "cancel")
    desk("hr.desk").transition(hr_ticket, "resolve", resolution_code="answered", note="پاسخ داده شد")
    it_desk.assign(tickets[0], assignee_id=None)
    tickets[0].sla_state, tickets[0].sla_due_at = "warning", now + timedelta(minutes=10)
    assert_counts_agree(dbsession, now)

    hr = counts(dbsession, viewer(dbsession, "hr.desk"), now)
    assert hr.by_status["resolved"] == 1 and hr.open == 0 and hr.overdue == 0
    it = counts(dbsession, viewer(dbsession, "agent"), now)
    assert (it.mine, it.breaching_soon) == (1, 1) and it.overdue >= 1  # the reopened one is still hers


def test_an_hr_agent_counts_no_it_ticket(desk, dbsession):
    before = counts(dbsession, viewer(dbsession, "hr.desk"))
    ticket = open_ticket(desk, dbsession, "it", actor="agent", channel="phone",
                         contact_at=utcnow() - timedelta(days=20))
    desk("agent").assign(ticket, assignee_id=user(dbsession, "agent").id)
    assert counts(dbsession, viewer(dbsession, "hr.desk")) == before
    assert counts(dbsession, viewer(dbsession, "student")) == QueueCounts(by_status={s.value: 0 for s in Status})


# --- query plans -------------------------------------------------------------------------------

def plans_of(dbsession, work) -> list[tuple[str, list[str]]]:
    """Run ``work`` and EXPLAIN each statement it sent that reads the tickets table."""
    connection = dbsession.connection()
    sent = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        if "tickets_tickets" in statement and statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    event.listen(connection, "before_cursor_execute", remember)
    try:
        work()
    finally:
        event.remove(connection, "before_cursor_execute", remember)
    return [(statement, [tuple(row[:2]) + (row[-1],) for row in
                         connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)])
            for statement, parameters in sent]


@pytest.mark.sqlite_only
@pytest.mark.parametrize("username", ["agent", "director"])
def test_queue_queries_never_scan_the_tickets_table(desk, dbsession, username):
    for number in range(3):
        open_ticket(desk, dbsession, subject=f"درخواست {number}")
    queue_viewer = viewer(dbsession, username)

    def work():
        for sort in ("newest", "oldest", "priority", "due", "updated"):
            page(dbsession, queue_viewer, QueueFilter(), sort)
        for params in ({"scope": "mine"}, {"scope": "my_teams"}, {"scope": "unassigned"}, {"sla": "overdue"},
                       {"sla": "breaching_soon"}, {"status": "pending"}, {"status": "any"}):
            page(dbsession, queue_viewer, QueueFilter.parse(params))
        counts(dbsession, queue_viewer)

    plans = plans_of(dbsession, work)
    assert len(plans) >= 12
    for statement, plan in plans:
        for _node, parent, line in plan:
            if line.startswith("SCAN tickets_tickets") and "INDEX" not in line:
                # The one scan allowed: every ticket, newest first, for someone who sees every
                # department — a walk of the primary key in order, which LIMIT stops after a page.
                sorted_after = any("TEMP B-TREE" in other for _n, p, other in plan if p == parent)
                assert username == "director" and "LIMIT" in statement and not sorted_after, (statement, plan)
    sla_plan = [line for _node, _parent, line in plans[-1][1]]
    assert any("ix_tickets_tickets_sla_state_due" in line for line in sla_plan), sla_plan
    assert any("ix_tickets_tickets_sla_due_at" in line for line in sla_plan), sla_plan


def test_counts_follow_a_ticket_assigned_right_after_it_was_opened(desk, dbsession):
    """The ticket's unset columns are not loaded after its insert: the cell it leaves must still
    be the right one (no query in between that would load them)."""
    ticket = open_ticket(desk, dbsession)
    desk("agent").assign(ticket, assignee_id=user(dbsession, "agent").id)
    dbsession.flush()
    expired = open_ticket(desk, dbsession)
    dbsession.expire(expired)  # as after a commit: its old values must be loaded, not guessed
    expired.assignee_id = user(dbsession, "it.agent2").id
    expired.status = "assigned"
    dbsession.flush()
    agent = viewer(dbsession, "agent")
    now = utcnow()
    assert counts(dbsession, agent, now) == brute_force(dbsession, agent, now)
    assert counts(dbsession, agent, now).unassigned == 0


# --- the dashboard widget ----------------------------------------------------------------------

def test_my_queue_widget_counts_and_links_to_the_filtered_queue(testapp, desk, dbsession, engine):
    from core.testing import counted_statements, log_in

    agent = user(dbsession, "agent")
    mine = open_ticket(desk, dbsession)
    desk("agent").assign(mine, assignee_id=agent.id)
    open_ticket(desk, dbsession, actor="agent", channel="phone", contact_at=utcnow() - timedelta(days=20))
    open_ticket(desk, dbsession, "hr", actor="hr.desk", channel="phone", contact_at=utcnow() - timedelta(days=20))
    log_in(testapp, "agent")
    dbsession.flush()
    with counted_statements(engine, dbsession) as statements:
        dashboard = testapp.get("/workspace")
    widget = dashboard.html.select_one('[data-widget="tickets.my_queue"]')
    assert "صف من" in widget.get_text()
    badges = {item["data-count"]: item.select_one(".badge").get_text(strip=True) for item in widget.select("li")}
    assert badges == {"mine": "۱", "my_teams": "۲", "unassigned": "۱", "breaching_soon": "۰", "overdue": "۱"}
    link = widget.select_one('[data-count="overdue"] a')["href"]
    assert rows_of(testapp.get(link)) != [] and "sla=overdue" in link
    queue_statements = [s for s in statements if "tickets_" in s]
    assert len(queue_statements) == 1, queue_statements  # QueueCount's cells and two range scans, together


def rows_of(response) -> list[int]:
    return [int(row["data-ticket"]) for row in response.html.select("tr[data-ticket]")]


def test_counts_leave_with_a_savepoint_rolled_back_and_are_written_at_the_commit(desk, dbsession):
    agent = viewer(dbsession, "agent")
    before = counts(dbsession, agent)
    undone = dbsession.begin_nested()
    open_ticket(desk, dbsession, subject="برگشت می‌خورد")
    dbsession.flush()
    undone.rollback()
    kept = dbsession.begin_nested()
    open_ticket(desk, dbsession, subject="می‌ماند")
    kept.commit()
    now = utcnow()
    assert counts(dbsession, agent, now) == brute_force(dbsession, agent, now)
    assert counts(dbsession, agent, now).open == before.open + 1
