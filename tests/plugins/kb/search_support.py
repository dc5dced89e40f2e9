"""Helpers of the search tests: articles written straight to the tables and indexed, so the
search is tested on its own (the authoring flow has its own tests)."""
from __future__ import annotations

import itertools

from sqlalchemy import select

from core.contracts import SearchQuery
from core.models import Department
from plugins.kb import search
from plugins.kb.models import Article, ArticleTag, State, SynonymGroup
from plugins.kb.search.engines import default_backend

_keys = itertools.count(1)


def fresh_backend(dbsession):
    """A new engine object per test: nothing remembered from another test's rolled-back data."""
    return default_backend(dbsession.get_bind().dialect.name)


def department_id(dbsession, code: str = "it") -> int:
    return dbsession.scalar(select(Department.id).where(Department.code == code))


def add_article(dbsession, backend, title: str, body: str = "", *, summary: str = "", tags=(),
                audience: str = "public", department: str = "it", state: str = State.published.value,
                key: str | None = None) -> Article:
    article = Article(key=key or f"search-test-{next(_keys)}", department_id=department_id(dbsession, department),
                      title=title, summary=summary, body=body, audience=audience, state=state,
                      tags=[ArticleTag(tag=tag) for tag in tags])
    dbsession.add(article)
    dbsession.flush()
    search.index_article(dbsession, backend, article)
    return article


def add_synonyms(dbsession, *groups: str) -> None:
    for terms in groups:
        dbsession.add(SynonymGroup(terms=terms))
    dbsession.flush()


def titles(dbsession, backend, text: str, **query) -> list[str]:
    return [found.article.title for found in search.find(dbsession, backend, SearchQuery(text=text, **query))]
