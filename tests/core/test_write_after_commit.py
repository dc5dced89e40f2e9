"""A page that only reads notes something after its transaction commits, in one of its own."""
from types import SimpleNamespace

import transaction
from sqlalchemy import delete, select

from core.db import get_session_factory, write_after_commit
from core.models import LoginAttempt

ADDRESS = "after-commit-test"


def page_request(engine, method="GET"):
    return SimpleNamespace(method=method, environ={}, tm=transaction.TransactionManager(explicit=True),
                           registry={"db_engine": engine, "dbsession_factory": get_session_factory(engine)})


def noted(engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.scalars(select(LoginAttempt.username).where(LoginAttempt.address == ADDRESS)))


def note(username):
    return lambda dbsession: dbsession.add(LoginAttempt(username=username, address=ADDRESS))


def test_the_note_is_written_once_the_page_commits_and_never_when_it_aborts(engine, caplog):
    try:
        request = page_request(engine)
        request.tm.begin()
        write_after_commit(request, note("committed"))
        assert noted(engine) == []  # nothing while the page's transaction is open
        request.tm.commit()
        assert noted(engine) == ["committed"]

        request.tm.begin()
        write_after_commit(request, note("aborted"))
        request.tm.abort()
        assert noted(engine) == ["committed"]

        request.tm.begin()
        write_after_commit(request, lambda dbsession: dbsession.execute(select(1 / 0)))
        request.tm.commit()  # the page has been answered: a failed note is logged, not raised
        assert "A write after the page's transaction failed" in caplog.text
    finally:
        with engine.begin() as connection:
            connection.execute(delete(LoginAttempt).where(LoginAttempt.address == ADDRESS))


def test_a_request_that_writes_anyway_notes_in_its_own_transaction(engine, dbsession):
    request = page_request(engine, method="POST")
    request.dbsession = dbsession
    write_after_commit(request, note("inline"))
    dbsession.flush()
    assert dbsession.scalar(select(LoginAttempt.username).where(LoginAttempt.address == ADDRESS)) == "inline"
