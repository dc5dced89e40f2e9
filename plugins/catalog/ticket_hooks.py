"""The catalog's answers to the tickets plugin: services, request forms, approvals, fulfilment.

These hooks are asked with a database session (or a request) but not the plugin manager, and
which services are offered depends on the plugins loaded in it. So they are methods of one
``CatalogTicketHooks`` per plugin manager, registered beside the catalog module when it is
(``plugins.catalog.pishkhan_addhooks``), holding that manager's ``ServiceSpecs``.

A ticket is read by duck typing (``service_key``, ``department_id``): the catalog never imports
the tickets plugin.
"""
from __future__ import annotations

from sqlalchemy import select

from core import hookimpl
from core.contracts import ApprovalStep, FulfilmentTask, TicketService, catalog_service_key
from plugins.catalog.listing import CARDS_READ_KEY, active_entries, is_visible
from plugins.catalog.models import CatalogServiceRow
from plugins.catalog.registry import ServiceSpecs

HOOKS_NAME = "catalog.services"
KEY_PREFIX = catalog_service_key("")


def service_id_of(service_key: str | None) -> str | None:
    """The service ID in a catalog ticket service key, ``None`` for another key."""
    if not service_key or not service_key.startswith(KEY_PREFIX):
        return None
    return service_key[len(KEY_PREFIX):]


def specs_of(pluginmanager) -> ServiceSpecs:
    return pluginmanager.get_plugin(HOOKS_NAME).specs


class CatalogTicketHooks:
    __name__ = "plugins.catalog.ticket_hooks"  # as the plugin list shows it

    def __init__(self, pluginmanager):
        self.specs = ServiceSpecs(pluginmanager)

    @hookimpl
    def pishkhan_ticket_services(self, dbsession, department_id):
        """Every visible service (internal ones too: staff log contacts for them), one per card."""
        loaded = self.specs.loaded_plugins()
        return [TicketService(catalog_service_key(entry.service_id), entry.title, entry.department_id,
                              promised_days=entry.duration_days, description=entry.description)
                for entry in active_entries(dbsession)
                if is_visible(entry.provider, True, loaded, staff=True)
                and (department_id is None or entry.department_id == department_id)]

    @hookimpl(trylast=True)
    def pishkhan_request_form(self, request, service_key):
        service_id = service_id_of(service_key)
        if service_id is None:
            return None
        entry = next((entry for entry in active_entries(request.dbsession) if entry.service_id == service_id), None)
        if entry is None or entry.provider is None:
            return None
        spec = self.specs.get(entry.provider, service_id)
        return spec.form() if spec is not None and spec.form is not None else None

    @hookimpl
    def pishkhan_ticket_approvals(self, dbsession, ticket):
        card = stored_card(dbsession, ticket)
        if card is None:
            return None
        return [ApprovalStep(step["approver"], step.get("title") or "", approver_username(card, step))
                for step in card.approvals]

    @hookimpl
    def pishkhan_ticket_fulfilment(self, dbsession, ticket):
        card = stored_card(dbsession, ticket)
        if card is None:
            return None
        return [FulfilmentTask(task["title"], task["team"]) for task in card.tasks]


def approver_username(card: CatalogServiceRow, step: dict) -> str | None:
    """The step's own approver, or for the service owner the card's owner."""
    if step.get("username"):
        return step["username"]
    return card.owner_username if step["approver"] == "service_owner" else None


def stored_card(dbsession, ticket) -> CatalogServiceRow | None:
    """The card of ``ticket``'s service, even one since deactivated or whose plugin left: the
    ticket was opened for it."""
    service_id = service_id_of(getattr(ticket, "service_key", None))
    if service_id is None:
        return None
    read = dbsession.info.setdefault(CARDS_READ_KEY, {})  # opening a ticket asks for it twice
    if service_id not in read:
        read[service_id] = dbsession.scalar(select(CatalogServiceRow).where(CatalogServiceRow.service_id == service_id))
    return read[service_id]
