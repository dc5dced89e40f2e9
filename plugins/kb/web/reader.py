"""What the person asking may read, for the portal pages and the suggestions.

``KnowledgeBase`` without an actor is the system itself (import, demo) and may read everything,
so a visitor who is not signed in is answered here: published public articles only.
"""
from __future__ import annotations

from plugins.kb.articles import KnowledgeBase
from plugins.kb.models import Article, Audience, State

PUBLIC = (Audience.public.value,)


def audiences(request, kb: KnowledgeBase) -> tuple[str, ...]:
    return PUBLIC if request.user is None else kb.readable_audiences()


def can_read(request, kb: KnowledgeBase, article: Article) -> bool:
    if request.user is None:
        return article.state == State.published.value and article.audience == Audience.public.value
    return kb.can_read(article)
