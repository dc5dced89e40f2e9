"""SQLite FTS5: the embedded setup's engine.

``kb_search_docs`` holds each published article's folded words per field and its filters;
``kb_search_fts`` is an FTS5 index over it (external content), ranked with BM25 and a title
boost; ``kb_search_terms`` is the vocabulary with document frequencies, kept in the same
transaction (fts5vocab would read a word's whole posting list to count it, on every look-up).
Typos: every spelling one edit away is looked up in the vocabulary at once.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy import bindparam, text
from zope.interface import implementer

from core.contracts import SearchDocument, SearchQuery
from core.interfaces import ISearchBackend
from plugins.kb.search.analysis import Alternative
from plugins.kb.search.backend import (
    SOUNDING,
    TOGETHER,
    AnalyzingBackend,
    Branches,
    after_prefix,
    indexed_fields,
    nearest,
    word_counts,
)
from plugins.kb.search.ranking import Candidate
from plugins.kb.search.script import skeleton

PERSIAN_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# BM25 column weights: title, tags, summary, body.
BM25 = "bm25(kb_search_fts, 10.0, 6.0, 4.0, 1.0)"
HEAD = "{title tags summary} : "
CHUNK = 500  # bound parameters per statement

_INSERT_DOCS = text(
    "INSERT INTO kb_search_docs (article_id, audience, department_id, title, tags, summary, body) "
    "VALUES (:article_id, :audience, :department_id, :title, :tags, :summary, :body)"
)
_INSERT_FTS = text(
    "INSERT INTO kb_search_fts (rowid, title, tags, summary, body) "
    "VALUES (:article_id, :title, :tags, :summary, :body)"
)
_DELETE_FTS = text(
    "INSERT INTO kb_search_fts (kb_search_fts, rowid, title, tags, summary, body) "
    "SELECT 'delete', article_id, title, tags, summary, body FROM kb_search_docs WHERE article_id IN :ids"
).bindparams(bindparam("ids", expanding=True))
_OLD_TEXTS = text("SELECT title, tags, summary, body FROM kb_search_docs WHERE article_id IN :ids").bindparams(
    bindparam("ids", expanding=True))
_DELETE_DOCS = text("DELETE FROM kb_search_docs WHERE article_id IN :ids").bindparams(
    bindparam("ids", expanding=True))
_ADD_TERMS = text("INSERT INTO kb_search_terms (term, docs, skeleton) VALUES (:term, :docs, :skeleton) "
                  "ON CONFLICT (term) DO UPDATE SET docs = docs + excluded.docs")
_REMOVE_TERMS = text("UPDATE kb_search_terms SET docs = docs - :docs WHERE term = :term")
_DROP_UNUSED = text("DELETE FROM kb_search_terms WHERE docs <= 0 AND term IN :terms").bindparams(
    bindparam("terms", expanding=True))
_PREFIX_FREQUENCY = text("SELECT coalesce(sum(docs), 0) FROM kb_search_terms WHERE term >= :prefix AND term < :end")
_FREQUENCIES = text("SELECT term, docs FROM kb_search_terms WHERE term IN :terms AND docs > 0").bindparams(
    bindparam("terms", expanding=True))
_SOUNDING = text("SELECT term, docs FROM kb_search_terms WHERE skeleton IN :skeletons AND docs > 0 "
                 f"ORDER BY docs DESC LIMIT {SOUNDING}").bindparams(bindparam("skeletons", expanding=True))


def quoted(alternative: Alternative) -> str:
    """An FTS5 string (a word or a phrase), never syntax; ``*`` after it for a prefix."""
    phrase = '"' + " ".join(alternative.words).replace('"', '""') + '"'
    return phrase + " *" if alternative.prefix else phrase


def any_of(alternatives: Iterable[Alternative]) -> str:
    return "(" + " OR ".join(quoted(alt) for alt in alternatives) + ")"


def ranked_expression(branches: Branches) -> str:
    parts = []
    if branches.anywhere:
        parts.append(any_of(branches.anywhere))
    if branches.head:
        parts.append(HEAD + any_of(branches.head))
    return " OR ".join(parts)


def together_expression(branches: Branches) -> str:
    every_concept = "(" + " AND ".join(any_of(concept) for concept in branches.together) + ")"
    return HEAD + every_concept if branches.together_in_head else every_concept


def one_edit_away(word: str) -> set[str]:
    letters = PERSIAN_LETTERS if not word.isascii() else LATIN_LETTERS
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    found = {left + right[1:] for left, right in splits if right}
    found |= {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    found |= {left + letter + right[1:] for left, right in splits if right for letter in letters}
    found |= {left + letter + right for left, right in splits for letter in letters}
    found.discard(word)
    return found


class FtsVocabulary:
    def __init__(self, backend: SqliteFtsBackend, dbsession):
        self.backend = backend
        self.dbsession = dbsession

    def document_count(self) -> int:
        return self.backend.document_count.get(
            lambda: self.dbsession.execute(text("SELECT count(*) FROM kb_search_docs")).scalar_one())

    def frequencies(self, terms: Collection[str]) -> dict[str, int]:
        terms = list(terms)
        found: dict[str, int] = {}
        for start in range(0, len(terms), CHUNK):
            found.update(self.dbsession.execute(_FREQUENCIES, {"terms": terms[start:start + CHUNK]}).all())
        return found

    def similar(self, term: str) -> dict[str, int]:
        return nearest(term, self.frequencies(one_edit_away(term)))

    def sounding(self, skeletons: Collection[str]) -> dict[str, int]:
        return dict(self.dbsession.execute(_SOUNDING, {"skeletons": list(skeletons)}).all()) if skeletons else {}

    def prefix_frequency(self, prefix: str) -> int:
        return self.dbsession.execute(_PREFIX_FREQUENCY, {"prefix": prefix, "end": after_prefix(prefix)}).scalar_one()


@implementer(ISearchBackend)
class SqliteFtsBackend(AnalyzingBackend):
    name = "sqlite-fts5"

    def vocabulary(self, dbsession) -> FtsVocabulary:
        return FtsVocabulary(self, dbsession)

    def index(self, dbsession, documents: Iterable[SearchDocument]) -> None:
        documents = list(documents)
        self.remove(dbsession, [document.article_id for document in documents])
        rows = [indexed_fields(document) for document in documents if document.published]
        if rows:
            dbsession.execute(_INSERT_DOCS, rows)
            dbsession.execute(_INSERT_FTS, rows)
            counts = word_counts((row["title"], row["tags"], row["summary"], row["body"]) for row in rows)
            dbsession.execute(_ADD_TERMS, [{"term": term, "docs": counts[term], "skeleton": skeleton(term)}
                                           for term in sorted(counts)])

    def remove(self, dbsession, article_ids: Iterable[int]) -> None:
        ids = list(article_ids)
        for start in range(0, len(ids), CHUNK):
            chunk = {"ids": ids[start:start + CHUNK]}
            gone = word_counts(dbsession.execute(_OLD_TEXTS, chunk))
            dbsession.execute(_DELETE_FTS, chunk)
            dbsession.execute(_DELETE_DOCS, chunk)
            if gone:
                terms = sorted(gone)
                dbsession.execute(_REMOVE_TERMS, [{"term": term, "docs": gone[term]} for term in terms])
                for first in range(0, len(terms), CHUNK):
                    dbsession.execute(_DROP_UNUSED, {"terms": terms[first:first + CHUNK]})
        self.document_count.forget()

    def candidates(self, dbsession, branches: Branches, query: SearchQuery, limit: int) -> list[Candidate]:
        """The ranked branches, then the newest documents with every concept (which FTS5 reads
        without going through all of them), each in one statement."""
        where, params, binds = self._filters(query)
        candidates = []
        if branches.ranked:
            if query.department_ids is None:
                # Ranked from the index alone, then filtered: few articles are internal.
                sql = ("SELECT d.article_id, d.title, d.tags, d.summary, d.body FROM ("
                       f"SELECT rowid, {BM25} AS score FROM kb_search_fts WHERE kb_search_fts MATCH :expression "
                       "ORDER BY score LIMIT :ranked) AS r JOIN kb_search_docs AS d ON d.article_id = r.rowid "
                       f"WHERE {where} ORDER BY r.score LIMIT :limit")
            else:  # one department's articles may all be far down the whole index's order
                sql = ("SELECT d.article_id, d.title, d.tags, d.summary, d.body "
                       "FROM kb_search_fts JOIN kb_search_docs AS d ON d.article_id = kb_search_fts.rowid "
                       f"WHERE kb_search_fts MATCH :expression AND {where} ORDER BY {BM25} LIMIT :limit")
            rows = dbsession.execute(text(sql).bindparams(*binds), {
                "expression": ranked_expression(branches), "ranked": limit * 4, "limit": limit, **params}).all()
            candidates = [Candidate(*row) for row in rows]
        if branches.together:
            sql = ("SELECT d.article_id, d.title, d.tags, d.summary, d.body FROM kb_search_docs AS d "
                   "WHERE d.article_id IN (SELECT rowid FROM kb_search_fts WHERE kb_search_fts MATCH :expression "
                   f"ORDER BY rowid DESC LIMIT :newest) AND {where} ORDER BY d.article_id DESC LIMIT :limit")
            rows = dbsession.execute(text(sql).bindparams(*binds), {
                "expression": together_expression(branches), "newest": TOGETHER * 2, "limit": TOGETHER, **params}).all()
            seen = {candidate.article_id for candidate in candidates}
            candidates += [Candidate(*row) for row in rows if row[0] not in seen]
        return candidates

    @staticmethod
    def _filters(query: SearchQuery) -> tuple[str, dict, list]:
        sql, params, binds = "d.audience IN :audiences", {"audiences": list(query.audiences)}, [
            bindparam("audiences", expanding=True)]
        if query.department_ids is not None:
            sql += " AND d.department_id IN :departments"
            params["departments"] = list(query.department_ids)
            binds.append(bindparam("departments", expanding=True))
        return sql, params, binds
