"""Every cross-plugin contract of Pishkhan, in one file.

Each hook says what it returns, whether ``None`` means "no opinion", whether it is
``firstresult`` and whether it runs inside the request's transaction. Hooks are never renamed and
never lose an argument: a new hook is added and the old one deprecated. ``docs/plugins.md``
documents every hook here (a test checks it).

Implementations are marked with ``core.hookimpl``.
"""
from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("pishkhan")


# --- Plugin manager -------------------------------------------------------------------------

@hookspec(historic=True)
def pishkhan_addhooks(pluginmanager):
    """Add hook specifications of a plugin that wants sub-plugins.

    Call ``pluginmanager.add_hookspecs(module)``. Historic: plugins registered later see it too.
    Returns nothing. Runs at start-up, outside any transaction.
    """


# --- Start-up -------------------------------------------------------------------------------

@hookspec
def pishkhan_settings_defaults():
    """Return a ``dict`` of default settings (string keys, string values) for this plugin.

    Keys are namespaced by plugin (``"tickets.close_after_days"``). Values from the INI win over
    defaults. Return ``None`` for no defaults. Runs once at start-up, before configuration.
    """


@hookspec
def pishkhan_configure(config):
    """Add the plugin's web parts to the Pyramid ``config``.

    Call ``config.include("plugins.<name>.web", route_prefix=...)``; the included ``includeme``
    adds routes (named ``<plugin>.<name>``), views, static and translation directories.
    Returns nothing. Runs once at start-up, outside any transaction.
    """


@hookspec
def pishkhan_db_registrations():
    """Return a ``core.contracts.DatabaseRegistration`` (or a list of them), or ``None``.

    Declares the module holding the plugin's tables (prefixed with the plugin's name) and the
    folder of its Alembic branch. ``pishkhan db upgrade`` upgrades every registered branch
    (the core's first, then the plugins' by name, each with its own version table). Runs at
    start-up and in the command-line tools, outside any transaction.
    """


@hookspec
def pishkhan_populate(dbsession, settings, demo, pluginmanager):
    """Add the plugin's data to a freshly migrated database.

    ``demo`` is ``True`` for ``pishkhan demo load`` (realistic Persian demo data) and ``False``
    for seed data every installation needs. Must be idempotent: running it twice adds nothing.
    ``pluginmanager`` is there for plugins that ask their own sub-plugins (the knowledge base its
    search engine). Runs inside the command's transaction; returns nothing. Core populates first:
    the departments and teams of ``pishkhan_departments`` exist, and with ``demo`` the users of
    the core demo organization.
    """


# --- Identity and permissions ---------------------------------------------------------------

@hookspec(firstresult=True)
def pishkhan_authenticate(dbsession, login, password, settings):
    """Check a login and password against an outside directory (LDAP, Active Directory, …).

    Return the local ``core.models.User`` to log in (create or update it from the directory),
    ``False`` to refuse outright, or ``None`` for no opinion, in which case the local password
    is checked. ``firstresult``. Runs inside the login request's transaction.
    """


@hookspec(firstresult=True)
def pishkhan_identify(request):
    """Identify the caller by other means than the session cookie or API token (an SSO header).

    Return a ``core.contracts.Identity`` or ``None`` for no opinion (the session cookie and then
    the API token are tried). ``firstresult``. Runs inside the request's transaction.
    """


@hookspec
def pishkhan_principals(request, user):
    """Return extra principals (a list of strings) for ``user``, or ``None``.

    The core already grants ``user:<id>``, ``role:<role>``, ``department:<id>`` for the user's
    department and its sub-departments, and ``team:<id>`` for each team. A plugin may add group
    or grant principals (``department:<id>`` to see another department). Runs inside the
    request's transaction, once per request.
    """


# --- User interface -------------------------------------------------------------------------

@hookspec
def pishkhan_serves_every_department(dbsession, user):
    """Return ``True`` when the staff member ``user`` works for every department (the shared
    service center's agents), or ``None`` for no opinion.

    Asked when someone is assigned a ticket outside their own departments and teams (by another
    agent, or by themselves at the front desk). The pages they see follow their principals
    (``pishkhan_principals``); this hook answers the same question for a person who is not the
    caller. Runs inside the transaction.
    """


@hookspec
def pishkhan_navigation_items(request):
    """Return a list of ``core.contracts.NavigationItem`` for the layouts, or ``None``.

    Called once per rendered page; keep it free of queries. Items whose ``permission`` the
    caller lacks are hidden. Order comes from ``before``/``after``, not registration order.
    """


@hookspec
def pishkhan_portal_home_sections(request):
    """Return a list of ``core.contracts.PortalSection`` for the portal's home page, or ``None``.

    Rendered in ``before``/``after`` order under the greeting. The page is kept for visitors for
    a few seconds and shown to all of them, so a section renders the same for every visitor of a
    language (nothing personal). Runs inside the request's transaction when the page is rendered.
    """


@hookspec
def pishkhan_dashboard_widgets(request):
    """Return a list of ``core.contracts.DashboardWidget`` for the agent dashboard, or ``None``.

    Runs inside the request's transaction when the dashboard is shown.
    """


@hookspec
def pishkhan_ticket_panels(request, ticket):
    """Return ``core.contracts.TicketPanel`` values for the agent's page of ``ticket``, or ``None``.

    The viewer may read ``ticket`` (checked before the hook runs). Order comes from
    ``before``/``after``. Runs inside the request's transaction on every view of the page.
    """


@hookspec
def pishkhan_deflection_suggestions(request, text, department_id, limit):
    """Return ``core.contracts.Suggestion`` values answering ``text``, best first, or ``None``.

    Called while a requester types a new request on the portal (``department_id`` is the chosen
    department or ``None``), so it must answer within a few milliseconds; the caller shows at most
    ``limit`` of all answers, by ``score``. Only answers the requester may read.
    """


# --- JSON API and command line ---------------------------------------------------------------

@hookspec
def pishkhan_openapi(request):
    """Return the plugin's ``core.contracts.OpenApiPart`` of the API document, or ``None``.

    Called each time ``/api/v1/openapi.json`` is served, so request bodies can be described from
    schemas bound to ``request``. A path or schema name given by two plugins is an error.
    Runs inside the request's transaction; keep it free of writes.
    """


@hookspec
def pishkhan_cli_commands(subparsers):
    """Add the plugin's commands to the ``pishkhan`` command line.

    ``subparsers`` is the ``argparse`` action of the top-level groups: add one group named after
    the plugin (``subparsers.add_parser("kb")``) with its commands. Each command takes the INI file
    as its first argument (``config_uri``) and sets ``func``, which is called with a
    ``core.cli.Environment`` (settings, plugin manager, engine, sessions) and the parsed
    arguments and returns the exit status. The parser is built before the INI is read, so every
    installed plugin is asked; a command of a plugin the INI does not enable refuses to run.
    Returns nothing; outside any transaction.
    """


# --- Background work and notifications ------------------------------------------------------

@hookspec
def pishkhan_periodic_jobs(settings):
    """Return a list of ``core.contracts.PeriodicJob`` for ``pishkhan worker``, or ``None``.

    Called once when the worker starts. Each job runs in its own transaction.
    """


@hookspec
def pishkhan_notification_channels(settings):
    """Return a list of objects providing ``core.interfaces.INotificationChannel``, or ``None``.

    A channel's ``name`` is used by ``core.outbox.enqueue(dbsession, channel=...)``. Called by the
    worker at start-up; delivery happens after commit, never in a request.
    """


# --- Departments and the service catalog (a department's plugin answers these) -------------
# Each returns a list (or one value, or ``None``); they are asked when the database is upgraded
# or read at start-up, outside any request, so they return plain data and touch no database.

@hookspec
def pishkhan_departments():
    """Return the ``core.contracts.DepartmentSpec`` values (with their teams) the plugin brings.

    ``pishkhan db upgrade`` creates the departments that do not exist yet (by code, parents
    first) and the teams missing from them (by name); it never renames or removes anything, so
    administrators' edits stay. Plain data; no database access.
    """


@hookspec
def pishkhan_routing_rules():
    """Return ``core.contracts.RoutingRule`` values: which team of a department receives a new
    ticket, by service or keyword.

    The tickets plugin tries every plugin's rules for the ticket's department in ``position``
    order before its own default (the department's lowest-tier team). Read at start-up; plain data.
    """


@hookspec
def pishkhan_sla_policies():
    """Return ``core.contracts.SlaPolicySpec`` values: a department's (or one of its services')
    response and resolution targets per priority.

    Written as SLA policy rows when the database is upgraded, unless a row for the same
    department, service and priority exists (administrators edit them afterwards). Plain data.
    """


@hookspec
def pishkhan_business_calendars():
    """Return ``core.contracts.BusinessCalendarSpec`` values: a department's working week.

    The department's calendar is created when the database is upgraded if it has none, with
    Iran's official holidays added; administrators edit it afterwards. Plain data.
    """


@hookspec
def pishkhan_catalog_services():
    """Return the ``core.contracts.CatalogService`` values (identity cards) the plugin provides.

    The catalog stores each card when the database is upgraded (a card administrators have edited
    keeps their edits) and shows a service only while the plugin that provides it is enabled;
    tickets of a service whose plugin is gone stay as they are. Read at start-up; plain data
    (``form`` builds the request form's schema when called).
    """


@hookspec(firstresult=True)
def pishkhan_request_form(request, service_key):
    """Return the colander schema (a ``colander.SchemaNode``, not yet bound) of the request form
    for the ticket service ``service_key``, or ``None`` for no opinion.

    ``firstresult``: the catalog's default (trylast) builds the form its identity card declares.
    The tickets plugin renders it with deform under the subject and description, validates the
    submission against it (fields not in the schema are refused), and stores the values with the
    ticket. Runs inside the request's transaction.
    """


@hookspec
def pishkhan_ticket_approvals(dbsession, ticket):
    """Return the ``core.contracts.ApprovalStep`` values a new ``ticket`` needs before it is
    fulfilled, in order, or ``None``.

    The tickets plugin asks once, when the ticket is created, and keeps the ticket pending
    (reason: approval) until every step is approved; a rejection closes the request. Runs inside
    the transaction.
    """


@hookspec
def pishkhan_ticket_fulfilment(dbsession, ticket):
    """Return the ``core.contracts.FulfilmentTask`` values that fulfil ``ticket``, or ``None``.

    Asked when the ticket has been approved (or at once when it needs no approval); the tasks
    are created for the named teams of the ticket's department, and the ticket is resolved when
    the last one is done. Runs inside the transaction.
    """


@hookspec(firstresult=True)
def pishkhan_service_unit_cost(dbsession, service_key, department_id):
    """Return the cost in rials (an ``int``) of handling one request for the ticket service
    ``service_key`` in department ``department_id``, or ``None`` for no opinion.

    ``firstresult``: the shared service center's default (trylast) uses the unit costs its
    administrators set. Showback multiplies it by the number of requests. Inside the transaction.
    """


@hookspec
def pishkhan_knowledge_categories():
    """Return ``core.contracts.KnowledgeCategorySpec`` values: a department's knowledge-base
    categories, created (by path) when the database is upgraded. Plain data.
    """


@hookspec
def pishkhan_demo_articles():
    """Return paths of JSON-lines files of demo articles in the knowledge base's import format
    (``pishkhan kb import``), loaded by ``pishkhan demo load``. Plain data.
    """


@hookspec
def pishkhan_demo_requests():
    """Return ``core.contracts.DemoRequest`` values: the kinds of request the demo's requesters
    make of a department, which ``pishkhan demo load`` turns into its year of tickets. Plain data.
    """


# --- Tickets (implemented by plugins/tickets; any plugin may extend them) ------------------

@hookspec
def pishkhan_ticket_channels():
    """Return ``core.contracts.TicketChannel`` values (a list or one), or ``None``.

    Adds intake channels beyond the built-in walk-in, phone, portal, e-mail and API (for example
    سامد/111 or a messenger bot). Called at start-up; the names are stored on tickets.
    """


@hookspec
def pishkhan_ticket_services(dbsession, department_id):
    """Return the ``core.contracts.TicketService`` values requesters may ask ``department_id``
    for (``None`` for every department), or ``None``.

    A catalog plugin answers with its services; the tickets plugin answers with its categories.
    Runs inside the request's transaction; keep it to one indexed query.
    """


@hookspec(firstresult=True)
def pishkhan_ticket_route(dbsession, ticket):
    """Choose the team a new ``ticket`` (not yet flushed) goes to: return a team id, or ``None``
    for no opinion.

    ``firstresult``, for routing that needs code (a load balancer, an on-call rota). With no
    answer the tickets plugin applies the ``pishkhan_routing_rules`` of the ticket's department,
    then picks the department's lowest-tier team. Runs inside the transaction.
    """


@hookspec(firstresult=True)
def pishkhan_ticket_sla_policy(dbsession, ticket, settings):
    """Return ``core.contracts.SlaTargets`` for ``ticket``, or ``None`` for no opinion.

    ``firstresult``: the tickets plugin's default (trylast) uses the most specific SLA policy row
    (service, department, organization), then the ``tickets.sla.p1``… settings. Called when the
    ticket is created and when its priority or service changes. Runs inside the transaction.
    """


@hookspec
def pishkhan_ticket_validate(dbsession, ticket):
    """Check a new ``ticket`` (not yet flushed) before it is saved.

    Return a list of translatable messages (``TranslationString``) explaining what is wrong, or
    ``None`` when there is nothing to say. Any message refuses the ticket with that message shown
    to the person submitting it; nothing is saved. Runs inside the transaction.
    """


@hookspec
def pishkhan_ticket_event(dbsession, settings, ticket, event):
    """React to a ticket's lifecycle event after it is recorded in the ticket's history.

    ``event`` is a ``plugins.tickets.models.TicketEvent`` row; ``event.kind`` is one of
    ``created``, ``updated``, ``transitioned``, ``assigned``, ``commented``, ``escalated``,
    ``sla_warning``, ``sla_breach``, ``resolved``, ``closed``, ``rated``, ``linked``, ``merged``,
    ``transferred`` (to another department), ``approval_requested``, ``approval_reminded``,
    ``approval_approved``, ``approval_rejected``, ``tasks_created``, ``task_done``;
    ``event.data`` holds the details (for ``transitioned``: ``action``, ``from``, ``to``; for
    ``transferred``: ``from_department``, ``to_department``, ``reason``; for ``approval_*``:
    ``approval``, ``title``, ``approver_kind``, ``comment``; docs/plugins.md lists them all).
    Runs inside the transaction that made the change: write side effects to the outbox
    (``core.outbox.enqueue``) so they happen only if it commits. Returns nothing.
    """


@hookspec
def pishkhan_ticket_submitted(request, ticket):
    """A requester has just submitted ``ticket`` (flushed, with its tracking code) on the portal.

    For plugins that follow a portal visit, e.g. the knowledge base's self-service trail, which
    ties the ticket to what the visitor read before. Runs inside the submission's transaction;
    returns nothing.
    """
