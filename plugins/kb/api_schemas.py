"""Colander schemas of articles as programs write them: a line of a JSON-lines import
(``plugins.kb.transfer``) and the bodies of the JSON API (``plugins.kb.web.api``).

Everything is named the way it survives a move to another installation: the department by its
code, the category by its path (``"Software / E-mail"``), related articles by key, the review
date in ISO 8601. Whether those names exist is checked by ``plugins.kb.transfer.Resolver``.
Input is normalized like the forms' (Arabic ي/ك, digits, ZWNJ). Unknown keys are refused
(``unknown_fields``) so that a mistyped field is an error rather than silently ignored.

Which fields a record *gives* matters when it changes an article: a field left out keeps the
article's value, ``null`` clears it (``given_fields``).
"""
from __future__ import annotations

import colander

from core.forms import NormalizedString
from core.i18n import _
from core.normalize import normalize_line, to_latin_digits
from core.schemas import max_length
from plugins.kb.articles import KEY_PATTERN, MAX_TAGS
from plugins.kb.models import Article, ArticleTag, Audience, Confidence, State

MAX_BODY = 100_000
MAX_CATEGORY_PATH = 600
MAX_RELATED = 50
CATEGORY_SEPARATOR = "/"
AUDIENCES = [value.value for value in Audience]
STATES = [value.value for value in State]
CONFIDENCES = [value.value for value in Confidence]
# An import line has the fields: these with a value, and ``body`` and ``tags`` at least
# present (an empty body or no tags is an answer too).
REQUIRED_IN_IMPORT = ("key", "department", "title", "audience", "state")
PRESENT_IN_IMPORT = ("body", "tags")


def at_most(limit: int) -> colander.Length:
    return colander.Length(max=limit, max_err=_("At most ${max} characters."))


def one_of(values: list[str]) -> colander.OneOf:
    return colander.OneOf(values, msg_err=_("Choose one of: ${choices}", mapping={"choices": ", ".join(values)}))


def key_validator(node, value):
    if not KEY_PATTERN.fullmatch(value):
        raise colander.Invalid(node, _("A key has lower-case Latin letters, digits, dots, dashes and underscores."))


class ArticleKey(colander.String):
    """An article's key, lower-cased (``KnowledgeBase`` stores keys that way)."""

    def deserialize(self, node, cstruct):
        value = super().deserialize(node, cstruct)
        return value if value is colander.null else (normalize_line(value).lower() or colander.null)


class IsoDate(colander.Date):
    """``2026-05-01``; Persian or Arabic digits are fine."""

    def deserialize(self, node, cstruct):
        if isinstance(cstruct, str):
            cstruct = to_latin_digits(cstruct.strip())
        return super().deserialize(node, cstruct)


class Tags(colander.SequenceSchema):
    tag = colander.SchemaNode(NormalizedString(), validator=max_length(ArticleTag.__table__.c.tag))
    validator = colander.Length(max=MAX_TAGS, max_err=_("At most ${max} tags."))


class RelatedKeys(colander.SequenceSchema):
    key = colander.SchemaNode(ArticleKey(), validator=key_validator)
    validator = colander.Length(max=MAX_RELATED, max_err=_("At most ${max} related articles."))


class ArticleFields(colander.MappingSchema):
    """Every field of an article; the defaults are a new article's."""

    key = colander.SchemaNode(ArticleKey(), missing=None,
                              validator=colander.All(max_length(Article.__table__.c.key), key_validator),
                              description="The stable external id (lower-case Latin letters, digits, . _ -); "
                                          "made up from the department's code when left out.")
    department = colander.SchemaNode(colander.String(), validator=at_most(40),
                                     description="The department's code, e.g. it.")
    title = colander.SchemaNode(NormalizedString(), validator=max_length(Article.__table__.c.title))
    summary = colander.SchemaNode(NormalizedString(), missing="", validator=max_length(Article.__table__.c.summary))
    body = colander.SchemaNode(NormalizedString(multiline=True), missing="", validator=at_most(MAX_BODY),
                               description="Markdown.")
    tags = Tags(missing=())
    audience = colander.SchemaNode(colander.String(), missing=Audience.public.value, validator=one_of(AUDIENCES),
                                   description="public: everyone; internal: staff only.")
    state = colander.SchemaNode(colander.String(), missing=State.draft.value, validator=one_of(STATES),
                                description="Publishing or returning an article to draft needs a publisher "
                                            "(team lead, manager, director, administrator) of its department.")
    confidence = colander.SchemaNode(colander.String(), missing=Confidence.not_validated.value,
                                     validator=one_of(CONFIDENCES),
                                     description="KCS confidence; validated and archived need a publisher.")
    category = colander.SchemaNode(NormalizedString(), missing=None, validator=at_most(MAX_CATEGORY_PATH),
                                   description='The category\'s path, e.g. "Software / E-mail"; '
                                               "created in the article's department when missing.")
    service = colander.SchemaNode(colander.String(), missing=None,
                                  validator=max_length(Article.__table__.c.service_key),
                                  description="The key of a service, e.g. category:3.")
    related = RelatedKeys(missing=(), description="Keys of related articles (kept in both directions).")
    next_review_on = colander.SchemaNode(IsoDate(), missing=None,
                                         description="When the owner reviews it again (ISO date); "
                                                     "by default kb.review_after_days after creation.")


def import_line_schema() -> colander.SchemaNode:
    """A line of an import: the fields of the issue required (``PRESENT_IN_IMPORT`` are checked by
    the importer), the rest optional."""
    schema = ArticleFields().clone()  # the class's nodes are shared by every instance
    for name in REQUIRED_IN_IMPORT:
        schema[name].missing = colander.required
    return schema


def new_article_schema() -> colander.SchemaNode:
    """``POST /api/v1/kb/articles``: a department and a title, the rest optional."""
    return ArticleFields().clone()


def article_update_schema() -> colander.SchemaNode:
    """``PUT /api/v1/kb/articles/{id}``: the ``version`` read, and the fields that change; a field
    left out keeps its value."""
    schema = ArticleFields().clone()
    for node in schema.children:
        if node.missing is not None:  # nullable fields keep ``None`` so null can clear them
            node.missing = colander.drop
    schema.add_before("key", colander.SchemaNode(
        colander.Integer(), name="version", description="The version read (optimistic lock)."))
    return schema


def given_fields(schema: colander.SchemaNode, data: dict) -> frozenset[str]:
    """The fields ``data`` sets (those left out keep the article's value)."""
    return frozenset(child.name for child in schema.children if child.name in data)


def unknown_fields(schema: colander.SchemaNode, data: dict) -> list[str]:
    known = {child.name for child in schema.children}
    return [str(key) for key in data if key not in known]


def category_names(path: str) -> list[str]:
    """``"Software / E-mail"`` → ``["Software", "E-mail"]``."""
    return [name for name in (normalize_line(part) for part in path.split(CATEGORY_SEPARATOR)) if name]
