"""One security policy: session cookie, API token or an identity plugin; ACLs scoped by
department.

Principals of a signed-in user: ``user:<id>``, ``role:<role>``, ``department:<id>`` for the
user's department and every department under it, ``team:<id>`` for each team, and whatever
``pishkhan_principals`` adds. Directors and administrators get ``department:*`` (every department).
"""
from __future__ import annotations

from pyramid.authorization import ALL_PERMISSIONS, ACLHelper, Allow, Authenticated, Everyone
from pyramid.csrf import SessionCSRFStoragePolicy
from pyramid.events import NewResponse
from pyramid.session import SignedCookieSessionFactory
from pyramid.settings import asbool
from sqlalchemy import select

from core.auth import user_for_token, user_with_organization
from core.models import Department, Role, User
from core.plugins import flatten

ALL_DEPARTMENTS = "department:*"
SESSION_COOKIE = "pishkhan_session"
STAFF_ROLES = (Role.agent, Role.team_lead, Role.department_manager, Role.director, Role.admin)


class Root:
    """The site root: who may use the portal, the workspace and the administration pages."""

    __acl__ = [
        (Allow, Everyone, "view"),
        (Allow, Authenticated, "portal"),
        *[(Allow, f"role:{role.value}", "workspace") for role in STAFF_ROLES],
        (Allow, f"role:{Role.department_manager.value}", "manage-department"),
        (Allow, f"role:{Role.director.value}", "manage-department"),
        (Allow, f"role:{Role.admin.value}", ALL_PERMISSIONS),
    ]

    def __init__(self, request):
        self.request = request


class DepartmentScope:
    """Context for anything owned by a department: seen by its people and by directors."""

    def __init__(self, department_id: int):
        self.department_id = department_id
        self.__acl__ = [
            (Allow, f"role:{Role.admin.value}", ALL_PERMISSIONS),
            (Allow, ALL_DEPARTMENTS, "view"),
            (Allow, f"department:{department_id}", "view"),
        ]


_DEPARTMENT_TREE = select(Department.id, Department.parent_id)


def department_subtree_ids(dbsession, department_id: int) -> set[int]:
    """The department and every department under it (one query, walked in memory)."""
    rows = dbsession.execute(_DEPARTMENT_TREE).all()
    children: dict[int | None, list[int]] = {}
    for dept_id, parent_id in rows:
        children.setdefault(parent_id, []).append(dept_id)
    found, stack = set(), [department_id]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, ()))
    return found


def home_department_ids(dbsession, user: User) -> set[int]:
    """The departments a staff member works for: theirs, every one under it, and their teams'."""
    found = department_subtree_ids(dbsession, user.department_id) if user.department_id is not None else set()
    return found | {team.department_id for team in user.teams}


def user_principals(request, user: User) -> list[str]:
    principals = [f"user:{user.id}", f"role:{user.role}"]
    if user.role in (Role.director.value, Role.admin.value):
        principals.append(ALL_DEPARTMENTS)
    principals += [f"team:{team.id}" for team in user.teams]
    principals += [f"department:{dept_id}" for dept_id in sorted(home_department_ids(request.dbsession, user))]
    identity = request.environ.get("pishkhan.identity")
    if identity is not None:
        principals += identity.principals
    principals += flatten(request.registry.pluginmanager.hook.pishkhan_principals(request=request, user=user))
    return principals


def bearer_token(request) -> str | None:
    authorization = request.authorization
    if authorization and authorization.authtype.lower() == "bearer" and isinstance(authorization.params, str):
        return authorization.params
    return None


def find_user(request) -> User | None:
    """The caller: an identity plugin's, the session's or the API token's user.

    The database is only asked when the request carries something to look up, so a visitor's
    page costs no query and no database session.
    """
    identity = request.registry.pluginmanager.hook.pishkhan_identify(request=request)
    if identity is not None:
        request.environ["pishkhan.identity"] = identity
        return active_user(user_with_organization(request.dbsession, identity.user_id))
    if SESSION_COOKIE in request.cookies:
        user_id = request.session.get("user_id")
        if user_id is not None:
            return active_user(user_with_organization(request.dbsession, user_id))
    token = bearer_token(request)
    if token:
        return user_for_token(request.dbsession, token)
    return None


def active_user(user: User | None) -> User | None:
    return user if user is not None and user.is_active else None


class SecurityPolicy:
    def __init__(self):
        self.helper = ACLHelper()

    def identity(self, request):
        return request.user

    def authenticated_userid(self, request):
        user = request.user
        return user.id if user is not None else None

    def effective_principals(self, request) -> list[str]:
        principals = [Everyone]
        if request.user is not None:
            principals.append(Authenticated)
            principals += request.principals
        return principals

    def permits(self, request, context, permission):
        return self.helper.permits(context, self.effective_principals(request), permission)

    def remember(self, request, userid, **kw):
        request.session.invalidate()
        request.session["user_id"] = userid
        return []

    def forget(self, request, **kw):
        request.session.invalidate()
        return []


# Sent with every answer unless a view chose its own: no page may be framed by another site
# (clickjacking), no answer is sniffed into another type, no address leaks to other sites.
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def add_security_headers(event) -> None:
    headers = event.response.headers
    for name, value in SECURITY_HEADERS.items():
        headers.setdefault(name, value)


def csrf_applies(request) -> bool:
    """Token-authenticated API calls carry no cookie, so CSRF cannot reach them."""
    return bearer_token(request) is None


def includeme(config):
    settings = config.get_settings()
    config.set_session_factory(
        SignedCookieSessionFactory(
            settings["session.secret"],
            cookie_name=SESSION_COOKIE,
            httponly=True,
            samesite="Lax",
            secure=asbool(settings.get("session.secure", False)),
            timeout=int(settings.get("session.timeout", 8 * 3600)),
            reissue_time=600,
        )
    )
    config.set_csrf_storage_policy(SessionCSRFStoragePolicy())
    config.set_default_csrf_options(require_csrf=True, callback=csrf_applies)
    config.set_security_policy(SecurityPolicy())
    config.set_root_factory(Root)
    config.add_subscriber(add_security_headers, NewResponse)
    config.add_request_method(find_user, "user", reify=True)
    config.add_request_method(
        lambda request: user_principals(request, request.user) if request.user else [],
        "principals",
        reify=True,
    )
