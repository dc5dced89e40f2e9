"""Ranking the engine's candidates for what the query asked, in Python.

An engine orders by its own formula (BM25, ts_rank) and returns the best few dozen candidates.
Here each candidate is scored by the *concepts* of the query it covers and where: a concept in
the title counts most, then in the tags, the summary and the body; a rare concept counts more
than a common one (its IDF); a synonym, a variant or a corrected typo a little less than the
word typed. A candidate that covers too small a share of the query is dropped, so a query whose
words match nothing meaningful returns nothing rather than the least bad article.
"""
from __future__ import annotations

from dataclasses import dataclass

from core.contracts import SearchHit
from plugins.kb.search.analysis import Alternative, QueryPlan

FIELDS = (("title", 1.0), ("tags", 0.9), ("summary", 0.7), ("body", 0.45))
ENGINE_ORDER = 0.03  # the engine's own order breaks ties (term frequency, length)


@dataclass(frozen=True)
class Candidate:
    """A document as the engine returns it: its index texts (folded words, space separated)."""

    article_id: int
    title: str
    tags: str
    summary: str
    body: str


class _Field:
    __slots__ = ("words", "text")

    def __init__(self, text: str):
        self.words = set(text.split())
        self.text = f" {text} "

    def has(self, alternative: Alternative) -> bool:
        if len(alternative.words) == 1 and not alternative.prefix:
            return alternative.words[0] in self.words
        phrase = " " + " ".join(alternative.words)
        return (phrase in self.text) if alternative.prefix else (phrase + " " in self.text)


def required_coverage(concepts: int) -> float:
    """The share of the query (by IDF) a document must cover: everything a one-word query asks
    (a corrected typo or a prefix will do), most of a short query, less of a long description."""
    if concepts <= 1:
        return 0.6
    if concepts <= 3:
        return 0.5
    if concepts <= 6:
        return 0.4
    return 0.3


def rank(plan: QueryPlan, candidates: list[Candidate], limit: int) -> list[SearchHit]:
    total = sum(concept.weight for concept in plan.concepts)
    if not total:
        return []
    needed = required_coverage(len(plan.concepts))
    scored = []
    for position, candidate in enumerate(candidates):
        fields = [(_Field(getattr(candidate, name)), weight) for name, weight in FIELDS]
        gained = covered = 0.0
        matched: set[str] = set()
        for concept in plan.concepts:
            best = anywhere = 0.0
            for alternative in concept.alternatives:
                for field, weight in fields:
                    if field.has(alternative):
                        best = max(best, alternative.weight * weight)
                        anywhere = max(anywhere, alternative.weight)
                        matched.update(alternative.words)
            gained += concept.weight * best
            covered += concept.weight * anywhere
        if covered / total < needed:
            continue
        score = gained / total + ENGINE_ORDER * (1 - position / max(len(candidates), 1))
        scored.append(SearchHit(candidate.article_id, round(score, 4), tuple(sorted(matched))))
    scored.sort(key=lambda hit: -hit.score)
    return scored[:limit]
