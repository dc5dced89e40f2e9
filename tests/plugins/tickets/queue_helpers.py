"""Helpers shared by the queue tests: tickets opened through the desk and viewers of demo users."""
from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select

from core.models import Department, Team, User
from core.security import user_principals
from plugins.tickets.desk import NewTicket
from plugins.tickets.models import Category
from plugins.tickets.queue import Viewer
from plugins.tickets.seed import DEMO_CATEGORIES


def user(dbsession, username: str) -> User:
    return dbsession.scalar(select(User).where(User.username == username))


def department(dbsession, code: str) -> Department:
    return dbsession.scalar(select(Department).where(Department.code == code))


def team(dbsession, code: str, tier: int) -> Team:
    return dbsession.scalar(select(Team).where(Team.department_id == department(dbsession, code).id,
                                               Team.tier == tier))


def service_key(dbsession, code: str, index: int = 0) -> str:
    ids = dbsession.scalars(select(Category.id).where(Category.department_id == department(dbsession, code).id)
                            .order_by(Category.id)).all()
    return f"category:{ids[index]}"


def open_ticket(desk, dbsession, code: str = "it", subject: str = "اینترنت خوابگاه وصل نمی‌شود",
                actor: str | None = None, channel: str = "portal", **overrides):
    values = dict(subject=subject, department_id=department(dbsession, code).id, description="شرح",
                  service_key=service_key(dbsession, code) if code in DEMO_CATEGORIES else None,
                  guest_name="رضا امینی", guest_mobile="09121234567",
                  impact="medium", urgency="medium", channel=channel)
    values.update(overrides)
    return desk(actor, channel).open(NewTicket(**values))


def viewer(dbsession, username: str) -> Viewer:
    """The queue's viewer for a demo user, through the same principals a request would get."""
    request = SimpleNamespace(dbsession=dbsession, user=user(dbsession, username), environ={},
                              registry=SimpleNamespace(pluginmanager=_NoPlugins()))
    request.principals = user_principals(request, request.user)
    return Viewer.from_request(request)


class _NoPlugins:
    class hook:  # noqa: N801 (mimics pluggy's attribute)
        @staticmethod
        def pishkhan_principals(request, user):
            return []
