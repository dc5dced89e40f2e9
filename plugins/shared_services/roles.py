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

from core.models import Role, User
from core.security import ALL_DEPARTMENTS, STAFF_ROLES
from plugins.shared_services.department import CODE, GOVERNANCE

SSC_AGENT = "ssc:agent"
SSC_GOVERNANCE = "ssc:governance"
VIEW = "ssc.view"
EDIT_AGREEMENTS = "ssc.agreements"
EDIT_COSTS = "ssc.costs"


def principals_for(user: User) -> list[str]:
    """The center's principals of ``user``, from the departments of their teams and their own
    (loaded with the user: ``core.auth.WITH_ORGANIZATION``)."""
    if user.role not in STAFF_ROLES:
        return []
    team_names = {team.name for team in user.teams if team.department.code == CODE}
    principals = [ALL_DEPARTMENTS, SSC_AGENT] if team_names else []
    manager = (user.role == Role.department_manager.value and user.department is not None
               and user.department.code == CODE)
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
