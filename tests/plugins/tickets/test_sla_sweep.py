"""The worker's SLA jobs: warnings at 75%, breaches, automatic escalation of P1/P2 tickets near a
breach, auto-closing after business days — each recorded once, found through indexes."""
from __future__ import annotations

import pytest
from sqlalchemy import event, select

import plugins.tickets
from core.worker import JobContext
from plugins.tickets.models import SlaClock, Status, TicketEvent
from plugins.tickets.sla.sweep import close_resolved, sweep_clocks
from tests.plugins.tickets import sla_helpers
from tests.plugins.tickets.sla_helpers import open_ticket, tehran

office = sla_helpers.office


@pytest.fixture
def run(office, dbsession, settings, pluginmanager):
    """``run(job, "1405/09/07 12:30")``: the job as the worker runs it, at a Tehran time, over
    the office calendar."""

    def run_job(job, at: str, **overrides) -> None:
        job(JobContext(dbsession, dict(settings, **overrides), pluginmanager.hook, tehran(at)))

    return run_job


def events(dbsession, ticket, *kinds: str) -> list[TicketEvent]:
    query = select(TicketEvent).where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.id)
    return [event for event in dbsession.scalars(query) if not kinds or event.kind in kinds]


def test_the_worker_runs_both_jobs(settings):
    jobs = {job.name: job for job in plugins.tickets.pishkhan_periodic_jobs(settings)}
    assert jobs["tickets.sla_sweep"].run is sweep_clocks and jobs["tickets.sla_sweep"].interval == 60
    assert jobs["tickets.auto_close"].run is close_resolved


def test_warning_at_75_percent_then_breach_each_recorded_once(desk, dbsession, run):
    ticket = open_ticket(desk, dbsession, "1405/09/07 09:00")  # P3: response due 13:00
    run(sweep_clocks, "1405/09/07 11:59")
    assert events(dbsession, ticket, "sla_warning", "sla_breach") == [] and ticket.sla_state == "ok"
    run(sweep_clocks, "1405/09/07 12:00")  # 3 of 4 hours used
    warnings = events(dbsession, ticket, "sla_warning")
    assert [event.data["clock"] for event in warnings] == ["response"]
    assert warnings[0].actor_id is None and warnings[0].channel == "system"
    assert ticket.sla_state == "warning"
    version = ticket.version
    run(sweep_clocks, "1405/09/07 12:30")
    assert len(events(dbsession, ticket, "sla_warning")) == 1
    run(sweep_clocks, "1405/09/07 13:00")
    breaches = events(dbsession, ticket, "sla_breach")
    assert [event.data["clock"] for event in breaches] == ["response"]
    assert ticket.sla_state == "breached"
    run(sweep_clocks, "1405/09/07 13:01")
    run(sweep_clocks, "1405/09/07 13:01")
    assert len(events(dbsession, ticket, "sla_warning", "sla_breach")) == 2
    assert ticket.version == version  # the sweep never makes an agent's open form stale
    assert ticket.priority == 3 and events(dbsession, ticket, "escalated") == []


def test_a_clock_found_past_its_due_date_is_breached_not_warned(desk, dbsession, run):
    ticket = open_ticket(desk, dbsession, "1405/09/07 09:00")
    run(sweep_clocks, "1405/09/07 14:00")  # the worker was down from 11:00
    assert [event.kind for event in events(dbsession, ticket, "sla_warning", "sla_breach")] == ["sla_breach"]
    run(sweep_clocks, "1405/09/07 14:01")
    assert len(events(dbsession, ticket, "sla_warning", "sla_breach")) == 1


def test_p2_near_its_resolution_target_escalates_to_management_once(desk, dbsession, run):
    ticket = open_ticket(desk, dbsession, "1405/09/07 09:00", impact="medium", urgency="high")
    assert ticket.priority == 2  # 1 h / 8 h: resolution due Sunday 09:00, warned at 6 h (Saturday 15:00)
    run(sweep_clocks, "1405/09/07 15:00")
    assert [(event.kind, event.data.get("clock")) for event in events(dbsession, ticket, "sla_warning",
                                                                       "sla_breach")] == [
        ("sla_breach", "response"), ("sla_warning", "resolution")]
    escalations = events(dbsession, ticket, "escalated")
    assert len(escalations) == 1
    assert escalations[0].data["kind"] == "hierarchical" and escalations[0].data["automatic"] is True
    assert escalations[0].data["reason"] == "موعد حل درخواست نزدیک است و هنوز حل نشده است."
    run(sweep_clocks, "1405/09/08 09:00")  # and then the resolution target is missed too
    assert len(events(dbsession, ticket, "escalated")) == 1
    assert len(events(dbsession, ticket, "sla_breach")) == 2


def test_paused_clocks_never_warn_or_breach(desk, dbsession, run):
    ticket = open_ticket(desk, dbsession, "1405/09/07 09:00", impact="high", urgency="high")
    desk("agent", now=tehran("1405/09/07 09:10")).transition(ticket, "pend", reason="third_party")
    run(sweep_clocks, "1405/09/09 12:00")
    assert events(dbsession, ticket, "sla_warning", "sla_breach", "escalated") == []
    assert ticket.sla_state == "paused"


def test_a_stopped_clock_is_done(desk, dbsession, run):
    ticket = open_ticket(desk, dbsession, "1405/09/07 09:00")
    desk("agent", now=tehran("1405/09/07 09:20")).comment(ticket, "سلام، بررسی می‌کنم.")  # stops the response clock
    run(sweep_clocks, "1405/09/07 13:30")
    assert events(dbsession, ticket, "sla_warning", "sla_breach") == []
    assert ticket.sla_state == "ok"


def resolved_ticket(desk, dbsession, at: str):
    ticket = open_ticket(desk, dbsession, at)
    desk("agent", now=tehran(at)).transition(ticket, "resolve", resolution_code="solved", note="کارتریج عوض شد.")
    return ticket


def test_auto_close_after_business_days_not_before(desk, dbsession, run):
    ticket = resolved_ticket(desk, dbsession, "1405/09/07 10:00")
    # Three business days of 8 h: Sat 10–16 (6) + Sun 8 + Mon 8 + Tue 08–10.
    run(close_resolved, "1405/09/09 23:00")  # three calendar days, 22 business hours
    run(close_resolved, "1405/09/10 09:59")
    assert ticket.status == Status.resolved
    run(close_resolved, "1405/09/10 10:00")
    assert ticket.status == Status.closed
    closings = events(dbsession, ticket, "closed")
    assert len(closings) == 1 and closings[0].actor_id is None and closings[0].channel == "system"
    run(close_resolved, "1405/09/10 11:00")
    assert len(events(dbsession, ticket, "closed")) == 1


def test_auto_close_follows_the_setting(desk, dbsession, run):
    ticket = resolved_ticket(desk, dbsession, "1405/09/07 10:00")
    # One business day: Saturday 10–16 and Sunday 08–10.
    run(close_resolved, "1405/09/08 09:59", **{"tickets.close_after_days": "1"})
    assert ticket.status == Status.resolved
    run(close_resolved, "1405/09/08 10:00", **{"tickets.close_after_days": "1"})
    assert ticket.status == Status.closed


@pytest.mark.parametrize("column", ["due_at", "warn_at"])
def test_the_sweep_reads_clocks_through_its_indexes(desk, dbsession, run, engine, column):
    for hour in range(9, 12):
        open_ticket(desk, dbsession, f"1405/09/07 {hour:02d}:00")
    statements = []

    def grab(conn, cursor, statement, parameters, context, executemany):
        if "FROM tickets_sla_clocks" in statement and f"{column} <=" in statement:
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", grab)
    try:
        run(sweep_clocks, "1405/09/07 16:00")
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    assert len(statements) == 1
    statement, parameters = statements[0]
    connection = dbsession.connection()
    index = {"due_at": "ix_tickets_sla_clocks_running_due", "warn_at": "ix_tickets_sla_clocks_running_warn"}[column]
    if engine.dialect.name == "sqlite":
        plan = " ".join(str(row) for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters))
        assert f"USING INDEX {index} (is_running=? AND " in plan and "TEMP B-TREE" not in plan
    else:
        # A few rows make any plan cheap; forbid the whole-table ones to see what the index offers.
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        connection.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
        plan = " ".join(row[0] for row in connection.exec_driver_sql("EXPLAIN " + statement, parameters))
        assert index in plan and "Sort" not in plan
    assert dbsession.scalar(select(SlaClock.id).where(SlaClock.breached.is_(True)).limit(1)) is not None
