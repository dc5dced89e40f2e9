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


def test_a_transaction_waits_for_the_writers_turn_only_when_it_first_writes(tmp_path):
    """Reading does not hold the write lock; the first write waits for the writer in progress and
    then sees what it committed, and no one meets "database is locked"."""
    engine = get_engine({"sqlalchemy.url": f"sqlite:///{tmp_path / 'desk.sqlite'}"})
    Department.metadata.create_all(engine, tables=[Department.__table__])
    factory = get_session_factory(engine)
    writer_in = threading.Event()
    release_writer = threading.Event()
    seen = {}

    def long_writer():
        with engine.begin() as connection:
            connection.execute(Department.__table__.insert().values(code="first", name="اول"))
            writer_in.set()
            release_writer.wait(5)

    writer = threading.Thread(target=long_writer)
    writer.start()
    assert writer_in.wait(5)
    manager = transaction.TransactionManager(explicit=True)
    with manager:
        session = get_tm_session(factory, manager, SimpleNamespace(method="POST"))
        seen["before"] = session.scalar(select(func.count(Department.id)))  # reads while the other writes
        threading.Timer(0.2, release_writer.set).start()
        session.add(Department(code="second", name="دوم"))
        session.flush()  # waits for the first writer's commit
        seen["after"] = session.scalar(select(func.count(Department.id)))
    writer.join(5)
    assert seen == {"before": 0, "after": 2}
    with engine.connect() as connection:
        assert sorted(connection.scalars(select(Department.code))) == ["first", "second"]
    engine.dispose()


def test_savepoints_opened_while_reading_still_work_once_the_transaction_writes(tmp_path):
    engine = get_engine({"sqlalchemy.url": f"sqlite:///{tmp_path / 'desk.sqlite'}"})
    Department.metadata.create_all(engine, tables=[Department.__table__])
    factory = get_session_factory(engine)
    manager = transaction.TransactionManager(explicit=True)
    with manager:
        session = get_tm_session(factory, manager, SimpleNamespace(method="POST"))
        session.scalar(select(func.count(Department.id)))
        with session.begin_nested():  # opened before the first write
            session.add(Department(code="kept", name="ماندگار"))
        undone = session.begin_nested()
        session.add(Department(code="undone", name="برگشتی"))
        session.flush()
        undone.rollback()
    with engine.connect() as connection:
        assert list(connection.scalars(select(Department.code))) == ["kept"]
    engine.dispose()
