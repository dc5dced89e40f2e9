"""What the portal tests share: publishing articles as the system, reading the self-service trail,
and the tickets plugin's demo services (the request form needs them)."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from pyramid.i18n import make_localizer
from sqlalchemy import func, select

import core
from core.i18n import _
from core.models import Department
from plugins.kb.articles import ArticleInput
from plugins.kb.models import Article, Category, SelfServiceEvent

FARSI = make_localizer("fa", [str(Path(core.__file__).parent / "locale")])


def persian(message: str, **mapping) -> str:
    return FARSI.translate(_(message, mapping=mapping))


def department_id(dbsession, code: str) -> int:
    return dbsession.scalar(select(Department.id).where(Department.code == code))


def publish(kb, title: str, body: str = "", department: str = "it", audience: str = "public", tags=(),
            summary: str = "", category: Category | None = None, publish: bool = True) -> Article:
    """An article written and published by the system (``kb(None)``)."""
    system = kb(None)
    article = system.create(ArticleInput(
        title=title, body=body, summary=summary, tags=list(tags), audience=audience,
        department_id=department_id(system.dbsession, department),
        category_id=category.id if category is not None else None))
    if publish:
        system.transition(article, "publish")
    return article


def category(dbsession, name: str, department: str = "it") -> Category:
    found = Category(name=name, department_id=department_id(dbsession, department))
    dbsession.add(found)
    dbsession.flush()
    return found


def events(dbsession, kind: str | None = None) -> list[SelfServiceEvent]:
    statement = select(SelfServiceEvent).order_by(SelfServiceEvent.id)
    if kind is not None:
        statement = statement.where(SelfServiceEvent.kind == kind)
    return list(dbsession.scalars(statement))


def ticket_count(dbsession) -> int:
    from plugins.tickets.models import Ticket

    return dbsession.scalar(select(func.count()).select_from(Ticket))


def query_of(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def text_of(page, testid: str) -> str:
    node = page.html.find(attrs={"data-testid": testid})
    return node.get_text(" ", strip=True) if node is not None else ""
