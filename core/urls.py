"""Where a redirect after a form may go: only to a path on this site."""
from __future__ import annotations


def local_path(value: str | None) -> str | None:
    """``value`` when it is a path on this site, else ``None``.

    ``//host`` and ``/\\host`` are read by browsers as another site, and control characters can
    smuggle one in, so they are refused.
    """
    if not value or not value.startswith("/") or value[1:2] in ("/", "\\"):
        return None
    if any(ord(char) < 32 for char in value):
        return None
    return value
