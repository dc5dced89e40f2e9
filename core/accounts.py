"""Creating and changing accounts, with the same rules for the CLI, the admin pages and demo data."""
from __future__ import annotations

from sqlalchemy import select

from core.auth import hash_password
from core.i18n import _
from core.models import Department, Role, User
from core.normalize import (
    is_valid_mobile,
    is_valid_national_code,
    normalize_digits,
    normalize_line,
    normalize_mobile,
    normalize_username,
)

MIN_PASSWORD_LENGTH = 8


class AccountError(ValueError):
    """A rule about accounts was broken; the message is a translation string."""


def create_user(
    dbsession,
    *,
    username: str,
    full_name: str,
    password: str | None = None,
    role: str = Role.requester.value,
    department: Department | None = None,
    national_code: str | None = None,
    mobile: str | None = None,
    email: str | None = None,
    preferred_language: str = "fa",
) -> User:
    username = normalize_username(username)
    if not username:
        raise AccountError(_("A username is required."))
    if dbsession.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError(_("This username is already taken."))
    if role not in {r.value for r in Role}:
        raise AccountError(_("Unknown role."))
    user = User(
        username=username,
        full_name=normalize_line(full_name),
        role=role,
        department=department,
        email=(email or "").strip() or None,
        preferred_language=preferred_language,
    )
    set_national_code(dbsession, user, national_code)
    set_mobile(user, mobile)
    if password is not None:
        set_password(user, password)
    dbsession.add(user)
    dbsession.flush()
    return user


def set_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(_("The password must have at least 8 characters."))
    user.password_hash = hash_password(password)


def set_national_code(dbsession, user: User, national_code: str | None) -> None:
    code = normalize_digits(national_code) or None
    if code is not None:
        if not is_valid_national_code(code):
            raise AccountError(_("This national code is not valid (check its 10 digits)."))
        taken = dbsession.scalar(select(User.id).where(User.national_code == code, User.id != user.id))
        if taken is not None:
            raise AccountError(_("Another account already has this national code."))
    user.national_code = code


def set_mobile(user: User, mobile: str | None) -> None:
    number = normalize_mobile(mobile) or None
    if number is not None and not is_valid_mobile(number):
        raise AccountError(_("Enter a mobile number like 09121234567."))
    user.mobile = number
