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
from plugins.kb.search.backend import AnalyzingBackend, Branches, indexed_fields, nearest
from plugins.kb.search.ranking import Candidate

# ts_rank weights of D, C (body), B (tags, summary), A (title).
RANK_WEIGHTS = "{0.1, 0.25, 0.5, 1.0}"
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
    "INSERT INTO kb_search_terms (term, docs) SELECT * FROM unnest(CAST(:terms AS text[]), CAST(:counts AS int[])) "
    "ON CONFLICT (term) DO UPDATE SET docs = kb_search_terms.docs + excluded.docs"
)
_REMOVE_TERMS = text(
    "UPDATE kb_search_terms AS t SET docs = t.docs - gone.docs "
    "FROM unnest(CAST(:terms AS text[]), CAST(:counts AS int[])) AS gone(term, docs) WHERE t.term = gone.term"
)
_DROP_UNUSED = text("DELETE FROM kb_search_terms WHERE term = ANY(:terms) AND docs <= 0")
_FREQUENCIES = text("SELECT term, docs FROM kb_search_terms WHERE term = ANY(:terms) AND docs > 0")
_NEAREST = text(
    f"SELECT term, docs FROM kb_search_terms WHERE docs > 0 ORDER BY term <-> :term LIMIT {NEAREST}"
)


def lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_of(alternative: Alternative) -> str:
    """A lexeme, a phrase (``<->``), with ``:*`` for a prefix."""
    query = " <-> ".join(lexeme(word) for word in alternative.words)
    return query + ":*" if alternative.prefix else query


def any_of(alternatives: Iterable[Alternative]) -> str:
    return "(" + " | ".join(tsquery_of(alt) for alt in alternatives) + ")"


def word_counts(rows: Iterable) -> Counter:
    """Documents per word over the given (title, tags, summary, body) rows."""
    counts: Counter = Counter()
    for row in rows:
        counts.update(set(" ".join(row).split()))
    return counts


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
        return nearest(term, dict(self.dbsession.execute(_NEAREST, {"term": term}).all()))


@implementer(ISearchBackend)
class PostgresqlBackend(AnalyzingBackend):
    name = "postgresql"

    def vocabulary(self, dbsession) -> TermsVocabulary:
        return TermsVocabulary(self, dbsession)

    def index(self, dbsession, documents: Iterable[SearchDocument]) -> None:
        documents = list(documents)
        self.remove(dbsession, [document.article_id for document in documents])
        rows = [indexed_fields(document) for document in documents if document.published]
        if rows:
            dbsession.execute(_INSERT, rows)
            self._count_terms(dbsession, _ADD_TERMS, word_counts(
                (row["title"], row["tags"], row["summary"], row["body"]) for row in rows))

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
        where = ["head @@ to_tsquery('simple', :every)"]
        params = {"every": any_of(branches.short_fields), "audiences": list(query.audiences), "limit": limit}
        if branches.whole_text:
            where.append("document @@ to_tsquery('simple', :whole_text)")
            params["whole_text"] = any_of(branches.whole_text)
        if branches.conjunction:
            where.append("document @@ to_tsquery('simple', :conjunction)")
            params["conjunction"] = " & ".join(any_of(concept) for concept in branches.conjunction)
        sql = ("SELECT article_id, title, tags, summary, body FROM kb_search_index "
               f"WHERE ({' OR '.join(where)}) AND audience = ANY(:audiences) ")
        if query.department_ids is not None:
            sql += "AND department_id = ANY(:departments) "
            params["departments"] = list(query.department_ids)
        sql += (f"ORDER BY ts_rank('{RANK_WEIGHTS}', document, to_tsquery('simple', :every)) DESC, article_id "
                "LIMIT :limit")
        return [Candidate(*row) for row in dbsession.execute(text(sql), params)]
