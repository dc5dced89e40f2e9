"""Small frozen values that hooks hand back to the core.

Hooks never return ORM rows or dicts of magic keys: they return these, so a plugin written
today keeps working when the core's tables change.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta


@dataclass(frozen=True)
class DatabaseRegistration:
    """A plugin's tables and its Alembic branch.

    ``models`` is the dotted name of the module defining the plugin's tables on ``core.db.Base``
    (imported before metadata is used); ``migrations`` is an asset spec or path of the folder
    holding the branch's revision files; ``branch`` is the Alembic branch label (the plugin name).
    """

    branch: str
    models: str
    migrations: str


@dataclass(frozen=True)
class NavigationItem:
    """A link in a layout's navigation bar.

    ``face`` is ``"portal"`` (requesters) or ``"workspace"`` (agents); ``route`` is a route name;
    ``permission`` is checked against the site root before the item is shown (``None``: everyone).
    Items are ordered by ``before``/``after`` names, then by ``name``.
    """

    name: str
    title: str
    route: str
    face: str = "workspace"
    permission: str | None = None
    icon: str = ""
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class DashboardWidget:
    """A card on the agent dashboard.

    ``render`` receives the request and returns safe HTML (a ``markupsafe.Markup``); it runs on
    every dashboard view, so it must be cheap: one or two indexed queries at most.
    """

    name: str
    title: str
    render: Callable
    permission: str | None = None
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class PortalSection:
    """A block of the portal's home page under its greeting (the knowledge base's search box).

    ``render`` receives the request and returns safe HTML (a ``markupsafe.Markup``). Visitors share
    the home page for a few seconds (``core.pagecache``), so a section must look the same to every
    visitor of a language: nothing about the person, one or two indexed queries at most.
    """

    name: str
    render: Callable
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class PeriodicJob:
    """Work the worker runs every ``interval`` seconds.

    ``run`` receives a ``core.worker.JobContext`` (a database session inside a transaction and the
    settings). Only one worker runs a given job at a time, even with several workers running.
    """

    name: str
    interval: int
    run: Callable
    description: str = ""


@dataclass(frozen=True)
class Identity:
    """Who is calling, as an identity plugin (LDAP, SSO, …) or the local accounts see it."""

    user_id: int
    username: str
    principals: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class TicketChannel:
    """A way a contact reaches the desk (walk-in, phone, portal, e-mail, API, or a plugin's).

    ``staff_only`` channels are offered to agents logging a contact, never to requesters.
    """

    name: str
    title: str
    icon: str = ""
    staff_only: bool = True


@dataclass(frozen=True)
class TicketService:
    """Something a requester can ask a department for: a catalog service or a category.

    ``key`` is stable and stored on tickets (``"category:12"``, ``"catalog:IT-004"``);
    ``promised_days`` (business days) gives the completion date printed on the receipt.
    """

    key: str
    title: str
    department_id: int
    promised_days: int = 5
    description: str = ""


@dataclass(frozen=True)
class SlaTargets:
    """Response and resolution targets in business time."""

    response: timedelta
    resolution: timedelta


@dataclass(frozen=True)
class TicketPanel:
    """A card on the agent's ticket page, added by a plugin (e.g. the knowledge base's).

    ``render`` receives the request and the ticket and returns safe HTML (``markupsafe.Markup``);
    it runs on every view of the ticket page, so one or two indexed queries at most.
    """

    name: str
    title: str
    render: Callable
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    """An answer offered to a requester before they file a request (deflection).

    ``snippet`` is safe HTML (a ``markupsafe.Markup``: escaped text with ``<mark>`` around the
    words that matched); ``url`` opens the answer; ``key`` is the answer's stable id.
    """

    key: str
    title: str
    url: str
    snippet: str = ""
    score: float = 0.0


# --- Knowledge search: what a search backend (``core.interfaces.ISearchBackend``) works on ----

@dataclass(frozen=True)
class SearchDocument:
    """One article as the search index sees it; texts are already ``normalize.search_key``-folded."""

    article_id: int
    title: str
    summary: str
    tags: str
    body: str
    audience: str
    department_id: int
    published: bool


@dataclass(frozen=True)
class SearchQuery:
    """What to look for: the requester's raw ``text`` (never engine syntax) and where to look.

    ``audiences`` limits the articles searched (``("public",)`` for requesters);
    ``department_ids`` of ``None`` means every department; ``synonyms`` are the administrator's
    groups, each a tuple of folded terms.
    """

    text: str
    audiences: tuple[str, ...] = ("public",)
    department_ids: tuple[int, ...] | None = None
    limit: int = 10
    synonyms: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class SearchHit:
    """A found article, best first; ``terms`` are the folded words that matched (for snippets)."""

    article_id: int
    score: float
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class OpenApiPart:
    """A plugin's share of the OpenAPI 3.1 document at ``/api/v1/openapi.json``.

    ``paths`` maps each of the plugin's API paths (as OpenAPI writes them: ``/api/v1/kb/articles/{id}``)
    to its path item; ``schemas`` adds to ``components.schemas`` (name them after the plugin, they
    share one namespace). Operations may refer to the core's schema ``Error`` and responses
    (``core.openapi.errors``). ``description`` is Markdown appended to the document's description.
    """

    paths: dict
    schemas: dict = field(default_factory=dict)
    description: str = ""
