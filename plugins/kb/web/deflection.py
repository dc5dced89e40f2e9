"""Articles offered while a requester types a new request (``pishkhan_deflection_suggestions``).

It runs on every pause in typing, so it is one search of the index and nothing else: the
articles come back with the search, the department filter is one small query, and the trail
writes a ``suggested`` step only for articles this visit has not been offered yet.
"""
from __future__ import annotations

from core.contracts import SearchQuery, Suggestion
from core.normalize import normalize_line
from core.security import department_subtree_ids
from plugins.kb import search, trail
from plugins.kb.articles import KnowledgeBase
from plugins.kb.web.origin import DEFLECTION, MAX_DRAFT, Origin, has_words


def suggestions(request, text: str, department_id: int | None, limit: int) -> list[Suggestion]:
    text = normalize_line(text)[:MAX_DRAFT]
    if not has_words(text) or limit < 1:
        return []
    kb = KnowledgeBase.for_request(request)
    departments = None
    if department_id is not None:
        departments = tuple(sorted(department_subtree_ids(request.dbsession, department_id)))
    found = search.find(request.dbsession, kb.backend, SearchQuery(
        text=text, audiences=kb.readable_audiences(), department_ids=departments, limit=limit))
    if not found:
        return []
    trail.record_suggested(request, [item.article.id for item in found], text)
    origin = Origin(source=DEFLECTION, draft=text, department_id=department_id).query_string()
    return [
        Suggestion(key=item.article.key, title=item.article.title, snippet=item.snippet, score=item.score,
                   url=request.route_path("kb.article", id=item.article.id) + origin)
        for item in found
    ]
