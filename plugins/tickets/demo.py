"""Twelve months of demo tickets in the demo organization, so the workspace, the portal and later
the reports show something true.

The founding document's story is in the numbers: walk-ins and phone calls fall month by month
while the portal rises (e-mail and the API stay small), the front desk resolves more contacts on
the spot, SLA compliance improves, and most requesters are satisfied. Everything goes through
``TicketDesk`` at historical instants, and the worker's own SLA sweep and auto-close run on the
same simulated clock, so history, SLA clocks, breach events, queue counts and hooks agree exactly
as they would have in production. The random generator is seeded: the same day gives the same
history (tracking codes aside, which stay random as the desk makes them).

What requesters ask each department for comes from its plugin (``pishkhan_demo_requests``): a
request goes to the catalog service it names when the catalog offers it, and without the catalog
to the demo category standing for that service (``seed.DEMO_CATEGORIES``); a department with
neither, or with no demo agent in its front desk, gets no tickets. A request whose service needs
approval waits for its approvers, who mostly approve; one with fulfilment tasks is resolved when
its teams have done them.

Each ticket's life is a generator that acts at the instant it was scheduled and yields the
instant of its next step; one heap interleaves all tickets and the worker's jobs in time order.
Steps after "now" never run, so the latest tickets are still open in whatever state they reached,
and a few tickets are left stuck on purpose (overdue, pending, reopened) so the queue looks alive.
"""
from __future__ import annotations

import heapq
import itertools
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select

from core.contracts import DemoRequest, catalog_service_key
from core.db import utcnow
from core.demo import national_code_for
from core.models import Department, OutboxMessage, Role, Team, User
from core.plugins import flatten
from core.worker import JobContext
from plugins.tickets import approvals, fulfilment, labels
from plugins.tickets import demo_texts as texts
from plugins.tickets.desk import NewTicket, TicketDesk
from plugins.tickets.models import ApprovalState, Category, SlaClock, Status, Ticket
from plugins.tickets.seed import DEMO_CATEGORIES
from plugins.tickets.sla import sweep
from plugins.tickets.sla.calendar import BusinessCalendar
from plugins.tickets.sla.ticket_clocks import business_calendar, calendar_id_for

CATALOG_KEYS = catalog_service_key("")  # the prefix of catalog services' ticket service keys
SEED = 1396  # the year of the electronic service desk directive
MONTHS = 12
TICKETS_PER_MONTH = 265  # at scale 1: about 3,200 tickets in the year
STARTED_SHARE = 0.4  # agents who press "start work" before answering; the others answer and resolve
DEPARTMENT_SHARE = {"it": 0.34, "education": 0.28, "finance": 0.13, "hr": 0.10, "facilities": 0.15}
OTHER_DEPARTMENT_SHARE = 0.06  # any other department with demo requests (legal affairs, say)
# The channel mix twelve months ago and last month: the desk's goals, reached gradually.
CHANNELS_THEN = {"walk_in": 0.40, "phone": 0.32, "portal": 0.18, "email": 0.07, "api": 0.03}
CHANNELS_NOW = {"walk_in": 0.12, "phone": 0.15, "portal": 0.62, "email": 0.05, "api": 0.06}
FRONT_DESK_CHANNELS = ("walk_in", "phone")
# Requests per Gregorian month relative to the average: enrolment in Bahman and Shahrivar–Mehr,
# Nowruz in Esfand–Farvardin, the quiet summer.
MONTH_VOLUME = {1: 1.0, 2: 1.25, 3: 0.7, 4: 0.55, 5: 1.0, 6: 0.95, 7: 0.75, 8: 0.8, 9: 1.35, 10: 1.3,
                11: 1.1, 12: 1.0}
# The demo's requester accounts, by the start of their username (``student7``), as who they are
# to the departments' requests (``DemoRequest.asked_by``), and the departments each turns to.
ACCOUNT_KINDS = {"student": "students", "staff": "staff", "professor": "staff"}
ASKED_DEPARTMENTS = {"students": ("education", "it", "finance", "facilities"),
                     "staff": ("finance", "hr", "it", "facilities")}
# Share of tickets from a requester account (the rest are guests: citizens, applicants, people
# the desk does not look up), per channel. Most of a university's portal users sign in.
ACCOUNT_SHARE = {"walk_in": 0.3, "phone": 0.25, "portal": 0.6, "email": 0.4, "api": 0.5}
SWEEP_EVERY = timedelta(hours=1)  # the worker sweeps every minute; an hour is close enough for history
AUTO_CLOSE_AT = time(18)  # local time of the daily auto-close run
# CSAT: mostly 4–5 when the promise was kept, much less when it was not.
SCORES_MET = (5,) * 12 + (4,) * 6 + (3, 3, 2, 1)
SCORES_BREACHED = (5, 4, 4, 3, 3, 3, 2, 2, 1, 1)


@dataclass(frozen=True)
class Offer:
    """What the demo's requesters ask a department for: a ticket service (a catalog service, a
    category, or none) and the kinds of request that ask for it."""

    service_key: str | None
    templates: tuple[DemoRequest, ...]


class Slots(dict):
    """The slots' values for one request; a slot the desk does not know stays as it was written."""

    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


@dataclass
class Guest:
    name: str
    mobile: str
    email: str | None
    national_code: str | None


@dataclass
class Plan:
    """One ticket to be: who, what, through which channel, and the dice of its fate."""

    contact_at: datetime
    month: int
    department: str
    service_key: str | None
    template: DemoRequest
    channel: str
    requester: User | None
    guest: Guest | None
    subject: str
    description: str
    impact: str
    urgency: str
    freeze: str | None = None  # stop the story once the ticket reaches this status
    ticket: Ticket | None = field(default=None, repr=False)
    resolution_target: timedelta = timedelta()


def load(dbsession, settings, *, scale: float | None = None, hook=None, now: datetime | None = None) -> None:
    """Add the demo organization's ticket history; idempotent (nothing happens if tickets exist).

    ``scale`` multiplies the volume (the ``tickets.demo_scale`` setting, default 1; 0 adds no
    tickets, for the benchmark, which seeds its own). ``hook`` is the plugin manager's hook relay:
    the ``pishkhan_populate`` hook hands over no plugin manager, so by default one is made from
    the same settings (the command line's plugins).
    """
    if dbsession.scalar(select(Ticket.id).limit(1)) is not None:
        return
    if scale is None:
        scale = float(settings.get("tickets.demo_scale", 1))
    if scale <= 0:
        return
    if hook is None:
        from core.plugins import create_plugin_manager

        hook = create_plugin_manager(settings).hook
    # The desk notifies requesters through the outbox at every step; a demo must not send
    # thousands of messages about the past to made-up people, so the rows it wrote are removed.
    outbox_before = dbsession.scalar(select(func.coalesce(func.max(OutboxMessage.id), 0)))
    history = History(dbsession, settings, hook, now or utcnow(), random.Random(SEED))
    history.plan(scale)
    history.run()
    dbsession.execute(delete(OutboxMessage).where(OutboxMessage.id > outbox_before))
    dbsession.flush()


class History:
    """The simulated year: plans the tickets, then plays their lives and the worker's jobs in order."""

    def __init__(self, dbsession, settings, hook, now: datetime, rng: random.Random):
        self.dbsession = dbsession
        self.settings = settings
        self.hook = hook
        self.end = now
        self.start = now - timedelta(days=365)
        self.now = self.start
        self.rng = rng
        self.departments = {d.code: d for d in dbsession.scalars(select(Department))}
        self.accounts: dict[str, list[tuple[User, str]]] = {}  # department code → (account, who they are)
        requesters = dbsession.scalars(select(User).where(User.role == Role.requester.value).order_by(User.username))
        for user in requesters:
            asker = ACCOUNT_KINDS.get(user.username.rstrip("0123456789"))
            for code in ASKED_DEPARTMENTS.get(asker, ()):
                self.accounts.setdefault(code, []).append((user, asker))
        self.teams: dict[tuple[str, int], Team] = {}
        self.members: dict[tuple[str, int], list[User]] = {}
        self.team_members: dict[int, list[User]] = {}
        codes = {d.id: d.code for d in self.departments.values()}
        for team in dbsession.scalars(select(Team).order_by(Team.id)):
            key = (codes[team.department_id], team.tier)
            members = sorted(team.members, key=lambda user: user.username)
            self.teams.setdefault(key, team)
            self.members.setdefault(key, []).extend(members)
            self.team_members[team.id] = members
        requests: dict[str, list[DemoRequest]] = {}
        for request in flatten(hook.pishkhan_demo_requests()):
            if request.department in self.departments:
                requests.setdefault(request.department, []).append(request)
        self.offers: dict[str, list[Offer]] = {}
        for code in [*(code for code in DEPARTMENT_SHARE if code in requests),
                     *sorted(requests.keys() - DEPARTMENT_SHARE.keys())]:
            offers = self._offers(code, requests[code])
            if any(offer.templates for offer in offers) and self.members.get((code, 1)):  # someone answers
                self.offers[code] = offers
        self.department_share = {code: DEPARTMENT_SHARE.get(code, OTHER_DEPARTMENT_SHARE) for code in self.offers}
        self.calendar: BusinessCalendar = business_calendar(dbsession, calendar_id_for(dbsession, None))
        self.zone = ZoneInfo(self.calendar.timezone)
        self.plans: list[Plan] = []
        self.queue: list[tuple[datetime, int, Iterator[datetime]]] = []
        self.sequence = itertools.count()

    # --- planning -------------------------------------------------------------------------

    def _offers(self, code: str, requests: list[DemoRequest]) -> list[Offer]:
        """The department's catalog services its demo requests name, else the demo categories
        standing for those services; the requests naming no service ask for none."""
        department_id = self.departments[code].id
        catalog = {service.key for service in flatten(self.hook.pishkhan_ticket_services(
            dbsession=self.dbsession, department_id=department_id)) if service.key.startswith(CATALOG_KEYS)}
        unnamed = tuple(request for request in requests if request.service is None)
        if catalog:
            by_service: dict[str, list[DemoRequest]] = {}
            for request in requests:
                if request.service is not None and catalog_service_key(request.service) in catalog:
                    by_service.setdefault(catalog_service_key(request.service), []).append(request)
            offers = [Offer(key, tuple(by_service.get(key, ()))) for key in sorted(catalog)]
        else:
            categories = {category.name: category.id for category in self.dbsession.scalars(
                select(Category).where(Category.department_id == department_id))}
            offers = [Offer(f"category:{categories[name]}",
                            tuple(request for request in requests if request.service in services))
                      for name, _days, services in DEMO_CATEGORIES.get(code, ()) if name in categories]
        return offers + [Offer(None, unnamed)] if unnamed else offers

    def plan(self, scale: float) -> None:
        month_length = (self.end - self.start) / MONTHS
        for month in range(MONTHS):
            begins = self.start + month * month_length
            middle = begins + month_length / 2
            growth = 0.9 + 0.2 * month / (MONTHS - 1)  # registered requests rise as the desk is known
            count = round(TICKETS_PER_MONTH * scale * growth * MONTH_VOLUME[middle.month])
            for _ in range(count):
                self.plans.append(self._new_plan(month, begins, month_length))
        self.plans += self._stuck_plans(max(1, round(scale)))
        self.plans.sort(key=lambda plan: plan.contact_at)

    def _new_plan(self, month: int, begins: datetime, length: timedelta, *, channel: str | None = None,
                  department: str | None = None, contact_at: datetime | None = None) -> Plan:
        rng = self.rng
        progress = month / (MONTHS - 1)
        if channel is None:
            shares = {name: CHANNELS_THEN[name] + (CHANNELS_NOW[name] - CHANNELS_THEN[name]) * progress
                      for name in CHANNELS_THEN}
            channel = rng.choices(list(shares), weights=list(shares.values()))[0]
        if department is None:
            department = rng.choices(list(self.department_share), weights=list(self.department_share.values()))[0]
        if contact_at is None:
            contact_at = self._arrival(begins, length, office_hours=channel in FRONT_DESK_CHANNELS)
        requester = asker = None
        if rng.random() < ACCOUNT_SHARE[channel]:
            accounts = self.accounts.get(department)
            requester, asker = rng.choice(accounts) if accounts else (None, None)
        service_key, template = self._request_kind(department, contact_at.month, asker)
        guest = None if requester is not None else self._guest(channel)
        subject, description = self._words(template)
        urgency = template.urgency
        if rng.random() < 0.15:
            urgency = rng.choice(("high", "medium", "low"))
        return Plan(contact_at, month, department, service_key, template, channel, requester, guest, subject,
                    description, template.impact, urgency)

    def _arrival(self, begins: datetime, length: timedelta, office_hours: bool) -> datetime:
        """A contact instant in the month: front-desk contacts in office hours, the rest mostly so."""
        rng = self.rng
        while True:
            at = begins + length * rng.random()
            if not office_hours and rng.random() < 0.25:
                local = at.astimezone(self.zone)
                if 7 <= local.hour < 23:
                    return at
                continue
            if self.calendar.is_open(at):
                return at

    def _request_kind(self, department: str, month: int, asker: str | None) -> tuple[str | None, DemoRequest]:
        """A kind of request for ``department`` in ``month`` that ``asker`` (``"students"``,
        ``"staff"``, or ``None`` for a guest: anyone) would make."""
        choices, weights = [], []
        offers = self.offers[department]
        for offer in offers:
            for template in offer.templates:
                if asker is not None and template.asked_by not in ("anyone", asker):
                    continue
                choices.append((offer.service_key, template))
                weights.append(1.0 if not template.months else (3.0 if month in template.months else 0.2))
        keys = [offer.service_key for offer in offers if offer.service_key is not None]
        in_catalog = any(key.startswith(CATALOG_KEYS) for key in keys)
        for template in texts.GENERAL:  # about the desk itself: in the catalog, no service of it
            choices.append((None if in_catalog or not keys else self.rng.choice(keys), template))
            weights.append(0.15)
        return self.rng.choices(choices, weights=weights)[0]

    def _words(self, template: DemoRequest) -> tuple[str, str]:
        rng = self.rng
        values = Slots({name: rng.choice(options) for name, options in texts.SLOTS.items()})
        values["student_id"] = str(rng.randrange(398_000_000, 404_999_999))
        subject = template.subject.format_map(values)
        body = template.description.format_map(values)
        parts = [rng.choice(texts.GREETINGS), body, rng.choice(texts.CLOSINGS)]
        return subject, " ".join(part for part in parts if part)

    def _guest(self, channel: str) -> Guest:
        rng = self.rng
        name = f"{rng.choice(texts.FIRST_NAMES)} {rng.choice(texts.LAST_NAMES)}"
        mobile = "09" + rng.choice(("12", "13", "19", "35", "36", "01", "02", "90")) + f"{rng.randrange(10**7):07d}"
        email = None
        if channel == "email" or rng.random() < 0.25:
            email = f"{rng.choice(texts.EMAIL_NAMES)}{rng.randrange(1360, 1404)}@{rng.choice(texts.EMAIL_DOMAINS)}"
        national_code = national_code_for(rng.randrange(1000, 10**6)) if channel == "walk_in" else None
        return Guest(name, mobile if channel != "email" or rng.random() < 0.3 else None, email, national_code)

    def _stuck_plans(self, per_department: int) -> list[Plan]:
        """Tickets left in every open status, some overdue, some close to their due date."""
        plans = []
        last = MONTHS - 1
        stuck = (("in_progress", 12), ("pending", 4), ("reopened", 6), ("assigned", 2), ("new", 0.3))
        for department in self.department_share:
            for status, days_ago in stuck:
                for index in range(per_department * (2 if department == "it" else 1)):
                    back = timedelta(days=days_ago * (1 + 0.5 * index)) if days_ago else timedelta(hours=5 + index)
                    contact_at = self.calendar.next_opening(self.end - back)
                    if contact_at >= self.end:
                        contact_at = self.end - back
                    plan = self._new_plan(last, contact_at, timedelta(), channel="portal", department=department,
                                          contact_at=contact_at)
                    plan.freeze = status
                    plans.append(plan)
        return plans

    # --- the clock --------------------------------------------------------------------------

    def run(self) -> None:
        for plan in self.plans:
            self._schedule(plan.contact_at, self._life(plan))
        self._schedule(self.start, self._worker())
        while self.queue:
            at, _, steps = heapq.heappop(self.queue)
            if at > self.end:
                break
            self.now = at
            following = next(steps, None)
            if following is not None:
                self._schedule(max(following, at), steps)
        self.now = self.end
        self._sweep()

    def _schedule(self, at: datetime, steps: Iterator[datetime]) -> None:
        heapq.heappush(self.queue, (at, next(self.sequence), steps))

    def _worker(self) -> Iterator[datetime]:
        """The worker's jobs: the SLA sweep every hour the office is open and when it closes (clocks
        only cross their warning and due dates in office hours), and the auto-close every evening."""
        day = self.start.astimezone(self.zone).date()
        while True:
            midnight = datetime.combine(day, time(0), tzinfo=self.zone)
            for opens, closes in self.calendar.working_periods(midnight, midnight + timedelta(days=1)):
                at = opens + SWEEP_EVERY
                while at < closes:
                    yield at
                    self._sweep()
                    at += SWEEP_EVERY
                yield closes
                self._sweep()
            yield datetime.combine(day, AUTO_CLOSE_AT, tzinfo=self.zone).astimezone(UTC)
            sweep.close_resolved(self._job_context())
            day += timedelta(days=1)

    def _sweep(self) -> None:
        sweep.sweep_clocks(self._job_context())

    def _job_context(self) -> JobContext:
        return JobContext(dbsession=self.dbsession, settings=self.settings, hook=self.hook, now=self.now)

    def desk(self, actor: User | None, channel: str = "portal") -> TicketDesk:
        return TicketDesk(self.dbsession, self.settings, self.hook, actor, channel, now=self.now)

    def after(self, business_hours: float) -> datetime:
        """The instant ``business_hours`` of office time from now."""
        return self.calendar.add(self.now, timedelta(hours=max(business_hours, 0.05)))

    def later(self, hours: float) -> datetime:
        return self.now + timedelta(hours=hours)

    def _fraction(self, plan: Plan, median_then: float, median_now: float, spread: float) -> float:
        """A share of an SLA target, log-normal, whose median improves over the year."""
        progress = plan.month / (MONTHS - 1)
        median = median_then + (median_now - median_then) * progress
        return math.exp(self.rng.gauss(math.log(median), spread))

    # --- a ticket's life ----------------------------------------------------------------

    def _life(self, plan: Plan) -> Iterator[datetime]:
        rng = self.rng
        front_desk = plan.channel in FRONT_DESK_CHANNELS
        logger = rng.choice(self.members[(plan.department, 1)]) if front_desk else None
        on_the_spot = front_desk and plan.freeze is None and rng.random() < 0.52 + 0.2 * plan.month / (MONTHS - 1)
        if front_desk:
            yield plan.contact_at + timedelta(minutes=rng.uniform(1, 6))  # typed in while the person waits
        ticket = plan.ticket = self._open(plan, logger, on_the_spot)
        plan.resolution_target = self._target(ticket, ticket.resolution_due_at)
        # The front desk finishes on the spot only what is its own and needs no one else.
        on_the_spot = on_the_spot and ticket.tier == 1 and ticket.status != Status.pending.value \
            and not fulfilment.tasks_of(self.dbsession, ticket.id)
        if ticket.status == Status.pending.value:  # waiting for its service's approvals
            approved = yield from self._approvals(plan, ticket)
            if not approved:
                return
            plan.resolution_target = self._target(ticket, ticket.resolution_due_at)
        if on_the_spot:
            yield self.now + timedelta(minutes=rng.uniform(2, 12))
            self.desk(logger, plan.channel).resolve_on_first_contact(
                ticket, resolution_code=rng.choice(("solved", "solved", "answered")),
                note=rng.choice(texts.FRONT_DESK_NOTES))
            yield from self._aftercare(plan, ticket)
            return
        if plan.freeze is None and plan.channel == "portal" and rng.random() < 0.025:
            yield self.later(rng.uniform(0.1, 2))
            if ticket.status == Status.new:  # the requester withdraws before an agent takes it
                self._requester_desk(plan).transition(ticket, "cancel")
            return
        if plan.freeze == "new":
            return
        agent = yield from self._first_response(plan, ticket, logger)
        if plan.freeze == "assigned":
            return
        if plan.freeze == "pending" or (plan.freeze is None and rng.random() < 0.14):
            yield self.after(rng.uniform(0.2, 3))
            yield from self._pending(plan, ticket, agent)
            if plan.freeze == "pending":
                return
        escalated = plan.freeze is None and ticket.tier < 3 and rng.random() < 0.2
        for tier in (2, 3) if escalated and rng.random() < 0.25 else (2,) if escalated else ():
            if tier <= ticket.tier or not self.members.get((plan.department, tier)):
                continue
            yield self.after(rng.uniform(0.5, 6))
            agent = yield from self._escalate(plan, ticket, agent, tier)
        if plan.template.type == "complaint" and rng.random() < 0.2:
            yield self.after(rng.uniform(0.5, 4))
            self.desk(agent).escalate_to_management(ticket, reason=rng.choice(texts.MANAGEMENT_REASONS))
        if plan.freeze == "in_progress":
            return
        yield self._resolution_instant(plan, ticket, escalated)
        tasks = [task for task in fulfilment.tasks_of(self.dbsession, ticket.id) if not task.is_done]
        if tasks:
            yield from self._fulfil(ticket, tasks, agent)
        else:
            self._resolve(ticket, agent)
        yield from self._aftercare(plan, ticket, agent)

    def _target(self, ticket: Ticket, due: datetime | None) -> timedelta:
        """Business time from contact to ``due`` (none when the clock has no due date yet)."""
        return self.calendar.elapsed(ticket.contact_at, due) if due is not None else timedelta()

    def _approvals(self, plan: Plan, ticket: Ticket) -> Iterator[datetime]:
        """Each approver decides within a working day or two, nearly always yes; whether the
        request was approved. A stuck plan to be left pending waits for its first approver."""
        rng = self.rng
        while ticket.status == Status.pending.value:
            step = next((row for row in approvals.steps_of(self.dbsession, ticket.id)
                         if row.state == ApprovalState.pending.value), None)
            if step is None or plan.freeze == "pending":
                return False
            yield self.after(rng.uniform(0.3, 14))
            decider = next(iter(approvals.deciders(self.dbsession, ticket, step)), None)
            if decider is None:
                return False
            approve = plan.freeze is not None or rng.random() > 0.04
            note = rng.choice(texts.APPROVAL_NOTES if approve else texts.REJECTION_REASONS)
            approvals.decide(self.desk(decider, "email" if rng.random() < 0.4 else "portal"), step,
                             approve=approve, comment=note)
        return ticket.status != Status.cancelled.value

    def _fulfil(self, ticket: Ticket, tasks: list, agent: User) -> Iterator[datetime]:
        """The tasks' teams do them one after another; the last one done resolves the ticket."""
        rng = self.rng
        for index, task in enumerate(tasks):
            if index:
                yield self.after(rng.uniform(0.2, 3))
            members = self.team_members.get(task.team_id) or []
            doer = agent if agent in members else (rng.choice(members) if members else None)
            if doer is None or not ticket.is_open:
                break
            fulfilment.complete(self.desk(doer), task, rng.choice(texts.TASK_NOTES))
        if ticket.status not in (Status.resolved.value, Status.closed.value, Status.cancelled.value):
            self._resolve(ticket, agent)

    def _open(self, plan: Plan, logger: User | None, on_the_spot: bool) -> Ticket:
        """The front desk types in a walk-in or a call; the rest come in by themselves."""
        guest = plan.guest
        data = NewTicket(
            subject=plan.subject, description=plan.description, department_id=self.departments[plan.department].id,
            type=plan.template.type, service_key=plan.service_key, channel=plan.channel,
            contact_at=plan.contact_at, impact=plan.impact, urgency=plan.urgency,
            requester_id=plan.requester.id if plan.requester else None,
            guest_name=guest.name if guest else None, guest_mobile=guest.mobile if guest else None,
            guest_email=guest.email if guest else None, guest_national_code=guest.national_code if guest else None,
            assignee_id=logger.id if on_the_spot else None,
            tags=["خوابگاه"] if "خوابگاه" in plan.description else [],
        )
        actor = logger or (plan.requester if plan.channel in ("portal", "api") else None)
        return self.desk(actor, plan.channel).open(data)

    def _first_response(self, plan: Plan, ticket: Ticket, logger: User | None) -> Iterator[datetime]:
        """An L1 agent takes the ticket and answers within a share of the response target."""
        rng = self.rng
        response_target = self._target(ticket, ticket.response_due_at)
        responds_at = self.calendar.add(ticket.contact_at, response_target * self._fraction(plan, 0.45, 0.22, 0.85))
        yield min(responds_at, self.after(rng.uniform(0.1, 1.5)))
        team = self.team_members.get(ticket.team_id) or self.members[(plan.department, 1)]
        agent = logger if logger in team and rng.random() < 0.5 else rng.choice(team)
        self.desk(agent).assign(ticket, assignee_id=agent.id)
        if plan.freeze == "assigned":
            return agent
        yield max(responds_at, self.now)
        if plan.freeze == "in_progress" or rng.random() < STARTED_SHARE:
            self.desk(agent).transition(ticket, "start")
        self.desk(agent).comment(ticket, rng.choice(texts.FIRST_REPLIES))
        return agent

    def _requester_desk(self, plan: Plan) -> TicketDesk:
        channel = "email" if plan.channel == "email" else "portal"
        return self.desk(plan.requester, channel)

    def _pending(self, plan: Plan, ticket: Ticket, agent: User) -> Iterator[datetime]:
        rng = self.rng
        reason = rng.choices([r for r, _ in texts.PENDING_REASONS], weights=[w for _, w in texts.PENDING_REASONS])[0]
        if plan.freeze == "pending":
            reason = "awaiting_requester"
        if reason == "awaiting_requester":
            self.desk(agent).comment(ticket, rng.choice(texts.ASK_REQUESTER))
        else:
            self.desk(agent).comment(ticket, rng.choice(texts.INTERNAL_NOTES), internal=True)
        self.desk(agent).transition(ticket, "pend", reason=reason)
        if plan.freeze == "pending":
            return
        yield self.later(rng.uniform(2, 70))
        if ticket.status != Status.pending:
            return
        if reason == "awaiting_requester":  # the reply resumes the ticket
            self._requester_desk(plan).comment(ticket, rng.choice(texts.REQUESTER_REPLIES))
        else:
            yield self.after(0)
            self.desk(agent).transition(ticket, "resume")

    def _escalate(self, plan: Plan, ticket: Ticket, agent: User, tier: int) -> Iterator[datetime]:
        rng = self.rng
        team = self.teams[(plan.department, tier)]
        self.desk(agent).comment(ticket, rng.choice(texts.INTERNAL_NOTES), internal=True)
        self.desk(agent).escalate(ticket, team_id=team.id, reason=rng.choice(texts.ESCALATION_REASONS[tier]))
        yield self.after(rng.uniform(0.2, 3))
        specialist = rng.choice(self.members[(plan.department, tier)])
        self.desk(specialist).assign(ticket, assignee_id=specialist.id)
        self.desk(specialist).transition(ticket, "start")
        return specialist

    def _resolution_instant(self, plan: Plan, ticket: Ticket, escalated: bool) -> datetime:
        """When the ticket is resolved: a share of its resolution target of business time in all."""
        due = ticket.resolution_due_at
        if due is None:
            return self.after(1)
        share = self._fraction(plan, 0.6, 0.4, 0.7) if escalated else self._fraction(plan, 0.4, 0.25, 0.7)
        resolution_target = plan.resolution_target
        if due >= self.now:
            consumed = resolution_target - self.calendar.elapsed(self.now, due)
        else:
            consumed = resolution_target + self.calendar.elapsed(due, self.now)
        remaining = resolution_target * share - consumed
        return self.calendar.add(self.now, max(remaining, timedelta(minutes=self.rng.uniform(10, 90))))

    def _resolve(self, ticket: Ticket, agent: User) -> None:
        rng = self.rng
        code = rng.choices(("solved", "answered", "workaround", "cannot_reproduce"), weights=(70, 20, 6, 4))[0]
        self.desk(agent).transition(ticket, "resolve", resolution_code=code,
                                    note=rng.choice(texts.RESOLUTION_NOTES[code]))

    def _aftercare(self, plan: Plan, ticket: Ticket, agent: User | None = None) -> Iterator[datetime]:
        """Reopening (few), rating (many), and the requester's confirmation (some)."""
        rng = self.rng
        if plan.freeze == "reopened" or (agent is not None and rng.random() < 0.03):
            yield self.later(rng.uniform(3, 40))
            if ticket.status not in (Status.resolved, Status.closed):
                return
            self._requester_desk(plan).transition(ticket, "reopen", note=rng.choice(texts.REOPEN_NOTES))
            if plan.freeze == "reopened":
                return
            yield self.after(rng.uniform(0.5, 8))
            self.desk(agent).transition(ticket, "start")
            yield self.after(rng.uniform(0.5, 6))
            self._resolve(ticket, agent)
        if rng.random() < 0.45:
            yield self.later(rng.uniform(0.5, 60))
            if ticket.status not in (Status.resolved, Status.closed):
                return
            self._rate(plan, ticket)
            if ticket.status == Status.resolved and rng.random() < 0.3:
                self._requester_desk(plan).transition(ticket, "close")

    def _rate(self, plan: Plan, ticket: Ticket) -> None:
        rng = self.rng
        breached = ticket.sla_state == "breached" or self._was_breached(ticket)
        score = rng.choice(SCORES_BREACHED if breached else SCORES_MET)
        axes = {}
        if rng.random() < 0.6:
            level = 3 if score >= 4 else (2 if score == 3 else 1)
            axes = {axis: max(1, min(3, level + rng.choice((0, 0, 0, -1, 1)))) for axis in labels.SURVEY_AXES}
        self._requester_desk(plan).rate(ticket, score=score, comment=rng.choice(texts.RATING_COMMENTS[score]),
                                        axes=axes)

    def _was_breached(self, ticket: Ticket) -> bool:
        return bool(self.dbsession.scalar(select(func.count()).where(
            SlaClock.ticket_id == ticket.id, SlaClock.breached.is_(True))))
