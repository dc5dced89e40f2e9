"""The departments and teams plugins bring (``pishkhan_departments``), written to the database.

Departments are matched by code and teams by name within their department. What exists is left
as administrators edited it; only a missing parent is filled in once the parent appears (a
department created before the organization above it was loaded).
"""
from __future__ import annotations

from sqlalchemy import select

from core.contracts import DepartmentSpec
from core.models import Department, Team
from core.plugins import flatten


def department_specs(pluginmanager) -> list[DepartmentSpec]:
    return flatten(pluginmanager.hook.pishkhan_departments())


def sync_departments(dbsession, specs: list[DepartmentSpec]) -> None:
    """Create the departments and teams of ``specs`` that do not exist yet."""
    existing = {department.code: department for department in dbsession.scalars(select(Department))}
    for spec in parents_first(specs):
        department = existing.get(spec.code)
        parent = existing.get(spec.parent) if spec.parent else None
        if department is None:
            department = existing[spec.code] = Department(code=spec.code, name=spec.name, parent=parent)
            dbsession.add(department)
        elif department.parent is None and parent is not None and parent is not department:
            department.parent = parent
        team_names = {team.name for team in department.teams}
        for team in spec.teams:
            if team.name not in team_names:
                department.teams.append(Team(name=team.name, tier=team.tier))
                team_names.add(team.name)
    dbsession.flush()


def parents_first(specs: list[DepartmentSpec]) -> list[DepartmentSpec]:
    by_code = {spec.code: spec for spec in specs}
    placed: dict[str, DepartmentSpec] = {}

    def place(spec: DepartmentSpec, seen: frozenset) -> None:
        if spec.code in placed or spec.code in seen:  # a cycle is broken where it closes
            return
        if spec.parent in by_code:
            place(by_code[spec.parent], seen | {spec.code})
        placed[spec.code] = spec

    for spec in specs:
        place(spec, frozenset())
    return list(placed.values())
