"""The knowledge base's rules: who may write, review and publish, and what every save records.

``KnowledgeBase`` is the one place articles change (author pages, import, API, demo, the ticket
panel), like the tickets plugin's desk. Every save writes an ``ArticleVersion``; only published
articles that are not archived are in the search index, kept in step in the same transaction.

Who may do what (KCS roles, DOMAIN §3): any agent of the article's department (or of a
department above it) writes drafts and sends them to review — a *contributor*; team leads,
department managers, directors and administrators of that department publish, edit published
articles, return them to draft and archive them — *publishers*. Published public articles are
read by everyone; internal ones by staff; drafts and articles in review by the department's staff.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from translationstring import TranslationString

from core.db import utcnow
from core.i18n import _
from core.interfaces import ISearchBackend
from core.models import Department, Role, User
from core.normalize import normalize_line, normalize_text
from core.security import STAFF_ROLES, home_department_ids
from plugins.kb.models import (
    Article,
    ArticleTag,
    ArticleVersion,
    Audience,
    Confidence,
    RelatedArticle,
    State,
)

PUBLISHER_ROLES = (Role.team_lead.value, Role.department_manager.value, Role.director.value, Role.admin.value)
EVERY_DEPARTMENT_ROLES = (Role.director.value, Role.admin.value)
KEY_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,119}")
MAX_TAGS = 20


class KbError(Exception):
    """A refused change, with a translatable message and the form field it concerns."""

    def __init__(self, message: TranslationString, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class KbConflict(KbError):
    """Someone saved the article since the editor opened it."""


@dataclass
class ArticleInput:
    """What an author types; ``normalized()`` gives the stored form."""

    title: str
    department_id: int
    body: str = ""
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    audience: str = Audience.public.value
    confidence: str = Confidence.not_validated.value
    service_key: str | None = None
    category_id: int | None = None
    next_review_on: date | None = None
    key: str | None = None

    def normalized(self) -> ArticleInput:
        tags = []
        for tag in self.tags:
            tag = normalize_line(tag)[:80]
            if tag and tag not in tags:
                tags.append(tag)
        return ArticleInput(
            title=normalize_line(self.title)[:300], department_id=self.department_id,
            body=normalize_text(self.body), summary=normalize_line(self.summary)[:500], tags=tags[:MAX_TAGS],
            audience=self.audience, confidence=self.confidence, service_key=self.service_key or None,
            category_id=self.category_id, next_review_on=self.next_review_on,
            key=(self.key or "").strip().lower() or None,
        )


# action → (states it starts from, state it leads to, needs a publisher)
TRANSITIONS = {
    "submit": ((State.draft,), State.review, False),
    "publish": ((State.draft, State.review), State.published, True),
    "return_to_draft": ((State.review, State.published), State.draft, True),
}


class KnowledgeBase:
    def __init__(self, dbsession: Session, settings: dict, backend: ISearchBackend, actor: User | None,
                 now: datetime | None = None, *, system: bool = False):
        self.dbsession = dbsession
        self.settings = settings
        self.backend = backend
        self.actor = actor  # None and not system: a visitor who is not signed in
        self.system = system  # import, demo, CLI: every right, whoever is recorded as author
        self.now = now or utcnow()
        self._departments: set[int] | None = None

    @classmethod
    def for_request(cls, request) -> KnowledgeBase:
        from plugins.kb.backend import request_backend

        return cls(request.dbsession, request.registry.settings, request_backend(request), request.user)

    @classmethod
    def for_session(cls, dbsession: Session, settings: dict, pluginmanager, actor: User | None) -> KnowledgeBase:
        """For the CLI and the worker: as ``actor``, or as the system when ``actor`` is ``None``."""
        from plugins.kb.backend import search_backend

        return cls(dbsession, settings, search_backend(pluginmanager, settings), actor, system=actor is None)

    # --- permissions ----------------------------------------------------------------------

    @property
    def is_staff(self) -> bool:
        if self.system:
            return True
        return self.actor is not None and self.actor.role in {role.value for role in STAFF_ROLES}

    def author_departments(self) -> set[int] | None:
        """Departments whose articles the actor writes; ``None`` for every department."""
        if self.system or (self.actor is not None and self.actor.role in EVERY_DEPARTMENT_ROLES):
            return None
        if self._departments is None:
            self._departments = home_department_ids(self.dbsession, self.actor) if self.is_staff else set()
        return self._departments

    def _in_departments(self, department_id: int) -> bool:
        departments = self.author_departments()
        return departments is None or department_id in departments

    def can_write(self, department_id: int) -> bool:
        return self.is_staff and self._in_departments(department_id)

    def can_publish(self, department_id: int) -> bool:
        publisher = self.system or (self.actor is not None and self.actor.role in PUBLISHER_ROLES)
        return publisher and self.can_write(department_id)

    def can_edit(self, article: Article) -> bool:
        if article.state == State.published.value:
            return self.can_publish(article.department_id)
        return self.can_write(article.department_id)

    def can_read(self, article: Article) -> bool:
        if article.state != State.published.value:
            return self.can_write(article.department_id)
        return article.audience == Audience.public.value or self.is_staff

    def readable_audiences(self) -> tuple[str, ...]:
        return (Audience.public.value, Audience.internal.value) if self.is_staff else (Audience.public.value,)

    # --- changes --------------------------------------------------------------------------

    def create(self, values: ArticleInput, note: str = "") -> Article:
        values = values.normalized()
        self._check(values)
        if not self.can_write(values.department_id):
            raise KbError(_("You may not write articles for this department."), "department")
        key = values.key or self._new_key(values.department_id)
        if self.dbsession.scalar(select(Article.id).where(Article.key == key)) is not None:
            raise KbError(_("Another article already has this key."), "key")
        article = Article(key=key, state=State.draft.value, version=1, created_at=self.now, owner=self.actor,
                          next_review_on=values.next_review_on or self._review_date())
        self._apply(article, values)
        self.dbsession.add(article)
        self.dbsession.flush()
        self._record(article, note)
        return article

    def update(self, article: Article, values: ArticleInput, expected_version: int | None = None,
               note: str = "", restored_from: int | None = None) -> Article:
        """Save a new text; ``expected_version`` is the version the editor opened."""
        values = values.normalized()
        self._check(values, article)
        if not self.can_edit(article):
            raise KbError(_("You may not edit this article."))
        if values.department_id != article.department_id and not self.can_write(values.department_id):
            raise KbError(_("You may not write articles for this department."), "department")
        if values.key and values.key != article.key:
            if self.dbsession.scalar(select(Article.id).where(Article.key == values.key)) is not None:
                raise KbError(_("Another article already has this key."), "key")
            article.key = values.key
        self._expect(article, expected_version)
        self._apply(article, values)
        article.version += 1
        self._record(article, note, restored_from)
        return article

    def transition(self, article: Article, action: str, expected_version: int | None = None,
                   note: str = "") -> Article:
        if action == "archive":
            return self.set_confidence(article, Confidence.archived.value, expected_version)
        if action not in TRANSITIONS:
            raise KbError(_("This action is not possible for the article in its current state."))
        sources, target, needs_publisher = TRANSITIONS[action]
        if article.state not in {state.value for state in sources}:
            raise KbError(_("This action is not possible for the article in its current state."))
        allowed = self.can_publish(article.department_id) if needs_publisher else self.can_write(article.department_id)
        if not allowed:
            raise KbError(_("You may not do this with this article."))
        self._expect(article, expected_version)
        article.state = target.value
        if target == State.published:
            article.published_at = self.now
            if article.confidence == Confidence.work_in_progress.value:
                article.confidence = Confidence.not_validated.value
        article.version += 1
        self._record(article, note)
        return article

    def set_confidence(self, article: Article, confidence: str, expected_version: int | None = None) -> Article:
        """Validate, archive or bring back an article (publishers); archived ones leave search."""
        if confidence not in {value.value for value in Confidence}:
            raise KbError(_("Choose a value from the list."), "confidence")
        if not self.can_publish(article.department_id):
            raise KbError(_("You may not do this with this article."))
        self._expect(article, expected_version)
        article.confidence = confidence
        article.version += 1
        self._record(article, "")
        return article

    def restore(self, article: Article, number: int, expected_version: int | None = None) -> Article:
        """Make an earlier text current again, as a new version (history is never rewritten)."""
        old = self.dbsession.scalar(select(ArticleVersion).where(ArticleVersion.article_id == article.id,
                                                                 ArticleVersion.number == number))
        if old is None:
            raise KbError(_("This version does not exist."))
        values = ArticleInput(title=old.title, department_id=article.department_id, body=old.body,
                              summary=old.summary, tags=[t for t in old.tags.split("\n") if t],
                              audience=article.audience, confidence=article.confidence,
                              service_key=article.service_key, category_id=article.category_id,
                              next_review_on=article.next_review_on)
        return self.update(article, values, expected_version, restored_from=number)

    def set_related(self, article: Article, related_ids: list[int]) -> None:
        """"See also", kept in both directions."""
        if not self.can_edit(article):
            raise KbError(_("You may not edit this article."))
        related_ids = [rid for rid in dict.fromkeys(related_ids) if rid != article.id]
        existing = set(self.dbsession.scalars(select(Article.id).where(Article.id.in_(related_ids))))
        self.dbsession.execute(delete(RelatedArticle).where(
            (RelatedArticle.article_id == article.id) | (RelatedArticle.related_id == article.id)))
        for related_id in related_ids:
            if related_id in existing:
                self.dbsession.add(RelatedArticle(article_id=article.id, related_id=related_id))
                self.dbsession.add(RelatedArticle(article_id=related_id, related_id=article.id))
        self.dbsession.flush()

    # --- helpers --------------------------------------------------------------------------

    def _check(self, values: ArticleInput, article: Article | None = None) -> None:
        """Refuse what no author may save; ``article`` is the one being changed, if any."""
        if not values.title:
            raise KbError(_("Required"), "title")
        if values.audience not in {value.value for value in Audience}:
            raise KbError(_("Choose a value from the list."), "audience")
        if values.confidence not in {value.value for value in Confidence}:
            raise KbError(_("Choose a value from the list."), "confidence")
        if values.key is not None and not KEY_PATTERN.fullmatch(values.key):
            raise KbError(_("A key has lower-case Latin letters, digits, dots, dashes and underscores."), "key")
        if self.dbsession.get(Department, values.department_id) is None:
            raise KbError(_("Choose a value from the list."), "department")
        unchanged = article is not None and article.confidence == values.confidence
        if values.confidence == Confidence.validated.value and not unchanged and \
                not self.can_publish(values.department_id):
            raise KbError(_("Only a publisher validates an article."), "confidence")

    def _expect(self, article: Article, expected_version: int | None) -> None:
        if expected_version is not None and expected_version != article.version:
            raise KbConflict(_("Someone else saved this article while you were editing it. "
                               "Your text is kept below; compare it with the current version and save again."))

    def _apply(self, article: Article, values: ArticleInput) -> None:
        article.title = values.title
        article.summary = values.summary
        article.body = values.body
        article.department_id = values.department_id
        article.audience = values.audience
        article.confidence = values.confidence
        article.service_key = values.service_key
        article.category_id = values.category_id
        if values.next_review_on is not None:
            article.next_review_on = values.next_review_on
        current = [tag.tag for tag in article.tags]
        if current != values.tags:
            article.tags = [ArticleTag(tag=tag) for tag in values.tags]
        article.updated_at = self.now

    def _record(self, article: Article, note: str, restored_from: int | None = None) -> None:
        self.dbsession.add(ArticleVersion(
            article_id=article.id, number=article.version, title=article.title, summary=article.summary,
            body=article.body, tags="\n".join(article.tag_names), state=article.state,
            author_id=self.actor.id if self.actor is not None else None, note=note[:300],
            restored_from=restored_from, created_at=self.now))
        self.dbsession.flush()
        self._sync_index(article)

    def _sync_index(self, article: Article) -> None:
        from plugins.kb import search

        if article.state == State.published.value and article.confidence != Confidence.archived.value:
            search.index_article(self.dbsession, self.backend, article)
        else:
            search.unindex_article(self.dbsession, self.backend, article.id)

    def _new_key(self, department_id: int) -> str:
        code = self.dbsession.scalar(select(Department.code).where(Department.id == department_id)) or "kb"
        prefix = re.sub(r"[^a-z0-9-]", "", code.lower()) or "kb"
        return f"{prefix}-{secrets.token_hex(4)}"

    def _review_date(self) -> date:
        days = int(self.settings.get("kb.review_after_days", 180))
        return (self.now + timedelta(days=days)).date()
