"""Which team receives a new ticket: the departments' routing rules (``pishkhan_routing_rules``),
else the department's front line (its lowest-tier team, then the oldest)."""
from __future__ import annotations

from sqlalchemy import select

from core.contracts import RoutingRule
from core.models import Department, Team
from core.normalize import spaceless_key


def team_for(dbsession, ticket, rules: list[RoutingRule]) -> int | None:
    department_code = dbsession.scalar(select(Department.code).where(Department.id == ticket.department_id))
    text = None
    for rule in sorted((rule for rule in rules if rule.department == department_code), key=lambda r: r.position):
        if rule.services and ticket.service_key not in rule.services:
            continue
        if rule.keywords:
            text = text if text is not None else spaceless_key(f"{ticket.subject} {ticket.description}")
            if not any(spaceless_key(keyword) in text for keyword in rule.keywords):
                continue
        team_id = dbsession.scalar(select(Team.id).where(Team.department_id == ticket.department_id,
                                                        Team.name == rule.team))
        if team_id is not None:
            return team_id
    return front_line(dbsession, ticket.department_id)


def front_line(dbsession, department_id: int) -> int | None:
    return dbsession.scalar(
        select(Team.id).where(Team.department_id == department_id).order_by(Team.tier, Team.id).limit(1)
    )
