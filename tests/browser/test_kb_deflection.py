"""A requester types a question on the request form, reads the suggested article and it solves
the problem: no request is filed and the self-service trail counts the visit as solved."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from core.db import utcnow
from plugins.kb.models import SelfServiceEvent, TrailKind
from plugins.kb.selfservice import success
from plugins.tickets.models import Ticket
from tests.browser.support import expect, in_persian

pytestmark = pytest.mark.browser

IT_DEPARTMENT = "مرکز فناوری اطلاعات و ارتباطات"
QUESTION = "چاپگر چاپ نمي‌كند"  # Arabic ي and ك, as some keyboards type them
ARTICLE = "چاپگر چاپ نمی‌کند یا صف چاپ گیر کرده است"  # a demo article (plugins/it/demo/articles.jsonl)


@pytest.fixture
def live_database(live_server, tmp_path_factory):
    """A session on the live server's database (the SQLite file its fixture made)."""
    [path] = tmp_path_factory.getbasetemp().glob("browser-db[0-9]*/pishkhan.sqlite")
    engine = create_engine(f"sqlite:///{path}")
    try:
        with Session(engine) as dbsession:
            yield dbsession
    finally:
        engine.dispose()


def steps_of(dbsession, session_key: str, wait_seconds: float = 5) -> list[str]:
    """The visit's steps in the order they happened. The steps of pages that only read (the
    suggestions, the view) are written a moment after the page (``core.notes``): wait for them."""
    deadline = time.monotonic() + wait_seconds
    while True:
        steps = dbsession.scalars(select(SelfServiceEvent.kind).where(SelfServiceEvent.session_key == session_key)
                                  .order_by(SelfServiceEvent.at, SelfServiceEvent.id)).all()
        if "view" in steps or time.monotonic() > deadline:
            return steps
        time.sleep(0.05)


def test_a_suggested_article_solves_the_problem_and_no_request_is_filed(page, live_database):
    start = utcnow() - timedelta(seconds=1)
    tickets_before = live_database.scalar(select(func.count()).select_from(Ticket))

    page.goto("/requests/new")
    page.get_by_label(in_persian("Department"), exact=True).select_option(label=IT_DEPARTMENT)
    page.get_by_label(in_persian("Subject"), exact=True).press_sequentially(QUESTION, delay=30)
    suggestion = page.get_by_test_id("suggestion-title").filter(has_text="صف چاپ")
    expect(suggestion).to_be_visible()  # htmx asked after a pause in typing
    suggestion.click()

    expect(page.get_by_test_id("article-title")).to_have_text(ARTICLE)
    expect(page.get_by_test_id("article-body")).not_to_be_empty()
    with page.expect_navigation():
        page.get_by_test_id("solved").click()
    expect(page.get_by_test_id("solved-page").locator("h1")).to_have_text(in_persian("Glad it helped"))

    live_database.expire_all()
    assert live_database.scalar(select(func.count()).select_from(Ticket)) == tickets_before
    solved = live_database.scalars(select(SelfServiceEvent).where(
        SelfServiceEvent.kind == TrailKind.solved.value, SelfServiceEvent.at >= start)).all()
    assert len(solved) == 1 and solved[0].source == "deflection"
    visit = steps_of(live_database, solved[0].session_key)
    assert visit[-2:] == ["view", "solved"] and "suggested" in visit
    measures = success(live_database, start, utcnow() + timedelta(seconds=1))
    assert measures.solved_without_ticket == 1 and measures.successful >= 1
