"""Colander schemas of the knowledge base's forms: the article editor, categories and synonyms.

They need no request: the choices that come from the database (departments the author writes
for, categories, services) are gathered by ``editor_choices`` and given to the schema's
constructor, so the JSON API can validate with the same schemas the pages render with deform::

    schema = ArticleSchema(choices=editor_choices(dbsession, hook, knowledge_base, article))
    values = schema.deserialize(cstruct)        # colander.Invalid names the bad fields
    knowledge_base.update(article, article_input(values), values["version"])
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import colander
import deform
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.forms import JalaliDate, JalaliDateWidget, NormalizedString
from core.i18n import _
from core.normalize import normalize_line
from core.plugins import flatten
from core.schemas import CHOOSE_FROM_LIST, department_tree, max_length, text_widget
from plugins.kb import labels
from plugins.kb.articles import KEY_PATTERN, MAX_TAGS, PUBLISHER_ROLES, ArticleInput, KnowledgeBase
from plugins.kb.models import Article, ArticleVersion, Audience, Category, Confidence

MAX_BODY = 100_000
MAX_TAG = 80
MAX_RELATED = 20
LIST_SEPARATORS = re.compile(r"[,،;؛\n\r]+")
KEY_SEPARATORS = re.compile(r"[\s,،;؛]+")
SYNONYM_SEPARATORS = re.compile(r"[,،]+")
MAX_SYNONYM_GROUPS = 500
MAX_SYNONYMS = 30


def split_list(text: str) -> list[str]:
    """Items typed one per line or separated by commas (Latin or Persian) or semicolons,
    normalized, without empties and repeats, in the order typed."""
    items = (normalize_line(item) for item in LIST_SEPARATORS.split(text or ""))
    return list(dict.fromkeys(item for item in items if item))


class TagList(colander.SchemaType):
    """Tags typed as ``a, b`` or one per line (a JSON list of strings too); a list in Python."""

    def serialize(self, node, appstruct):
        if appstruct in (colander.null, None):
            return colander.null
        return "، ".join(appstruct)

    def deserialize(self, node, cstruct):
        if cstruct in (colander.null, None, ""):
            return colander.null
        if isinstance(cstruct, list) and all(isinstance(item, str) for item in cstruct):
            cstruct = "\n".join(cstruct)
        if not isinstance(cstruct, str):
            raise colander.Invalid(node, _("Write the tags separated by commas."))
        tags = split_list(cstruct)
        if len(tags) > MAX_TAGS:
            raise colander.Invalid(node, _("At most ${max} tags.", mapping={"max": MAX_TAGS}))
        if any(len(tag) > MAX_TAG for tag in tags):
            raise colander.Invalid(node, _("A tag has at most ${max} characters.", mapping={"max": MAX_TAG}))
        return tags or colander.null


class ArticleReferences(colander.SchemaType):
    """Articles named by key or by number, separated by spaces, commas or lines; a list of
    strings in Python (keys lower-cased, numbers in Latin digits). Which exist is checked later."""

    def serialize(self, node, appstruct):
        if appstruct in (colander.null, None):
            return colander.null
        return ", ".join(appstruct)

    def deserialize(self, node, cstruct):
        if cstruct in (colander.null, None, ""):
            return colander.null
        if isinstance(cstruct, list) and all(isinstance(item, str | int) for item in cstruct):
            cstruct = " ".join(str(item) for item in cstruct)
        if not isinstance(cstruct, str):
            raise colander.Invalid(node, _("Write article keys or numbers separated by commas."))
        references = [normalize_line(item).lower() for item in KEY_SEPARATORS.split(cstruct)]
        references = list(dict.fromkeys(item for item in references if item))
        for reference in references:
            if not (reference.isdigit() or KEY_PATTERN.fullmatch(reference)):
                raise colander.Invalid(node, _("«${reference}» is not an article key or number.",
                                               mapping={"reference": reference}))
        if len(references) > MAX_RELATED:
            raise colander.Invalid(node, _("At most ${max} related articles.", mapping={"max": MAX_RELATED}))
        return references or colander.null


class LowerKey(colander.String):
    def deserialize(self, node, cstruct):
        value = super().deserialize(node, cstruct)
        if value is colander.null:
            return value
        return normalize_line(value).lower() or colander.null


def key_validator(node, value):
    if not KEY_PATTERN.fullmatch(value):
        raise colander.Invalid(node, _("A key has lower-case Latin letters, digits, dots, dashes and underscores."))


@dataclass(frozen=True)
class EditorChoices:
    """What an author may choose in the editor.

    ``departments``: (id, indented name) the author writes for; ``categories`` and ``services``:
    (value, label, department id or ``None``) of those departments and of the whole organization;
    ``lineage``: each department with the departments above it (an article may use its own
    department's categories and services and those of the departments above);
    ``confidences``: the KCS values the author may set.
    """

    departments: list[tuple[int, str]]
    categories: list[tuple[int, str, int | None]] = field(default_factory=list)
    services: list[tuple[str, str, int | None]] = field(default_factory=list)
    lineage: dict[int, set[int]] = field(default_factory=dict)
    confidences: tuple[str, ...] = (Confidence.work_in_progress.value, Confidence.not_validated.value)
    department_names: dict[int, str] = field(default_factory=dict)

    def fits(self, owner_department: int | None, department_id: int) -> bool:
        """Whether a category or service of ``owner_department`` may serve an article of
        ``department_id``."""
        return owner_department is None or owner_department in self.lineage.get(department_id, {department_id})


def editor_choices(dbsession: Session, hook, knowledge_base: KnowledgeBase,
                   article: Article | None = None) -> EditorChoices:
    """The editor's choices for the actor of ``knowledge_base`` (three queries and the services
    hook). ``article``'s current values stay choosable even when the actor could not pick them."""
    tree = department_tree(dbsession)
    writable = knowledge_base.author_departments()
    parents = {department.id: department.parent_id for department, _depth in tree}
    lineage = {}
    for department_id in parents:
        chain, current = set(), department_id
        while current is not None and current not in chain:
            chain.add(current)
            current = parents.get(current)
        lineage[department_id] = chain
    usable = set(parents) if writable is None else {up for down in writable for up in lineage.get(down, ())}
    departments = [(department.id, "\u00a0\u00a0" * depth + department.name) for department, depth in tree
                   if writable is None or department.id in writable]
    actor = knowledge_base.actor
    confidences = [Confidence.work_in_progress.value, Confidence.not_validated.value]
    if actor is None or actor.role in PUBLISHER_ROLES:
        confidences.append(Confidence.validated.value)
    if article is not None and article.confidence not in confidences:
        confidences.append(article.confidence)
    services = [(service.key, service.title, service.department_id)
                for service in flatten(hook.pishkhan_ticket_services(dbsession=dbsession, department_id=None))
                if service.department_id in usable]
    if article is not None and article.service_key and article.service_key not in {s[0] for s in services}:
        services.append((article.service_key, article.service_key, None))
    return EditorChoices(
        departments=departments, categories=category_choices(dbsession, usable), services=services,
        lineage=lineage, confidences=tuple(confidences),
        department_names={department.id: department.name for department, _depth in tree})


def category_tree(dbsession: Session, department_ids: set[int] | None = None) -> list[tuple[Category, int]]:
    """Categories in tree order (parents first, siblings by position and name) with their depth:
    the organization's and those of ``department_ids`` (``None``: every department's)."""
    statement = select(Category).order_by(Category.position, Category.name, Category.id)
    if department_ids is not None:
        statement = statement.where(Category.department_id.is_(None)
                                    | Category.department_id.in_(sorted(department_ids)))
    categories = dbsession.scalars(statement).all()
    known = {category.id for category in categories}
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        parent = category.parent_id if category.parent_id in known else None
        children.setdefault(parent, []).append(category)
    ordered: list[tuple[Category, int]] = []
    stack = [(category, 0) for category in reversed(children.get(None, []))]
    while stack:
        category, depth = stack.pop()
        ordered.append((category, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(category.id, [])))
    return ordered


def category_choices(dbsession: Session, department_ids: set[int] | None) -> list[tuple[int, str, int | None]]:
    return [(category.id, "\u00a0\u00a0" * depth + category.name, category.department_id)
            for category, depth in category_tree(dbsession, department_ids)]


def _grouped(options: list[tuple], names: dict[int, str], everyone) -> list:
    """Select options grouped by department (the organization's first), in the given order."""
    groups: dict[int | None, list[tuple[str, str]]] = {}
    for value, label, department_id in options:
        groups.setdefault(department_id, []).append((str(value), label))
    result = []
    for department_id, items in sorted(groups.items(), key=lambda item: item[0] is not None):
        result.append(deform.widget.OptGroup(everyone if department_id is None else names.get(department_id, ""),
                                             *items))
    return result


class ArticleSchema(colander.Schema):
    """An article as the editor shows it; ``article_input(values)`` gives the ``ArticleInput``."""

    title = colander.SchemaNode(NormalizedString(), title=_("Title"),
                                validator=max_length(Article.__table__.c.title), widget=text_widget(dir="auto"))
    summary = colander.SchemaNode(
        NormalizedString(), title=_("Summary"), missing="",
        description=_("One or two sentences shown under the title in search results."),
        validator=max_length(Article.__table__.c.summary),
        widget=deform.widget.TextAreaWidget(rows=2, attributes={"dir": "auto"}))
    body = colander.SchemaNode(
        NormalizedString(multiline=True), title=_("Text"), missing="",
        description=_("Markdown: ## heading, **bold**, - list item, [link](https://…), ![image](address)."),
        validator=colander.Length(max=MAX_BODY, max_err=_("At most ${max} characters.")),
        widget=deform.widget.TextAreaWidget(rows=18, attributes={"dir": "auto", "data-testid": "body"}))
    department = colander.SchemaNode(colander.Integer(), title=_("Department"))
    service = colander.SchemaNode(colander.String(), title=_("Service"), missing=None)
    category = colander.SchemaNode(colander.Integer(), title=_("Category"), missing=None)
    tags = colander.SchemaNode(TagList(), title=_("Tags"), missing=[],
                               description=_("Separated by commas or one per line."),
                               widget=text_widget(dir="auto"))
    audience = colander.SchemaNode(
        colander.String(), title=_("Who may read it"), default=Audience.public.value,
        validator=colander.OneOf(list(labels.AUDIENCE), msg_err=CHOOSE_FROM_LIST),
        widget=deform.widget.SelectWidget(values=list(labels.AUDIENCE.items())))
    confidence = colander.SchemaNode(colander.String(), title=_("Confidence"),
                                     default=Confidence.not_validated.value)
    next_review_on = colander.SchemaNode(
        JalaliDate(), title=_("Review again on"), missing=None, widget=JalaliDateWidget(),
        description=_("Left empty, a new article is due for review after the configured period."))
    related = colander.SchemaNode(ArticleReferences(), title=_("Related articles"), missing=[],
                                  description=_("Keys or numbers of other articles, separated by commas."),
                                  widget=text_widget(dir="ltr"))
    key = colander.SchemaNode(LowerKey(), title=_("Key"), missing=None,
                              description=_("The article's stable id for import and export; made up when empty."),
                              validator=colander.All(max_length(Article.__table__.c.key), key_validator),
                              widget=text_widget(dir="ltr", autocomplete="off"))
    note = colander.SchemaNode(NormalizedString(), title=_("What changed"), missing="",
                               description=_("A short note for the version history."),
                               validator=max_length(ArticleVersion.__table__.c.note),
                               widget=text_widget(dir="auto"))
    version = colander.SchemaNode(colander.Integer(), missing=None, widget=deform.widget.HiddenWidget())

    def __init__(self, *args, choices: EditorChoices | None = None, **kw):
        super().__init__(*args, **kw)
        self.choices = choices
        if choices is not None:  # colander's clone() builds without arguments, then copies
            self._offer(choices)

    def _offer(self, choices: EditorChoices) -> None:
        departments = {department_id for department_id, _name in choices.departments}
        self["department"].validator = colander.OneOf(sorted(departments), msg_err=CHOOSE_FROM_LIST)
        self["department"].widget = deform.widget.SelectWidget(
            values=[(str(department_id), name) for department_id, name in choices.departments])
        self["service"].validator = colander.OneOf([key for key, _t, _d in choices.services],
                                                   msg_err=CHOOSE_FROM_LIST)
        self["service"].widget = deform.widget.SelectWidget(
            values=[("", _("No particular service")),
                    *_grouped(choices.services, choices.department_names, _("Every department"))])
        self["category"].validator = colander.OneOf([value for value, _l, _d in choices.categories],
                                                    msg_err=CHOOSE_FROM_LIST)
        self["category"].widget = deform.widget.SelectWidget(
            values=[("", _("No category")),
                    *_grouped(choices.categories, choices.department_names, _("Every department"))])
        self["confidence"].validator = colander.OneOf(list(choices.confidences), msg_err=CHOOSE_FROM_LIST)
        self["confidence"].widget = deform.widget.SelectWidget(
            values=[(value, labels.CONFIDENCE[value]) for value in choices.confidences])

    def validator(self, node, values):
        """A category or service belongs to the article's department, one above it, or everyone."""
        error = colander.Invalid(node)
        owners = {"service": {key: owner for key, _l, owner in self.choices.services},
                  "category": {value: owner for value, _l, owner in self.choices.categories}}
        for name, owner_of in owners.items():
            chosen = values.get(name)
            if chosen is not None and not self.choices.fits(owner_of.get(chosen), values["department"]):
                error[name] = _("This belongs to another department; choose one of the article's department.")
        if error.children:
            raise error


def article_input(values: dict) -> ArticleInput:
    """The ``ArticleInput`` of a validated ``ArticleSchema``."""
    return ArticleInput(
        title=values["title"], department_id=values["department"], body=values["body"], summary=values["summary"],
        tags=values["tags"], audience=values["audience"], confidence=values["confidence"],
        service_key=values["service"], category_id=values["category"], next_review_on=values["next_review_on"],
        key=values["key"])


def article_appstruct(article: Article, related: list[str]) -> dict:
    """What the editor shows for ``article`` (``related``: the keys of its related articles)."""
    return {
        "title": article.title, "summary": article.summary, "body": article.body,
        "department": article.department_id, "service": article.service_key or colander.null,
        "category": article.category_id if article.category_id is not None else colander.null,
        "tags": article.tag_names, "audience": article.audience, "confidence": article.confidence,
        "next_review_on": article.next_review_on or colander.null, "related": related, "key": article.key,
        "note": "", "version": article.version,
    }


# --- categories and synonyms ------------------------------------------------------------------

class CategorySchema(colander.Schema):
    """A category: its name and where it sits (a parent of the same department, or the top)."""

    name = colander.SchemaNode(NormalizedString(), title=_("Name"),
                               validator=max_length(Category.__table__.c.name))
    parent = colander.SchemaNode(colander.Integer(), title=_("Under"), missing=None)
    department = colander.SchemaNode(colander.Integer(), title=_("Department"), missing=None)


def parse_synonym_groups(text: str) -> list[list[str]]:
    """One group per line, words separated by «،» or ","; each word normalized, repeats and
    one-word lines dropped."""
    groups = []
    for line in (text or "").splitlines():
        words = [normalize_line(word) for word in SYNONYM_SEPARATORS.split(line)]
        words = list(dict.fromkeys(word for word in words if word))
        if len(words) > 1:
            groups.append(words)
    return groups


def synonyms_validator(node, value):
    groups = parse_synonym_groups(value)
    if len(groups) > MAX_SYNONYM_GROUPS:
        raise colander.Invalid(node, _("At most ${max} lines.", mapping={"max": MAX_SYNONYM_GROUPS}))
    for group in groups:
        if len(group) > MAX_SYNONYMS:
            raise colander.Invalid(node, _("At most ${max} words on one line.", mapping={"max": MAX_SYNONYMS}))
        if any(len(word) > 100 for word in group):
            raise colander.Invalid(node, _("A word or phrase has at most ${max} characters.", mapping={"max": 100}))


class SynonymsSchema(colander.Schema):
    groups = colander.SchemaNode(
        colander.String(), title=_("Synonyms"), missing="", validator=synonyms_validator,
        description=_("One group per line: words that mean the same to the people searching, separated by «،» or "
                      "a comma, for example: رمز، گذرواژه، پسورد. A search for any of them finds articles that "
                      "use the others."),
        widget=deform.widget.TextAreaWidget(rows=16, attributes={"dir": "auto", "data-testid": "synonyms"}))
