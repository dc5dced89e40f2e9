"""Public result lists remembered per process (``plugins.kb.search.results``): reused for the same
public query, never for internal ones, forgotten when the index changes, after its seconds, and
when a transaction that changed the index ends."""
from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from core.contracts import SearchHit, SearchQuery
from plugins.kb import search
from plugins.kb.search import results as results_module
from plugins.kb.search.results import CHANGED, ResultCache
from tests.plugins.kb.search_support import add_article, fresh_backend, titles


@pytest.fixture
def backend(dbsession, org):
    return fresh_backend(dbsession)


@pytest.fixture
def cache(monkeypatch):
    remembered = ResultCache(30)
    monkeypatch.setattr(results_module, "results", remembered)
    monkeypatch.setattr(search.service, "results", remembered)
    return remembered


def another_request(dbsession) -> None:
    """The articles stay (the test's transaction) but the session is like a reading request's."""
    dbsession.info.pop(CHANGED, None)


def statements_of(dbsession, work) -> list[str]:
    seen: list[str] = []

    def note(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(dbsession.get_bind(), "before_cursor_execute", note)
    try:
        work()
    finally:
        event.remove(dbsession.get_bind(), "before_cursor_execute", note)
    return seen


def test_a_public_search_is_answered_again_without_the_engine(dbsession, backend, cache):
    add_article(dbsession, backend, "تنظیم چاپگر شبکه", "چاپگر طبقه دوم را اضافه کنید.")
    another_request(dbsession)
    first = search.find(dbsession, backend, SearchQuery(text="چاپگر"))
    second = []
    statements = statements_of(dbsession, lambda: second.extend(search.find(dbsession, backend,
                                                                              SearchQuery(text="چاپگر"))))
    assert [found.article.id for found in second] == [found.article.id for found in first]
    assert second[0].snippet == first[0].snippet and "<mark>چاپگر</mark>" in str(second[0].snippet)
    assert not any("kb_search" in statement for statement in statements)


def test_internal_searches_and_sessions_that_changed_the_index_are_not_remembered(dbsession, backend, cache):
    add_article(dbsession, backend, "راهنمای داخلی چاپگر", audience="internal")
    assert cache.key(dbsession, SearchQuery(text="چاپگر")) is None  # this session changed the index
    another_request(dbsession)
    assert cache.key(dbsession, SearchQuery(text="چاپگر", audiences=("public", "internal"))) is None
    assert cache.key(dbsession, SearchQuery(text="چاپگر")) is not None
    assert ResultCache(0).key(dbsession, SearchQuery(text="چاپگر")) is None


def test_a_change_of_the_index_counts_at_once(dbsession, backend, cache):
    article = add_article(dbsession, backend, "تنظیم ایمیل دانشگاهی")
    another_request(dbsession)
    assert titles(dbsession, backend, "ایمیل") == ["تنظیم ایمیل دانشگاهی"]
    article.title = "راه‌اندازی ایمیل در گوشی"
    search.index_article(dbsession, backend, article)
    another_request(dbsession)
    assert titles(dbsession, backend, "ایمیل") == ["راه‌اندازی ایمیل در گوشی"]
    search.unindex_article(dbsession, backend, article.id)
    another_request(dbsession)
    assert titles(dbsession, backend, "ایمیل") == []


def test_entries_expire_and_a_stale_generation_is_not_kept(dbsession, cache):
    hits = [SearchHit(1, 1.0)]
    entry = cache.put(("key",), cache.generation, hits)
    assert cache.get(("key",)) is entry
    entry.at -= 31
    assert cache.get(("key",)) is None
    generation = cache.generation
    cache.forget()
    cache.put(("key",), generation, hits)  # searched before the change: not kept
    assert cache.get(("key",)) is None


def test_the_end_of_a_transaction_that_changed_the_index_forgets_again(dbsession, cache):
    with Session(bind=dbsession.get_bind()) as other:
        other.begin()
        cache.changed(other)
        assert other.info[CHANGED]
        cache.put(("key",), cache.generation, [])
        other.rollback()
        assert CHANGED not in other.info
        assert cache.get(("key",)) is None
