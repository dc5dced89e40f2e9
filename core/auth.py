"""Accounts: password hashing (argon2), login with throttling, API tokens."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import joinedload

from core.db import utcnow
from core.i18n import _
from core.models import ApiToken, LoginAttempt, Team, User
from core.normalize import normalize_username

_hasher = PasswordHasher()
# Verifying against this keeps an unknown username as slow as a wrong password.
_DUMMY_HASH = _hasher.hash("pishkhan-timing-equalizer")

THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USERNAME = 5
MAX_FAILURES_PER_ADDRESS = 30


class LoginRefused(Exception):
    """The login failed; ``message`` is a translation string fit to show the person."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def is_throttled(dbsession, username: str, address: str) -> bool:
    since = utcnow() - THROTTLE_WINDOW
    by_username = dbsession.scalar(
        select(func.count()).where(LoginAttempt.username == username, LoginAttempt.attempted_at > since)
    )
    if by_username >= MAX_FAILURES_PER_USERNAME:
        return True
    by_address = dbsession.scalar(
        select(func.count()).where(LoginAttempt.address == address, LoginAttempt.attempted_at > since)
    )
    return by_address >= MAX_FAILURES_PER_ADDRESS


def login(dbsession, pluginmanager, settings, username: str, password: str, address: str) -> User:
    """Return the user for these credentials or raise ``LoginRefused``.

    Identity plugins (LDAP, SSO) are asked first through ``pishkhan_authenticate``. Failures are
    recorded (and committed with the request) so guessing is throttled per username and address.
    """
    username = normalize_username(username)
    if is_throttled(dbsession, username, address):
        raise LoginRefused(_("Too many failed attempts. Please wait 15 minutes and try again."))
    user = pluginmanager.hook.pishkhan_authenticate(
        dbsession=dbsession, login=username, password=password, settings=settings
    )
    if user is None:
        candidate = dbsession.scalar(select(User).where(User.username == username))
        valid = verify_password(candidate.password_hash if candidate else None, password)
        user = candidate if valid else None
    if not user:
        dbsession.add(LoginAttempt(username=username, address=address))
        raise LoginRefused(_("The username or password is not correct."))
    if not user.is_active:
        raise LoginRefused(_("This account is disabled. Please contact the service desk."))
    dbsession.execute(delete(LoginAttempt).where(LoginAttempt.username == username))
    return user


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(dbsession, user: User, name: str = "") -> str:
    """Create a token for ``user``; the token is returned once and only its digest is stored."""
    token = "pk_" + secrets.token_urlsafe(32)
    dbsession.add(ApiToken(user=user, digest=token_digest(token), name=name))
    return token


# A request's principals need the user's department and teams, and each team's department (the
# shared service center looks at their codes): loaded with the user, in the same query.
WITH_ORGANIZATION = (joinedload(User.department), joinedload(User.teams).joinedload(Team.department))
# Built once: every request of a signed-in user runs it, and building it cost more than running it.
_USER_WITH_ORGANIZATION = select(User).where(User.id == bindparam("user_id")).options(*WITH_ORGANIZATION)


def user_with_organization(dbsession, user_id: int) -> User | None:
    """The user ``user_id`` with ``WITH_ORGANIZATION`` loaded (``None`` if there is none)."""
    return dbsession.scalars(_USER_WITH_ORGANIZATION, {"user_id": user_id}).unique().one_or_none()


_USER_FOR_TOKEN = (
    select(User)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(ApiToken.digest == bindparam("digest"), ApiToken.revoked.is_(False), User.is_active.is_(True))
    .options(*WITH_ORGANIZATION)
)


def user_for_token(dbsession, token: str) -> User | None:
    """The active user of an unrevoked API token (``None`` if there is none)."""
    return dbsession.scalars(_USER_FOR_TOKEN, {"digest": token_digest(token)}).unique().one_or_none()
