"""Knowledge search as the rest of the plugin uses it: index an article when it changes, find
published articles for a query, rebuild the whole index."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import Row, select
from sqlalchemy.orm import selectinload

from core.contracts import SearchDocument, SearchQuery
from core.interfaces import ISearchBackend
from plugins.kb.models import Article, Confidence, State
from plugins.kb.search.analysis import typed_prefix
from plugins.kb.search.results import results
from plugins.kb.search.snippets import Marker, highlight, snippet
from plugins.kb.search.synonyms import synonym_groups
from plugins.kb.search.words import index_text, markdown_text

REBUILD_BATCH = 500
# What a list of found articles shows and checks, read as plain rows (no ORM objects for a list
# that is only shown); the body is read only for a snippet not yet made.
LISTED = (Article.id, Article.key, Article.version, Article.department_id, Article.category_id, Article.title,
          Article.summary, Article.audience, Article.confidence, Article.state)


@dataclass(frozen=True)
class Found:
    """A published article found for a query, best first.

    ``snippet`` and ``title`` are safe HTML: the article's own text, escaped, with ``<mark>``
    around the words that matched; ``terms`` are those words, folded.
    """

    article: Row  # the article's ``LISTED`` columns
    score: float
    snippet: Markup
    title: Markup
    terms: tuple[str, ...]


def document_for(article: Article) -> SearchDocument:
    return SearchDocument(
        article_id=article.id,
        title=index_text(article.title),
        summary=index_text(article.summary),
        tags=index_text(" ".join(article.tag_names)),
        body=index_text(markdown_text(article.body)),
        audience=article.audience,
        department_id=article.department_id,
        published=article.state == State.published.value,
    )


def index_article(dbsession, backend: ISearchBackend, article: Article) -> None:
    """Bring the index up to date with ``article``: a published one is (re)indexed, any other
    state takes it out. Call it in the transaction that changes the article."""
    if article.id is None:
        dbsession.flush()
    results.changed(dbsession)
    if article.state == State.published.value:
        backend.index(dbsession, [document_for(article)])
    else:
        backend.remove(dbsession, [article.id])


def unindex_article(dbsession, backend: ISearchBackend, article_id: int) -> None:
    results.changed(dbsession)
    backend.remove(dbsession, [article_id])


def rebuild_index(dbsession, backend: ISearchBackend) -> int:
    """Index every published article again (after an import, or a change of engine); returns
    how many were indexed. The index is written without the ORM: in a session of a transaction
    manager (the CLI's), call ``zope.sqlalchemy.mark_changed(dbsession)`` so that it commits."""
    results.changed(dbsession)
    ids = list(dbsession.scalars(select(Article.id).order_by(Article.id)))
    for start in range(0, len(ids), REBUILD_BATCH):
        backend.remove(dbsession, ids[start:start + REBUILD_BATCH])
    published = list(dbsession.scalars(select(Article.id).where(Article.state == State.published.value,
                                                                Article.confidence != Confidence.archived.value)
                                       .order_by(Article.id)))
    for start in range(0, len(published), REBUILD_BATCH):
        articles = dbsession.scalars(select(Article).options(selectinload(Article.tags))
                                     .where(Article.id.in_(published[start:start + REBUILD_BATCH])))
        backend.index(dbsession, [document_for(article) for article in articles])
    return len(published)


def find(dbsession, backend: ISearchBackend, query: SearchQuery) -> list[Found]:
    """Published articles for ``query`` (the administrator's synonyms apply unless the query
    brings its own), with their highlighted title and snippet. Never raises for odd text: an
    empty, punctuation-only or very long query finds nothing or what its words match."""
    if query.limit < 1:
        return []
    if not query.synonyms:
        query = dataclasses.replace(query, synonyms=synonym_groups(dbsession))
    key = results.key(dbsession, query)
    entry = results.get(key) if key is not None else None
    if entry is None and key is not None:
        generation = results.generation  # read first: a change while searching is not remembered
        entry = results.put(key, generation, backend.search(dbsession, query))
    hits = entry.hits if entry is not None else backend.search(dbsession, query)
    if not hits:
        return []
    statement = (select(*LISTED)
                 .where(Article.id.in_([hit.article_id for hit in hits]),
                        Article.state == State.published.value, Article.audience.in_(query.audiences)))
    if query.department_ids is not None:
        statement = statement.where(Article.department_id.in_(query.department_ids))
    articles = {article.id: article for article in dbsession.execute(statement)}
    remembered = {}
    if entry is not None:
        remembered = {article_id: marked for article_id, marked in entry.marked.items()
                      if article_id in articles and marked[0] == articles[article_id].version}
    unmarked = [article_id for article_id in articles if article_id not in remembered]
    bodies = dict(dbsession.execute(select(Article.id, Article.body).where(Article.id.in_(unmarked)))
                  .all()) if unmarked else {}
    prefix = typed_prefix(query.text)
    found, markers = [], {}
    for hit in hits:
        article = articles.get(hit.article_id)
        if article is None:  # deleted or changed since it was indexed
            continue
        marked = remembered.get(article.id)
        if marked is None:
            marker = markers.get(hit.terms)
            if marker is None:
                marker = markers[hit.terms] = Marker(frozenset(hit.terms), (prefix,) if prefix else ())
            marked = (article.version, best_snippet(bodies.get(article.id, ""), article.summary, marker),
                      highlight(article.title, marker))
            if entry is not None:
                entry.marked[article.id] = marked
        found.append(Found(article, hit.score, marked[1], marked[2], hit.terms))
    return found


def best_snippet(body: str, summary: str, marker: Marker) -> Markup:
    """From the body (Markdown) where it matches, otherwise from the summary, otherwise the
    body's start."""
    from_body = snippet(markdown_text(body), marker)
    if "<mark>" in from_body or not summary:
        return from_body
    from_summary = snippet(summary, marker)
    return from_summary if "<mark>" in from_summary or not from_body else from_body
