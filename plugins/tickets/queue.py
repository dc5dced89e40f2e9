"""The agent queue as queries: filters, sorting, keyset pages and counts.

Shared by the workspace page (``plugins.tickets.web.queue``) and the JSON API's ticket list, so
both read the same tickets the same way::

    viewer = Viewer.from_request(request)
    queue_filter = QueueFilter.parse(request.GET)          # QueueFilterError → 400 / form error
    result = page(request.dbsession, viewer, queue_filter, sort="due", cursor=request.GET.get("cursor"))
    result.items, result.next_cursor

Every query is restricted to the viewer's departments (``access.department_clause``): a ticket
outside them is in no page and no count. Counts come from ``tickets_queue_counts`` (kept by
``plugins.tickets.counts``) plus two index range scans on ``sla_due_at``; nothing here counts
the tickets table.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from functools import cache

from sqlalchemy import ColumnElement, and_, bindparam, case, false, func, literal, or_, select, true, union, union_all
from sqlalchemy.orm import joinedload

from core import keyset
from core.db import utcnow
from core.i18n import _
from core.models import Department, Team, User
from core.normalize import normalize_line, to_latin_digits
from plugins.tickets import access
from plugins.tickets.counts import write_pending_moves
from plugins.tickets.models import DONE_STATUSES, OPEN_STATUSES, QueueCount, Status, Ticket, TicketType
from plugins.tickets.tracking import parse_code

SCOPES = ("all", "mine", "my_teams", "unassigned")
SLA_FILTERS = ("breaching_soon", "overdue")
SORTS = ("newest", "oldest", "priority", "due", "updated")
DEFAULT_SORT = "newest"
STATUS_OPEN = "open"  # pseudo-status: every open status (the default)
STATUS_ANY = "any"  # pseudo-status: no status filter
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_QUERY_LENGTH = 100
MAX_VALUES = 50  # more ids than this in one filter is an attack or a bug, not a person
_TOKEN = re.compile(r"[A-Za-z0-9_:.\-]{1,80}")
_CODE_CHARS = re.compile(r"[\s\-_./]+")


class QueueFilterError(ValueError):
    """A filter, sort or cursor that makes no sense; ``message`` is translatable and ``field``
    names the parameter (the API answers 400 with both)."""

    def __init__(self, field_name: str, message):
        super().__init__(str(message))
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class Viewer:
    """Who is looking at the queue: their user, their teams and their departments.

    ``department_ids`` is ``None`` for directors and administrators (every department);
    ``clause`` is ``access.department_clause`` of the request. ``alternatives``, when given, are
    the conditions ``clause`` is the OR of (an agent's departments, or their own requests: the
    API's list): a page is then merged from one index walk per alternative, where an OR of
    conditions on different indexes would read every row of both.
    """

    user_id: int | None
    team_ids: frozenset[int]
    department_ids: frozenset[int] | None
    clause: ColumnElement[bool]
    alternatives: tuple[ColumnElement[bool], ...] = ()

    @classmethod
    def from_request(cls, request) -> Viewer:
        if not access.is_staff(request):
            return cls(None, frozenset(), frozenset(), false())
        visible = access.visible_department_ids(request)
        teams = frozenset(int(p.split(":", 1)[1]) for p in request.principals if p.startswith("team:"))
        return cls(request.user.id, teams, None if visible is None else frozenset(visible),
                   access.department_clause(request))

    @property
    def sees_nothing(self) -> bool:
        return self.department_ids is not None and not self.department_ids


def _as_viewer(request_or_viewer) -> Viewer:
    return request_or_viewer if isinstance(request_or_viewer, Viewer) else Viewer.from_request(request_or_viewer)


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows. Empty tuples mean "no restriction"; ``statuses`` empty means any
    status (``status=any``), and by default it holds the open statuses."""

    scope: str = "all"
    sla: str | None = None
    statuses: tuple[str, ...] = tuple(s.value for s in OPEN_STATUSES)
    priorities: tuple[int, ...] = ()
    departments: tuple[int, ...] = ()
    services: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    assignees: tuple[int, ...] = ()
    teams: tuple[int, ...] = ()
    q: str = ""

    @classmethod
    def parse(cls, params: Mapping) -> QueueFilter:
        """Read a query string (a WebOb ``MultiDict``) or a JSON object of strings or lists of
        strings; a list may also be written comma-separated (``status=new,assigned``).

        Unknown keys are ignored (``sort``, ``cursor`` and others travel in the same query)."""
        scope = _one(params, "scope") or "all"
        if scope not in SCOPES:
            raise QueueFilterError("scope", _("Choose which tickets to show: all, mine, my teams' or unassigned."))
        sla = _one(params, "sla") or None
        if sla is not None and sla not in SLA_FILTERS:
            raise QueueFilterError("sla", _("The SLA filter is either breaching soon or overdue."))
        return cls(
            scope=scope,
            sla=sla,
            statuses=_statuses(_many(params, "status")),
            priorities=_integers(params, "priority", _("Priorities are 1 to 4."), lambda p: 1 <= p <= 4),
            departments=_integers(params, "department", _("Unknown department.")),
            services=_tokens(params, "service", _("Unknown service.")),
            channels=_tokens(params, "channel", _("Unknown channel.")),
            types=_choices(params, "type", {t.value for t in TicketType}, _("Unknown ticket type.")),
            assignees=_integers(params, "assignee", _("Unknown agent.")),
            teams=_integers(params, "team", _("Unknown team.")),
            q=normalize_line(_one(params, "q"))[:MAX_QUERY_LENGTH],
        )

    def to_params(self) -> dict[str, list[str] | str]:
        """The query string that gives this filter back (defaults left out), for links."""
        params: dict[str, list[str] | str] = {}
        if self.scope != "all":
            params["scope"] = self.scope
        if self.sla:
            params["sla"] = self.sla
        if not self.statuses:
            params["status"] = STATUS_ANY
        elif set(self.statuses) != {s.value for s in OPEN_STATUSES}:
            params["status"] = list(self.statuses)
        for name, attribute in (("priority", "priorities"), ("department", "departments"), ("service", "services"),
                                ("channel", "channels"), ("type", "types"), ("assignee", "assignees"),
                                ("team", "teams")):
            values = getattr(self, attribute)
            if values:
                params[name] = [str(value) for value in values]
        if self.q:
            params["q"] = self.q
        return params

    @property
    def is_default(self) -> bool:
        return self == QueueFilter()

    def matches_nothing(self, viewer: Viewer) -> bool:
        """Whether no ticket can match, so no query needs to run (an agent without teams asking
        for their teams' tickets, or someone who sees no department)."""
        return (viewer.sees_nothing or (self.scope == "mine" and viewer.user_id is None)
                or (self.scope == "my_teams" and not viewer.team_ids))

    def conditions(self, viewer: Viewer, now: datetime) -> list[ColumnElement[bool]]:
        """The WHERE conditions of this filter for ``viewer`` (their departments always included)."""
        return [viewer.clause, *self._narrowing(viewer, now)]

    def _narrowing(self, viewer: Viewer, now: datetime) -> list[ColumnElement[bool]]:
        where = []
        if self.scope == "mine":
            where.append(Ticket.assignee_id == viewer.user_id if viewer.user_id else false())
        elif self.scope == "my_teams":
            where.append(Ticket.team_id.in_(sorted(viewer.team_ids)) if viewer.team_ids else false())
        elif self.scope == "unassigned":
            where.append(Ticket.assignee_id.is_(None))
        if self.sla == "overdue":
            where.append(Ticket.sla_due_at < now)
        elif self.sla == "breaching_soon":
            where.append(and_(Ticket.sla_state == "warning", Ticket.sla_due_at >= now))
        for values, column in ((self.statuses, Ticket.status), (self.priorities, Ticket.priority),
                               (self.departments, Ticket.department_id), (self.services, Ticket.service_key),
                               (self.channels, Ticket.channel), (self.types, Ticket.type),
                               (self.assignees, Ticket.assignee_id), (self.teams, Ticket.team_id)):
            if values:
                where.append(column.in_(values))
        if self.q:
            where.append(search_condition(self.q))
        return where


def search_condition(text: str) -> ColumnElement[bool]:
    """Tickets whose subject contains ``text``, or whose tracking code is (or starts with) the
    digits typed — Persian or Arabic digits and dashes or spaces between groups are fine."""
    line = normalize_line(text)
    code = parse_code(line)
    if code is not None:
        return Ticket.tracking_code == code
    subject = Ticket.subject.contains(line, autoescape=True)
    digits = _CODE_CHARS.sub("", to_latin_digits(line))
    if digits.isdigit() and 4 <= len(digits) <= 11:
        return or_(subject, Ticket.tracking_code.startswith(digits, autoescape=True))
    return subject


# --- parsing ----------------------------------------------------------------------------------

def _raw(params: Mapping, name: str) -> list[str]:
    if hasattr(params, "getall"):
        values = params.getall(name)
    else:
        value = params.get(name)
        values = [] if value is None else list(value) if isinstance(value, list | tuple) else [value]
    if any(not isinstance(value, str | int) for value in values):
        raise QueueFilterError(name, _("Filters are text or lists of text."))
    return [str(value) for value in values]


def _one(params: Mapping, name: str) -> str:
    values = _raw(params, name)
    return values[-1].strip() if values else ""


def _many(params: Mapping, name: str) -> list[str]:
    found = []
    for value in _raw(params, name):
        found += [part.strip() for part in value.split(",") if part.strip()]
    if len(found) > MAX_VALUES:
        raise QueueFilterError(name, _("Too many values in one filter."))
    return list(dict.fromkeys(found))


def _statuses(values: list[str]) -> tuple[str, ...]:
    if not values or values == [STATUS_OPEN]:
        return QueueFilter.statuses
    if STATUS_ANY in values:
        return ()
    known = {s.value for s in Status}
    chosen: list[str] = []
    for value in values:
        if value == STATUS_OPEN:
            chosen += [s.value for s in OPEN_STATUSES]
        elif value in known:
            chosen.append(value)
        else:
            raise QueueFilterError("status", _("Unknown status."))
    return tuple(dict.fromkeys(chosen))


def _integers(params: Mapping, name: str, message, valid=lambda value: value > 0) -> tuple[int, ...]:
    numbers = []
    for value in _many(params, name):
        digits = to_latin_digits(value)
        if not digits.isdecimal() or len(digits) > 18 or not valid(int(digits)):
            raise QueueFilterError(name, message)
        numbers.append(int(digits))
    return tuple(dict.fromkeys(numbers))


def _tokens(params: Mapping, name: str, message) -> tuple[str, ...]:
    values = _many(params, name)
    if any(not _TOKEN.fullmatch(value) for value in values):
        raise QueueFilterError(name, message)
    return tuple(values)


def _choices(params: Mapping, name: str, allowed: set[str], message) -> tuple[str, ...]:
    values = _many(params, name)
    if any(value not in allowed for value in values):
        raise QueueFilterError(name, message)
    return tuple(values)


# --- sorting and keyset pages --------------------------------------------------------------------

@dataclass(frozen=True)
class Page:
    items: list  # tickets (``page``) or rows (``rows``)
    next_cursor: str | None = None


# Each sort: the columns of its key, each with True for descending. ``due`` puts tickets without
# a running clock last and is handled apart because of those NULLs.
_SORT_KEYS = {
    "newest": ((Ticket.id, True),),
    "oldest": ((Ticket.id, False),),
    "priority": ((Ticket.priority, False), (Ticket.id, False)),
    "updated": ((Ticket.updated_at, True), (Ticket.id, True)),
    "due": ((Ticket.sla_due_at, False), (Ticket.id, False)),
}
_DATETIME_KEYS = {"updated", "due"}


def parse_sort(value: str | None) -> str:
    value = (value or "").strip() or DEFAULT_SORT
    if value not in SORTS:
        raise QueueFilterError("sort", _("Unknown sort order."))
    return value


def page(dbsession, request_or_viewer, queue_filter: QueueFilter, sort: str = DEFAULT_SORT,
         cursor: str | None = None, limit: int = PAGE_SIZE, now: datetime | None = None) -> Page:
    """One page of the queue after ``cursor`` (``None``: the first page), with the related rows
    the list shows already loaded (department, team, assignee, requester)."""
    sort = parse_sort(sort)

    def tickets(ids, order: list) -> list[Ticket]:
        statement = (
            select(Ticket)
            .join(ids, ids.c.id == Ticket.id)
            .options(joinedload(Ticket.department), joinedload(Ticket.team), joinedload(Ticket.assignee),
                     joinedload(Ticket.requester))
            .order_by(*order)
        )
        return list(dbsession.scalars(statement).unique())

    return page_with(tickets, request_or_viewer, queue_filter, sort, cursor, limit, now)


def looked_up(column, id_column, key) -> ColumnElement:
    """``column`` of the row whose ``id_column`` is ``key`` (a ticket's department, team, assignee
    or requester), as a scalar subquery. A list needs a few names per ticket; joining their tables
    made PostgreSQL's planner search the join orders of six relations on every page, which took
    longer (about 1 ms) than running the statement, where each subquery is planned on its own."""
    return select(column).where(id_column == key).scalar_subquery()


ROW_COLUMNS = (
    Ticket.id, Ticket.version, Ticket.tracking_code, Ticket.subject, Ticket.status, Ticket.priority,
    Ticket.channel, Ticket.service_title, Ticket.sla_state, Ticket.sla_due_at, Ticket.updated_at,
    Ticket.guest_name, Ticket.team_id, Ticket.assignee_id,
    looked_up(Department.name, Department.id, Ticket.department_id).label("department_name"),
    looked_up(Team.name, Team.id, Ticket.team_id).label("team_name"),
    looked_up(User.full_name, User.id, Ticket.assignee_id).label("assignee_name"),
    looked_up(User.full_name, User.id, Ticket.requester_id).label("requester_full_name"),
)


def rows(dbsession, request_or_viewer, queue_filter: QueueFilter, sort: str = DEFAULT_SORT,
         cursor: str | None = None, limit: int = PAGE_SIZE, now: datetime | None = None) -> Page:
    """The same page as ``page``, as plain rows of ``ROW_COLUMNS`` (what the queue page shows):
    no ORM objects to build and track for a list that is only read."""
    sort = parse_sort(sort)

    def plain_rows(ids, order: list) -> list:
        statement = select(*ROW_COLUMNS).join(ids, ids.c.id == Ticket.id).order_by(*order)
        return dbsession.execute(statement).all()

    return page_with(plain_rows, request_or_viewer, queue_filter, sort, cursor, limit, now)


def page_with(fetch, request_or_viewer, queue_filter: QueueFilter, sort: str = DEFAULT_SORT,
              cursor: str | None = None, limit: int = PAGE_SIZE, now: datetime | None = None) -> Page:
    """The page, its items loaded by ``fetch(ids, order)``: ``ids`` is a subquery of the page's
    ticket ids (a column ``id``) to join, ``order`` the ORDER BY of the sort on the tickets table.
    The items need the sort's key columns under their names (the next page's cursor)."""
    sort = parse_sort(sort)
    viewer = _as_viewer(request_or_viewer)
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    key = decode_cursor(cursor, sort) if cursor else None
    if queue_filter.matches_nothing(viewer):
        return Page([])
    items = fetch(_page_ids(queue_filter, viewer, now or utcnow(), sort, key, limit + 1), _order_by(sort))
    if len(items) <= limit:
        return Page(items)
    items = items[:limit]
    return Page(items, encode_cursor(sort, items[-1]))


def _page_ids(queue_filter: QueueFilter, viewer: Viewer, now: datetime, sort: str, key: list | None,
              limit: int):
    """The ids of the page, as a subquery: the rows are loaded for these ids alone, so the sort
    never carries whole rows (and their joins) of every matching ticket.

    Sorted by id over closed tickets too, the page is merged from one branch per (department,
    status): each branch walks its index (department, status, id) in id order and stops after
    ``limit`` rows, where one query would sort every ticket the departments ever had.
    """
    conditions = queue_filter.conditions(viewer, now)
    if key is not None:
        conditions.append(_after(sort, key))
    order = _order_by(sort)
    if len(viewer.alternatives) > 1:
        return _merged_ids(viewer.alternatives, conditions[1:], sort, limit)
    branches = _branches(queue_filter, viewer) if sort in ("newest", "oldest") else None
    if not branches:
        return select(Ticket.id).where(*conditions).order_by(*order).limit(limit).subquery("page_ids")
    parts = [select(Ticket.id).where(*conditions, *branch).order_by(*order).limit(limit).subquery()
             for branch in branches]
    merged = union_all(*(select(part.c.id) for part in parts)).subquery("merged_ids")
    merged_order = merged.c.id.desc() if sort == "newest" else merged.c.id.asc()
    return select(merged.c.id).order_by(merged_order).limit(limit).subquery("page_ids")


def _merged_ids(alternatives: tuple, conditions: list, sort: str, limit: int):
    """The ids of the page over tickets matching any of ``alternatives``: each alternative's first
    ``limit`` tickets in the sort order, merged (a ticket in several is counted once)."""
    key_columns = [column for column, _descending in _SORT_KEYS[sort]]
    parts = [select(*key_columns).where(alternative, *conditions).order_by(*_order_by(sort)).limit(limit)
             .subquery() for alternative in alternatives]
    merged = union(*(select(*part.c) for part in parts)).subquery("merged_ids")
    return select(merged.c.id).order_by(*_order_by(sort, merged.c)).limit(limit).subquery("page_ids")


MAX_BRANCHES = 64


def _branches(queue_filter: QueueFilter, viewer: Viewer) -> list[tuple] | None:
    """One (department, status) condition pair per branch, or ``None`` when a single query is
    better: open tickets are few enough to sort (a union costs more than it saves), other
    filters narrow the tickets down, the viewer sees every department (the planner then walks
    the primary key), or the branches would be too many."""
    statuses = queue_filter.statuses or tuple(s.value for s in Status)
    narrowed = replace(queue_filter, statuses=(), departments=()) != QueueFilter(statuses=())
    if viewer.department_ids is None or narrowed or not set(statuses) & {s.value for s in DONE_STATUSES}:
        return None
    departments = viewer.department_ids
    if queue_filter.departments:
        departments = departments & set(queue_filter.departments)
    branches = [(Ticket.department_id == department, Ticket.status == status)
                for department in sorted(departments) for status in statuses]
    return branches if 1 < len(branches) <= MAX_BRANCHES else None


def _order_by(sort: str, columns=None) -> list:
    """The ORDER BY of ``sort`` on the tickets table, or on ``columns`` (a subquery's, by name)."""
    def column_of(column):
        return column if columns is None else columns[column.key]

    if sort == "due":
        return [column_of(Ticket.sla_due_at).is_(None), column_of(Ticket.sla_due_at), column_of(Ticket.id)]
    return [column_of(column).desc() if descending else column_of(column).asc()
            for column, descending in _SORT_KEYS[sort]]


def _after(sort: str, key: list) -> ColumnElement[bool]:
    """Rows strictly after ``key`` in the sort order (the keyset condition)."""
    if sort == "due":
        due, ticket_id = key
        if due is None:
            return and_(Ticket.sla_due_at.is_(None), Ticket.id > ticket_id)
        return or_(Ticket.sla_due_at > due, and_(Ticket.sla_due_at == due, Ticket.id > ticket_id),
                   Ticket.sla_due_at.is_(None))
    return keyset.after(_SORT_KEYS[sort], key)


def encode_cursor(sort: str, ticket) -> str:
    return keyset.encode(sort, [getattr(ticket, column.key) for column, _descending in _SORT_KEYS[sort]])


def decode_cursor(cursor: str, sort: str) -> list:
    """The sort key in ``cursor``; a cursor of another sort or a forged one is refused."""
    refused = QueueFilterError("cursor", _("This page link is no longer valid; start from the first page."))
    try:
        key = keyset.decode(cursor, sort, len(_SORT_KEYS[sort]))
    except keyset.BadCursor:
        raise refused from None
    if sort in _DATETIME_KEYS:
        try:
            key[0] = None if key[0] is None and sort == "due" else datetime.fromisoformat(key[0])
        except (TypeError, ValueError):
            raise refused from None
        if key[0] is not None and key[0].tzinfo is None:
            raise refused
    elif sort == "priority" and not (isinstance(key[0], int) and 1 <= key[0] <= 4):
        raise refused
    return key


# --- counts ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class QueueCounts:
    """The queue's badges. ``by_status`` has every status, open or not."""

    mine: int = 0
    my_teams: int = 0
    unassigned: int = 0
    open: int = 0
    breaching_soon: int = 0
    overdue: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


_SLA_ROW = "-sla-"  # the row of the counts statement that holds the SLA counts, not a status


def counts(dbsession, request_or_viewer, now: datetime | None = None) -> QueueCounts:
    """The badges of the queue, from ``tickets_queue_counts`` and the ``sla_due_at`` index
    (one statement, whatever the number of tickets)."""
    viewer = _as_viewer(request_or_viewer)
    by_status = {s.value: 0 for s in Status}
    if viewer.sees_nothing:
        return QueueCounts(by_status=by_status)
    write_pending_moves(dbsession)  # this transaction's own changes count too
    open_values = {s.value for s in OPEN_STATUSES}
    mine = my_teams = unassigned = breaching_soon = overdue_count = 0
    for status, total, assigned_to_me, in_my_teams, nobody in dbsession.execute(
            _counts_statement(viewer.department_ids is None), _counts_parameters(viewer, now)):
        if status == _SLA_ROW:
            breaching_soon, overdue_count = int(total), int(assigned_to_me)
            continue
        by_status[status] = by_status.get(status, 0) + int(total)
        if status in open_values:
            mine += int(assigned_to_me)
            my_teams += int(in_my_teams)
            unassigned += int(nobody)
    return QueueCounts(mine=mine, my_teams=my_teams, unassigned=unassigned,
                       open=sum(by_status[status] for status in open_values), breaching_soon=breaching_soon,
                       overdue=overdue_count, by_status=by_status)


def sla_counts(dbsession, request_or_viewer, now: datetime | None = None) -> tuple[int, int]:
    """(breaching soon, overdue) among the viewer's tickets, in one statement of two index range
    scans. ``sla_due_at`` is set only while a clock runs, so both count open tickets only."""
    viewer = _as_viewer(request_or_viewer)
    if viewer.sees_nothing:
        return 0, 0
    row = dbsession.execute(_sla_statement(viewer.department_ids is None), _counts_parameters(viewer, now)).one()
    return int(row[0]), int(row[1])


def _counts_parameters(viewer: Viewer, now: datetime | None) -> dict:
    return {"now": now or utcnow(), "user_id": viewer.user_id or -1, "team_ids": sorted(viewer.team_ids),
            "department_ids": sorted(viewer.department_ids or ())}


# The count statements are built once, with the viewer as parameters: building a statement and
# its cache key on every page cost more than PostgreSQL's work for it.

@cache
def _counts_statement(every_department: bool):
    """Per status: every ticket, the viewer's, their teams', nobody's, from the counters; and a
    last row with the two SLA counts."""
    def when(condition) -> ColumnElement:
        return func.coalesce(func.sum(case((condition, QueueCount.count), else_=0)), 0)

    cells = select(
        QueueCount.status,
        func.coalesce(func.sum(QueueCount.count), 0),
        when(QueueCount.assignee_id == bindparam("user_id")),
        when(QueueCount.team_id.in_(bindparam("team_ids", expanding=True))),
        when(QueueCount.assignee_id == 0),
    ).group_by(QueueCount.status)
    if not every_department:
        cells = cells.where(QueueCount.department_id.in_(bindparam("department_ids", expanding=True)))
    sla_row = select(literal(_SLA_ROW), *_sla_counted(every_department), literal(0), literal(0))
    return union_all(cells, sla_row)


@cache
def _sla_statement(every_department: bool):
    return select(*_sla_counted(every_department))


def _sla_counted(every_department: bool) -> tuple:
    """The two SLA counts as scalar subqueries. The department condition is written
    ``department_id + 0`` so that no planner walks the department index (every ticket the
    department ever had) instead of the SLA ranges."""
    departments = true() if every_department else (Ticket.department_id + 0).in_(
        bindparam("department_ids", expanding=True))
    now = bindparam("now")

    def counted(condition):
        return select(func.count()).select_from(Ticket).where(condition, departments).scalar_subquery()

    return (counted(and_(Ticket.sla_state == "warning", Ticket.sla_due_at >= now)),
            counted(Ticket.sla_due_at < now))


__all__ = ["QueueFilter", "QueueFilterError", "Viewer", "Page", "QueueCounts", "page", "rows", "page_with", "looked_up",
           "counts", "sla_counts", "parse_sort", "search_condition", "SORTS", "SCOPES", "SLA_FILTERS", "PAGE_SIZE"]
