"""Notes of pages that only read (a self-service step, "this agent has the ticket open"), written
after the page has answered, a batch at a time.

A page that only reads must not wait for a writer's turn (SQLite has one writer at a time, and a
busy process keeps the turn while its threads wait for the interpreter), nor fail because of a
note. So ``write_after_commit(request, work)`` keeps ``work(dbsession)`` until the page's
transaction commits (nothing when it aborts), then hands it to this process's ``NoteWriter``: a
background thread writes every note given in the last ``INTERVAL_SECONDS`` in one transaction.
Hundreds of searches a second cost a few writes a second instead of one each.

The cost: a note reaches the database up to ``INTERVAL_SECONDS`` after its page, and notes still
waiting when a process is killed are lost (``pishkhan serve`` writes them when it is told to stop;
``notes_written`` writes them at once). A failed note is logged and does not cost the others theirs.
"""
from __future__ import annotations

import atexit
import logging
import os
import threading
from collections.abc import Callable

from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")  # pages that only read
INTERVAL_SECONDS = 0.2
BATCH = 500  # notes that wake the writer before its interval is over

Work = Callable[[Session], None]


class NoteWriter:
    def __init__(self, session_factory, engine, interval: float = INTERVAL_SECONDS, batch: int = BATCH):
        self.session_factory = session_factory
        self.engine = engine.execution_options(sqlite_begin="immediate")
        self.interval = interval
        self.batch = batch
        self._pending: list[Work] = []
        self._lock = threading.Lock()
        self._writing = threading.Lock()
        self._wake = threading.Event()
        self._thread_pid = 0

    def add(self, work: Work) -> None:
        with self._lock:
            self._pending.append(work)
            waiting = len(self._pending)
            if self._thread_pid != os.getpid():  # none yet in this process (a fork has none)
                self._start()
        if waiting >= self.batch:
            self._wake.set()

    def flush(self) -> None:
        """Write every note given so far (the background thread does it every interval)."""
        with self._writing:
            with self._lock:
                works, self._pending = self._pending, []
            if works and not self._write(works, quiet=len(works) > 1):
                for work in works:  # one of them failed: each on its own, so the others are kept
                    self._write([work], quiet=False)

    def _write(self, works: list[Work], quiet: bool) -> bool:
        dbsession = self.session_factory(bind=self.engine)
        try:
            for work in works:
                work(dbsession)
            dbsession.commit()
            return True
        except Exception:
            dbsession.rollback()
            if not quiet:
                log.exception("A write after the page's transaction failed")
            return False
        finally:
            dbsession.close()

    def _start(self) -> None:
        self._thread_pid = os.getpid()
        threading.Thread(target=self._run, name="pishkhan-notes", daemon=True).start()
        atexit.register(self.flush)

    def _run(self) -> None:
        while True:
            self._wake.wait(self.interval)
            self._wake.clear()
            try:
                self.flush()
            except Exception:  # the thread must outlive a database that is away for a while
                log.exception("Writing the pages' notes failed")


def write_after_commit(request, work: Work) -> None:
    """Note something from a page that only reads: ``work(dbsession)`` is written shortly after
    the page's transaction commits, never when it aborts. A request that writes anyway (not
    GET/HEAD/OPTIONS), or whose caller gave it its session (tests, scripts), does the work at once
    in its own transaction."""
    if request.method not in SAFE_METHODS or request.environ.get("app.dbsession") is not None:
        work(request.dbsession)
        return
    writer = request.registry["note_writer"]
    request.tm.get().addAfterCommitHook(lambda committed: writer.add(work) if committed else None)


def notes_written(registry) -> None:
    """Before reading what notes record: this process's notes are in the database."""
    writer = registry.get("note_writer")
    if writer is not None:
        writer.flush()


def includeme(config):
    registry = config.registry
    registry["note_writer"] = NoteWriter(registry["dbsession_factory"], registry["db_engine"])
