"""The catalog as requesters and visitors see it (DOMAIN §1.4).

- ``/catalog``: every visible service, service ID and title, grouped by department or by life
  event (``?by=life_event``), sub-services folded under a "+", searchable (``?q=``) with the
  Persian normalizer (Arabic ي/ك, any digits, ZWNJ or not).
- ``/catalog/{service_id}``: the service's page: who it is for, documents, how to apply, working
  hours, average time, cost, steps, whom to ask, and the request button.
- ``/catalog/{service_id}/card``: the full identity card laid out as Annex 1 of the national
  form, printable.

A service that is unknown, inactive, of a plugin not loaded, or internal (to a visitor) is a 404.
Visitors share the pages for a few seconds (``core.pagecache``).
"""
from __future__ import annotations

from markupsafe import Markup
from pyramid.httpexceptions import HTTPNotFound
from pyramid.interfaces import IRoutesMapper
from pyramid.renderers import render
from pyramid.view import view_config
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.contracts import LIFE_EVENTS, SERVICE_STAGES, catalog_service_key
from core.i18n import _
from core.models import Department
from core.normalize import normalize_line
from core.pagecache import cached_for_visitors
from core.plugins import flatten
from plugins.catalog import labels
from plugins.catalog.cards import clean_service_id, e_level, is_service_id, matcher
from plugins.catalog.listing import Entry, active_entries, is_visible
from plugins.catalog.models import CatalogServiceRow
from plugins.catalog.ticket_hooks import specs_of

CATALOG_TEMPLATE = "plugins.catalog:templates/portal/catalog.jinja2"
SERVICE_TEMPLATE = "plugins.catalog:templates/portal/service.jinja2"
CARD_TEMPLATE = "plugins.catalog:templates/portal/card.jinja2"
GROUPS_TEMPLATE = "plugins.catalog:templates/portal/_groups.jinja2"
FRAGMENTS_KEY = "catalog.rendered_groups"
REQUEST_FORM_ROUTE = "tickets.portal.new"  # the tickets plugin's form, when it is installed
SHARED_SECONDS = 10
MAX_QUERY = 200
GROUPINGS = ("department", "life_event")
# The Iranian week, Saturday first; weekday numbers as ``BusinessCalendarSpec`` gives them.
WEEK = (5, 6, 0, 1, 2, 3, 4)
WEEKDAY_LABELS = {5: _("Saturday"), 6: _("Sunday"), 0: _("Monday"), 1: _("Tuesday"), 2: _("Wednesday"),
                  3: _("Thursday"), 4: _("Friday")}


def is_staff(request) -> bool:
    return request.user is not None and request.has_permission("workspace")


def readers_view(request) -> tuple[frozenset[str], bool]:
    """What decides which services the reader sees: the loaded plugins, and being staff."""
    return specs_of(request.registry.pluginmanager).loaded_plugins(), is_staff(request)


def readers_entries(request, view: tuple[frozenset[str], bool]) -> list[Entry]:
    loaded, staff = view
    return [entry for entry in active_entries(request.dbsession)
            if is_visible(entry.provider, entry.public, loaded, staff)]


# --- the catalog ---------------------------------------------------------------------------------

@view_config(route_name="catalog.home", renderer=CATALOG_TEMPLATE, permission="view",
             decorator=cached_for_visitors(SHARED_SECONDS))
def catalog_page(request):
    typed = normalize_line(request.GET.get("q", ""))[:MAX_QUERY]
    grouping = request.GET.get("by", "department")
    if grouping not in GROUPINGS:
        grouping = "department"
    view = readers_view(request)
    entries = readers_entries(request, view)
    if typed:
        found = matcher(typed)
        entries = [entry for entry in entries if found(entry.search_text)]
        html = render_groups(request, entries, grouping)
    else:
        html = whole_catalog(request, view, entries, grouping)
    return {"text": typed, "grouping": grouping, "groups_html": html, "found": len(entries)}


def render_groups(request, entries: list[Entry], grouping: str) -> Markup:
    return Markup(render(GROUPS_TEMPLATE, {"groups": grouped(entries, grouping),
                                           "base": request.route_path("catalog.home")}, request=request))


def whole_catalog(request, view: tuple[frozenset[str], bool], entries: list[Entry], grouping: str) -> Markup:
    """The groups of every service the reader sees, rendered once for each list of cards (the
    listing's copy), reader's view, grouping and language, then kept in the app's registry:
    500 services take a dozen milliseconds to render."""
    kept = request.registry.setdefault(FRAGMENTS_KEY, {})
    key = (request.script_name, request.locale_name, grouping, view)
    source = active_entries(request.dbsession)
    found = kept.get(key)
    if found is None or found[0] is not source:
        found = kept[key] = (source, render_groups(request, entries, grouping))
    return found[1]


def grouped(entries: list[Entry], grouping: str) -> list[tuple[str, list[Entry]]]:
    """``(heading, services)`` pairs: departments by name, or life events in the form's order."""
    groups: dict[str, list[Entry]] = {}
    if grouping == "life_event":
        for entry in entries:
            groups.setdefault(entry.life_event, []).append(entry)
        return [(labels.LIFE_EVENT_LABELS[event], groups[event]) for event in LIFE_EVENTS if event in groups]
    for entry in entries:
        groups.setdefault(entry.department_name, []).append(entry)
    return sorted(groups.items())


# --- one service ---------------------------------------------------------------------------------

def visible_card(request) -> CatalogServiceRow:
    service_id = clean_service_id(request.matchdict["service_id"])
    visible = readers_entries(request, readers_view(request))
    if not is_service_id(service_id) or not any(entry.service_id == service_id for entry in visible):
        raise HTTPNotFound()
    return request.dbsession.scalar(
        select(CatalogServiceRow).where(CatalogServiceRow.service_id == service_id)
        .options(joinedload(CatalogServiceRow.department).joinedload(Department.parent),
                 joinedload(CatalogServiceRow.edited_by)))


def request_form_url(request, card: CatalogServiceRow) -> str | None:
    if request.registry.getUtility(IRoutesMapper).get_route(REQUEST_FORM_ROUTE) is None:
        return None
    return request.route_url(REQUEST_FORM_ROUTE, _query={"service": catalog_service_key(card.service_id)})


def stages_by_name(card: CatalogServiceRow) -> dict[str, dict]:
    return {stage["stage"]: stage for stage in card.stages if stage.get("stage") in SERVICE_STAGES}


def working_hours(request, department: Department) -> list[tuple[list, tuple[str, ...]]]:
    """The department's week from its plugin's ``BusinessCalendarSpec``: ``(days, intervals)``
    rows, days with the same hours together; empty when no loaded plugin says."""
    specs = flatten(request.registry.pluginmanager.hook.pishkhan_business_calendars())
    spec = next((spec for spec in specs if spec.department == department.code), None)
    if spec is None:
        return []
    rows: list[tuple[list, tuple[str, ...]]] = []
    for day in WEEK:
        hours = tuple(f"{start}–{end}" for start, end in spec.hours.get(day, ()))
        if not hours:
            continue
        if rows and rows[-1][1] == hours and WEEK.index(day) == WEEK.index(rows[-1][0][-1]) + 1:
            rows[-1][0].append(day)
        else:
            rows.append(([day], hours))
    return [([WEEKDAY_LABELS[day] for day in days], hours) for days, hours in rows]


def card_page(request, card: CatalogServiceRow) -> dict:
    return {
        "card": card,
        "labels": labels,
        "stages": stages_by_name(card),
        "stage_names": SERVICE_STAGES,
        "e_level": e_level(card.stages),
        "request_url": request_form_url(request, card),
    }


@view_config(route_name="catalog.service", renderer=SERVICE_TEMPLATE, permission="view",
             decorator=cached_for_visitors(SHARED_SECONDS))
def service_page(request):
    card = visible_card(request)
    return {**card_page(request, card), "hours": working_hours(request, card.department)}


@view_config(route_name="catalog.card", renderer=CARD_TEMPLATE, permission="view",
             decorator=cached_for_visitors(SHARED_SECONDS))
def identity_card_page(request):
    return card_page(request, visible_card(request))
