"""The synonym list the search engine expands queries with: one ``SynonymGroup`` per group, its
terms normalized, one per line."""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.db import utcnow
from plugins.kb.models import SynonymGroup


def groups(dbsession: Session) -> list[list[str]]:
    return [[term for term in group.terms.split("\n") if term]
            for group in dbsession.scalars(select(SynonymGroup).order_by(SynonymGroup.id))]


def replace_all(dbsession: Session, new_groups: list[list[str]]) -> None:
    """The list becomes ``new_groups`` (each already normalized, as ``parse_synonym_groups`` gives)."""
    dbsession.execute(delete(SynonymGroup))
    now = utcnow()
    dbsession.add_all(SynonymGroup(terms="\n".join(group), updated_at=now) for group in new_groups)
    dbsession.flush()
