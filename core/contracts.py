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

    ``key`` is stable and stored on tickets (``"category:12"``, ``"catalog:10061073000"``);
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


# --- Departments and the service catalog: what a department's plugin brings ------------------

@dataclass(frozen=True)
class TeamSpec:
    """A team of a department, at a tier (``core.models.Tier``: 1 front desk, 2 general support,
    3 specialists)."""

    name: str
    tier: int = 1


@dataclass(frozen=True)
class DepartmentSpec:
    """A department a plugin brings, with its teams.

    Created by ``code`` (and its teams by name) when the database is upgraded; rows that already
    exist are left as administrators edited them. ``parent`` is the code of the department above
    it, if that department exists.
    """

    code: str
    name: str
    parent: str | None = None
    teams: tuple[TeamSpec, ...] = ()


@dataclass(frozen=True)
class RoutingRule:
    """Send new tickets of ``department`` (a code) to its team named ``team`` when they ask for
    one of ``services`` (ticket service keys, e.g. ``CatalogService.key``) or their subject or
    description holds one of ``keywords`` (compared by ``core.normalize.spaceless_key``: letters,
    digits, half-spaces and spaces do not matter). A rule with neither
    catches every ticket of the department. Rules are tried in ``position`` order."""

    department: str
    team: str
    services: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    position: int = 100


@dataclass(frozen=True)
class SlaPolicySpec:
    """Response and resolution targets (business minutes) for a priority (1–4), for a
    ``department`` (code) and optionally one of its services (a ticket service key)."""

    department: str
    priority: int
    response_minutes: int
    resolution_minutes: int
    service: str | None = None


@dataclass(frozen=True)
class BusinessCalendarSpec:
    """A department's working week: ``hours`` maps a weekday (Monday 0 … Sunday 6) to its
    ``("08:00", "16:00")`` intervals; days left out are closed. Official holidays are added by
    the tickets plugin; ``holidays`` adds the department's own (``(date, name)`` pairs)."""

    department: str
    name: str
    hours: dict[int, tuple[tuple[str, str], ...]]
    holidays: tuple[tuple[object, str], ...] = ()


SERVICE_TYPES = ("G2C", "G2B", "G2G", "internal")
SERVICE_NATURES = ("sovereign", "operational")  # حاکمیتی / تصدی‌گری
SERVICE_LEVELS = ("national", "regional", "provincial", "city", "rural")
LIFE_EVENTS = ("birth", "education", "health", "tax", "business", "social_security", "property",
               "urban_facilities", "insurance", "marriage", "retirement", "certificates", "death",
               "employment", "other")
SERVICE_TRIGGERS = ("request", "date", "event", "agency", "other")
SERVICE_STAGES = ("information", "request", "processing", "delivery")
SERVICE_CHANNELS = ("website", "mobile_app", "sms", "ivr", "counter", "intranet", "in_person", "email", "mail")
APPROVERS = ("requester_manager", "service_owner", "department_head")


@dataclass(frozen=True)
class ServiceStage:
    """One stage of delivering a service (``SERVICE_STAGES``), the channels it uses
    (``SERVICE_CHANNELS``) and whether it is done electronically."""

    stage: str
    channels: tuple[str, ...] = ()
    electronic: bool = False


@dataclass(frozen=True)
class ApprovalStep:
    """An approval a request needs before fulfilment, in order: by the requester's manager (the
    manager of the requester's department), the service owner, or the department head
    (``APPROVERS``). ``username`` names the approver when the plugin knows them (the service
    owner on the identity card)."""

    approver: str
    title: str = ""
    username: str | None = None


@dataclass(frozen=True)
class FulfilmentTask:
    """A piece of work that fulfils a request, assigned to the service department's team named
    ``team``; the ticket is resolved when all its tasks are done."""

    title: str
    team: str


@dataclass(frozen=True)
class CatalogService:
    """A service of the catalog with its identity card (شناسنامه خدمت, DOMAIN §1.3).

    ``service_id`` is the 11-digit national service ID; ``department`` the providing department's
    code. ``duration_days`` (business days) is the average time to deliver, printed on the
    receipt as the promised date. ``form`` returns the request form's colander schema (its
    ``deform`` widgets included), or is ``None`` for the plain subject and description.
    Free texts are Persian data, shown as they are.
    """

    service_id: str
    department: str
    title: str
    description: str
    type: str = "G2C"
    audience: str = ""
    nature: str = "operational"
    levels: tuple[str, ...] = ()
    life_event: str = "other"
    process: str = ""
    sub_services: tuple[str, ...] = ()
    trigger: str = "request"
    required_documents: tuple[str, ...] = ()
    duration_days: int = 5
    yearly_volume: int | None = None
    once_for_ever: bool = False
    frequency: str = ""
    visits: int = 0
    cost_rials: int = 0
    payment_account: str = ""
    stages: tuple[ServiceStage, ...] = ()
    integrations: tuple[str, ...] = ()
    procedure: str = ""
    notes: str = ""
    owner: str = ""
    owner_username: str | None = None
    contact: str = ""
    sla: str = ""
    keywords: tuple[str, ...] = ()
    public: bool = True
    form: Callable | None = None
    approvals: tuple[ApprovalStep, ...] = ()
    tasks: tuple[FulfilmentTask, ...] = ()

    @property
    def key(self) -> str:
        """The ticket service key of this service (``TicketService.key``)."""
        return catalog_service_key(self.service_id)


def catalog_service_key(service_id: str) -> str:
    return f"catalog:{service_id}"


@dataclass(frozen=True)
class KnowledgeCategorySpec:
    """A knowledge-base category of ``department`` (a code): ``path`` from the top level down,
    e.g. ``("حساب کاربری", "گذرواژه")``."""

    department: str
    path: tuple[str, ...]


@dataclass(frozen=True)
class DemoRequest:
    """A kind of request the demo's requesters make of ``department`` (a code), asked by
    ``pishkhan demo load``. ``service`` is the 11-digit ID of the catalog service it asks for
    (``None``: about the department in general). ``subject`` and ``description`` are what a
    requester would type, in Persian; ``{slots}`` in them (``{building}``, ``{room}``, ``{system}``,
    ``{software}``, ``{course}``, ``{semester}``, ``{university}``, ``{for_whom}``, ``{month}``,
    ``{city}``, ``{hall}``, ``{event}``, ``{place}``, ``{loan}``, ``{bank}``, ``{student_id}``) are
    filled with a random plausible value, and any other ``{name}`` stays as written. ``type``,
    ``impact`` and ``urgency`` are those of ``NewTicket``; ``months`` (Gregorian month numbers)
    make a seasonal request frequent in those months and rare in the others. ``asked_by`` says who
    would ask it: ``"anyone"``, ``"students"`` or ``"staff"`` (employees and faculty); the demo
    gives a request of students to a student's account or a guest, never to an employee's."""

    department: str
    service: str | None
    subject: str
    description: str
    type: str = "incident"
    impact: str = "low"
    urgency: str = "medium"
    months: tuple[int, ...] = ()
    asked_by: str = "anyone"
