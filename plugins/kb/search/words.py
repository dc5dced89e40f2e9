"""Text to search words, the same way for articles and for what people type.

``core.normalize.search_key`` folds the variants (Arabic ي/ك, digits, ZWNJ, diacritics, tatweel,
case); the words are then the runs of letters and digits. Everything else — quotes, ``*``, ``-``,
``:``, parentheses — is a separator, so query syntax can never reach an engine.
"""
from __future__ import annotations

import re

from core.normalize import search_key

WORD = re.compile(r"[^\W_]+")

# Markdown that is markup, not text: images and links keep their text, not their address.
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<(?:https?|mailto):[^>]*>")
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_MARKS = re.compile(r"(?m)^\s{0,3}(?:#{1,6}|>|[-*+]|\d+[.)])\s+|[*_`~|]+|^-{3,}$")
_SPACES = re.compile(r"[ \t]+")


def words(text: str | None) -> list[str]:
    """The folded words of ``text``, in order."""
    return WORD.findall(search_key(text))


def index_text(text: str | None) -> str:
    """``text`` as an index stores it: folded words separated by single spaces."""
    return " ".join(words(text))


def markdown_text(markdown: str | None) -> str:
    """The readable text of an article body: Markdown marks, link addresses and tags removed."""
    text = _IMAGE.sub(r"\1", markdown or "")
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(" ", text)
    text = _HTML_TAG.sub(" ", text)
    text = _MARKS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()
