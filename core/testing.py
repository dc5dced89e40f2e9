"""Test fixtures for the core and every plugin (``pytest_plugins = ["core.testing"]``).

- Every database test runs on SQLite and, when ``PISHKHAN_TEST_DATABASE_URL`` is set, again on
  PostgreSQL (``db_url`` is parametrized). With ``CI=true`` a missing PostgreSQL fails the run.
- ``engine``: a database migrated with Alembic (never ``create_all``).
- ``dbsession``: a doomed transaction per test, rolled back afterwards.
- ``pluginmanager``: a plugin manager with no installed entry points; ``register_plugin`` adds
  test plugins. ``app`` / ``testapp``: the WSGI app over that manager, and WebTest around it,
  sharing the test's ``dbsession``.
"""
from __future__ import annotations

import contextlib
import functools
import os
import re

import pytest
import webtest
from sqlalchemy import create_engine, delete, event, text
from sqlalchemy.orm import Session

from core import demo, migrate
from core.app import make_app
from core.db import get_engine, get_session_factory, import_models
from core.departments import department_specs
from core.models import JobRun, OutboxMessage
from core.plugins import create_plugin_manager

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
POSTGRES_URL = os.environ.get("PISHKHAN_TEST_DATABASE_URL")


NO_POSTGRES = ("PostgreSQL run skipped: set PISHKHAN_TEST_DATABASE_URL "
               "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/pishkhan_test)")


def base_settings(url: str) -> dict:
    return {
        "sqlalchemy.url": url,
        "session.secret": "test-secret",
        "pishkhan.plugins.enabled": "*",
        "retry.attempts": "1",
        "mail.host": "127.0.0.1",
        "mail.port": "8025",
        "mail.sender": "پیشخوان <no-reply@pishkhan.test>",
    }


def reset_database(url: str) -> None:
    """Empty the test database: drop the schema on PostgreSQL, remove the file on SQLite."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1]
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        return
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Chromium through Playwright")
    config.addinivalue_line("markers", "postgresql_only: PostgreSQL's own behaviour (SKIP LOCKED); no SQLite run")
    config.addinivalue_line("markers", "sqlite_only: SQLite's own behaviour (EXPLAIN QUERY PLAN); no PostgreSQL run")


def pytest_collection_modifyitems(config, items):
    """Tests of one database's own behaviour have no variant for the other (not a skip: it does not
    exist)."""
    kept, dropped = [], []
    for item in items:
        unwanted = ("[sqlite" in item.nodeid and item.get_closest_marker("postgresql_only")
                    or "[postgresql" in item.nodeid and item.get_closest_marker("sqlite_only"))
        (dropped if unwanted else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def pytest_report_header(config):
    if POSTGRES_URL:
        return f"databases: SQLite and PostgreSQL ({re.sub(r'//[^@]*@', '//', POSTGRES_URL)})"
    return "databases: SQLite only (set PISHKHAN_TEST_DATABASE_URL to add PostgreSQL)"


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def db_url(request, tmp_path_factory):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    if not POSTGRES_URL:
        if IN_CI:
            pytest.fail("CI=true: " + NO_POSTGRES + " — in CI it may not be skipped")
        pytest.skip(NO_POSTGRES)
    return POSTGRES_URL


@pytest.fixture(scope="session")
def app_settings(db_url):
    return base_settings(db_url)


def new_plugin_manager(settings: dict):
    """A manager without installed entry points; tests register what they need."""
    return create_plugin_manager(settings, load_entry_points=False)


@pytest.fixture(scope="session")
def engine(app_settings):
    url = app_settings["sqlalchemy.url"]
    reset_database(url)
    pluginmanager = new_plugin_manager(app_settings)
    import_models(pluginmanager)
    engine = get_engine(app_settings)
    migrate.upgrade(engine, pluginmanager)
    yield engine
    engine.dispose()


@pytest.fixture
def dbsession(engine):
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


def empty_worker_tables(engine) -> None:
    """Remove committed outbox rows and job runs (tests of the worker commit for real)."""
    with engine.begin() as connection:
        connection.execute(delete(OutboxMessage))
        connection.execute(delete(JobRun))


@pytest.fixture
def session_factory(engine):
    """Sessions that commit for real, for code that runs its own transactions (the worker);
    the outbox and job-run tables are emptied before and after the test."""
    empty_worker_tables(engine)
    yield get_session_factory(engine)
    empty_worker_tables(engine)


@pytest.fixture
def pluginmanager(app_settings):
    return new_plugin_manager(app_settings)


@pytest.fixture
def register_plugin(pluginmanager):
    """``register_plugin(module_or_object, name)``: add a test plugin to this test's manager."""

    def register(plugin, name: str | None = None):
        pluginmanager.register_plugin(plugin, name=name or getattr(plugin, "__name__", repr(plugin)))
        return plugin

    return register


@pytest.fixture
def app(app_settings, pluginmanager, engine):
    return make_app(dict(app_settings), pluginmanager=pluginmanager)


@pytest.fixture
def testapp(app, dbsession):
    return webtest.TestApp(app, extra_environ={"app.dbsession": dbsession, "REMOTE_ADDR": "10.0.0.1",
                                               "HTTP_HOST": "localhost"})


@functools.cache
def installed_department_specs() -> tuple:
    """The departments and teams of every installed plugin (asked once per test run)."""
    return tuple(department_specs(create_plugin_manager({"pishkhan.plugins.enabled": "*"})))


@pytest.fixture
def demo_org(dbsession, pluginmanager, app_settings):
    """The Persian demo organization inside the test's transaction: the departments and teams
    of the installed department plugins (their hooks not registered in the test's manager) and
    the demo's users."""
    demo.load_demo_organization(dbsession, list(installed_department_specs()))
    return dbsession


@contextlib.contextmanager
def counted_statements(engine, dbsession=None):
    """Collect the SQL statements run on ``engine`` (savepoints aside) to keep N+1 out.

    Pass the test's ``dbsession`` to start as a new request would: with what the setup's commit
    would still write (``before_commit`` listeners) written, and a cold identity map.
    """
    if dbsession is not None:
        dbsession.flush()
        dbsession.dispatch.before_commit(dbsession)
        dbsession.expire_all()
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def csrf_token(testapp) -> str:
    """The CSRF token of the test client's session (read from a page's hidden field)."""
    page = testapp.get("/login")
    return page.html.find("input", {"name": "csrf_token"})["value"]


def log_in(testapp, username: str, password: str = demo.DEMO_PASSWORD):
    return testapp.post("/login", {"username": username, "password": password,
                                   "csrf_token": csrf_token(testapp)}, status=303)
