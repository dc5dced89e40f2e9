"""The active cards in brief, remembered per process, and which of them a reader sees.

Every ticket opened and every portal form asks for the services (``pishkhan_ticket_services``),
and the catalog page lists them all: one query reads every active card with its department, and
the copy serves for ``REMEMBER_SECONDS``. A flush that changes a card or a department drops this
process's copy at once, and again when that transaction ends (a rolled-back change must not
stay); other serving processes see a change within ``REMEMBER_SECONDS``.

A service is visible while it is active and its provider plugin is loaded, or it was created in
the workspace (no provider); internal (not public) services only to staff.
"""
from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from core.models import Department
from plugins.catalog.models import CatalogServiceRow

REMEMBER_SECONDS = 30
_CHANGED_KEY = "catalog.cards_changed"
CARDS_READ_KEY = "catalog.cards_read"  # cards a transaction read by service ID (``stored_card``)


@dataclass(frozen=True)
class Entry:
    service_id: str
    title: str
    department_id: int
    department_code: str
    department_name: str
    provider: str | None
    public: bool
    life_event: str
    sub_services: tuple[str, ...]
    duration_days: int
    description: str
    search_text: str


_generation = itertools.count()
_current = next(_generation)
_remembered: dict[str, tuple[int, float, tuple[Entry, ...]]] = {}


def active_entries(dbsession) -> tuple[Entry, ...]:
    """Every active card, by title (remembered per database)."""
    key = str(dbsession.get_bind().engine.url)
    cached = _remembered.get(key)
    now = time.monotonic()
    if cached is not None and cached[0] == _current and now - cached[1] < REMEMBER_SECONDS:
        return cached[2]
    generation = _current
    rows = dbsession.execute(
        select(CatalogServiceRow.service_id, CatalogServiceRow.title, CatalogServiceRow.department_id,
               Department.code, Department.name, CatalogServiceRow.provider, CatalogServiceRow.public,
               CatalogServiceRow.life_event, CatalogServiceRow.sub_services, CatalogServiceRow.duration_days,
               CatalogServiceRow.description, CatalogServiceRow.search_text)
        .join(Department, Department.id == CatalogServiceRow.department_id)
        .where(CatalogServiceRow.is_active.is_(True))
        .order_by(CatalogServiceRow.title, CatalogServiceRow.service_id))
    entries = tuple(Entry(*row[:8], tuple(row[8] or ()), *row[9:]) for row in rows)
    _remembered[key] = (generation, now, entries)
    return entries


def is_visible(provider: str | None, public: bool, loaded: frozenset[str], staff: bool) -> bool:
    return (provider is None or provider in loaded) and (public or staff)


def forget() -> None:
    global _current
    _current = next(_generation)


@event.listens_for(Session, "after_flush")
def _forget_changed(session, flush_context) -> None:
    if any(isinstance(obj, CatalogServiceRow | Department)
           for objects in (session.new, session.dirty, session.deleted) for obj in objects):
        session.info[_CHANGED_KEY] = True
        session.info.pop(CARDS_READ_KEY, None)
        forget()


@event.listens_for(Session, "after_transaction_end")
def _forget_after_changes(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(CARDS_READ_KEY, None)
        if session.info.pop(_CHANGED_KEY, False):
            forget()
