"""A page that only reads notes something after its transaction commits, a batch at a time."""
import threading
import time
from types import SimpleNamespace

import pytest
import transaction
from sqlalchemy import delete, select

from core.db import get_session_factory
from core.models import LoginAttempt
from core.notes import NoteWriter, notes_written, write_after_commit

ADDRESS = "after-commit-test"


@pytest.fixture
def writer(engine):
    yield NoteWriter(get_session_factory(engine), engine, interval=60)
    with engine.begin() as connection:
        connection.execute(delete(LoginAttempt).where(LoginAttempt.address == ADDRESS))


def page_request(writer, method="GET"):
    return SimpleNamespace(method=method, environ={}, tm=transaction.TransactionManager(explicit=True),
                           registry={"note_writer": writer})


def noted(engine) -> list[str]:
    with engine.connect() as connection:
        return sorted(connection.scalars(select(LoginAttempt.username).where(LoginAttempt.address == ADDRESS)))


def note(username):
    return lambda dbsession: dbsession.add(LoginAttempt(username=username, address=ADDRESS))


def test_the_note_is_written_once_the_page_commits_and_never_when_it_aborts(engine, writer):
    request = page_request(writer)
    request.tm.begin()
    write_after_commit(request, note("committed"))
    request.tm.commit()
    request.tm.begin()
    write_after_commit(request, note("aborted"))
    request.tm.abort()
    assert noted(engine) == []  # kept for the next batch
    notes_written(request.registry)
    assert noted(engine) == ["committed"]


def test_a_failed_note_is_logged_and_costs_the_others_nothing(engine, writer, caplog):
    request = page_request(writer)
    for work in (note("first"), lambda dbsession: dbsession.execute(select(1 / 0)), note("last")):
        request.tm.begin()
        write_after_commit(request, work)
        request.tm.commit()  # the page has been answered: a failed note is logged, not raised
    writer.flush()
    assert noted(engine) == ["first", "last"]
    assert caplog.text.count("A write after the page's transaction failed") == 1


def test_the_background_writer_writes_a_batch_without_being_asked(engine):
    writer = NoteWriter(get_session_factory(engine), engine, interval=0.05)
    try:
        pages = [threading.Thread(target=writer.add, args=(note(f"page {number}"),)) for number in range(20)]
        for page in pages:
            page.start()
        for page in pages:
            page.join()
        deadline = time.monotonic() + 10
        while len(noted(engine)) < 20 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert noted(engine) == sorted(f"page {number}" for number in range(20))
    finally:
        with engine.begin() as connection:
            connection.execute(delete(LoginAttempt).where(LoginAttempt.address == ADDRESS))


def test_a_request_that_writes_anyway_notes_in_its_own_transaction(writer, dbsession):
    request = page_request(writer, method="POST")
    request.dbsession = dbsession
    write_after_commit(request, note("inline"))
    dbsession.flush()
    assert dbsession.scalar(select(LoginAttempt.username).where(LoginAttempt.address == ADDRESS)) == "inline"
