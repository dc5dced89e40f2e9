"""What the built-in engines share: analysis, which alternatives each engine branch gets, ranking.

An engine only has to store documents, look words up in its vocabulary and return candidates for
a ``Branches`` value. Every engine sees the same concepts and the same ranking, so SQLite and
PostgreSQL find the same articles.

Why branches: ranking every document that holds a common word (BM25 or ts_rank for each) costs
time in proportion to that word's documents. So the engine query is three branches joined by OR:
every alternative in the short fields (title, tags, summary); in the whole text only the
alternatives that are rare enough, within a budget of postings; and all concepts together (AND),
whose documents are few however common each word is. Python ranks what comes back.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from core.contracts import SearchDocument, SearchHit, SearchQuery
from plugins.kb.search.analysis import Alternative, QueryPlan, Vocabulary, analyze
from plugins.kb.search.ranking import Candidate, rank
from plugins.kb.search.words import WORD

CANDIDATES = 60  # documents the engine returns for ranking
BODY_POSTINGS = 12_000  # documents the whole-text branch may rank, summed over its words
MIN_BODY_PREFIX = 4  # letters before a word being typed is completed in the whole text too
MAX_CONJUNCTION = 6  # concepts of a query whose AND branch is still worth asking
FUZZY_CHOICES = 3  # nearest vocabulary words kept for a typo


@dataclass(frozen=True)
class Branches:
    """The alternatives each branch of the engine query gets; empty tuples mean no branch."""

    short_fields: tuple[Alternative, ...]
    whole_text: tuple[Alternative, ...]
    conjunction: tuple[tuple[Alternative, ...], ...]

    @classmethod
    def of(cls, plan: QueryPlan) -> Branches:
        every = tuple(alt for concept in plan.concepts for alt in concept.alternatives)
        whole_text, postings = [], 0
        for alternative in sorted(every, key=lambda alt: alt.frequency):
            if alternative.prefix:
                if len(alternative.words[-1]) >= MIN_BODY_PREFIX:
                    whole_text.append(alternative)
            elif len(alternative.words) > 1 or postings + alternative.frequency <= BODY_POSTINGS:
                whole_text.append(alternative)
                postings += alternative.frequency
        conjunction = ()
        if 2 <= len(plan.concepts) <= MAX_CONJUNCTION and all(c.alternatives for c in plan.concepts):
            conjunction = tuple(tuple(concept.alternatives) for concept in plan.concepts)
        return cls(every, tuple(whole_text), conjunction)


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


def nearest(term: str, candidates: dict[str, int]) -> dict[str, int]:
    """The vocabulary words one edit (a letter added, dropped, changed, or two swapped) away."""
    close = {word: frequency for word, frequency in candidates.items()
             if word != term and OSA.distance(term, word, score_cutoff=1) <= 1}
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
        candidates = self.candidates(dbsession, Branches.of(plan), query, max(CANDIDATES, query.limit * 3))
        return rank(plan, candidates, query.limit)
