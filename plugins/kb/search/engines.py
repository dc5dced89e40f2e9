"""The built-in engines, one per database: the kb plugin's default ``pishkhan_kb_search_backend``.
(``plugins.kb.backend`` asks the hook once per application or CLI command.)"""
from __future__ import annotations

from core.interfaces import ISearchBackend


def default_backend(dialect: str) -> ISearchBackend | None:
    """SQLite FTS5 or PostgreSQL full text; ``None`` for another database."""
    if dialect == "sqlite":
        from plugins.kb.search.sqlite_fts import SqliteFtsBackend

        return SqliteFtsBackend()
    if dialect == "postgresql":
        from plugins.kb.search.postgresql import PostgresqlBackend

        return PostgresqlBackend()
    return None
