"""The catalog's JSON API under ``/api/v1/catalog`` (described by ``plugins.catalog.openapi``).

Public data: no token needed. Only public services of loaded plugins (or created in the
workspace) that are active are listed; any other ID is a 404. The approvals, fulfilment tasks
and the owner's username stay inside: they are how the desk works, not the card.
"""
from __future__ import annotations

from datetime import UTC, datetime

from pyramid.view import view_config
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from core import api as core_api
from core.api import ApiError, not_found
from core.contracts import catalog_service_key
from core.i18n import _
from core.models import Department
from core.normalize import normalize_line
from core.views.errors import api_localizer
from plugins.catalog.cards import clean_service_id, e_level, is_service_id, matcher
from plugins.catalog.listing import active_entries, is_visible
from plugins.catalog.models import CatalogServiceRow
from plugins.catalog.ticket_hooks import specs_of

LIST_PARAMS = ("department", "q")
MAX_QUERY = 200
METHODS = {"catalog.api.services": "GET", "catalog.api.service": "GET"}
KEPT_KEY = "catalog.api_services"
CARD_FIELDS = (
    "title", "description", "type", "audience", "nature", "levels", "life_event", "process", "sub_services",
    "trigger", "required_documents", "duration_days", "yearly_volume", "once_for_ever", "frequency", "visits",
    "cost_rials", "payment_account", "stages", "integrations", "procedure", "notes", "owner", "contact", "sla",
    "keywords",
)

method_not_allowed = core_api.method_not_allowed(METHODS)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def service_json(card: CatalogServiceRow, catalog_url: str) -> dict:
    """The card as the API gives it; ``catalog_url`` is the catalog page's URL, the service's
    page and card are under it."""
    return {
        "service_id": card.service_id,
        "key": catalog_service_key(card.service_id),
        "url": f"{catalog_url}/{card.service_id}",
        "card_url": f"{catalog_url}/{card.service_id}/card",
        "department": {"code": card.department.code, "name": card.department.name},
        **{name: getattr(card, name) for name in CARD_FIELDS},
        "e_level": e_level(card.stages),
        "updated_at": iso(card.updated_at),
    }


def public_cards(request):
    """Active public cards with their departments, for a ``where`` to narrow."""
    return (select(CatalogServiceRow).join(CatalogServiceRow.department)
            .options(contains_eager(CatalogServiceRow.department))
            .where(CatalogServiceRow.is_active.is_(True), CatalogServiceRow.public.is_(True)))


def invalid_input(request, fields: dict) -> ApiError:
    translate = api_localizer(request).translate
    return ApiError(400, "invalid_input", _("Some fields are not valid."), next(iter(fields)),
                    fields={name: translate(message) for name, message in fields.items()})


@view_config(route_name="catalog.api.services", request_method="GET", renderer="json", require_csrf=False)
def list_services(request):
    unknown = [name for name in request.GET if name not in LIST_PARAMS]
    if unknown:
        raise invalid_input(request, {name: _("Unknown field.") for name in unknown})
    entries = active_entries(request.dbsession)
    code = request.GET.get("department", "").strip()
    if code and not any(entry.department_code == code for entry in entries) and request.dbsession.scalar(
            select(Department.id).where(Department.code == code)) is None:
        raise invalid_input(request, {"department": _("There is no department with this code.")})
    text = normalize_line(request.GET.get("q", ""))[:MAX_QUERY]
    found = matcher(text)
    loaded = specs_of(request.registry.pluginmanager).loaded_plugins()
    chosen = sorted((entry for entry in entries
                     if is_visible(entry.provider, entry.public, loaded, staff=False)
                     and (not code or entry.department_code == code) and (not text or found(entry.search_text))),
                    key=lambda entry: (entry.department_name, entry.service_id))
    services = every_service_json(request, entries)
    return {"services": [services[entry.service_id] for entry in chosen if entry.service_id in services]}


def every_service_json(request, entries: tuple) -> dict[str, dict]:
    """Every active public card as the API gives it, by service ID, made once for each list of
    cards (``listing.active_entries``: a change of a card makes a new one) and site address,
    then kept in the app's registry: 500 cards take tens of milliseconds to read and convert."""
    catalog_url = request.route_url("catalog.home")
    kept = request.registry.setdefault(KEPT_KEY, {})
    found = kept.get(catalog_url)
    if found is None or found[0] is not entries:
        cards = request.dbsession.scalars(public_cards(request))
        found = kept[catalog_url] = (entries, {card.service_id: service_json(card, catalog_url) for card in cards})
    return found[1]


@view_config(route_name="catalog.api.service", request_method="GET", renderer="json", require_csrf=False)
def get_service(request):
    service_id = clean_service_id(request.matchdict["service_id"])
    if not is_service_id(service_id):
        raise not_found()
    card = request.dbsession.scalar(public_cards(request).where(CatalogServiceRow.service_id == service_id))
    loaded = specs_of(request.registry.pluginmanager).loaded_plugins()
    if card is None or not is_visible(card.provider, True, loaded, staff=False):
        raise not_found()
    return service_json(card, request.route_url("catalog.home"))
