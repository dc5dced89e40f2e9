"""Seed a benchmark database with many tickets, fast: ``python bench/seed.py bench.ini --tickets 1000000``.

The database must hold the demo organization (``pishkhan demo load`` with ``tickets.demo_scale =
0``). Tickets are generated with realistic shares (most closed, about 2% open and recent, the
demo's departments, teams, channels and priorities) and written in bulk, bypassing the ORM:
PostgreSQL gets ``COPY``, SQLite one ``executemany`` per batch inside a single transaction. The
tickets table's secondary indexes are dropped during the load and built afterwards, which is
several times faster than maintaining them row by row. Open tickets get their two SLA clocks,
their history and a first reply; closed ones only their ticket row. Then the queue counts are
rebuilt (``plugins.tickets.counts.rebuild``) and the planner's statistics refreshed (ANALYZE).

Tracking codes are unique without asking the database: code number ``n`` is an affine
permutation of ``n`` over the ten-digit range, with the Verhoeff check digit of the real ones.

The last line printed is ``SEED_RESULT {json}``: counts, seconds, tickets per second, and the
ids the benchmark pages need (an open ticket the demo agent works on).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import itemgetter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from sqlalchemy import JSON, func, select, text  # noqa: E402

from core.cli import Environment  # noqa: E402
from core.db import UTCDateTime, utcnow  # noqa: E402
from core.models import Department, Team, User  # noqa: E402
from core.plugins import flatten  # noqa: E402
from plugins.tickets import counts  # noqa: E402
from plugins.tickets.models import Comment, SlaClock, Ticket, TicketEvent  # noqa: E402
from plugins.tickets.tracking import parse_code  # noqa: E402

BATCH = 20_000
SPAN = timedelta(days=3 * 365)  # the history covers three years, whatever its size
RECENT = 0.02  # share of the timeline that is "the last weeks", where most open tickets are
OPEN_RECENT, OPEN_OLD = 0.5, 0.01  # so that about 2% of all tickets are open
DEPARTMENTS = {"it": 34, "education": 28, "finance": 13, "hr": 10, "facilities": 15}
CHANNELS = {"portal": 50, "walk_in": 18, "phone": 20, "email": 7, "api": 5}
TYPES = {"incident": 55, "service_request": 35, "information": 6, "complaint": 3, "suggestion": 1}
PRIORITIES = {1: 1, 2: 12, 3: 32, 4: 55}
LEVELS = {1: ("high", "high"), 2: ("medium", "high"), 3: ("medium", "medium"), 4: ("low", "low")}
# SLA targets (response, resolution) in business hours, as the default tickets.sla.p<N> settings;
# business hours are about a third of wall-clock hours (8 h a day, five days a week).
TARGETS = {1: (0.5, 4), 2: (1, 8), 3: (4, 24), 4: (8, 40)}
RESPONSE_WALL = {priority: timedelta(hours=response * 3) for priority, (response, _) in TARGETS.items()}
RESOLUTION_WALL = {priority: timedelta(hours=resolution * 3.2) for priority, (_, resolution) in TARGETS.items()}
MINUTE, HOUR, MONTH = timedelta(minutes=1), timedelta(hours=1), timedelta(days=30)
PROMISE, AUTO_CLOSE = timedelta(days=5), timedelta(days=3)
OPEN = {"new": 20, "assigned": 15, "in_progress": 35, "pending": 20, "reopened": 10}
DONE = {"closed": 92, "resolved": 6, "cancelled": 2}
TIERS = {1: 78, 2: 17, 3: 5}
SUBJECTS = ["فراموشی گذرواژه سامانه گلستان", "قطعی اینترنت در دانشکده فنی", "درخواست گواهی اشتغال به تحصیل",
            "مغایرت مبلغ فیش حقوقی", "کار نکردن کولر کلاس ۲۱۲", "ثبت نشدن مرخصی ساعتی", "خرابی چاپگر طبقه دوم",
            "درخواست افزایش ظرفیت درس", "پیگیری واریز وام شهریه", "رزرو سالن برای دفاع پایان‌نامه"]
DESCRIPTION = "با سلام، لطفاً بررسی و پیگیری فرمایید. با تشکر."
NAMES = ["علی محمدی", "زهرا حسینی", "رضا کریمی", "مریم احمدی", "حسین رضایی", "فاطمه موسوی", "مهدی جعفری",
         "سارا صادقی"]
# An affine permutation of the ten-digit code bodies: distinct numbers give distinct codes.
CODE_BASE, CODE_RANGE, CODE_STEP, CODE_OFFSET = 10**9, 9 * 10**9, 2_654_435_761, 1_234_567_891


# --- tracking codes --------------------------------------------------------------------------

_D = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
      [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
      [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
      [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
_P = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
      [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
      [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]]
_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def _verhoeff_table(first_position: int, digits: int) -> list[int]:
    """The Verhoeff state after ``digits`` digits (least significant first, at positions
    ``first_position``…), for every start state and every chunk value: ``table[state * 10**digits + chunk]``."""
    size = 10**digits
    table = [0] * (10 * size)
    for state in range(10):
        for chunk in range(size):
            c, rest = state, chunk
            for position in range(first_position, first_position + digits):
                c = _D[c][_P[position % 8][rest % 10]]
                rest //= 10
            table[state * size + chunk] = c
    return table


_LOW, _MID, _HIGH = _verhoeff_table(1, 4), _verhoeff_table(5, 3), _verhoeff_table(8, 3)


def tracking_code(number: int) -> str:
    """The ``number``-th code: ten digits (never a leading zero) and their Verhoeff check digit,
    three table look-ups instead of ten steps (the same digit as ``stdnum.verhoeff``)."""
    body = CODE_BASE + (number * CODE_STEP + CODE_OFFSET) % CODE_RANGE
    state = _LOW[body % 10_000]
    state = _MID[state * 1000 + body // 10_000 % 1000]
    state = _HIGH[state * 1000 + body // 10_000_000]
    return f"{body}{_INV[state]}"


# --- the organization ------------------------------------------------------------------------

@dataclass
class Organization:
    departments: dict[str, int]
    teams: dict[tuple[str, int], int]
    members: dict[int, list[int]]  # team id → agent ids
    services: dict[str, list[tuple[str, str]]]  # department code → (service key, title)
    requesters: list[int]
    calendar_id: int | None
    agent_id: int

    @classmethod
    def load(cls, dbsession, hook) -> Organization:
        """The demo organization, with the services its plugins offer (catalog cards or categories)."""
        departments = dict(dbsession.execute(select(Department.code, Department.id)).all())
        codes = {value: key for key, value in departments.items()}
        teams, members = {}, {}
        for team in dbsession.scalars(select(Team).order_by(Team.id)):
            teams.setdefault((codes[team.department_id], team.tier), team.id)
            members[team.id] = sorted(user.id for user in team.members)
        services = {code: [] for code in DEPARTMENTS}
        for service in flatten(hook.pishkhan_ticket_services(dbsession=dbsession, department_id=None)):
            if codes.get(service.department_id) in services:
                services[codes[service.department_id]].append((service.key, service.title))
        requesters = list(dbsession.scalars(select(User.id).where(User.role == "requester").order_by(User.id)))
        missing = [code for code in DEPARTMENTS if not services[code] or (code, 1) not in teams]
        if missing or not requesters:
            raise SystemExit("seed: load the demo organization first (pishkhan demo load with "
                             f"tickets.demo_scale = 0); missing: {', '.join(missing) or 'requesters'}")
        calendar_id = dbsession.scalar(text("SELECT id FROM tickets_calendars WHERE department_id IS NULL"))
        agent_id = dbsession.scalar(select(User.id).where(User.username == "agent"))
        return cls(departments, teams, members, services, requesters, calendar_id, agent_id)


def pick(random_, options: list):
    """``random.choice`` without its checks: the generator's innermost loop."""
    return options[int(random_() * len(options))]


def weighted(rng: random.Random, table: dict, count: int) -> list:
    return rng.choices(list(table), weights=list(table.values()), k=count)


# --- rows ------------------------------------------------------------------------------------

class Generator:
    """Ticket rows (and the clocks, events and replies of the open ones) for ids ``first``…"""

    def __init__(self, org: Organization, total: int, now: datetime, seed: int):
        self.org = org
        self.total = total
        self.now = now
        self.start = now - SPAN
        self.rng = random.Random(seed)

    def batch(self, first_id: int, count: int) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
        rng = self.rng
        tickets, clocks, events, comments = [], [], [], []
        departments = weighted(rng, DEPARTMENTS, count)
        channels = weighted(rng, CHANNELS, count)
        types = weighted(rng, TYPES, count)
        priorities = weighted(rng, PRIORITIES, count)
        tiers = weighted(rng, TIERS, count)
        open_statuses, done_statuses = weighted(rng, OPEN, count), weighted(rng, DONE, count)
        for offset in range(count):
            number = first_id + offset
            position = (number - 1) / self.total  # 0 = three years ago, 1 = now
            contact_at = self.start + SPAN * position + MINUTE * (10 * rng.random())
            if contact_at > self.now:
                contact_at = self.now - timedelta(seconds=1)
            recent = position > 1 - RECENT
            is_open = rng.random() < (OPEN_RECENT if recent else OPEN_OLD)
            status = open_statuses[offset] if is_open else done_statuses[offset]
            row = self.ticket(number, contact_at, status, departments[offset], channels[offset], types[offset],
                              priorities[offset], tiers[offset])
            tickets.append(row)
            if is_open:
                clocks += self.clocks(row)
                events += self.history(row)
                if row["first_response_at"] is not None:
                    comments.append({"ticket_id": number, "author_id": row["assignee_id"], "author_name": "",
                                     "is_internal": False, "body": "سلام، درخواست شما در حال بررسی است.",
                                     "channel": "portal", "created_at": row["first_response_at"]})
        return tickets, clocks, events, comments

    def ticket(self, number, contact_at, status, department, channel, type_, priority, tier) -> dict:
        rng, org, random_ = self.rng, self.org, self.rng.random
        team = org.teams.get((department, tier)) or org.teams[(department, 1)]
        tier = tier if (department, tier) in org.teams else 1
        agents = org.members.get(team) or [None]
        assignee = None if status in ("new", "cancelled") else pick(random_, agents)
        if department == "it" and status in OPEN and random_() < 0.2 and tier == 1:
            assignee = org.agent_id  # the demo agent has a queue of their own
        service_key, service_title = pick(random_, org.services[department])
        account = random_() < 0.1
        response_due = contact_at + RESPONSE_WALL[priority]
        resolution_due = contact_at + RESOLUTION_WALL[priority]
        front_desk = channel in ("walk_in", "phone")
        on_the_spot = front_desk and tier == 1 and status in ("closed", "resolved") and random_() < 0.6
        # A ticket left open for long was answered long ago; only recent ones may still wait for a reply.
        replied = status not in ("new", "cancelled") and (
            status != "assigned" or random_() < 0.3 or self.now - contact_at > MONTH)
        first_response_at = (contact_at + MINUTE * (5 + 235 * random_())) if replied else None
        resolved_at = closed_at = None
        if status in ("resolved", "closed"):
            hours = 0.1 + 0.4 * random_() if on_the_spot else rng.lognormvariate(0, 0.9) * TARGETS[priority][1] * 1.2
            resolved_at = min(contact_at + HOUR * hours, self.now)
            if status == "closed":
                closed_at = min(resolved_at + AUTO_CLOSE, self.now)
        if status in OPEN:
            # Open tickets are due around "now": some overdue, some soon, most later.
            resolution_due = max(self.now + timedelta(hours=rng.uniform(-24, 168)), contact_at + timedelta(hours=1))
            running = [] if status == "pending" else [resolution_due] + ([] if first_response_at else [response_due])
            sla_due = min(running, default=None)
            sla_state = ("paused" if sla_due is None else "breached" if sla_due < self.now
                         else "warning" if sla_due < self.now + timedelta(hours=6) else "ok")
        else:
            sla_due = None
            sla_state = "breached" if resolved_at and resolved_at > resolution_due else "met"
        impact, urgency = LEVELS[priority]
        return {
            "id": number, "tracking_code": tracking_code(number), "version": 1, "type": type_, "status": status,
            "pending_reason": "awaiting_requester" if status == "pending" else None, "channel": channel,
            "contact_at": contact_at, "created_at": contact_at, "updated_at": closed_at or resolved_at or contact_at,
            "created_by_id": pick(random_, agents) if front_desk else None,
            "requester_id": pick(random_, org.requesters) if account else None,
            "guest_name": None if account else pick(random_, NAMES),
            "guest_mobile": None if account else f"0912{int(random_() * 10**7):07d}",
            "guest_email": None, "guest_national_code": None,
            "department_id": org.departments[department], "service_key": service_key,
            "service_title": service_title, "impact": impact, "urgency": urgency, "priority": priority,
            "team_id": team, "assignee_id": assignee, "tier": tier,
            "subject": pick(random_, SUBJECTS), "description": DESCRIPTION,
            "promised_at": contact_at + PROMISE, "first_response_at": first_response_at,
            "response_due_at": None if first_response_at else response_due,
            "resolution_due_at": None if status in DONE or status == "pending" else resolution_due,
            "sla_due_at": sla_due, "sla_state": sla_state,
            "resolved_at": resolved_at, "closed_at": closed_at,
            "resolution_code": "solved" if resolved_at else ("withdrawn" if status == "cancelled" else None),
            "resolution_note": "انجام شد." if resolved_at else None,
            "resolved_tier": tier if resolved_at else None, "first_contact_resolution": on_the_spot,
            "escalation_count": tier - 1, "reopen_count": 1 if status == "reopened" else 0, "merged_into_id": None,
            "form_values": None,
        }

    def clocks(self, ticket: dict) -> list[dict]:
        response_hours, resolution_hours = TARGETS[ticket["priority"]]
        paused = ticket["status"] == "pending"
        rows = []
        for kind, hours, due in (("response", response_hours, ticket["response_due_at"]),
                                 ("resolution", resolution_hours, ticket["resolution_due_at"])):
            stopped = kind == "response" and ticket["first_response_at"] is not None
            running = not stopped and not paused
            target = int(hours * 3600)
            rows.append({
                "ticket_id": ticket["id"], "kind": kind, "calendar_id": self.org.calendar_id,
                "target_seconds": target, "started_at": ticket["contact_at"],
                "running_since": ticket["contact_at"] if running else None,
                "consumed_seconds": target // 3 if not running else 0,
                "runs": [] if running else None,  # paused ones keep the banked third, as before spans
                "paused_at": self.now - timedelta(hours=5) if paused and not stopped else None,
                "stopped_at": ticket["first_response_at"] if stopped else None,
                "due_at": due if running else None,
                "warn_at": (due - timedelta(hours=hours / 4 * 3)) if running and due else None,
                "is_running": running,
                "warned": bool(running and due and due - timedelta(hours=hours / 4 * 3) <= self.now),
                "breached": bool(running and due and due <= self.now),
            })
        return rows

    def history(self, ticket: dict) -> list[dict]:
        rows = [{"ticket_id": ticket["id"], "at": ticket["contact_at"], "actor_id": ticket["created_by_id"],
                 "channel": ticket["channel"], "kind": "created", "data": {}}]
        if ticket["assignee_id"] is not None:
            rows.append({"ticket_id": ticket["id"], "at": ticket["contact_at"] + timedelta(minutes=3),
                         "actor_id": ticket["assignee_id"], "channel": "portal", "kind": "assigned",
                         "data": {"from": None, "to": ticket["assignee_id"]}})
        return rows


# --- writing ---------------------------------------------------------------------------------

class Writer:
    """Bulk inserts on one connection, in one transaction: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, connection):
        self.connection = connection
        self.dialect = connection.dialect
        self.raw = connection.connection.driver_connection
        self.postgresql = self.dialect.name == "postgresql"

    def columns(self, table, rows: list[dict]) -> list:
        names = set(rows[0])
        expected = {column.name for column in table.columns} - ({"id"} if "id" not in names else set())
        if names != expected:
            raise SystemExit(f"seed: {table.name} has columns {sorted(expected ^ names)} the seeder does not "
                             "know or no longer has; update bench/seed.py")
        return [column for column in table.columns if column.name in names]

    def insert(self, table, rows: list[dict]) -> None:
        if not rows:
            return
        columns = self.columns(table, rows)
        names = ", ".join(column.name for column in columns)
        values = itemgetter(*(column.name for column in columns))
        json_columns = [i for i, column in enumerate(columns) if isinstance(column.type, JSON)]
        if self.postgresql:
            with self.raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                for row in rows:
                    row_values = values(row)
                    if json_columns:
                        row_values = list(row_values)
                        for i in json_columns:
                            row_values[i] = json.dumps(row_values[i])
                    copy.write_row(row_values)
            return
        # SQLAlchemy's bind processors where a column has one, except for dates: SQLAlchemy's SQLite
        # format ("2026-01-31 08:30:00.000000", UTC) written directly, the processor chain costing
        # more than the rest of the row.
        dates = [i for i, column in enumerate(columns) if isinstance(column.type, UTCDateTime)]
        processors = [(i, processor) for i, column in enumerate(columns) if i not in dates
                      and (processor := column.type.dialect_impl(self.dialect).bind_processor(self.dialect))]

        def converted(row: dict) -> list:
            row_values = list(values(row))
            for i in dates:
                if row_values[i] is not None:
                    row_values[i] = row_values[i].isoformat(" ", "microseconds")[:26]
            for i, processor in processors:
                row_values[i] = processor(row_values[i])
            return row_values

        placeholders = ", ".join("?" for _ in columns)
        self.raw.cursor().executemany(f"INSERT INTO {table.name} ({names}) VALUES ({placeholders})",
                                      [converted(row) for row in rows])

    def insert_batch(self, batch: tuple[list[dict], ...]) -> None:
        tickets, clocks, events, comments = batch
        self.insert(Ticket.__table__, tickets)
        self.insert(SlaClock.__table__, clocks)
        self.insert(TicketEvent.__table__, events)
        self.insert(Comment.__table__, comments)


def seed(env: Environment, total: int, seed_value: int = 1396) -> dict:
    table = Ticket.__table__
    indexes = sorted(table.indexes, key=lambda index: index.name)
    started = time.perf_counter()
    with env.engine.connect() as connection:
        with connection.begin():
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA cache_size = -262144")  # 256 MB for the index builds
            from sqlalchemy.orm import Session

            with Session(bind=connection) as dbsession:
                org = Organization.load(dbsession, env.pluginmanager.hook)
            first = (connection.scalar(select(func.max(table.c.id))) or 0) + 1
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '512MB'")
            for index in indexes:
                index.drop(connection)
            writer = Writer(connection)
            generator = Generator(org, first - 1 + total, utcnow(), seed_value)
            opened = 0
            # One thread writes a batch while this one generates the next: SQLite and the
            # PostgreSQL server do their part without holding Python's lock.
            with ThreadPoolExecutor(max_workers=1) as executor:
                writing = None
                for batch_first in range(first, first + total, BATCH):
                    count = min(BATCH, first + total - batch_first)
                    batch = generator.batch(batch_first, count)
                    opened += len(batch[1]) // 2
                    if writing is not None:
                        writing.result()
                    writing = executor.submit(writer.insert_batch, batch)
                    done = batch_first + count - first
                    if done % 200_000 < BATCH or done == total:
                        elapsed = time.perf_counter() - started
                        print(f"seed: {done:,} tickets in {elapsed:.0f} s ({done / elapsed:,.0f} tickets/s)",
                              flush=True)
                writing.result()
            inserted_at = time.perf_counter()
            for index in indexes:
                index.create(connection)
            indexed_at = time.perf_counter()
            if connection.dialect.name == "postgresql":
                for name in (table.name, SlaClock.__table__.name, TicketEvent.__table__.name, Comment.__table__.name):
                    connection.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 1) FROM {name}))")
            counts.rebuild(connection)
            sample = open_ticket_for_agent(connection, org)
    # The planner's statistics, and on PostgreSQL the visibility map that index-only scans need
    # (autovacuum would set it some minutes later).
    with env.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE" if connection.dialect.name == "postgresql" else "ANALYZE")
    finished = time.perf_counter()
    check(env, first, total)
    return {
        "tickets": total, "open_tickets": opened, "first_id": first, "seconds": round(finished - started, 1),
        "insert_seconds": round(inserted_at - started, 1), "index_seconds": round(indexed_at - inserted_at, 1),
        "tickets_per_second": round(total / (finished - started)), "open_ticket_id": sample,
        "department_id": org.departments["it"],  # the portal submission asks IT (bench/run.py)
    }


def open_ticket_for_agent(connection, org: Organization) -> int:
    """The newest open IT ticket assigned to the demo agent: the ticket page to measure."""
    table = Ticket.__table__
    return connection.scalar(
        select(table.c.id).where(table.c.department_id == org.departments["it"],
                                 table.c.assignee_id == org.agent_id,
                                 table.c.status.in_(tuple(OPEN))).order_by(table.c.id.desc()).limit(1))


def check(env: Environment, first: int, total: int) -> None:
    """Read a few seeded tickets back through the ORM, as the application will."""
    with env.engine.connect() as connection:
        from sqlalchemy.orm import Session

        with Session(bind=connection) as dbsession:
            for number in {first, first + total // 2, first + total - 1}:
                ticket = dbsession.get(Ticket, number)
                if ticket is None or parse_code(ticket.tracking_code) != ticket.tracking_code:
                    raise SystemExit(f"seed: ticket {number} is missing or its tracking code is not valid")
                if ticket.contact_at.tzinfo is None or ticket.contact_at > utcnow():
                    raise SystemExit(f"seed: ticket {number} has a wrong contact time {ticket.contact_at!r}")


def reset(config_uri: str) -> None:
    """Empty the benchmark database: remove the SQLite file, or drop PostgreSQL's public schema
    (creating the database first when it does not exist)."""
    from pyramid.paster import get_appsettings
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    url = make_url(get_appsettings(config_uri)["sqlalchemy.url"])
    if url.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{url.database}{suffix}").unlink(missing_ok=True)
        return
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}):
            connection.exec_driver_sql(f'CREATE DATABASE "{url.database}"')
    server.dispose()
    database = create_engine(url)
    with database.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    database.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("config_uri")
    parser.add_argument("--tickets", type=int, help="how many tickets to add")
    parser.add_argument("--seed", type=int, default=1396, help="the random generator's seed")
    parser.add_argument("--reset", action="store_true", help="empty the database (every table) and stop")
    args = parser.parse_args(argv)
    if args.reset:
        reset(args.config_uri)
        return 0
    if args.tickets is None or args.tickets < 1:
        parser.error("--tickets must be at least 1")
    result = seed(Environment(args.config_uri), args.tickets, args.seed)
    print(f"seed: {result['tickets']:,} tickets ({result['open_tickets']:,} open) in {result['seconds']} s — "
          f"{result['tickets_per_second']:,} tickets/s (rows {result['insert_seconds']} s, "
          f"indexes {result['index_seconds']} s)")
    print("SEED_RESULT " + json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
