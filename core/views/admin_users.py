"""Administration of accounts: the list (searchable, paged by id) and the add and edit forms.

The rules about accounts live in ``core.accounts``; here each of its refusals is shown beside
the field it is about.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import colander
from pyramid.request import Request
from pyramid.response import Response
from pyramid.view import view_config
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session, selectinload
from translationstring import TranslationString

from core import accounts
from core.forms import csrf_form
from core.i18n import _
from core.models import Department, Role, Team, User
from core.normalize import (
    is_valid_mobile,
    normalize_digits,
    normalize_line,
    normalize_mobile,
    normalize_username,
)
from core.schemas import ROLE_LABELS, UserSchema
from core.views.admin import (
    FORM_TEMPLATE,
    SAVE_BUTTONS,
    FieldError,
    form_page,
    get_or_404,
)

USERS_PER_PAGE = 50
MAX_QUERY_LENGTH = 100


@view_config(route_name="core.admin.users", renderer="core:templates/admin/users.jinja2", permission="admin")
def user_list(request: Request) -> dict:
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].strip()
    after = request.GET.get("after", "")
    statement = (
        select(User)
        .options(selectinload(User.department), selectinload(User.teams))
        .order_by(User.id)
        .limit(USERS_PER_PAGE + 1)
    )
    if re.fullmatch(r"[0-9]{1,18}", after):
        statement = statement.where(User.id > int(after))
    condition = search_condition(query)
    if condition is not None:
        statement = statement.where(condition)
    users = request.dbsession.scalars(statement).all()
    next_url = None
    if len(users) > USERS_PER_PAGE:
        users = users[:USERS_PER_PAGE]
        next_url = request.route_url(
            "core.admin.users", _query={**({"q": query} if query else {}), "after": users[-1].id}
        )
    return {"users": users, "query": query, "next_url": next_url, "paged": bool(after), "role_labels": ROLE_LABELS}


def search_condition(query: str) -> ColumnElement[bool] | None:
    """Users whose username, full name, national code or mobile contains what was typed,
    whatever the keyboard (Arabic ي/ك, Persian or Arabic digits)."""
    line = normalize_line(query)
    if not line:
        return None
    conditions = [
        User.username.contains(normalize_username(line), autoescape=True),
        User.full_name.icontains(line, autoescape=True),
    ]
    digits = normalize_digits(line)
    if digits:
        mobile = normalize_mobile(line)
        conditions += [
            User.national_code.contains(digits, autoescape=True),
            User.mobile.contains(mobile if is_valid_mobile(mobile) else digits, autoescape=True),
        ]
    return or_(*conditions)


@view_config(route_name="core.admin.user_add", renderer=FORM_TEMPLATE, permission="admin")
def user_add(request: Request) -> dict | Response:
    form = csrf_form(UserSchema(), request, buttons=SAVE_BUTTONS)

    def save(values: dict) -> TranslationString:
        user = create_account(request.dbsession, values)
        return _("The account ${username} was created.", mapping={"username": user.username})

    return form_page(request, form, save, title=_("New user"), section=_("Users"), list_route="core.admin.users")


@view_config(route_name="core.admin.user_edit", renderer=FORM_TEMPLATE, permission="admin")
def user_edit(request: Request) -> dict | Response:
    user: User = get_or_404(request, User)
    form = csrf_form(UserSchema(user=user), request, buttons=SAVE_BUTTONS)

    def save(values: dict) -> TranslationString:
        if user.id == request.user.id and (values["role"] != Role.admin.value or not values["is_active"]):
            raise FieldError("role", _("You cannot take away your own administrator access."))
        update_account(request.dbsession, user, values)
        return _("The account ${username} was saved.", mapping={"username": user.username})

    return form_page(
        request,
        form,
        save,
        title=_("Edit user ${username}", mapping={"username": user.username}),
        section=_("Users"),
        list_route="core.admin.users",
        appstruct=account_values(user),
    )


@contextmanager
def blame(field: str) -> Iterator[None]:
    """Show an ``AccountError`` raised in the block beside the form field ``field``."""
    try:
        yield
    except accounts.AccountError as error:
        raise FieldError(field, error.args[0]) from error


def create_account(dbsession: Session, values: dict) -> User:
    with blame("username"):
        user = accounts.create_user(
            dbsession,
            username=values["username"],
            full_name=values["full_name"],
            role=values["role"],
            email=values["email"],
            preferred_language=values["preferred_language"],
        )
    update_account(dbsession, user, values)
    return user


def update_account(dbsession: Session, user: User, values: dict) -> None:
    with blame("national_code"):
        accounts.set_national_code(dbsession, user, values["national_code"])
    with blame("mobile"):
        accounts.set_mobile(user, values["mobile"])
    if values["password"]:
        with blame("password"):
            accounts.set_password(user, values["password"])
    user.full_name = values["full_name"]
    user.email = values["email"]
    user.preferred_language = values["preferred_language"]
    user.is_active = values["is_active"]
    user.role = values["role"]
    user.department = dbsession.get(Department, values["department"]) if values["department"] else None
    user.teams = list(dbsession.scalars(select(Team).where(Team.id.in_(values["teams"])).order_by(Team.id)))


def account_values(user: User) -> dict:
    """What the edit form shows for ``user`` (``colander.null`` for an empty value)."""
    values = {
        "full_name": user.full_name,
        "national_code": user.national_code,
        "mobile": user.mobile,
        "email": user.email,
        "preferred_language": user.preferred_language,
        "is_active": user.is_active,
        "role": user.role,
        "department": user.department_id,
        "teams": {team.id for team in user.teams},
    }
    return {name: colander.null if value is None else value for name, value in values.items()}
