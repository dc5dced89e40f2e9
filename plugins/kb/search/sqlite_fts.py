"""SQLite FTS5: the embedded setup's engine.

``kb_search_docs`` holds each published article's folded words per field and its filters;
``kb_search_fts`` is an FTS5 index over it (external content), ranked with BM25 and a title
boost; ``kb_search_fts_vocab`` (fts5vocab) gives document frequencies. Typos: every spelling
one edit away is looked up in the vocabulary at once.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy import bindparam, text
from zope.interface import implementer

from core.contracts import SearchDocument, SearchQuery
from core.interfaces import ISearchBackend
from plugins.kb.search.analysis import Alternative
from plugins.kb.search.backend import AnalyzingBackend, Branches, indexed_fields, nearest
from plugins.kb.search.ranking import Candidate

PERSIAN_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
LATIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# BM25 column weights: title, tags, summary, body.
BM25 = "bm25(kb_search_fts, 10.0, 6.0, 4.0, 1.0)"
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
_DELETE_DOCS = text("DELETE FROM kb_search_docs WHERE article_id IN :ids").bindparams(
    bindparam("ids", expanding=True))
_FREQUENCIES = text("SELECT term, doc FROM kb_search_fts_vocab WHERE term IN :terms").bindparams(
    bindparam("terms", expanding=True))


def quoted(alternative: Alternative) -> str:
    """An FTS5 string (a word or a phrase), never syntax; ``*`` after it for a prefix."""
    phrase = '"' + " ".join(alternative.words).replace('"', '""') + '"'
    return phrase + " *" if alternative.prefix else phrase


def any_of(alternatives: Iterable[Alternative]) -> str:
    return "(" + " OR ".join(quoted(alt) for alt in alternatives) + ")"


def match_expression(branches: Branches) -> str:
    parts = ["{title tags summary} : " + any_of(branches.short_fields)]
    if branches.whole_text:
        parts.append(any_of(branches.whole_text))
    if branches.conjunction:
        parts.append("(" + " AND ".join(any_of(concept) for concept in branches.conjunction) + ")")
    return " OR ".join(parts)


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

    def remove(self, dbsession, article_ids: Iterable[int]) -> None:
        ids = list(article_ids)
        for start in range(0, len(ids), CHUNK):
            chunk = {"ids": ids[start:start + CHUNK]}
            dbsession.execute(_DELETE_FTS, chunk)
            dbsession.execute(_DELETE_DOCS, chunk)
        self.document_count.forget()

    def candidates(self, dbsession, branches: Branches, query: SearchQuery, limit: int) -> list[Candidate]:
        sql = ("SELECT d.article_id, d.title, d.tags, d.summary, d.body "
               "FROM kb_search_fts JOIN kb_search_docs AS d ON d.article_id = kb_search_fts.rowid "
               "WHERE kb_search_fts MATCH :expression AND d.audience IN :audiences ")
        params = {"expression": match_expression(branches), "audiences": list(query.audiences), "limit": limit}
        binds = [bindparam("audiences", expanding=True)]
        if query.department_ids is not None:
            sql += "AND d.department_id IN :departments "
            params["departments"] = list(query.department_ids)
            binds.append(bindparam("departments", expanding=True))
        sql += f"ORDER BY {BM25} LIMIT :limit"
        rows = dbsession.execute(text(sql).bindparams(*binds), params)
        return [Candidate(*row) for row in rows]
