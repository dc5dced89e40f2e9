"""PostgreSQL full text: the production engine.

``kb_search_index`` holds each published article's folded words per field, its filters and two
``tsvector`` columns built with the ``simple`` configuration (no stemming: the analysis does the
Persian part): ``head`` (title A, tags and summary B) and ``document`` (head plus the body C),
each with a GIN index. ``kb_search_terms`` is the vocabulary with document frequencies, kept in
the same transaction as the index, with a trigram index (pg_trgm) to find the words nearest a
typo. Lexemes reach ``to_tsquery`` quoted, built from words only: never query syntax.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable

from sqlalchemy import text
from zope.interface import implementer

from core.contracts import SearchDocument, SearchQuery
from core.interfaces import ISearchBackend
from plugins.kb.search.analysis import Alternative
from plugins.kb.search.backend import (
    SOUNDING,
    TOGETHER,
    AnalyzingBackend,
    Branches,
    Budget,
    after_prefix,
    indexed_fields,
    nearest,
    word_counts,
)
from plugins.kb.search.ranking import Candidate
from plugins.kb.search.script import skeleton

# ts_rank weights of D, C (body), B (tags, summary), A (title).
RANK_WEIGHTS = "{0.1, 0.25, 0.5, 1.0}"
# Ranked on the short fields' vector: ``document`` is TOASTed (a few kB, compressed) and reading it
# for each matching row costs tens of microseconds; ``head`` is stored in the row. Documents that
# match in the body only come after, newest first, and Python ranks all of them again.
RANKED_ON = "head"
COLUMNS = "article_id, title, tags, summary, body"
NEAREST = 30  # trigram neighbours read for a typo, then filtered by edit distance

_HEAD = ("setweight(to_tsvector('simple', CAST(:title AS text)), 'A') || "
         "setweight(to_tsvector('simple', CAST(:tags AS text) || ' ' || CAST(:summary AS text)), 'B')")
_INSERT = text(
    "INSERT INTO kb_search_index (article_id, audience, department_id, title, tags, summary, body, head, document) "
    f"VALUES (:article_id, :audience, :department_id, :title, :tags, :summary, :body, {_HEAD}, "
    f"{_HEAD} || setweight(to_tsvector('simple', CAST(:body AS text)), 'C'))"
)
_OLD_TEXTS = text(
    "DELETE FROM kb_search_index WHERE article_id = ANY(:ids) RETURNING title, tags, summary, body"
)
_ADD_TERMS = text(
    "INSERT INTO kb_search_terms (term, docs, skeleton) SELECT * FROM unnest(CAST(:terms AS text[]), "
    "CAST(:counts AS int[]), CAST(:skeletons AS text[])) "
    "ON CONFLICT (term) DO UPDATE SET docs = kb_search_terms.docs + excluded.docs"
)
_REMOVE_TERMS = text(
    "UPDATE kb_search_terms AS t SET docs = t.docs - gone.docs "
    "FROM unnest(CAST(:terms AS text[]), CAST(:counts AS int[])) AS gone(term, docs) WHERE t.term = gone.term"
)
_SOUNDING = text("SELECT term, docs FROM kb_search_terms WHERE skeleton = ANY(:skeletons) AND docs > 0 "
                 f"ORDER BY docs DESC LIMIT {SOUNDING}")
_DROP_UNUSED = text("DELETE FROM kb_search_terms WHERE term = ANY(:terms) AND docs <= 0")
_FREQUENCIES = text("SELECT term, docs FROM kb_search_terms WHERE term = ANY(:terms) AND docs > 0")
_PREFIX_FREQUENCY = text("SELECT coalesce(sum(docs), 0) FROM kb_search_terms "
                         "WHERE term >= :prefix AND term < :end AND docs > 0")
# Trigram similarity of a one-letter slip in a three- or four-letter word is about 0.25-0.3.
_SIMILARITY = text("SELECT set_config('pg_trgm.similarity_threshold', '0.25', true)")
_SIMILAR = text(
    f"SELECT term, docs FROM kb_search_terms WHERE term % :term AND docs > 0 ORDER BY term <-> :term LIMIT {NEAREST}"
)


def lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_of(alternative: Alternative) -> str:
    """A lexeme, a phrase (``<->``), with ``:*`` for a prefix."""
    query = " <-> ".join(lexeme(word) for word in alternative.words)
    return query + ":*" if alternative.prefix else query


def any_of(alternatives: Iterable[Alternative]) -> str:
    return "(" + " | ".join(tsquery_of(alt) for alt in alternatives) + ")"


class TermsVocabulary:
    def __init__(self, backend: PostgresqlBackend, dbsession):
        self.backend = backend
        self.dbsession = dbsession

    def document_count(self) -> int:
        return self.backend.document_count.get(
            lambda: self.dbsession.execute(text("SELECT count(*) FROM kb_search_index")).scalar_one())

    def frequencies(self, terms: Collection[str]) -> dict[str, int]:
        return dict(self.dbsession.execute(_FREQUENCIES, {"terms": list(terms)}).all())

    def similar(self, term: str) -> dict[str, int]:
        self.dbsession.execute(_SIMILARITY)  # for this transaction only
        return nearest(term, dict(self.dbsession.execute(_SIMILAR, {"term": term}).all()))

    def sounding(self, skeletons: Collection[str]) -> dict[str, int]:
        return dict(self.dbsession.execute(_SOUNDING, {"skeletons": list(skeletons)}).all()) if skeletons else {}

    def prefix_frequency(self, prefix: str) -> int:
        return self.dbsession.execute(_PREFIX_FREQUENCY, {"prefix": prefix, "end": after_prefix(prefix)}).scalar_one()


@implementer(ISearchBackend)
class PostgresqlBackend(AnalyzingBackend):
    name = "postgresql"
    # Each document ranked is a heap row (and its TOASTed tsvector) read: a smaller budget than FTS5's.
    budget = Budget(anywhere=600, head=1_500, together=1_000)

    def vocabulary(self, dbsession) -> TermsVocabulary:
        return TermsVocabulary(self, dbsession)

    def index(self, dbsession, documents: Iterable[SearchDocument]) -> None:
        documents = list(documents)
        self.remove(dbsession, [document.article_id for document in documents])
        rows = [indexed_fields(document) for document in documents if document.published]
        if rows:
            dbsession.execute(_INSERT, rows)
            counts = word_counts((row["title"], row["tags"], row["summary"], row["body"]) for row in rows)
            terms = sorted(counts)  # sorted: concurrent publications lock the common words' rows in the same order
            dbsession.execute(_ADD_TERMS, {"terms": terms, "counts": [counts[term] for term in terms],
                                           "skeletons": [skeleton(term) for term in terms]})

    def remove(self, dbsession, article_ids: Iterable[int]) -> None:
        ids = list(article_ids)
        if ids:
            gone = word_counts(dbsession.execute(_OLD_TEXTS, {"ids": ids}))
            if gone:
                self._count_terms(dbsession, _REMOVE_TERMS, gone)
                dbsession.execute(_DROP_UNUSED, {"terms": sorted(gone)})
        self.document_count.forget()

    @staticmethod
    def _count_terms(dbsession, statement, counts: Counter) -> None:
        # Sorted: concurrent publications lock the common words' rows in the same order.
        terms = sorted(counts)
        dbsession.execute(statement, {"terms": terms, "counts": [counts[term] for term in terms]})

    def candidates(self, dbsession, branches: Branches, query: SearchQuery, limit: int) -> list[Candidate]:
        """The ranked branches by ts_rank; then the newest documents with every concept."""
        filters, params = "audience = ANY(:audiences)", {"audiences": list(query.audiences)}
        if query.department_ids is not None:
            filters += " AND department_id = ANY(:departments)"
            params["departments"] = list(query.department_ids)
        candidates = []
        if branches.ranked:
            where, ranked = [], dict(params, every=any_of(branches.ranked), limit=limit)
            if branches.anywhere:
                where.append("document @@ to_tsquery('simple', :anywhere)")
                ranked["anywhere"] = any_of(branches.anywhere)
            if branches.head:
                where.append("head @@ to_tsquery('simple', :head)")
                ranked["head"] = any_of(branches.head)
            sql = (f"SELECT {COLUMNS} FROM kb_search_index WHERE ({' OR '.join(where)}) AND {filters} "
                   f"ORDER BY ts_rank('{RANK_WEIGHTS}', {RANKED_ON}, to_tsquery('simple', :every)) DESC, "
                   "article_id DESC LIMIT :limit")
            candidates = [Candidate(*row) for row in dbsession.execute(text(sql), ranked).all()]
        if branches.together:
            column = "head" if branches.together_in_head else "document"
            sql = (f"SELECT {COLUMNS} FROM kb_search_index WHERE {column} @@ to_tsquery('simple', :together) "
                   f"AND {filters} ORDER BY article_id DESC LIMIT :limit")
            together = " & ".join(any_of(concept) for concept in branches.together)
            seen = {candidate.article_id for candidate in candidates}
            newest = dbsession.execute(text(sql), dict(params, together=together, limit=TOGETHER)).all()
            candidates += [c for c in (Candidate(*row) for row in newest) if c.article_id not in seen]
        return candidates
