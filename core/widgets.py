"""The core's own dashboard widgets: the agent's teams and, for administrators, the organization."""
from __future__ import annotations

from markupsafe import Markup
from pyramid.renderers import render
from sqlalchemy import func, select

from core.contracts import DashboardWidget
from core.i18n import _
from core.models import Department, Team, User


def my_teams(request) -> Markup:
    teams = sorted(request.user.teams, key=lambda team: (team.tier, team.name))
    return Markup(render("core:templates/widgets/my_teams.jinja2", {"teams": teams}, request=request))


def organization(request) -> Markup:
    dbsession = request.dbsession
    counts = {
        "departments": dbsession.scalar(select(func.count()).select_from(Department)),
        "teams": dbsession.scalar(select(func.count()).select_from(Team)),
        "users": dbsession.scalar(select(func.count()).select_from(User).where(User.is_active.is_(True))),
    }
    return Markup(render("core:templates/widgets/organization.jinja2", counts, request=request))


def core_widgets() -> list[DashboardWidget]:
    return [
        DashboardWidget("core.my_teams", _("Your teams"), my_teams),
        DashboardWidget("core.organization", _("Organization"), organization, permission="admin",
                        after=("core.my_teams",)),
    ]
