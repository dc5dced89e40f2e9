"""PostgreSQL: a request reads without a transaction and starts one at its first write; writes
stay all-or-nothing, and a connection the server closed while nothing was written is retried."""
from __future__ import annotations

import pytest
import webtest
from psycopg.pq import TransactionStatus
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from core.app import make_app
from core.db import get_engine, get_session_factory
from core.models import Department
from core.testing import csrf_token, new_plugin_manager
from core.worker import Worker

pytestmark = pytest.mark.postgresql_only


def transaction_status(connection) -> TransactionStatus:
    return connection.connection.dbapi_connection.info.transaction_status


@pytest.fixture
def departments(engine):
    """A clean slate of departments whose codes start with ``tx-``, removed afterwards."""
    def remove():
        with engine.begin() as connection:
            connection.execute(Department.__table__.delete().where(Department.code.startswith("tx-")))

    remove()
    yield
    remove()


def count_departments(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).where(Department.code.startswith("tx-")))


def test_reads_run_without_a_transaction_until_the_first_write(engine, departments):
    with engine.connect() as connection, connection.begin():
        connection.execute(select(func.count(Department.id)))
        assert transaction_status(connection) == TransactionStatus.IDLE
        connection.execute(Department.__table__.insert().values(code="tx-a", name="الف"))
        assert transaction_status(connection) == TransactionStatus.INTRANS


def test_what_a_request_writes_is_still_rolled_back_together(engine, departments):
    session = get_session_factory(engine)()
    session.scalar(select(func.count(Department.id)))
    session.add(Department(code="tx-a", name="الف"))
    session.flush()
    session.add(Department(code="tx-b", name="ب"))
    session.flush()
    session.rollback()
    session.close()
    assert count_departments(engine) == 0


def test_a_savepoint_or_a_locking_read_starts_the_transaction(engine, departments):
    with engine.begin() as connection:
        connection.execute(Department.__table__.insert().values(code="tx-a", name="الف"))
    session = get_session_factory(engine)()
    with session.begin():
        with session.begin_nested():
            session.add(Department(code="tx-b", name="ب"))
        locked = session.scalars(select(Department).where(Department.code == "tx-a").with_for_update()).one()
        assert transaction_status(session.connection()) == TransactionStatus.INTRANS
        locked.name = "الف تازه"
    assert count_departments(engine) == 2


def test_a_connection_asking_for_autocommit_keeps_it(engine):
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM core_departments")  # refused inside a transaction block


def closed_by_the_server(engine, application_name: str) -> int:
    """Terminate the backends of the connections named ``application_name`` (as a restart would)."""
    with engine.connect() as connection:
        return connection.scalar(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = :name"),
            {"name": application_name})


@pytest.mark.parametrize("attempts, status", [("3", 400), ("1", 500)])
def test_a_request_meeting_a_connection_closed_by_the_server_is_run_again(engine, app_settings, attempts, status):
    """With retries, the user never sees the closed connection; without them, the test would see
    the error page (which shows that the retry, not luck, made the difference)."""
    name = f"pishkhan-stale-{attempts}"
    url = make_url(app_settings["sqlalchemy.url"]).update_query_dict({"application_name": name})
    settings = {**app_settings, "sqlalchemy.url": url.render_as_string(hide_password=False),
                "retry.attempts": attempts}
    app = make_app(settings, pluginmanager=new_plugin_manager(settings))
    testapp = webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "10.0.0.1", "HTTP_HOST": "localhost"})
    form = {"username": "nobody-here", "password": "wrong", "csrf_token": csrf_token(testapp)}
    testapp.post("/login", form, status=400)  # the pool now holds an open connection
    assert closed_by_the_server(engine, name) >= 1
    page = testapp.post("/login", form, status=status, expect_errors=True)
    if status == 400:
        assert page.html.find(attrs={"data-testid": "login-error"}).get_text(strip=True)
    app.registry["db_engine"].dispose()


def test_the_worker_carries_on_when_the_server_closed_its_connection(engine, app_settings, pluginmanager, caplog):
    name = "pishkhan-stale-worker"
    url = make_url(app_settings["sqlalchemy.url"]).update_query_dict({"application_name": name})
    workers_engine = get_engine({"sqlalchemy.url": url.render_as_string(hide_password=False)})
    worker = Worker(get_session_factory(workers_engine), pluginmanager, app_settings)
    worker.run(once=True)
    assert closed_by_the_server(engine, name) >= 1
    worker.run(once=True)
    assert "the database connection was lost" in caplog.text
    caplog.clear()
    worker.run(once=True)  # the next pass works on a new connection
    assert "the database connection was lost" not in caplog.text
    workers_engine.dispose()
