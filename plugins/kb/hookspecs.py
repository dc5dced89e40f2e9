"""Hooks the knowledge base offers its own sub-plugins: search engines.

Added to the plugin manager through ``pishkhan_addhooks`` when the kb plugin is enabled.
"""
import pluggy

hookspec = pluggy.HookspecMarker("pishkhan")


@hookspec(firstresult=True)
def pishkhan_kb_search_backend(settings, dialect):
    """Return the ``core.interfaces.ISearchBackend`` to index and search articles, or ``None``.

    ``dialect`` is the SQLAlchemy dialect name of the database (``"sqlite"``, ``"postgresql"``).
    ``firstresult``: the kb plugin's defaults (``trylast``) are SQLite FTS5 and PostgreSQL full
    text with pg_trgm; a plugin can bring another engine. Called once at start-up.
    """
