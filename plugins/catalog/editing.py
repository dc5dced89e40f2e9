"""A card as the workspace form shows it, and the form's values written back to the card with a
line of history. Once written by a person (``edited_at``), the upgrade's sync leaves the card
alone."""
from __future__ import annotations

import colander

from core.contracts import APPROVERS, SERVICE_CHANNELS, SERVICE_LEVELS, SERVICE_STAGES
from core.db import utcnow
from core.models import User
from plugins.catalog.cards import search_text
from plugins.catalog.models import CatalogServiceEdit, CatalogServiceRow
from plugins.catalog.schemas import TASK_ROWS

PLAIN_FIELDS = (
    "service_id", "title", "process", "sub_services", "description", "type", "audience", "nature",
    "life_event", "trigger", "required_documents", "yearly_volume", "duration_days", "once_for_ever",
    "frequency", "visits", "cost_rials", "payment_account", "integrations", "procedure", "notes", "owner",
    "owner_username", "contact", "sla", "keywords", "public", "is_active",
)
NEW_CARD = {"type": "G2C", "nature": "operational", "life_event": "other", "trigger": "request", "duration_days": 5,
            "visits": 0, "cost_rials": 0, "public": True, "is_active": True}


def form_values(card: CatalogServiceRow) -> dict:
    """The appstruct of the card's form."""
    values = {name: getattr(card, name) for name in PLAIN_FIELDS}
    values["department"] = card.department_id
    values["levels"] = set(card.levels)
    stages = {stage["stage"]: stage for stage in card.stages}
    values["stages"] = {name: {"channels": set(stages.get(name, {}).get("channels", ())),
                               "electronic": bool(stages.get(name, {}).get("electronic"))}
                        for name in SERVICE_STAGES}
    values["approvals"] = {step["approver"] for step in card.approvals}
    tasks = list(card.tasks)[:TASK_ROWS]
    values["tasks"] = {f"task{index}": ({"task": tasks[index - 1]["title"], "team": tasks[index - 1]["team"]}
                                        if index <= len(tasks) else {"task": "", "team": ""})
                       for index in range(1, TASK_ROWS + 1)}
    values["version"] = card.version
    return appstruct(values)


def appstruct(values: dict) -> dict:
    """``values`` as the form shows them (an empty field for ``None``)."""
    return {name: (colander.null if value is None else value) for name, value in values.items()}


def card_columns(card: CatalogServiceRow, values: dict) -> dict:
    """The card's columns the form's ``values`` give."""
    columns = {name: values[name] for name in PLAIN_FIELDS if name in values}
    columns["department_id"] = values["department"]
    columns["levels"] = [level for level in SERVICE_LEVELS if level in values["levels"]]
    columns["stages"] = [
        {"stage": name, "channels": [channel for channel in SERVICE_CHANNELS if channel in stage["channels"]],
         "electronic": stage["electronic"]}
        for name, stage in ((name, values["stages"][name]) for name in SERVICE_STAGES)
        if stage["channels"] or stage["electronic"]]
    kept = {step["approver"]: step for step in card.approvals or ()}  # titles and approvers a plugin named
    columns["approvals"] = [kept.get(approver, {"approver": approver, "title": "", "username": None})
                            for approver in APPROVERS if approver in values["approvals"]]
    columns["tasks"] = [{"title": row["task"], "team": row["team"]}
                        for row in (values["tasks"][f"task{index}"] for index in range(1, TASK_ROWS + 1))
                        if row["task"]]
    return columns


def save(dbsession, card: CatalogServiceRow, values: dict, editor: User) -> None:
    """Write ``values`` on ``card`` (new or not), marked as edited by ``editor``, with the changed
    fields in the card's history."""
    columns = card_columns(card, values)
    changes = {name: [getattr(card, name), value] for name, value in columns.items() if getattr(card, name) != value}
    for name, value in columns.items():
        setattr(card, name, value)
    card.search_text = search_text({name: getattr(card, name) for name in (
        "service_id", "title", "process", "sub_services", "keywords", "audience", "description")})
    card.edited_at = utcnow()
    card.edited_by_id = editor.id
    dbsession.add(card)
    dbsession.flush()
    if changes:
        dbsession.add(CatalogServiceEdit(service_row_id=card.id, edited_by_id=editor.id, edited_at=card.edited_at,
                                         changes=changes))
        dbsession.flush()
