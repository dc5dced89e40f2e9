"""Who does what in the shared service center.

- **Service-center agents**: staff who belong to a team of the ``ssc`` department (its integrated
  front desk, its governance team). The center is one point of contact for every department, so
  they are granted ``department:*``: they see and work on the tickets of every department, as
  directors do. Membership of a department's own team grants nothing more than that department.
- **Governance**: the agreements, the customer dashboards and showback are seen by the center's
  manager (a department manager of ``ssc``), the members of its governance team, the director and
  administrators (``ssc.view``). Agreements are set by the director and administrators
  (``ssc.agreements``); unit costs by administrators only (``ssc.costs``).
"""
from __future__ import annotations

from pyramid.authorization import ALL_PERMISSIONS, Allow
from sqlalchemy import and_, select

from core.models import Department, Role, Team, User
from core.security import ALL_DEPARTMENTS, STAFF_ROLES
from plugins.shared_services.department import CODE, GOVERNANCE

SSC_AGENT = "ssc:agent"
SSC_GOVERNANCE = "ssc:governance"
VIEW = "ssc.view"
EDIT_AGREEMENTS = "ssc.agreements"
EDIT_COSTS = "ssc.costs"


def principals_for(dbsession, user: User) -> list[str]:
    """The center's principals of ``user``; one query, and none for requesters or for staff with
    neither a team nor a manager's role."""
    if user.role not in STAFF_ROLES:
        return []
    team_ids = [team.id for team in user.teams]
    if not team_ids and user.role != Role.department_manager.value:
        return []
    rows = dbsession.execute(
        select(Department.id, Team.name)
        .outerjoin(Team, and_(Team.department_id == Department.id, Team.id.in_(team_ids or [-1])))
        .where(Department.code == CODE)
    ).all()
    if not rows:
        return []
    principals = []
    team_names = {name for _id, name in rows if name is not None}
    if team_names:
        principals += [ALL_DEPARTMENTS, SSC_AGENT]
    manager = user.role == Role.department_manager.value and user.department_id == rows[0][0]
    if manager or GOVERNANCE.name in team_names:
        principals.append(SSC_GOVERNANCE)
    return principals


class CenterContext:
    """The context of every page under ``/desk/ssc``."""

    __acl__ = [
        (Allow, f"role:{Role.admin.value}", ALL_PERMISSIONS),
        (Allow, f"role:{Role.director.value}", (VIEW, EDIT_AGREEMENTS, "workspace")),
        (Allow, SSC_GOVERNANCE, (VIEW, "workspace")),
    ]

    def __init__(self, request):
        self.request = request


def may_govern(request) -> bool:
    """Whether the caller sees the governance pages (for navigation and the dashboard widget,
    which are checked against other contexts)."""
    user = request.user
    if user is None or user.role not in STAFF_ROLES:
        return False  # decided without the principals: a visitor's or a requester's page asks nothing
    return user.role in (Role.admin.value, Role.director.value) or SSC_GOVERNANCE in request.principals
