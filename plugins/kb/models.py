"""The knowledge base's tables, all prefixed ``kb_``.

An article keeps its current text on ``Article`` and every saved text as an ``ArticleVersion``.
Tickets are referred to by id and tracking code only: the kb plugin never imports the tickets
plugin, it hears about tickets through the ticket hooks. The search index lives in tables the
search backend owns (``kb_search_*``, one kind per database), created by the kb migrations.
"""
from __future__ import annotations

import enum

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, UTCDateTime, utcnow
from core.models import Department, User


class Audience(enum.StrEnum):
    public = "public"  # requesters and visitors on the portal
    internal = "internal"  # agents only


class Confidence(enum.StrEnum):
    """KCS confidence: how far the organization trusts the article (DOMAIN §3)."""

    work_in_progress = "work_in_progress"
    not_validated = "not_validated"
    validated = "validated"
    archived = "archived"


class State(enum.StrEnum):
    """The editorial flow: only published articles are found by search."""

    draft = "draft"
    review = "review"
    published = "published"


class Category(Base):
    """A node of the knowledge category tree (a department's or the organization's)."""

    __tablename__ = "kb_categories"
    __table_args__ = (UniqueConstraint("parent_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("kb_categories.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("core_departments.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)

    parent: Mapped[Category | None] = relationship("plugins.kb.models.Category", remote_side=[id])


class Article(Base):
    __tablename__ = "kb_articles"
    __table_args__ = (
        Index("ix_kb_articles_state_audience_id", "state", "audience", "id"),
        Index("ix_kb_articles_department_id_state", "department_id", "state"),
        Index("ix_kb_articles_next_review_on", "next_review_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The stable external id used by import and export; importing the same key updates the article.
    key: Mapped[str] = mapped_column(String(120), unique=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("core_departments.id"))
    service_key: Mapped[str | None] = mapped_column(String(80), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("kb_categories.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown; rendered to sanitized HTML
    audience: Mapped[str] = mapped_column(String(10), default=Audience.public.value)
    confidence: Mapped[str] = mapped_column(String(20), default=Confidence.not_validated.value)
    state: Mapped[str] = mapped_column(String(10), default=State.draft.value)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    next_review_on: Mapped[object | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)  # number of the current ArticleVersion
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[object | None] = mapped_column(UTCDateTime)
    # Counters kept with the events that change them, so author lists never aggregate logs.
    view_count: Mapped[int] = mapped_column(Integer, default=0)
    helpful_count: Mapped[int] = mapped_column(Integer, default=0)
    unhelpful_count: Mapped[int] = mapped_column(Integer, default=0)
    reuse_count: Mapped[int] = mapped_column(Integer, default=0)  # tickets linked to it
    open_flag_count: Mapped[int] = mapped_column(Integer, default=0)

    department: Mapped[Department] = relationship()
    category: Mapped[Category | None] = relationship("plugins.kb.models.Category")
    owner: Mapped[User | None] = relationship()
    tags: Mapped[list[ArticleTag]] = relationship(cascade="all, delete-orphan", order_by="ArticleTag.tag")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    @property
    def tag_names(self) -> list[str]:
        return [tag.tag for tag in self.tags]


class ArticleVersion(Base):
    """A saved text of an article; versions are never edited, restoring one saves a new one."""

    __tablename__ = "kb_article_versions"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[str] = mapped_column(Text, default="")  # one tag per line, as they were
    state: Mapped[str] = mapped_column(String(10))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    note: Mapped[str] = mapped_column(String(300), default="")
    restored_from: Mapped[int | None] = mapped_column(Integer)  # the version number brought back
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()


class ArticleTag(Base):
    __tablename__ = "kb_article_tags"

    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)


class RelatedArticle(Base):
    """"See also": stored in both directions so either article lists the other."""

    __tablename__ = "kb_related_articles"

    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"), primary_key=True)
    related_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"), primary_key=True)


class ArticleFile(Base):
    """An image or attachment of an article, on disk under ``kb.files_dir`` by SHA-256 digest."""

    __tablename__ = "kb_article_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)


class SynonymGroup(Base):
    """Words that mean the same to the people searching (رمز ↔ گذرواژه ↔ پسورد), one per line."""

    __tablename__ = "kb_synonym_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    terms: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)


class Feedback(Base):
    """"Was this helpful?" with an optional comment."""

    __tablename__ = "kb_feedback"
    __table_args__ = (Index("ix_kb_feedback_article_id_id", "article_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"))
    helpful: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    session_key: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)


class FlagKind(enum.StrEnum):
    outdated = "outdated"
    wrong = "wrong"


class Flag(Base):
    """KCS "flag it or fix it": an agent marks an article outdated or wrong for its owner."""

    __tablename__ = "kb_flags"
    __table_args__ = (Index("ix_kb_flags_article_id_resolved_at", "article_id", "resolved_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
    ticket_id: Mapped[int | None] = mapped_column(Integer)
    flagged_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[object | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))

    flagged_by: Mapped[User | None] = relationship(foreign_keys=[flagged_by_id])


class TicketLink(Base):
    """An article used on a ticket ("solved with" when it resolved it): reuse and link rate."""

    __tablename__ = "kb_ticket_links"

    article_id: Mapped[int] = mapped_column(ForeignKey("kb_articles.id", ondelete="CASCADE"), primary_key=True)
    ticket_id: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)
    tracking_code: Mapped[str] = mapped_column(String(12))
    solved_with: Mapped[bool] = mapped_column(Boolean, default=True)
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    linked_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)


class ResolvedTicket(Base):
    """Tickets resolved, as heard through the ticket hooks: the denominator of the link rate."""

    __tablename__ = "kb_resolved_tickets"

    ticket_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(12), default="", server_default="")
    department_id: Mapped[int] = mapped_column(Integer, index=True)
    resolved_at: Mapped[object] = mapped_column(UTCDateTime, index=True)


class SelfServiceEvent(Base):
    """One step of a portal visit's self-service trail (DOMAIN §3.4).

    ``kind`` is a ``TrailKind``; ``session_key`` ties the steps of one visit together.
    """

    __tablename__ = "kb_selfservice_events"
    __table_args__ = (
        Index("ix_kb_selfservice_events_session_key_id", "session_key", "id"),
        Index("ix_kb_selfservice_events_kind_at", "kind", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_key: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("kb_articles.id", ondelete="SET NULL"))
    query: Mapped[str] = mapped_column(String(200), default="")  # normalized, cut to 200 characters
    result_count: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(20), default="portal")  # portal, deflection, workspace, api
    user_id: Mapped[int | None] = mapped_column(Integer)


class TrailKind(enum.StrEnum):
    search = "search"
    view = "view"
    helpful = "helpful"
    unhelpful = "unhelpful"
    solved = "solved"  # "this solved my problem": the visit ends without a ticket
    still_need_help = "still_need_help"
    suggested = "suggested"  # articles suggested on the submit form
    ticket_created = "ticket_created"
