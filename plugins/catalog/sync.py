"""The plugins' identity cards written to ``catalog_services`` (at ``pishkhan db upgrade`` and
``pishkhan demo load``).

A missing card is inserted; a card nobody edited in the workspace is brought to what its plugin
says now; an edited card is left as people wrote it. A spec the catalog cannot store (an ID that is
not 11 digits or that another provider's card has, a department code that does not exist, a
value outside the contract) is logged as an error naming the plugin and skipped: the other cards
and the upgrade go on.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import select

from core.contracts import CatalogService
from core.models import Department
from plugins.catalog.cards import clean_service_id, problems, search_text, spec_values
from plugins.catalog.models import CatalogServiceRow

log = logging.getLogger(__name__)


def sync_services(dbsession, provided: Iterable[tuple[str, CatalogService]]) -> None:
    """Store ``provided`` (plugin name, spec) pairs; returns nothing, logs what it refuses."""
    departments = dict(dbsession.execute(select(Department.code, Department.id)).all())
    cards = {card.service_id: card for card in dbsession.scalars(select(CatalogServiceRow))}
    seen: dict[str, str] = {}  # service ID → the plugin whose spec was taken this time
    for plugin, spec in provided:
        service_id = clean_service_id(spec.service_id)
        values = {"service_id": service_id, **spec_values(spec)}
        refusal = refusal_of(plugin, values, spec.department, departments, cards.get(service_id), seen)
        if refusal:
            log.error("Catalog: plugin %r declares service %r (%s) that is not stored: %s.",
                      plugin, spec.service_id, spec.title, refusal)
            continue
        seen[service_id] = plugin
        values["department_id"] = departments[spec.department]
        values["search_text"] = search_text(values)
        card = cards.get(service_id)
        if card is None:
            cards[service_id] = CatalogServiceRow(provider=plugin, **values)
            dbsession.add(cards[service_id])
        elif card.edited_at is None:
            for name, value in values.items():
                if getattr(card, name) != value:
                    setattr(card, name, value)
    dbsession.flush()


def refusal_of(plugin: str, values: dict, department: str, departments: dict[str, int],
               card: CatalogServiceRow | None, seen: dict[str, str]) -> str:
    found = problems(values)
    if found:
        return "; ".join(found)
    service_id = values["service_id"]
    if service_id in seen:
        return f"plugin {seen[service_id]!r} declares the same service ID"
    if card is not None and card.provider != plugin:
        owner = f"plugin {card.provider!r}" if card.provider else "a card created in the workspace"
        return f"the service ID belongs to {owner}"
    if department not in departments:
        return f"department {department!r} does not exist"
    return ""
