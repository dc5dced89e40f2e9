"""Concurrent requests that read, then write, all succeed on SQLite (no "database is locked")."""
import threading
from types import SimpleNamespace

import transaction
from sqlalchemy import func, select

from core.db import get_engine, get_session_factory, get_tm_session
from core.models import Department


def test_concurrent_read_then_write_requests_all_commit(tmp_path):
    engine = get_engine({"sqlalchemy.url": f"sqlite:///{tmp_path / 'desk.sqlite'}"})
    Department.metadata.create_all(engine, tables=[Department.__table__])
    factory = get_session_factory(engine)
    errors = []

    def request_loop(worker: int):
        for number in range(15):
            manager = transaction.TransactionManager(explicit=True)
            try:
                with manager:
                    session = get_tm_session(factory, manager, SimpleNamespace(method="POST"))
                    existing = session.scalar(select(func.count(Department.id)))  # read first…
                    session.add(Department(code=f"d{worker}-{number}", name=f"واحد {existing}"))  # …then write
            except Exception as error:  # noqa: BLE001 - the test collects every failure
                errors.append(error)

    threads = [threading.Thread(target=request_loop, args=(worker,)) for worker in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.connect() as connection:
        assert connection.scalar(select(func.count(Department.id))) == 90
    engine.dispose()
    assert errors == []


def test_writers_take_turns_and_give_them_back_when_their_transaction_ends(tmp_path):
    """A writer waits for the one in progress (no "database is locked"), and a writer that rolls
    back or commits lets the next one in at once."""
    engine = get_engine({"sqlalchemy.url": f"sqlite:///{tmp_path / 'desk.sqlite'}"})
    Department.metadata.create_all(engine, tables=[Department.__table__])
    writing = engine.execution_options(sqlite_begin="immediate")
    order = []

    def second_writer():
        with writing.begin() as connection:
            order.append("second writes")
            connection.execute(Department.__table__.insert().values(code="b", name="دوم"))

    with writing.connect() as connection:
        with connection.begin() as rolled_back:
            connection.execute(Department.__table__.insert().values(code="x", name="لغو"))
            rolled_back.rollback()
        with connection.begin():
            connection.execute(Department.__table__.insert().values(code="a", name="اول"))
            waiting = threading.Thread(target=second_writer)
            waiting.start()
            waiting.join(timeout=0.3)
            assert waiting.is_alive() and order == []  # waits for its turn
            order.append("first commits")
    waiting.join(timeout=5)
    assert order == ["first commits", "second writes"]
    with engine.connect() as connection:
        assert sorted(connection.scalars(select(Department.code))) == ["a", "b"]
    engine.dispose()
