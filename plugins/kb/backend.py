"""Which search engine indexes the articles: asked once of ``pishkhan_kb_search_backend``."""
from __future__ import annotations

from pyramid.exceptions import ConfigurationError
from sqlalchemy.engine import make_url
from zope.interface.verify import verifyObject

from core.interfaces import ISearchBackend

REGISTRY_KEY = "kb.search_backend"


def search_backend(pluginmanager, settings: dict) -> ISearchBackend:
    """The backend for the configured database (the CLI and the worker call this directly)."""
    dialect = make_url(settings["sqlalchemy.url"]).get_backend_name()
    backend = pluginmanager.hook.pishkhan_kb_search_backend(settings=settings, dialect=dialect)
    if backend is None:
        raise ConfigurationError(f"No knowledge-base search backend for the {dialect!r} database.")
    verifyObject(ISearchBackend, backend)
    return backend


def request_backend(request) -> ISearchBackend:
    """The backend chosen at start-up (see ``plugins.kb.pishkhan_configure``)."""
    return request.registry[REGISTRY_KEY]
