"""Articles used on tickets (KCS reuse) and the resolved tickets the link rate counts them against.

The kb plugin knows a ticket only by what the ticket hooks hand it: id, department and tracking
code (a ``TicketRef``). Linking an article as "solved with" counts one reuse on the article;
unlinking it, or keeping the link but no longer as "solved with", takes that reuse back. Counters
move with one ``UPDATE … SET n = n ± 1`` so two agents linking at once both count.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from core.i18n import _
from plugins.kb.articles import KbError, KnowledgeBase
from plugins.kb.models import Article, ResolvedTicket, State, TicketLink


@dataclass(frozen=True)
class TicketRef:
    """What the knowledge base knows of a ticket."""

    id: int
    department_id: int
    tracking_code: str


def linked_articles(dbsession: Session, ticket_id: int) -> list[tuple[TicketLink, Article]]:
    """The ticket's links with their articles, "solved with" first (one query)."""
    rows = dbsession.execute(
        select(TicketLink, Article).join(Article, Article.id == TicketLink.article_id)
        .where(TicketLink.ticket_id == ticket_id)
        .order_by(TicketLink.solved_with.desc(), TicketLink.linked_at, Article.id)
    ).all()
    return [(link, article) for link, article in rows]


def link(kb: KnowledgeBase, ticket: TicketRef, article: Article, solved_with: bool = True) -> TicketLink:
    """Link ``article`` to the ticket, or change whether it solved it."""
    if not kb.is_staff or kb.actor is None:
        raise KbError(_("You may not do this with this article."))
    if article.state != State.published.value or not kb.can_read(article):
        raise KbError(_("Only published articles can be linked to a ticket."))
    existing = kb.dbsession.get(TicketLink, (article.id, ticket.id))
    if existing is None:
        existing = TicketLink(article_id=article.id, ticket_id=ticket.id, tracking_code=ticket.tracking_code,
                              solved_with=solved_with, linked_by_id=kb.actor.id, linked_at=kb.now)
        kb.dbsession.add(existing)
        kb.dbsession.flush()
        if solved_with:
            _count_reuse(kb.dbsession, article.id, +1)
    elif existing.solved_with != solved_with:
        existing.solved_with = solved_with
        existing.linked_by_id, existing.linked_at = kb.actor.id, kb.now
        kb.dbsession.flush()
        _count_reuse(kb.dbsession, article.id, +1 if solved_with else -1)
    return existing


def unlink(kb: KnowledgeBase, ticket: TicketRef, article_id: int) -> bool:
    """Remove the link; ``False`` when there was none."""
    if not kb.is_staff or kb.actor is None:
        raise KbError(_("You may not do this with this article."))
    existing = kb.dbsession.get(TicketLink, (article_id, ticket.id))
    if existing is None:
        return False
    solved_with = existing.solved_with
    kb.dbsession.delete(existing)
    kb.dbsession.flush()
    if solved_with:
        _count_reuse(kb.dbsession, article_id, -1)
    return True


def _count_reuse(dbsession: Session, article_id: int, delta: int) -> None:
    dbsession.execute(update(Article).where(Article.id == article_id)
                      .values(reuse_count=Article.reuse_count + delta))


# --- resolved tickets: the link rate's denominator ------------------------------------------

def record_resolved(dbsession: Session, ticket_id: int, tracking_code: str, department_id: int,
                    resolved_at: datetime) -> None:
    """Remember a resolution (again, with the new time, when a reopened ticket is resolved anew)."""
    row = dbsession.get(ResolvedTicket, ticket_id)
    if row is None:
        dbsession.add(ResolvedTicket(ticket_id=ticket_id, tracking_code=tracking_code, department_id=department_id,
                                     resolved_at=resolved_at))
    else:
        row.department_id, row.resolved_at = department_id, resolved_at
    dbsession.flush()


def forget_resolved(dbsession: Session, ticket_id: int) -> None:
    """A reopened ticket is no longer resolved."""
    dbsession.execute(delete(ResolvedTicket).where(ResolvedTicket.ticket_id == ticket_id))
