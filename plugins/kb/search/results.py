"""Result lists of public searches, remembered a few seconds per process.

Requesters ask the same popular questions again and again (and the request form asks at every
pause in typing), so the hits of a public search (its articles, scores and marked words) are kept
for identical text, department scope, limit and synonyms in the same database, with the snippets
made for them (reused only while the article keeps its version). Internal searches are never
remembered.

How fresh: a change of the index in this process (``changed``) forgets everything at once, and a
session that changed the index neither reads nor fills the cache until its transaction ends
(when everything is forgotten again: it may have been rolled back). Another process's change
counts after at most ``seconds`` (30 at most; ``PISHKHAN_KB_RESULT_CACHE_SECONDS=0`` turns the
cache off). The articles are always read again, so an article unpublished or made internal since
drops out at once whatever the cache holds.
"""
from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from sqlalchemy import event

from core.contracts import SearchHit, SearchQuery

MAX_SECONDS = 30.0
ENTRIES = 2_000
PUBLIC = ("public",)
CHANGED = "kb.search.index_changed"
LISTENING = "kb.search.listening"


def configured_seconds() -> float:
    try:
        seconds = float(os.environ.get("PISHKHAN_KB_RESULT_CACHE_SECONDS", MAX_SECONDS))
    except ValueError:
        seconds = MAX_SECONDS
    return max(0.0, min(seconds, MAX_SECONDS))


@dataclass
class Entry:
    at: float
    generation: int
    hits: list[SearchHit]
    marked: dict = field(default_factory=dict)  # article id → (version, snippet, title)


class ResultCache:
    def __init__(self, seconds: float, entries: int = ENTRIES):
        self.seconds = seconds
        self.entries = entries
        self.generation = 0
        self._lock = threading.Lock()
        self._remembered: OrderedDict[tuple, Entry] = OrderedDict()

    def key(self, dbsession, query: SearchQuery) -> tuple | None:
        """The key of a query that may be remembered, or ``None``."""
        if not self.seconds or tuple(query.audiences) != PUBLIC or dbsession.info.get(CHANGED):
            return None
        bind = dbsession.get_bind()
        return (str(getattr(bind, "engine", bind).url), query.text, query.department_ids, query.limit, query.synonyms)

    def get(self, key: tuple) -> Entry | None:
        with self._lock:
            entry = self._remembered.get(key)
            if entry is None:
                return None
            if entry.generation != self.generation or time.monotonic() - entry.at > self.seconds:
                del self._remembered[key]
                return None
            self._remembered.move_to_end(key)
            return entry

    def put(self, key: tuple, generation: int, hits: list[SearchHit]) -> Entry:
        entry = Entry(time.monotonic(), generation, hits)
        with self._lock:
            if generation == self.generation:
                self._remembered[key] = entry
                while len(self._remembered) > self.entries:
                    self._remembered.popitem(last=False)
        return entry

    def forget(self) -> None:
        with self._lock:
            self.generation += 1
            self._remembered.clear()

    def changed(self, dbsession) -> None:
        """``dbsession`` is changing the index: forget now and again when its transaction ends."""
        self.forget()
        dbsession.info[CHANGED] = True
        if not dbsession.info.get(LISTENING):
            dbsession.info[LISTENING] = True
            event.listen(dbsession, "after_transaction_end", self._transaction_ended)

    def _transaction_ended(self, dbsession, transaction) -> None:
        if transaction.parent is None and dbsession.info.pop(CHANGED, None):  # committed or rolled back
            self.forget()


results = ResultCache(configured_seconds())
