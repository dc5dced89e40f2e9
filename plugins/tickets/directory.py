"""What the desk's forms list: departments, teams, staff, services and channels, remembered per
process for a short while instead of being read on every queue page; and the categories the
default ``pishkhan_ticket_services`` offers (the portal form and every ticket opened ask).

``snapshot(request)`` gives the whole organization's lists in their display order; a page
filters them to the viewer's departments in Python, so one copy serves every agent. These are
choices in forms, never a permission: the queries behind a page are restricted to the viewer's
departments on their own.

A flush that adds, changes or deletes a department, team, user or category drops the copy of
this process at once, and again when that transaction ends (a rolled-back change must not stay
visible); the other serving processes see the change within ``REMEMBER_SECONDS``.
"""
from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from core.contracts import TicketService
from core.models import Department, Team, TeamMember, User
from core.plugins import flatten
from core.security import STAFF_ROLES
from plugins.tickets.models import Category

REMEMBER_SECONDS = 30
_WATCHED = (Department, Team, TeamMember, User, Category)
_CHANGED_KEY = "tickets.directory_changed"


@dataclass(frozen=True)
class Directory:
    departments: tuple[tuple[int, str], ...]  # (id, name) by name
    teams: tuple[tuple[int, int, str, str], ...]  # (id, department id, department name, name) by department, tier, name
    staff: tuple[tuple[int, str, int | None, frozenset[int]], ...]  # (id, full name, department, teams' departments)
    services: tuple  # TicketService of every department
    channels: tuple  # TicketChannel

    def visible_departments(self, visible: frozenset[int] | None) -> list[tuple[int, str]]:
        return [row for row in self.departments if visible is None or row[0] in visible]

    def visible_teams(self, visible: frozenset[int] | None) -> list[tuple[int, int, str, str]]:
        return [row for row in self.teams if visible is None or row[1] in visible]

    def agents(self, visible: frozenset[int] | None) -> list[tuple[int, str]]:
        """(id, full name) of the active staff who work in ``visible`` (by their department or a
        team); every active staff member when ``visible`` is ``None``."""
        return [(user_id, name) for user_id, name, department_id, team_departments in self.staff
                if visible is None or department_id in visible or team_departments & visible]


_REGISTRY_KEY = "tickets.directory"
_generation = itertools.count()
_current = next(_generation)  # ``forget`` moves it on: every remembered copy is then stale


def snapshot(request) -> Directory:
    """The directory, remembered in the application's registry (its plugins give the services)."""
    cached = request.registry.get(_REGISTRY_KEY)
    now = time.monotonic()
    if cached is not None and cached[0] == _current and now - cached[1] < REMEMBER_SECONDS:
        return cached[2]
    generation = _current
    directory = load(request.dbsession, request.registry.pluginmanager.hook)
    request.registry[_REGISTRY_KEY] = (generation, now, directory)
    return directory


def load(dbsession, hook) -> Directory:
    departments = dbsession.execute(select(Department.id, Department.name).order_by(Department.name)).all()
    teams = dbsession.execute(
        select(Team.id, Team.department_id, Department.name, Team.name)
        .join(Department, Department.id == Team.department_id)
        .order_by(Team.department_id, Team.tier, Team.name)).all()
    staff = dbsession.execute(
        select(User.id, User.full_name, User.department_id)
        .where(User.is_active.is_(True), User.role.in_([role.value for role in STAFF_ROLES]))
        .order_by(User.full_name)).all()
    team_departments: dict[int, set[int]] = {}
    for user_id, department_id in dbsession.execute(
            select(TeamMember.user_id, Team.department_id).join(Team, Team.id == TeamMember.team_id)):
        team_departments.setdefault(user_id, set()).add(department_id)
    return Directory(
        departments=tuple(tuple(row) for row in departments),
        teams=tuple(tuple(row) for row in teams),
        staff=tuple((user_id, name, department_id, frozenset(team_departments.get(user_id, ())))
                    for user_id, name, department_id in staff),
        services=tuple(flatten(hook.pishkhan_ticket_services(dbsession=dbsession, department_id=None))),
        channels=tuple(flatten(hook.pishkhan_ticket_channels())),
    )


_categories: dict[str, tuple[int, float, tuple[TicketService, ...]]] = {}


def category_services(dbsession) -> tuple[TicketService, ...]:
    """The active categories as services (the default ``pishkhan_ticket_services``), by name,
    remembered like the directory: the portal form and every ticket opened ask for them."""
    key = str(dbsession.get_bind().engine.url)
    cached = _categories.get(key)
    now = time.monotonic()
    if cached is not None and cached[0] == _current and now - cached[1] < REMEMBER_SECONDS:
        return cached[2]
    generation = _current
    services = tuple(
        TicketService(f"category:{category_id}", name, department_id, promised_days)
        for category_id, name, department_id, promised_days in dbsession.execute(
            select(Category.id, Category.name, Category.department_id, Category.promised_days)
            .where(Category.is_active.is_(True)).order_by(Category.name)))
    _categories[key] = (generation, now, services)
    return services


def forget() -> None:
    global _current
    _current = next(_generation)


@event.listens_for(Session, "after_flush")
def _forget_changed(session, flush_context) -> None:
    if any(isinstance(obj, _WATCHED) for objects in (session.new, session.dirty, session.deleted) for obj in objects):
        session.info[_CHANGED_KEY] = True
        forget()


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_after_changes(session, *args) -> None:
    if session.info.pop(_CHANGED_KEY, False):
        forget()
