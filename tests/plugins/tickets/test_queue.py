"""The agent queue: each filter does what it says, sorting and keyset pages, search in Persian,
the departments an agent may see, and the workspace page with saved views and bulk actions."""
from __future__ import annotations

from datetime import timedelta

import pytest
from webob.multidict import MultiDict

from core.db import utcnow
from plugins.tickets.queue import QueueFilter, QueueFilterError, decode_cursor, page
from tests.plugins.tickets.queue_helpers import department, open_ticket, team, user, viewer


def ids(result) -> list[int]:
    return [ticket.id for ticket in result.items]


def listed(dbsession, username, **params) -> list[int]:
    sort = params.pop("sort", "newest")
    return ids(page(dbsession, viewer(dbsession, username), QueueFilter.parse(params), sort, limit=200))


# --- filters -----------------------------------------------------------------------------------

def test_default_filter_shows_open_tickets_newest_first(desk, dbsession):
    first = open_ticket(desk, dbsession)
    second = open_ticket(desk, dbsession)
    done = open_ticket(desk, dbsession)
    desk("agent").transition(done, "cancel")
    assert listed(dbsession, "agent") == [second.id, first.id]
    assert listed(dbsession, "agent", status="any") == [done.id, second.id, first.id]
    assert listed(dbsession, "agent", status="cancelled") == [done.id]
    assert listed(dbsession, "agent", status="open,cancelled") == [done.id, second.id, first.id]


def test_scopes_mine_my_teams_unassigned(desk, dbsession):
    agent = user(dbsession, "agent")
    mine = open_ticket(desk, dbsession)
    desk("agent").assign(mine, assignee_id=agent.id)
    other = open_ticket(desk, dbsession)
    desk("agent").assign(other, assignee_id=user(dbsession, "it.agent2").id)
    escalated = open_ticket(desk, dbsession)
    desk("agent").escalate(escalated, team_id=team(dbsession, "it", 2).id, reason="سوییچ")
    nobody = open_ticket(desk, dbsession)
    assert listed(dbsession, "agent", scope="mine") == [mine.id]
    assert listed(dbsession, "agent", scope="my_teams") == [nobody.id, other.id, mine.id]  # agent is in IT L1
    assert listed(dbsession, "it.lead", scope="my_teams") == [escalated.id]
    assert listed(dbsession, "agent", scope="unassigned") == [nobody.id, escalated.id]
    assert listed(dbsession, "agent", assignee=str(agent.id)) == [mine.id]
    assert listed(dbsession, "agent", team=str(team(dbsession, "it", 2).id)) == [escalated.id]


def test_priority_department_service_channel_type(desk, dbsession):
    from tests.plugins.tickets.queue_helpers import service_key

    urgent = open_ticket(desk, dbsession, impact="high", urgency="high", channel="phone", actor="agent")
    other_service = open_ticket(desk, dbsession, service_key=service_key(dbsession, "it", 1), type="complaint")
    eng = open_ticket(desk, dbsession, code="it-eng", impact="low", urgency="low")
    assert urgent.priority == 1
    assert listed(dbsession, "agent", priority="1") == [urgent.id]
    assert listed(dbsession, "agent", priority=["3", "1"]) == [other_service.id, urgent.id]
    assert listed(dbsession, "agent", department=str(department(dbsession, "it-eng").id)) == [eng.id]
    assert listed(dbsession, "agent", service=service_key(dbsession, "it", 1)) == [other_service.id]
    assert listed(dbsession, "agent", channel="phone") == [urgent.id]
    assert listed(dbsession, "agent", type="complaint") == [other_service.id]


def test_sla_filters_overdue_and_breaching_soon(desk, dbsession):
    now = utcnow()
    late = open_ticket(desk, dbsession)
    soon = open_ticket(desk, dbsession)
    calm = open_ticket(desk, dbsession)
    late.sla_due_at, late.sla_state = now - timedelta(hours=1), "breached"
    soon.sla_due_at, soon.sla_state = now + timedelta(minutes=20), "warning"
    calm.sla_due_at, calm.sla_state = now + timedelta(hours=5), "ok"
    dbsession.flush()
    assert listed(dbsession, "agent", sla="overdue") == [late.id]
    assert listed(dbsession, "agent", sla="breaching_soon") == [soon.id]


@pytest.mark.parametrize("params, field", [
    ({"scope": "everything"}, "scope"), ({"sla": "late"}, "sla"), ({"status": "done"}, "status"),
    ({"priority": "5"}, "priority"), ({"priority": "x"}, "priority"), ({"department": "-1"}, "department"),
    ({"type": "bug"}, "type"), ({"channel": "<script>"}, "channel"), ({"status": {"a": 1}}, "status"),
])
def test_invalid_filters_are_refused_with_the_field(params, field):
    with pytest.raises(QueueFilterError) as refused:
        QueueFilter.parse(params)
    assert refused.value.field == field


def test_filter_round_trips_through_the_query_string():
    parsed = QueueFilter.parse(MultiDict([("scope", "mine"), ("status", "new"), ("status", "pending"),
                                          ("priority", "۱"), ("q", "  كيبورد  عربي ")]))
    assert parsed.priorities == (1,) and parsed.q == "کیبورد عربی"
    assert QueueFilter.parse(MultiDict([(k, v) for k, vs in parsed.to_params().items()
                                        for v in ([vs] if isinstance(vs, str) else vs)])) == parsed
    assert QueueFilter.parse({}).is_default and QueueFilter.parse({}).to_params() == {}


# --- search ------------------------------------------------------------------------------------

def test_search_normalizes_persian_input_and_finds_tracking_codes(desk, dbsession):
    printer = open_ticket(desk, dbsession, subject="چاپگر طبقه دوم کار نمی‌کند")
    keyboard = open_ticket(desk, dbsession, subject="صفحه‌کلید آزمایشگاه")
    assert listed(dbsession, "agent", q="چاپگر") == [printer.id]
    assert listed(dbsession, "agent", q="صفحه‌كليد") == [keyboard.id]  # Arabic kaf and yeh typed
    code = keyboard.tracking_code
    persian = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    typed = f"{persian[:4]}-{persian[4:7]} {persian[7:]}"
    assert listed(dbsession, "agent", q=typed) == [keyboard.id]
    assert listed(dbsession, "agent", q=persian[:6]) == [keyboard.id]


# --- who sees what -----------------------------------------------------------------------------

def test_an_agent_sees_only_their_departments(desk, dbsession):
    it_ticket = open_ticket(desk, dbsession, "it")
    hr_ticket = open_ticket(desk, dbsession, "hr", subject="گواهی اشتغال به کار")
    assert listed(dbsession, "hr.desk", status="any") == [hr_ticket.id]
    assert listed(dbsession, "hr.desk", q=it_ticket.tracking_code) == []
    assert listed(dbsession, "hr.desk", department=str(it_ticket.department_id)) == []
    assert listed(dbsession, "agent") == [it_ticket.id]
    assert listed(dbsession, "director") == [hr_ticket.id, it_ticket.id]
    assert listed(dbsession, "student") == []


# --- keyset pages ------------------------------------------------------------------------------

@pytest.mark.parametrize("sort", ["newest", "oldest", "priority", "due", "updated"])
def test_keyset_pages_are_stable_without_duplicates_or_gaps(desk, dbsession, sort):
    levels = ["high", "medium", "low"]
    start = utcnow() - timedelta(days=1)
    tickets = []
    for number in range(13):
        ticket = open_ticket(desk, dbsession, subject=f"درخواست {number}", impact=levels[number % 3],
                             urgency=levels[(number // 3) % 3])
        ticket.updated_at = start + timedelta(minutes=number % 4)  # ties on purpose
        ticket.sla_due_at = None if number % 5 == 0 else start + timedelta(hours=number % 3)
        tickets.append(ticket)
    dbsession.flush()
    agent = viewer(dbsession, "agent")
    everything = ids(page(dbsession, agent, QueueFilter(), sort, limit=100))
    seen, cursor = [], None
    while True:
        result = page(dbsession, agent, QueueFilter(), sort, cursor=cursor, limit=4)
        seen += ids(result)
        if result.next_cursor is None:
            break
        cursor = result.next_cursor
    assert seen == everything and sorted(seen) == sorted(t.id for t in tickets)
    if sort == "due":
        due = [dbsession.get(type(tickets[0]), i).sla_due_at for i in seen]
        assert due[-3:] == [None, None, None] and None not in due[:-3]


def test_forged_or_foreign_cursors_are_refused():
    for cursor in ("not-base64!", "eyJzIjoibmV3ZXN0In0", "eyJzIjoib2xkZXN0IiwiayI6WzVdfQ"):
        with pytest.raises(QueueFilterError) as refused:
            decode_cursor(cursor, "newest")
        assert refused.value.field == "cursor"
