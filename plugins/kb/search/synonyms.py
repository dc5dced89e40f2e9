"""The administrator's synonym groups (``kb_synonym_groups``), folded for matching.

Read once per process and read again as soon as the table changes: each search asks the table
for a cheap signature (rows, last id, last change, total length), so an edit counts at once.
"""
from __future__ import annotations

import re
import threading

from sqlalchemy import func, select

from plugins.kb.models import SynonymGroup
from plugins.kb.search.words import index_text

# One synonym per line; commas and «↔» between synonyms are accepted too.
_SEPARATORS = re.compile(r"[\n\r,،؛;↔]+")

SIGNATURE = select(  # built once: every search asks it
    func.count(SynonymGroup.id), func.max(SynonymGroup.id), func.max(SynonymGroup.updated_at),
    func.sum(func.length(SynonymGroup.terms)),
)

_lock = threading.Lock()
_remembered: dict[str, tuple[tuple, tuple[tuple[str, ...], ...]]] = {}


def folded_terms(terms: str) -> tuple[str, ...]:
    """The distinct synonyms of a group as typed by the administrator, folded."""
    folded = (index_text(term) for term in _SEPARATORS.split(terms or ""))
    return tuple(dict.fromkeys(term for term in folded if term))


def synonym_groups(dbsession) -> tuple[tuple[str, ...], ...]:
    """Every group of two synonyms or more, each a tuple of folded terms."""
    signature = tuple(dbsession.execute(SIGNATURE).one())
    bind = dbsession.get_bind()
    key = str(getattr(bind, "engine", bind).url)
    remembered = _remembered.get(key)
    if remembered is not None and remembered[0] == signature:
        return remembered[1]
    groups = tuple(group for group in (folded_terms(terms) for terms in dbsession.scalars(
        select(SynonymGroup.terms).order_by(SynonymGroup.id))) if len(group) > 1)
    with _lock:
        _remembered[key] = (signature, groups)
    return groups
