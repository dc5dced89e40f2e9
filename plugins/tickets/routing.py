"""Which team receives a new ticket: the departments' routing rules (``pishkhan_routing_rules``),
else the department's front line (its lowest-tier team, then the oldest)."""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy import select

from core.contracts import RoutingRule
from core.models import Department, Team
from core.normalize import spaceless_key


def team_for(dbsession, ticket, rules: list[RoutingRule]) -> int | None:
    # Teams are read whole: whoever sets the team next finds it in the session.
    department_code = dbsession.get(Department, ticket.department_id).code
    text = None
    for rule in sorted((rule for rule in rules if rule.department == department_code), key=lambda r: r.position):
        if rule.services and ticket.service_key not in rule.services:
            continue
        if rule.keywords:
            text = text if text is not None else spaceless_key(f"{ticket.subject} {ticket.description}")
            if not any(_keyword_key(keyword) in text for keyword in rule.keywords):
                continue
        team = dbsession.scalar(select(Team).where(Team.department_id == ticket.department_id, Team.name == rule.team))
        if team is not None:
            return team.id
    return front_line(dbsession, ticket.department_id)


def front_line(dbsession, department_id: int) -> int | None:
    team = dbsession.scalar(
        select(Team).where(Team.department_id == department_id).order_by(Team.tier, Team.id).limit(1))
    return team.id if team is not None else None


_keyword_key = lru_cache(maxsize=4096)(spaceless_key)  # the rules' keywords, normalized once
