"""One SQLAlchemy ``Base``, the engine, and the per-request session joined to pyramid_tm."""
from __future__ import annotations

import fcntl
import importlib
import os
import re
import sqlite3
import threading
from contextlib import contextmanager
from datetime import UTC, datetime

import psycopg
import transaction
import zope.sqlalchemy
from pyramid_retry import mark_error_retryable
from sqlalchemy import DateTime, MetaData, engine_from_config, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, sessionmaker
from sqlalchemy.types import TypeDecorator

from core.plugins import flatten

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator):
    """A timezone-aware datetime stored in UTC; SQLite gives it back aware, like PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store aware datetimes (UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    return datetime.now(UTC)


SQLITE_BUSY_SECONDS = 10  # PRAGMA busy_timeout, and the longest wait for a writer's turn


class WriterTurns:
    """SQLite writes one transaction at a time. A writer that finds the database locked sleeps
    and retries (1, 2, 5 … then 100 ms at a time), so under load newcomers keep slipping in first
    and some writers wait for seconds. Here writers queue instead: on a lock within the process,
    and on an ``flock`` of a file beside the database across processes (``pishkhan serve``); the
    turn is given back as soon as the transaction commits or rolls back."""

    def __init__(self, database: str | None):
        self.lock = threading.Lock()
        in_memory = not database or database == ":memory:" or database.startswith("file:")
        self.path = None if in_memory else f"{database}-writers"
        self._file: tuple[int, int] | None = None  # (process id, descriptor): a fork opens its own

    def take(self) -> None:
        if not self.lock.acquire(timeout=SQLITE_BUSY_SECONDS):
            raise sqlite3.OperationalError("database is locked")
        try:
            if self.path is not None:
                fcntl.flock(self._descriptor(), fcntl.LOCK_EX)
        except BaseException:
            self.lock.release()
            raise

    def give_back(self) -> None:
        try:
            if self.path is not None:
                fcntl.flock(self._descriptor(), fcntl.LOCK_UN)
        finally:
            self.lock.release()

    def _descriptor(self) -> int:
        if self._file is None or self._file[0] != os.getpid():
            self._file = (os.getpid(), os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        return self._file[1]


def _turn_taking_connection(turns: WriterTurns) -> type[sqlite3.Connection]:
    """A pysqlite connection that gives its writer's turn back when its transaction ends."""

    class TurnTakingConnection(sqlite3.Connection):
        has_turn = False
        savepoints: tuple[str, ...] = ()  # opened while reading, innermost last

        def take_turn(self) -> None:
            turns.take()
            self.has_turn = True

        def give_turn_back(self) -> None:
            self.savepoints = ()
            if self.has_turn:
                self.has_turn = False
                turns.give_back()

        def note_savepoint(self, verb: str, name: str) -> None:
            if verb == "SAVEPOINT":
                self.savepoints += (name,)
            elif name in self.savepoints:  # RELEASE drops it and those inside, ROLLBACK TO those inside
                kept = self.savepoints.index(name) + (verb != "RELEASE SAVEPOINT")
                self.savepoints = self.savepoints[:kept]

        def commit(self) -> None:
            try:
                super().commit()
            finally:
                self.give_turn_back()

        def rollback(self) -> None:
            try:
                super().rollback()
            finally:
                self.give_turn_back()

        def close(self) -> None:
            try:
                super().close()
            finally:
                self.give_turn_back()

    return TurnTakingConnection


def get_engine(settings: dict, prefix: str = "sqlalchemy."):
    url = make_url(settings[f"{prefix}url"])
    if url.get_backend_name() == "postgresql":
        return _postgresql_engine(settings, prefix)
    if url.get_backend_name() != "sqlite":
        return engine_from_config(settings, prefix)
    turns = WriterTurns(url.database)
    engine = engine_from_config(settings, prefix, connect_args={"factory": _turn_taking_connection(turns)})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    event.listen(engine, "before_cursor_execute", _sqlite_write_in_turn)
    event.listen(engine, "handle_error", _sqlite_lock_is_retryable)
    return engine


def _sqlite_connect(dbapi_connection, connection_record):
    # pysqlite's own transaction handling commits early around savepoints; let SQLAlchemy emit
    # BEGIN itself (the recipe in SQLAlchemy's SQLite dialect documentation).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection):
    # A transaction reads without the write lock; its first write takes the writer's turn
    # (``_sqlite_write_in_turn``). ``sqlite_begin="immediate"`` takes the turn from the start.
    if connection.get_execution_options().get("sqlite_begin") != "immediate":
        connection.exec_driver_sql("BEGIN")
        return
    dbapi_connection = connection.connection.dbapi_connection
    dbapi_connection.take_turn()
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        dbapi_connection.give_turn_back()
        raise


WRITING = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.IGNORECASE)
SAVEPOINT = re.compile(r"\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\s+(\w+)", re.IGNORECASE)


def _sqlite_write_in_turn(connection, cursor, statement, parameters, context, executemany):
    """Before a transaction's first write, wait for the writer's turn and start it again as a
    writer: its reads so far saw an older snapshot, which SQLite would not let write (it fails
    with "database is locked" once another writer has committed). Statements after the first
    write see the latest data, as under PostgreSQL's READ COMMITTED; version columns still
    catch an object changed meanwhile. A request thus holds the lock only while it writes, not
    while it reads and validates first. Savepoints opened before that write hold nothing yet:
    they are opened again, by name, in the writing transaction."""
    dbapi_connection = connection.connection.dbapi_connection
    if dbapi_connection.has_turn or not dbapi_connection.in_transaction:
        return
    savepoint = SAVEPOINT.match(statement)
    if savepoint is not None:
        dbapi_connection.note_savepoint(savepoint.group(1).upper(), savepoint.group(2))
        return
    if not WRITING.match(statement):
        return
    dbapi_connection.take_turn()
    try:
        dbapi_connection.execute("COMMIT")  # a reader: nothing written yet
        dbapi_connection.execute("BEGIN IMMEDIATE")
        for name in dbapi_connection.savepoints:
            dbapi_connection.execute(f"SAVEPOINT {name}")
    except BaseException:
        dbapi_connection.give_turn_back()
        raise


def _sqlite_lock_is_retryable(context):
    """A GET that writes (e.g. "who has this ticket open") may still meet a locked database: let
    pyramid_retry run the request again from the start."""
    if "database is locked" in str(context.original_exception) and context.sqlalchemy_exception is not None:
        mark_error_retryable(context.sqlalchemy_exception)


# --- PostgreSQL: a transaction from the first write ---------------------------------------------

READING = re.compile(r"\s*SELECT\b", re.IGNORECASE)
LOCKING = re.compile(r"\bFOR\s+(?:NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)\b", re.IGNORECASE)


def _postgresql_engine(settings: dict, prefix: str):
    """Most pages only read. Under READ COMMITTED each statement sees the data committed when it
    starts, in a transaction or not, so a page's reads run without one (psycopg's autocommit):
    no BEGIN and no ROLLBACK, two round trips less per page, and a connection found closed by
    the server (after a restart) while nothing was written is a retryable error, so no ping is
    needed at checkout either. The first statement that is not a plain ``SELECT`` (a write, a
    savepoint, ``SET LOCAL``, ``SELECT … FOR UPDATE``, a server-side cursor) starts the
    transaction, which then ends as usual: everything written is committed or rolled back
    together."""
    engine = engine_from_config(settings, prefix)
    event.listen(engine, "checkout", _read_outside_transactions)
    event.listen(engine, "before_cursor_execute", _postgresql_transaction_from_first_write)
    event.listen(engine, "handle_error", _postgresql_stale_read_is_retryable)
    return engine


def _read_outside_transactions(dbapi_connection, connection_record, connection_proxy):
    dbapi_connection.autocommit = True  # idle at checkout: the pool rolled it back at checkin


def _postgresql_transaction_from_first_write(connection, cursor, statement, parameters, context, executemany):
    dbapi_connection = connection.connection.dbapi_connection
    if not dbapi_connection.autocommit or "isolation_level" in connection.get_execution_options():
        return  # in its transaction already, or asked for AUTOCOMMIT itself (VACUUM)
    if (executemany or not READING.match(statement) or LOCKING.search(statement)
            or isinstance(cursor, psycopg.ServerCursor)):
        dbapi_connection.autocommit = False  # psycopg sends BEGIN before this statement


def _postgresql_stale_read_is_retryable(context):
    """A connection lost while the request had only read: let pyramid_retry run it again."""
    cursor = getattr(context.execution_context, "cursor", None)
    if (context.is_disconnect and context.sqlalchemy_exception is not None
            and cursor is not None and cursor.connection.autocommit):
        mark_error_retryable(context.sqlalchemy_exception)


def get_session_factory(engine):
    # Objects stay readable after the commit: the response is rendered and inspected (debug
    # toolbar, locale negotiation from request.user) once pyramid_tm has committed.
    return sessionmaker(bind=engine, expire_on_commit=False)


def get_tm_session(session_factory, transaction_manager, request=None):
    """A session joined to ``transaction_manager``: committed or aborted with it."""
    dbsession = session_factory(info={"request": request})
    zope.sqlalchemy.register(dbsession, transaction_manager=transaction_manager)
    return dbsession


@contextmanager
def transactional_session(session_factory):
    """A session in its own transaction, committed on success (CLI tools, the worker)."""
    manager = transaction.TransactionManager(explicit=True)
    with manager:
        yield get_tm_session(session_factory, manager)


def import_models(pluginmanager) -> None:
    """Import the core's and every plugin's model modules so ``Base.metadata`` is complete."""
    importlib.import_module("core.models")
    for registration in flatten(pluginmanager.hook.pishkhan_db_registrations()):
        importlib.import_module(registration.models)


def includeme(config):
    settings = config.get_settings()
    settings["tm.manager_hook"] = "pyramid_tm.explicit_manager"
    config.include("pyramid_tm")
    config.include("pyramid_retry")
    import_models(config.registry.pluginmanager)
    engine = get_engine(settings)
    session_factory = get_session_factory(engine)
    config.registry["dbsession_factory"] = session_factory
    config.registry["db_engine"] = engine

    def dbsession(request):
        # A request from pyramid.paster.bootstrap may carry its own session (CLI tools, tests).
        session = request.environ.get("app.dbsession")
        if session is None:
            session = get_tm_session(session_factory, request.tm, request=request)
        return session

    config.add_request_method(dbsession, reify=True)
