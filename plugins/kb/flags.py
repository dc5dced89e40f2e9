"""KCS "flag it or fix it": an agent who finds an article outdated or wrong says so for its owner.

Any staff member who may read the article flags it, with a note saying what is wrong (and the
ticket it came up on, if any). A publisher of the article's department resolves the flag once
the article is fixed. ``Article.open_flag_count`` follows both, so lists never count flags.
"""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from core.i18n import _
from core.normalize import normalize_text
from plugins.kb.articles import KbError, KnowledgeBase
from plugins.kb.models import Article, Flag, FlagKind

MAX_NOTE = 2000
KIND_TITLES = {FlagKind.outdated.value: _("Outdated"), FlagKind.wrong.value: _("Wrong")}


def flag(kb: KnowledgeBase, article: Article, kind: str, note: str, ticket_id: int | None = None) -> Flag:
    if not kb.is_staff or kb.actor is None or not kb.can_read(article):
        raise KbError(_("You may not do this with this article."))
    if kind not in {value.value for value in FlagKind}:
        raise KbError(_("Choose a value from the list."), "kind")
    note = normalize_text(note)
    if not note:
        raise KbError(_("Say what is outdated or wrong, so the owner can fix it."), "note")
    if len(note) > MAX_NOTE:
        raise KbError(_("Keep the note under ${count} characters.", mapping={"count": MAX_NOTE}), "note")
    row = Flag(article_id=article.id, kind=kind, note=note, ticket_id=ticket_id, flagged_by_id=kb.actor.id,
               created_at=kb.now)
    kb.dbsession.add(row)
    kb.dbsession.flush()
    _count_open(kb.dbsession, article.id, +1)
    return row


def resolve(kb: KnowledgeBase, row: Flag, article: Article) -> None:
    """Close the flag; resolving it twice changes nothing."""
    if not kb.can_publish(article.department_id) or kb.actor is None:
        raise KbError(_("Only a publisher of the article's department resolves its flags."))
    if row.resolved_at is not None:
        return
    row.resolved_at, row.resolved_by_id = kb.now, kb.actor.id
    kb.dbsession.flush()
    _count_open(kb.dbsession, article.id, -1)


def flags_of(dbsession: Session, article_id: int) -> list[Flag]:
    """The article's flags, open ones first, newest first (one query)."""
    return list(dbsession.scalars(
        select(Flag).options(joinedload(Flag.flagged_by)).where(Flag.article_id == article_id)
        .order_by(Flag.resolved_at.is_not(None), Flag.id.desc())
    ))


def _count_open(dbsession: Session, article_id: int, delta: int) -> None:
    dbsession.execute(update(Article).where(Article.id == article_id)
                      .values(open_flag_count=Article.open_flag_count + delta))
