"""What the built-in engines share: analysis, which alternatives each engine branch gets, ranking.

An engine only has to store documents, look words up in its vocabulary and return candidates for
a ``Branches`` value. Every engine sees the same concepts and the same ranking, so SQLite and
PostgreSQL find the same articles.

Why branches: ranking every document that holds a common word (BM25 or ts_rank for each) costs
time in proportion to that word's documents. So an engine ranks only within a budget of
documents (see ``Branches`` and each engine's ``Budget``): the rare alternatives anywhere, the
next ones in the short fields; and it adds, unranked and newest first, the documents with the
query's most specific concepts together (AND), which it can read without going through all of
them. Python ranks the union by how much of the query each document covers.
"""
from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from core.contracts import SearchDocument, SearchHit, SearchQuery
from plugins.kb.search.analysis import FUZZY, Alternative, Concept, QueryPlan, Vocabulary, analyze
from plugins.kb.search.ranking import Candidate, rank
from plugins.kb.search.words import WORD

CANDIDATES = 30  # documents the engine ranks for the query's words, for Python to rank again
TOGETHER = 40  # documents with every concept the engine adds, newest first
TOGETHER_CONCEPTS = 3  # the most specific concepts asked together
COMMON = 0.7  # an IDF below this (a word in about half the documents) says too little to be asked for
FUZZY_CHOICES = 3  # nearest vocabulary words kept for a typo
SOUNDING = 200  # vocabulary words read for the sound skeletons of a query's unknown words


@dataclass(frozen=True)
class Budget:
    """How many documents an engine may go through for one query, in postings (documents per word,
    summed): ``anywhere`` for the words it ranks in every field, ``head`` for the words it ranks
    in the short fields, ``together`` for the documents with every concept."""

    anywhere: int = 2_500
    head: int = 6_000
    together: int = 5_000


@dataclass(frozen=True)
class Branches:
    """What the engine is asked.

    Ranked by the engine (BM25, ts_rank), joined by OR: ``anywhere``, the rarest alternatives in
    any field within the budget; ``head``, the next ones in the title, tags and summary within
    theirs. An engine's ranking weighs each word by reading all its documents,
    so common words stay out of it.

    ``together``: the most specific concepts at once (AND), each by any of its alternatives — the
    documents that answer the query, however common its words. The engine returns the newest of
    them unranked (it can stop early); in the short fields only (``together_in_head``) when they
    may be more than ``TOGETHER_POSTINGS``.
    """

    anywhere: tuple[Alternative, ...] = ()
    head: tuple[Alternative, ...] = ()
    together: tuple[tuple[Alternative, ...], ...] = ()
    together_in_head: bool = False

    @property
    def ranked(self) -> tuple[Alternative, ...]:
        return self.anywhere + self.head

    @classmethod
    def of(cls, plan: QueryPlan, budget: Budget) -> Branches:
        every = [alt for concept in plan.concepts for alt in concept.alternatives]
        anywhere, head, spent_anywhere, spent_head = [], [], 0, 0
        for alternative in sorted(every, key=lambda alt: alt.frequency):
            if spent_anywhere + alternative.frequency <= budget.anywhere:
                anywhere.append(alternative)
                spent_anywhere += alternative.frequency
            elif spent_head + alternative.frequency <= budget.head:
                head.append(alternative)
                spent_head += alternative.frequency
        specific = sorted((c for c in plan.concepts if c.alternatives and c.weight >= COMMON), key=lambda c: -c.weight)
        concepts = tuple(sure_alternatives(concept) for concept in specific[:TOGETHER_CONCEPTS])
        together, in_head = (), False
        if len(concepts) > 1 or (concepts and len(anywhere) + len(head) < len(every)):
            together = concepts
            in_head = min(sum(alt.frequency for alt in concept) for concept in concepts) > budget.together
        return cls(tuple(anywhere), tuple(head), together, in_head)


def sure_alternatives(concept: Concept) -> tuple[Alternative, ...]:
    """The alternatives that stand for the whole concept (not one word of a compound, nor the
    completion of a word being typed when the concept has others)."""
    sure = tuple(alt for alt in concept.alternatives if alt.weight >= FUZZY and not alt.prefix)
    return sure or tuple(concept.alternatives)


def document_words(text: str) -> str:
    """Index text as the engines store it: the words only, single spaces (already folded)."""
    return " ".join(WORD.findall(text or ""))


def indexed_fields(document: SearchDocument) -> dict:
    return {
        "article_id": document.article_id,
        "audience": document.audience,
        "department_id": document.department_id,
        "title": document_words(document.title),
        "tags": document_words(document.tags),
        "summary": document_words(document.summary),
        "body": document_words(document.body),
    }


def word_counts(rows: Iterable) -> Counter:
    """Documents per word over (title, tags, summary, body) rows of index text."""
    counts: Counter = Counter()
    for row in rows:
        counts.update(set(" ".join(row).split()))
    return counts


def after_prefix(prefix: str) -> str:
    """The first string after every word that starts with ``prefix`` (code point order)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


# Letters told apart by their dots only, or said alike: the likely slips in a short word.
CONFUSED = ("بپتث", "جچحخ", "دذ", "رزژ", "سشصث", "صض", "طظت", "عغ", "فق", "کگ", "زذضظ", "هح", "قغ", "اع")
SHORT = 3  # letters of a word in which only a dropped letter or a confused one counts as a typo


def confused(a: str, b: str) -> bool:
    return any(a in letters and b in letters for letters in CONFUSED)


def likely_typo(typed: str, word: str) -> bool:
    """``word`` is one edit from ``typed``; in a short word, only a letter left out or one
    confused with a look-alike or sound-alike («وحد» → «واحد», «چاب» → «چاپ», not «نور» → «نوع»)."""
    if len(typed) > SHORT:
        return True
    if len(word) == len(typed) + 1:
        return any(word[:i] + word[i + 1:] == typed for i in range(len(word)))
    if len(word) == len(typed):
        differ = [(a, b) for a, b in zip(typed, word, strict=True) if a != b]
        return len(differ) == 1 and confused(*differ[0])
    return False


def nearest(term: str, candidates: dict[str, int]) -> dict[str, int]:
    """The vocabulary words one edit (a letter added, dropped, changed, or two swapped) away."""
    close = {word: frequency for word, frequency in candidates.items()
             if word != term and OSA.distance(term, word, score_cutoff=1) <= 1 and likely_typo(term, word)}
    best = sorted(close, key=lambda word: -close[word])[:FUZZY_CHOICES]
    return {word: close[word] for word in best}


class DocumentCount:
    """The number of indexed documents, remembered a few seconds per process: an IDF needs an
    estimate, not a count of the table on every query."""

    def __init__(self, seconds: float = 30.0):
        self.seconds = seconds
        self._lock = threading.Lock()
        self._value: tuple[float, int] | None = None

    def get(self, count) -> int:
        remembered = self._value
        if remembered is not None and time.monotonic() - remembered[0] < self.seconds:
            return remembered[1]
        value = count()
        with self._lock:
            self._value = (time.monotonic(), value)
        return value

    def forget(self) -> None:
        self._value = None


class AnalyzingBackend:
    """The search of every built-in engine; subclasses store documents and answer branches."""

    name = ""
    budget = Budget()

    def __init__(self):
        self.document_count = DocumentCount()

    def vocabulary(self, dbsession) -> Vocabulary:
        raise NotImplementedError

    def candidates(self, dbsession, branches: Branches, query: SearchQuery, limit: int) -> list[Candidate]:
        raise NotImplementedError

    def search(self, dbsession, query: SearchQuery) -> list[SearchHit]:
        plan = analyze(query.text, query.synonyms, self.vocabulary(dbsession))
        if not any(concept.alternatives for concept in plan.concepts):
            return []
        candidates = self.candidates(dbsession, Branches.of(plan, self.budget), query, max(CANDIDATES, query.limit * 2))
        return rank(plan, candidates, query.limit)
