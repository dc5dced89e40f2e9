"""Queue counts kept current by the transaction of every ticket change.

A mapper listener on ``Ticket`` moves one unit from the ticket's old (department, team,
assignee, status) cell to its new one, so a queue badge is a sum over a handful of rows of
``tickets_queue_counts`` instead of a count over the tickets table. Bulk loads that bypass the
ORM (the benchmark's seeding) call ``rebuild``.
"""
from __future__ import annotations

from collections import Counter
from functools import cache

from sqlalchemy import bindparam, delete, event, func, insert, inspect, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, object_session

from plugins.tickets.models import QueueCount, Ticket

Cell = tuple[int, int, int, str]
_KEY_FIELDS = ("department_id", "team_id", "assignee_id", "status")


def cell_of(values: dict) -> Cell:
    return (values["department_id"], values["team_id"] or 0, values["assignee_id"] or 0, values["status"])


def bump(connection, cell: Cell, delta: int) -> None:
    department_id, team_id, assignee_id, status = cell
    connection.execute(_upsert(connection.dialect.name), {
        "department_id": department_id, "team_id": team_id, "assignee_id": assignee_id, "status": status,
        "delta": delta,
    })


@cache
def _upsert(dialect_name: str):
    """The counter upsert, built once per dialect: it runs for every ticket change."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    statement = dialect.insert(QueueCount).values(
        department_id=bindparam("department_id"), team_id=bindparam("team_id"),
        assignee_id=bindparam("assignee_id"), status=bindparam("status"), count=bindparam("delta"),
    )
    return statement.on_conflict_do_update(
        index_elements=["department_id", "team_id", "assignee_id", "status"],
        set_={"count": QueueCount.count + bindparam("delta")},
    )


def rebuild(connection) -> None:
    """Recount every cell from the tickets table (after a bulk load)."""
    connection.execute(delete(QueueCount))
    # A literal 0, not a bound parameter: PostgreSQL matches the grouped expressions by their text,
    # and two parameters would be two different expressions.
    team, assignee = func.coalesce(Ticket.team_id, literal(0, literal_execute=True)), \
        func.coalesce(Ticket.assignee_id, literal(0, literal_execute=True))
    grouped = select(Ticket.department_id, team, assignee, Ticket.status, func.count()).group_by(
        Ticket.department_id, team, assignee, Ticket.status)
    connection.execute(
        insert(QueueCount).from_select(["department_id", "team_id", "assignee_id", "status", "count"], grouped)
    )


def _old_values(target) -> dict:
    state = inspect(target)
    values = {}
    for name in _KEY_FIELDS:
        history = state.attrs[name].history
        if history.deleted:
            values[name] = history.deleted[0]
        elif history.added:  # replaced a column never loaded since the insert: the NULL it stored
            values[name] = None
        else:
            values[name] = getattr(target, name)
    return values


def _keep_previous_value(target, value, oldvalue, initiator):
    return value


# Active history loads an expired column's old value before it is replaced, so the listeners
# below know which cell the ticket leaves. A column left unset when the ticket was inserted in
# this session has no value to load (``_old_values`` reads it as the NULL it stored).
for _name in _KEY_FIELDS:
    event.listen(getattr(Ticket, _name), "set", _keep_previous_value, active_history=True, retval=True)


# The moves are written when the transaction commits (or its counts are read), not at each
# flush: every new ticket of a department moves the same few cells, and the row lock an upsert
# takes (PostgreSQL) is held until the commit, so concurrent submissions would queue for it
# through all their remaining work. Each move is kept with the transaction it happened in, so a
# savepoint rolled back takes its moves with it.
_PENDING = "tickets.count_moves"


def _move(target, cell: Cell, delta: int) -> None:
    session = object_session(target)
    transaction = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_PENDING, []).append((transaction, cell, delta))


def write_pending_moves(dbsession) -> None:
    """Write this transaction's moves, in a fixed order of cells (two transactions never wait
    for each other's cells crosswise)."""
    moves = dbsession.info.pop(_PENDING, None)
    if not moves:
        return
    totals: Counter[Cell] = Counter()
    for _transaction, cell, delta in moves:
        totals[cell] += delta
    connection = dbsession.connection()
    for cell, delta in sorted(totals.items()):
        if delta:
            bump(connection, cell, delta)


def _within(transaction, ended) -> bool:
    while transaction is not None:
        if transaction is ended:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "before_commit")
def _apply_before_commit(session) -> None:
    write_pending_moves(session)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session, previous_transaction) -> None:
    moves = session.info.get(_PENDING)
    if moves:
        session.info[_PENDING] = [move for move in moves if not _within(move[0], previous_transaction)]


@event.listens_for(Session, "do_orm_execute")
def _apply_before_reading(orm_execute_state) -> None:
    if (orm_execute_state.session.info.get(_PENDING) and orm_execute_state.is_select
            and any(mapper.class_ is QueueCount for mapper in orm_execute_state.all_mappers)):
        write_pending_moves(orm_execute_state.session)


@event.listens_for(Ticket, "after_insert")
def _count_insert(mapper, connection, target):
    _move(target, cell_of({name: getattr(target, name) for name in _KEY_FIELDS}), 1)


@event.listens_for(Ticket, "after_update")
def _count_update(mapper, connection, target):
    old = cell_of(_old_values(target))
    new = cell_of({name: getattr(target, name) for name in _KEY_FIELDS})
    if old != new:
        _move(target, old, -1)
        _move(target, new, 1)


@event.listens_for(Ticket, "after_delete")
def _count_delete(mapper, connection, target):
    _move(target, cell_of(_old_values(target)), -1)
