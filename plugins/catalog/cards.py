"""An identity card's values: from a plugin's ``CatalogService`` to the stored columns, the rules
every card keeps, its search text and its e-level."""
from __future__ import annotations

import re
from collections.abc import Callable

from core.contracts import (
    APPROVERS,
    LIFE_EVENTS,
    SERVICE_CHANNELS,
    SERVICE_LEVELS,
    SERVICE_NATURES,
    SERVICE_STAGES,
    SERVICE_TRIGGERS,
    SERVICE_TYPES,
    CatalogService,
)
from core.normalize import search_key, to_latin_digits

SERVICE_ID = re.compile(r"\d{11}")
MAX_TITLE = 300
# The card's fields a plugin's spec gives (``department`` aside, a code resolved to an id).
SPEC_FIELDS = (
    "title", "description", "type", "audience", "nature", "levels", "life_event", "process",
    "sub_services", "trigger", "required_documents", "duration_days", "yearly_volume",
    "once_for_ever", "frequency", "visits", "cost_rials", "payment_account", "stages",
    "integrations", "procedure", "notes", "owner", "owner_username", "contact", "sla", "keywords",
    "public", "approvals", "tasks",
)


def clean_service_id(text: str) -> str:
    """The ID with Persian or Arabic digits made Latin and spaces dropped (not checked)."""
    return to_latin_digits(text or "").strip().replace(" ", "")


def is_service_id(text: str) -> bool:
    return SERVICE_ID.fullmatch(text or "") is not None


def spec_values(spec: CatalogService) -> dict:
    """The stored columns of ``spec`` (lists and dicts, as JSON keeps them)."""
    return {
        "title": spec.title,
        "description": spec.description,
        "type": spec.type,
        "audience": spec.audience,
        "nature": spec.nature,
        "levels": list(spec.levels),
        "life_event": spec.life_event,
        "process": spec.process,
        "sub_services": list(spec.sub_services),
        "trigger": spec.trigger,
        "required_documents": list(spec.required_documents),
        "duration_days": spec.duration_days,
        "yearly_volume": spec.yearly_volume,
        "once_for_ever": spec.once_for_ever,
        "frequency": spec.frequency,
        "visits": spec.visits,
        "cost_rials": spec.cost_rials,
        "payment_account": spec.payment_account,
        "stages": [{"stage": stage.stage, "channels": list(stage.channels), "electronic": stage.electronic}
                   for stage in spec.stages],
        "integrations": list(spec.integrations),
        "procedure": spec.procedure,
        "notes": spec.notes,
        "owner": spec.owner,
        "owner_username": spec.owner_username,
        "contact": spec.contact,
        "sla": spec.sla,
        "keywords": list(spec.keywords),
        "public": spec.public,
        "approvals": [{"approver": step.approver, "title": step.title, "username": step.username}
                      for step in spec.approvals],
        "tasks": [{"title": task.title, "team": task.team} for task in spec.tasks],
    }


def problems(values: dict) -> list[str]:
    """What keeps ``values`` (a spec's, with its ``service_id``) from being a card, in English
    for the upgrade's log; empty when it is fine."""
    found = []
    if not is_service_id(values.get("service_id", "")):
        found.append("the service ID must be 11 digits")
    if not values["title"].strip() or len(values["title"]) > MAX_TITLE:
        found.append(f"the title must have 1 to {MAX_TITLE} characters")
    choices = (("type", SERVICE_TYPES), ("nature", SERVICE_NATURES), ("life_event", LIFE_EVENTS),
               ("trigger", SERVICE_TRIGGERS))
    found += [f"{name} {values[name]!r} is not one of {', '.join(allowed)}"
              for name, allowed in choices if values[name] not in allowed]
    if not set(values["levels"]) <= set(SERVICE_LEVELS):
        found.append(f"levels must be among {', '.join(SERVICE_LEVELS)}")
    for stage in values["stages"]:
        if stage["stage"] not in SERVICE_STAGES or not set(stage["channels"]) <= set(SERVICE_CHANNELS):
            found.append(f"stage {stage['stage']!r} or its channels are not among the contract's")
    if any(step["approver"] not in APPROVERS for step in values["approvals"]):
        found.append(f"approvers must be among {', '.join(APPROVERS)}")
    if values["duration_days"] < 1:
        found.append("duration_days must be positive")
    if values["cost_rials"] < 0 or values["visits"] < 0 or (values["yearly_volume"] or 0) < 0:
        found.append("cost_rials, visits and yearly_volume may not be negative")
    return found


def search_text(values: dict) -> str:
    """The folded text the catalog's search looks in: ID, title, process, sub-services, keywords,
    audience and description."""
    parts = [values["service_id"], values["title"], values["process"], *values["sub_services"],
             *values["keywords"], values["audience"], values["description"]]
    return search_key(" ".join(part for part in parts if part))


def matcher(query: str) -> Callable[[str], bool]:
    """A test of a folded text: does every word of ``query`` (folded like it) appear in it?"""
    words = search_key(query).split()
    return lambda folded_text: bool(words) and all(word in folded_text for word in words)


def e_level(stages: list[dict]) -> int:
    """The service's e-level, 0 to 4 (DOMAIN §1.10): how many of the stages information →
    request → processing → delivery are electronic, counted from the first until one is not.

    It follows the maturity ladder (online information, then online request, then online
    processing, then online delivery): an electronic delivery after a paper request does not
    make the service more electronic than its request. A stage the card leaves out is not
    electronic.
    """
    electronic = {stage["stage"] for stage in stages if stage.get("electronic")}
    level = 0
    for stage in SERVICE_STAGES:
        if stage not in electronic:
            break
        level += 1
    return level
