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


def required_coverage(concepts: int) -> float:
    """The share of the query (by IDF) a document must cover: everything a one-word query asks
    (a corrected typo or a prefix will do), most of a short query, less of a long description."""
    if concepts <= 1:
        return 0.6
    if concepts <= 3:
        return 0.5
    if concepts <= 6:
        return 0.4
    return 0.25


def rank(plan: QueryPlan, candidates: list[Candidate], limit: int) -> list[SearchHit]:
    total = sum(concept.weight for concept in plan.concepts)
    if not total:
        return []
    needed = required_coverage(len(plan.concepts))
    # Single words are looked up in each field's set of words; phrases and prefixes in its text.
    by_word: dict[str, list[tuple[int, float]]] = {}
    spelled: list[tuple[int, Alternative]] = []
    for index, concept in enumerate(plan.concepts):
        for alternative in concept.alternatives:
            if len(alternative.words) == 1 and not alternative.prefix:
                by_word.setdefault(alternative.words[0], []).append((index, alternative.weight))
            else:
                spelled.append((index, alternative))
    words = by_word.keys()
    scored = []
    for position, candidate in enumerate(candidates):
        best = [0.0] * len(plan.concepts)  # the concept's strongest match: alternative × field weight
        anywhere = [0.0] * len(plan.concepts)  # the concept's strongest alternative in any field
        matched: set[str] = set()
        for name, field_weight in FIELDS:
            text = getattr(candidate, name)
            present = words & set(text.split())
            for word in present:
                for index, weight in by_word[word]:
                    best[index] = max(best[index], weight * field_weight)
                    anywhere[index] = max(anywhere[index], weight)
            matched |= present
            if spelled:
                padded = f" {text} "
                for index, alternative in spelled:
                    phrase = " " + " ".join(alternative.words)
                    if (phrase in padded) if alternative.prefix else (phrase + " " in padded):
                        best[index] = max(best[index], alternative.weight * field_weight)
                        anywhere[index] = max(anywhere[index], alternative.weight)
                        matched.update(alternative.words)
        weights = [concept.weight for concept in plan.concepts]
        if sum(w * a for w, a in zip(weights, anywhere, strict=True)) / total < needed:
            continue
        gained = sum(w * b for w, b in zip(weights, best, strict=True))
        score = gained / total + ENGINE_ORDER * (1 - position / max(len(candidates), 1))
        scored.append(SearchHit(candidate.article_id, round(score, 4), tuple(sorted(matched))))
    scored.sort(key=lambda hit: -hit.score)
    return scored[:limit]
