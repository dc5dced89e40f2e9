"""Contracts of swappable components that hooks return, checked with ``verifyObject``."""
from zope.interface import Attribute, Interface


class INotificationChannel(Interface):
    """A way to reach a person: e-mail, SMS, a messenger bot.

    The core never calls a channel inside a request: ``core.outbox.enqueue`` writes a message to
    the outbox in the request's transaction and the worker calls ``deliver`` after commit.
    """

    name = Attribute("Short stable name used in outbox rows, e.g. 'email' or 'sms'.")

    def deliver(message, settings):
        """Send one outbox message (a ``core.outbox.OutboxMessage``).

        Raise an exception to have the worker retry later with backoff; return normally when the
        message has been handed to the transport.
        """


class ISearchBackend(Interface):
    """A full-text engine for the knowledge base (SQLite FTS5, PostgreSQL, or a plugin's).

    The backend owns its index tables and is called inside the caller's transaction, so an
    article and its index entry change together. Query text reaches it as words, never as the
    engine's query syntax.
    """

    name = Attribute("Short stable name, e.g. 'sqlite-fts5' or 'postgresql'.")

    def index(dbsession, documents):
        """Add or replace the entries of ``core.contracts.SearchDocument`` values."""

    def remove(dbsession, article_ids):
        """Drop the entries of these article ids (unknown ids are ignored)."""

    def search(dbsession, query):
        """Return ``core.contracts.SearchHit`` values for a ``SearchQuery``, best first."""
