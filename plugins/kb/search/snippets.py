"""Snippets: the article's own text (not the folded one), escaped, with ``<mark>`` around the
words that matched, cut to the passage of about thirty words that matches best."""
from __future__ import annotations

import functools
import re

from markupsafe import Markup, escape

from plugins.kb.search.words import words

# A written word as people see it: letters and digits with their diacritics, tatweel and ZWNJ.
_WRITTEN_WORD = re.compile(r"(?:[^\W_]|[\u0640\u064b-\u065f\u0670\u0654\u200c])+")
SNIPPET_WORDS = 30
LEAD = 4  # words shown before the first match
ELLIPSIS = "…"


@functools.lru_cache(maxsize=65536)
def folded(written: str) -> tuple[str, ...]:
    return tuple(words(written))


class Marker:
    """Decides which written words to mark for a query's words and prefixes."""

    def __init__(self, matched: frozenset[str], prefixes: tuple[str, ...] = ()):
        self.matched = matched
        self.prefixes = tuple(prefix for prefix in prefixes if prefix)
        self._decided: dict[str, bool] = {}  # a text repeats its words: each is decided once

    def marks(self, written: str) -> bool:
        decided = self._decided.get(written)
        if decided is None:
            decided = self._decided[written] = any(
                word in self.matched or (self.prefixes and word.startswith(self.prefixes)) for word in folded(written))
        return decided


def _render(text: str, tokens: list[re.Match], marked: list[bool], first: int, last: int) -> Markup:
    """``text`` from token ``first`` to token ``last``, escaped, marked tokens in ``<mark>``."""
    parts, position = [], tokens[first].start()
    for index in range(first, last + 1):
        if marked[index]:
            token = tokens[index]
            parts.append(escape(text[position:token.start()]))
            parts.append(Markup("<mark>%s</mark>") % token.group())
            position = token.end()
    parts.append(escape(text[position:tokens[last].end()]))
    return Markup("").join(parts)


def highlight(text: str, marker: Marker) -> Markup:
    """All of ``text`` (a title), escaped, matches marked."""
    tokens = list(_WRITTEN_WORD.finditer(text or ""))
    if not tokens:
        return escape(text or "")
    marked = [marker.marks(token.group()) for token in tokens]
    return (escape(text[:tokens[0].start()]) + _render(text, tokens, marked, 0, len(tokens) - 1)
            + escape(text[tokens[-1].end():]))


def snippet(text: str, marker: Marker, size: int = SNIPPET_WORDS) -> Markup:
    """About ``size`` words of ``text`` around its best run of matches, escaped and marked."""
    tokens = list(_WRITTEN_WORD.finditer(text or ""))
    if not tokens:
        return Markup("")
    marked = [marker.marks(token.group()) for token in tokens]
    hits = [index for index, is_marked in enumerate(marked) if is_marked][:200]
    first = 0
    if hits:
        best = max(hits, key=lambda start: sum(1 for hit in hits if start <= hit < start + size - LEAD))
        first = max(0, best - LEAD)
    last = min(len(tokens), first + size) - 1
    first = max(0, min(first, last - size + 1))
    body = _render(text, tokens, marked, first, last)
    before = Markup(ELLIPSIS + " ") if first > 0 else Markup("")
    after = Markup(" " + ELLIPSIS) if last < len(tokens) - 1 else Markup("")
    return before + body + after
