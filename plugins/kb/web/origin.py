"""Where a reader came to an article from, and what they had typed there.

An article opened from a search on ``/kb`` or from the suggestions on the request form carries
``from=search|deflection`` and the text typed (``q`` or ``draft``) in its address, and its forms
carry them on, so "I still need help" brings the requester back to the request form with that
text, without keeping anything on the server.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from core.normalize import normalize_line

SEARCH = "search"
DEFLECTION = "deflection"
MAX_QUERY = 500  # longer searches are cut (the page says so)
MAX_DRAFT = 300  # a request's subject
SHORT_SUBJECT = 100  # a long search becomes the description, its beginning the subject


def has_words(text: str) -> bool:
    """At least one letter or digit: anything else (``"?!"``, ``"***"``) is not a search."""
    return any(char.isalnum() for char in text)


def department_id(text: str) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdecimal() and len(text) < 10 else None


@dataclass(frozen=True)
class Origin:
    source: str = ""  # "", SEARCH or DEFLECTION
    draft: str = ""  # the subject typed on the request form
    query: str = ""  # the search typed on /kb
    department_id: int | None = None

    @classmethod
    def from_params(cls, params) -> Origin:
        source = params.get("from", "")
        if source not in (SEARCH, DEFLECTION):
            return cls()
        return cls(source=source, draft=normalize_line(params.get("draft", ""))[:MAX_DRAFT],
                   query=normalize_line(params.get("q", ""))[:MAX_QUERY],
                   department_id=department_id(params.get("department", "")))

    @property
    def offers_outcome(self) -> bool:
        """"This solved my problem" / "I still need help" are asked of readers who were looking."""
        return bool(self.source)

    @property
    def trail_source(self) -> str:
        return DEFLECTION if self.source == DEFLECTION else "portal"

    def params(self) -> dict[str, str]:
        """The query string (or hidden fields) that carry the origin on."""
        if not self.source:
            return {}
        values = {"from": self.source, "draft": self.draft, "q": self.query,
                  "department": str(self.department_id) if self.department_id is not None else ""}
        return {name: value for name, value in values.items() if value}

    def query_string(self) -> str:
        """``params`` as the query of a link (with its ``?``), encoded once for a list of links."""
        params = self.params()
        return "?" + urlencode(params) if params else ""

    def request_form(self) -> dict[str, str]:
        """What the request form starts with: the department and the text typed, as subject (and
        description when it is too long for a subject)."""
        text = self.draft or self.query
        values = {"department": str(self.department_id) if self.department_id is not None else ""}
        if len(text) <= MAX_DRAFT:
            values["subject"] = text
        else:
            values["subject"] = text[:SHORT_SUBJECT].rsplit(" ", 1)[0] + "…"
            values["description"] = text
        return {name: value for name, value in values.items() if value}
