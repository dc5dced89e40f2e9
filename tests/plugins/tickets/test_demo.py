"""The demo's year of tickets tells the founding document's story, and is consistent data."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import plugins.tickets
from core.app import effective_settings
from core.db import utcnow
from core.demo import load_demo_organization
from core.models import OutboxMessage
from core.testing import installed_department_specs, new_plugin_manager
from plugins.tickets import counts, demo, seed
from plugins.tickets.models import OPEN_STATUSES, Comment, QueueCount, Rating, SlaClock, Ticket, TicketEvent
from plugins.tickets.sla.ticket_clocks import forget_calendars
from tests.plugins.tickets.demo_requests_support import DemoRequests

SCALE = 0.1  # about 400 tickets: enough for the shares to mean something, loaded once for the module


@dataclass
class Loaded:
    dbsession: Session
    settings: dict
    hook: object
    now: datetime
    outbox_before: int


@pytest.fixture(scope="module")
def demo_pluginmanager(app_settings):
    """The tickets plugin and the departments' demo requests, without the catalog: the requests
    go to the demo categories."""
    pluginmanager = new_plugin_manager(app_settings)
    pluginmanager.register_plugin(plugins.tickets, name="tickets")
    pluginmanager.register_plugin(DemoRequests(), name="demo_requests")
    return pluginmanager


@pytest.fixture(scope="module")
def loaded(engine, demo_pluginmanager, app_settings):
    """The demo loaded once (it takes a while) in a transaction rolled back after the module."""
    connection = engine.connect()
    outer = connection.begin()
    dbsession = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        load_demo_organization(dbsession, list(installed_department_specs()))
        seed.ensure_default_calendar(dbsession)
        seed.add_demo_categories(dbsession)
        forget_calendars()
        settings = effective_settings(dict(app_settings), demo_pluginmanager)
        outbox_before = dbsession.scalar(select(func.count()).select_from(OutboxMessage))
        now = utcnow()
        demo.load(dbsession, settings, scale=SCALE, hook=demo_pluginmanager.hook, now=now)
        yield Loaded(dbsession, settings, demo_pluginmanager.hook, now, outbox_before)
    finally:
        dbsession.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def dbsession(loaded):
    return loaded.dbsession


@pytest.fixture
def now(loaded):
    return loaded.now


def quarter_shares(dbsession, now) -> tuple[Counter, Counter]:
    """Channel counts of the first and of the last three months."""
    start = now - timedelta(days=365)
    first, last = Counter(), Counter()
    for channel, contact_at in dbsession.execute(select(Ticket.channel, Ticket.contact_at)):
        if contact_at < start + timedelta(days=91):
            first[channel] += 1
        elif contact_at >= now - timedelta(days=91):
            last[channel] += 1
    return first, last


def share(counts: Counter, *channels: str) -> float:
    return sum(counts[channel] for channel in channels) / sum(counts.values())


def test_the_channel_mix_shifts_from_the_desk_to_the_portal(dbsession, now):
    total = dbsession.scalar(select(func.count()).select_from(Ticket))
    assert 300 < total < 550
    first, last = quarter_shares(dbsession, now)
    assert share(last, "portal") > share(first, "portal") + 0.2
    assert share(last, "walk_in", "phone") < share(first, "walk_in", "phone") - 0.2
    assert 0 < share(first + last, "email", "api") < 0.2


def test_service_levels_are_mostly_met_with_some_breaches(dbsession):
    breached = dbsession.scalar(select(func.count()).where(SlaClock.breached.is_(True)))
    clocks = dbsession.scalar(select(func.count()).select_from(SlaClock))
    assert 0 < breached < clocks * 0.3
    breach_events = dbsession.scalar(select(func.count()).where(TicketEvent.kind == "sla_breach"))
    assert breach_events > 0
    assert dbsession.scalar(select(func.count()).where(TicketEvent.kind == "sla_warning")) > 0


def test_front_desk_resolves_on_first_contact_and_escalations_reach_l3(dbsession):
    on_the_spot = dbsession.execute(
        select(Ticket.channel, Ticket.resolved_tier).where(Ticket.first_contact_resolution.is_(True))
    ).all()
    assert len(on_the_spot) > 20
    assert {channel for channel, _ in on_the_spot} == {"walk_in", "phone"}
    assert {tier for _, tier in on_the_spot} == {1}
    assert dbsession.scalar(select(func.count()).where(Ticket.resolved_tier == 3)) > 0
    escalations = dbsession.scalars(select(TicketEvent.data).where(TicketEvent.kind == "escalated")).all()
    assert {data["kind"] for data in escalations} >= {"functional"}
    assert dbsession.scalar(select(func.count()).where(Ticket.reopen_count > 0)) > 0


def test_requesters_rate_mostly_well_and_agents_write_replies_and_notes(dbsession):
    scores = dbsession.scalars(select(Rating.score)).all()
    assert len(scores) > 50
    assert sum(scores) / len(scores) >= 3.8
    assert min(scores) <= 2
    assert dbsession.scalar(select(func.count()).where(Rating.comment != "")) > 0
    assert any(axes for axes in dbsession.scalars(select(Rating.axes)))
    internal = Counter(dbsession.scalars(select(Comment.is_internal)))
    assert internal[True] > 0 and internal[False] > internal[True]


def test_the_queue_is_alive_and_its_counts_are_exact(dbsession, now):
    open_statuses = Counter(dbsession.scalars(select(Ticket.status).where(Ticket.status.in_(OPEN_STATUSES))))
    assert set(open_statuses) == {status.value for status in OPEN_STATUSES}
    states = Counter(dbsession.scalars(select(Ticket.sla_state).where(Ticket.status.in_(OPEN_STATUSES))))
    assert states["breached"] > 0 and states["ok"] + states["warning"] > 0 and states["paused"] > 0
    assert dbsession.scalar(select(func.max(TicketEvent.at))) <= now
    brute = {
        (department, team or 0, assignee or 0, status): count
        for department, team, assignee, status, count in dbsession.execute(
            select(Ticket.department_id, Ticket.team_id, Ticket.assignee_id, Ticket.status, func.count())
            .group_by(Ticket.department_id, Ticket.team_id, Ticket.assignee_id, Ticket.status)
        )
    }
    kept = {(row.department_id, row.team_id, row.assignee_id, row.status): row.count
            for row in dbsession.scalars(select(QueueCount)) if row.count}
    assert kept == brute


def test_the_demo_sends_nothing_and_loads_once(loaded, dbsession):
    assert dbsession.scalar(select(func.count()).select_from(OutboxMessage)) == loaded.outbox_before
    tickets = dbsession.scalar(select(func.count()).select_from(Ticket))
    demo.load(dbsession, loaded.settings, scale=SCALE, hook=loaded.hook)
    assert dbsession.scalar(select(func.count()).select_from(Ticket)) == tickets


def test_rebuilding_the_counts_finds_what_the_desk_kept(dbsession):
    """``counts.rebuild`` (after bulk loads such as the benchmark's) agrees with the listeners."""
    kept = {(row.department_id, row.team_id, row.assignee_id, row.status): row.count
            for row in dbsession.scalars(select(QueueCount)) if row.count}
    nested = dbsession.begin_nested()
    try:
        counts.rebuild(dbsession.connection())
        dbsession.expire_all()
        rebuilt = {(row.department_id, row.team_id, row.assignee_id, row.status): row.count
                   for row in dbsession.scalars(select(QueueCount))}
    finally:
        nested.rollback()
    assert rebuilt == kept
