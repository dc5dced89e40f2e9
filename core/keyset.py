"""Keyset pagination: the sort key of a page's last row is the cursor of the next page.

A cursor is the sort's name and its key as URL-safe base64 JSON; it is opaque to callers but not
secret, so whoever reads it back checks it (``decode`` refuses another sort's or a forged one).
"""
from __future__ import annotations

import base64
import binascii
import json
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, or_


class BadCursor(ValueError):
    """A cursor of another sort, or one nobody here made."""


def after(columns, key: list) -> ColumnElement[bool]:
    """Rows strictly after ``key`` in the order of ``columns`` (``(column, descending)`` pairs)."""
    alternatives = []
    for position, (column, descending) in enumerate(columns):
        equal = [columns[i][0] == key[i] for i in range(position)]
        beyond = column < key[position] if descending else column > key[position]
        alternatives.append(and_(*equal, beyond))
    return or_(*alternatives)


def encode(sort: str, key: list) -> str:
    """Dates and times travel as ISO text; ``decode``'s caller turns them back."""
    key = [value.isoformat() if isinstance(value, date | datetime) else value for value in key]
    raw = json.dumps({"s": sort, "k": key}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, sort: str, length: int) -> list:
    """The key of ``length`` values in ``cursor``, the last an integer id; raises ``BadCursor``."""
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        key = data["k"]
        valid = (data["s"] == sort and isinstance(key, list) and len(key) == length
                 and isinstance(key[-1], int) and not isinstance(key[-1], bool))
    except (ValueError, TypeError, KeyError, binascii.Error):
        raise BadCursor(cursor) from None
    if not valid:
        raise BadCursor(cursor)
    return key
