"""Who may edit which identity cards: administrators and the shared services director every
card, a department manager the cards of their department and the departments under it; nobody
else."""
from __future__ import annotations

from core.models import Role
from core.security import department_subtree_ids

EVERY_DEPARTMENT = None


def editable_departments(request) -> set[int] | None:
    """The ids of the departments whose cards the caller may edit and create; ``None``: all."""
    user = request.user
    if user is None:
        return set()
    if user.role in (Role.admin.value, Role.director.value):
        return EVERY_DEPARTMENT
    if user.role == Role.department_manager.value and user.department_id is not None:
        return department_subtree_ids(request.dbsession, user.department_id)
    return set()


def may_edit(departments: set[int] | None, department_id: int) -> bool:
    return departments is EVERY_DEPARTMENT or department_id in departments
