"""The self-service trail: what a portal visit did before, or instead of, filing a request.

A *visit* is one browser's stretch of portal activity. Its key is random, kept in the Pyramid
session (a signed cookie: nothing is stored on the server for it), and renewed after
``IDLE_MINUTES`` without a step and after the visit ends (``solved`` or ``ticket_created``), so
each visit has at most one outcome. Every step is one ``SelfServiceEvent`` row with that key;
``source`` is ``portal`` for the knowledge-base pages and ``deflection`` for the request form's
suggestions and the articles opened from them; staff reading on the portal are written with
``workspace``, so the desk's own reading stays out of the self-service figures.

The kinds written (``TrailKind``):

- ``search``: a search on ``/kb`` with at least one word; ``query`` is the normalized text cut to
  200 characters, ``result_count`` the number of articles shown (``0``: "we found nothing").
  Empty and punctuation-only searches are not written.
- ``suggested``: an article suggested while the requester types a request's subject, once per
  visit and article; ``query`` is the subject typed so far, ``source`` ``deflection``. Only
  visits with a session are followed here (the request form always gives one).
- ``view``: a reader opened a published article (``article_id``), once per visit and article;
  ``source`` ``deflection`` when it was opened from the request form's suggestions.
- ``helpful`` / ``unhelpful``: "Was this helpful?" answered, once per visit and article.
- ``solved``: "This solved my problem" — the visit ends without a request.
- ``still_need_help``: "I still need help" — the requester goes on to the request form with the
  text kept.
- ``ticket_created``: a request submitted on the portal (``pishkhan_ticket_submitted``), whether or
  not the visit read anything before; it ends the visit.

``plugins.kb.selfservice`` reads these steps, visit by visit, into the self-service success rate.
"""
from __future__ import annotations

import secrets
import time

from sqlalchemy import insert, update

from core.db import utcnow
from core.normalize import normalize_line
from core.notes import write_after_commit
from core.security import SESSION_COOKIE, STAFF_ROLES
from plugins.kb.models import Article, SelfServiceEvent, TrailKind

VISIT = "kb.visit"  # {"key": ..., "seen": epoch seconds of the last step}
SUGGESTED = "kb.suggested"  # article ids already suggested in this visit
VIEWED = "kb.viewed"  # article ids already viewed in this visit
IDLE_MINUTES = 30
QUERY_LENGTH = 200
REMEMBERED = 40  # article ids kept per list: the session is a cookie, keep it small
STAFF_ROLE_NAMES = frozenset(role.value for role in STAFF_ROLES)


def visit_key(request) -> str:
    """The current visit's key, starting a new visit when there is none or it went idle."""
    session = request.session
    visit = session.get(VISIT)
    now = int(time.time())
    if not isinstance(visit, dict) or now - int(visit.get("seen", 0)) > IDLE_MINUTES * 60:
        visit = {"key": secrets.token_urlsafe(18), "seen": now}
        session[VISIT] = visit
        session.pop(SUGGESTED, None)
        session.pop(VIEWED, None)
    elif now - visit["seen"] > 60:  # at most one cookie rewrite a minute for the idle clock
        session[VISIT] = {"key": visit["key"], "seen": now}
    return visit["key"]


def end_visit(request) -> None:
    """The visit has its outcome; the next step starts a new one."""
    for name in (VISIT, SUGGESTED, VIEWED):
        request.session.pop(name, None)


def record(request, kind: str, article_id: int | None = None, query: str = "", result_count: int | None = None,
           source: str = "portal") -> None:
    """Add one step of the current visit to the trail."""
    _write(request, [dict(
        session_key=visit_key(request), kind=TrailKind(kind).value, at=utcnow(), article_id=article_id,
        query=normalize_line(query)[:QUERY_LENGTH], result_count=result_count, source=_source(request, source),
        user_id=request.user.id if request.user is not None else None,
    )])
    if kind in (TrailKind.solved, TrailKind.ticket_created):
        end_visit(request)


def record_view(request, article_id: int, source: str) -> None:
    """A reader opened a published article: counted on the article and written to the trail, once
    per visit (reloads and coming back after a vote are not new views)."""
    key = visit_key(request)
    viewed = request.session.get(VIEWED) or []
    if article_id in viewed:
        return
    request.session[VIEWED] = (viewed + [article_id])[-REMEMBERED:]
    counted = (update(Article).where(Article.id == article_id).values(view_count=Article.view_count + 1)
               .execution_options(synchronize_session=False))
    _write(request, [dict(
        session_key=key, kind=TrailKind.view.value, at=utcnow(), article_id=article_id, query="",
        result_count=None, source=_source(request, source),
        user_id=request.user.id if request.user is not None else None,
    )], [counted])


def record_suggested(request, article_ids: list[int], query: str) -> None:
    """``suggested`` for the articles this visit has not been offered yet. Only a visit that has a
    session (the request form gives it one) is followed: a bare call of the suggestions is none."""
    if SESSION_COOKIE not in request.cookies:
        return
    key = visit_key(request)
    offered = request.session.get(SUGGESTED) or []
    new = [article_id for article_id in dict.fromkeys(article_ids) if article_id not in offered]
    if not new:
        return
    request.session[SUGGESTED] = (offered + new)[-REMEMBERED:]
    at = utcnow()
    user_id = request.user.id if request.user is not None else None
    text = normalize_line(query)[:QUERY_LENGTH]
    _write(request, [
        dict(session_key=key, kind=TrailKind.suggested.value, at=at, article_id=article_id, query=text,
             result_count=None, source=_source(request, "deflection"), user_id=user_id)
        for article_id in new
    ])


def _source(request, source: str) -> str:
    user = request.user
    return "workspace" if user is not None and user.role in STAFF_ROLE_NAMES else source


def _write(request, rows: list[dict], statements: list = ()) -> None:
    """A page that only reads writes its steps just after its transaction commits
    (``core.notes.write_after_commit``): a search page must not queue behind every other visitor's
    steps, nor fail on SQLite because a reading transaction turned into a writer. The rows are
    inserted without the ORM (no unit of work to flush for a row nobody reads back)."""

    def work(dbsession) -> None:
        dbsession.execute(insert(SelfServiceEvent), rows)
        for statement in statements:
            dbsession.execute(statement)

    write_after_commit(request, work)
