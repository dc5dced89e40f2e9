"""Finding the person at the front desk: accounts and the guests of earlier tickets.

The agent types one thing — a national code, a mobile number or part of a name — with whatever
keyboard they have (Persian, Arabic or Latin digits, Arabic ي/ك). ``search`` answers with
``Person`` values: users of any role, and guests (people without an account) as they appear on
earlier tickets. A person is picked by ``Person.key``: ``user:<id>``, or ``guest:<ticket id>``
for a guest, whose details are read back from that (most recent) ticket by ``find``.

Cost, with a million tickets in mind: digits are looked up through indexes only — exact
``core_users.national_code`` (unique) and ``core_users.mobile`` / ``tickets_tickets.guest_mobile``
(indexed), or a prefix written as an index range (``>= '0912' AND < '0913'``), read in index order
with a limit so even a short prefix stops early. Names cannot use a B-tree index with
``LIKE '%…%'``: users are scanned in primary-key order until ``limit`` matches (the user table is
small next to tickets), and guests only among the most recent ``GUEST_NAME_WINDOW`` tickets, a
primary-key range. Older guests are still found by their mobile. A trigram index (pg_trgm) would
lift that window on PostgreSQL. A guest's national code is not indexed on tickets, so guests
are found by mobile and name only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core.models import User
from core.normalize import is_valid_mobile, is_valid_national_code, normalize_digits, normalize_line, normalize_mobile
from plugins.tickets.models import Ticket

RESULTS_PER_KIND = 8
# Rows of guest tickets read for one search; the same guest on many tickets is shown once.
GUEST_ROWS = 50
GUEST_NAME_WINDOW = 100_000
MIN_DIGITS = 4
MIN_NAME_LENGTH = 2
MAX_QUERY_LENGTH = 100
_DIGITS_ONLY = re.compile(r"[\d\s\-+()]+")


@dataclass(frozen=True)
class Person:
    """Someone who can be the requester of a ticket."""

    key: str
    name: str
    mobile: str | None = None
    national_code: str | None = None
    email: str | None = None
    is_user: bool = False


def search(dbsession: Session, text: str | None, limit: int = RESULTS_PER_KIND) -> list[Person]:
    """Accounts, then earlier guests, matching ``text``; empty for too short a query."""
    line = normalize_line((text or "")[:MAX_QUERY_LENGTH])
    if _DIGITS_ONLY.fullmatch(line):
        digits = normalize_digits(line)
        if len(digits) < MIN_DIGITS:
            return []
        return _users_by_digits(dbsession, digits, limit) + _guests_by_mobile(dbsession, digits, limit)
    if len(line) < MIN_NAME_LENGTH:
        return []
    return _users_by_name(dbsession, line, limit) + _guests_by_name(dbsession, line, limit)


def find(dbsession: Session, key: str | None) -> Person | None:
    """The person a form picked by ``key``; ``None`` when the key names nobody (or was forged)."""
    kind, _sep, number = (key or "").partition(":")
    if not number.isdigit() or len(number) > 18:
        return None
    if kind == "user":
        user = dbsession.get(User, int(number))
        return _user(user) if user is not None and user.is_active else None
    if kind == "guest":
        row = dbsession.execute(_guest_columns().where(Ticket.id == int(number), Ticket.requester_id.is_(None))).first()
        return _guest(row) if row is not None and (row.guest_mobile or row.guest_email) else None
    return None


# --- accounts ---------------------------------------------------------------------------------

def _users_by_digits(dbsession: Session, digits: str, limit: int) -> list[Person]:
    mobile = normalize_mobile(digits)
    exact = []
    if is_valid_mobile(mobile):
        exact.append(User.mobile == mobile)
    if is_valid_national_code(digits):
        exact.append(User.national_code == digits)
    if exact:
        return _users_where(dbsession, or_(*exact), User.id, limit)
    by_mobile = _users_where(dbsession, _prefix(User.mobile, mobile), User.mobile, limit)
    by_code = _users_where(dbsession, _prefix(User.national_code, digits), User.national_code, limit)
    return _unique(by_mobile + by_code)[:limit]


def _users_by_name(dbsession: Session, name: str, limit: int) -> list[Person]:
    return _users_where(dbsession, User.full_name.icontains(name, autoescape=True), User.id, limit)


def _users_where(dbsession: Session, condition, order, limit: int) -> list[Person]:
    users = dbsession.scalars(select(User).where(condition, User.is_active.is_(True)).order_by(order).limit(limit))
    return [_user(user) for user in users]


def _user(user: User) -> Person:
    return Person(key=f"user:{user.id}", name=user.full_name, mobile=user.mobile, national_code=user.national_code,
                  email=user.email, is_user=True)


# --- guests -----------------------------------------------------------------------------------

def _guests_by_mobile(dbsession: Session, digits: str, limit: int) -> list[Person]:
    mobile = normalize_mobile(digits)
    if is_valid_mobile(mobile):
        query = _guest_columns().where(Ticket.guest_mobile == mobile).order_by(Ticket.id.desc())
    else:
        query = _guest_columns().where(_prefix(Ticket.guest_mobile, mobile)).order_by(Ticket.guest_mobile)
    return _distinct_guests(dbsession, query, limit)


def _guests_by_name(dbsession: Session, name: str, limit: int) -> list[Person]:
    newest = dbsession.scalar(select(func.max(Ticket.id))) or 0
    query = (
        _guest_columns()
        .where(Ticket.id > newest - GUEST_NAME_WINDOW, Ticket.guest_name.icontains(name, autoescape=True))
        .order_by(Ticket.id.desc())
    )
    return _distinct_guests(dbsession, query, limit)


def _guest_columns():
    return select(Ticket.id, Ticket.guest_name, Ticket.guest_mobile, Ticket.guest_email,
                  Ticket.guest_national_code).where(Ticket.requester_id.is_(None))


def _distinct_guests(dbsession: Session, query, limit: int) -> list[Person]:
    """One person per name and mobile, as on their most recent ticket among the rows read."""
    newest: dict[tuple, object] = {}
    for row in dbsession.execute(query.limit(GUEST_ROWS)):
        identity = (row.guest_name or "", row.guest_mobile or row.guest_email)
        if identity not in newest or newest[identity].id < row.id:
            newest[identity] = row
    return [_guest(row) for row in newest.values()][:limit]


def _guest(row) -> Person:
    return Person(key=f"guest:{row.id}", name=row.guest_name or "", mobile=row.guest_mobile,
                  national_code=row.guest_national_code, email=row.guest_email)


# --- helpers ----------------------------------------------------------------------------------

def _prefix(column, digits: str):
    """``column`` starts with ``digits``, as a range an index can serve on any database and
    collation: ``'0912' <= column < '0913'`` (digit strings sort the same everywhere)."""
    if not digits or set(digits) == {"9"}:
        return column >= digits
    upper = str(int(digits) + 1).zfill(len(digits))
    return (column >= digits) & (column < upper)


def _unique(people: list[Person]) -> list[Person]:
    return list({person.key: person for person in people}.values())
