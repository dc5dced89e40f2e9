"""Articles in and out as JSON lines: ``pishkhan kb import`` / ``export``, the demo's articles and
the JSON API's writes.

One article per line, the fields of ``plugins.kb.api_schemas.ArticleFields``::

    {"key": "it-vpn", "department": "it", "title": "…", "body": "…", "tags": ["vpn"],
     "audience": "public", "state": "published", "confidence": "validated",
     "category": "Network / VPN", "related": ["it-wifi"], "next_review_on": "2026-09-01"}

The key is the article's stable id: importing the same key again updates the article, with a
new version only when something changed. Every change goes through ``KnowledgeBase``, as the
system or as a given user, so an import obeys the same rules as the editor. A broken line is
reported with its number and reason and the rest is imported; related keys are resolved once
every line is in, so a line may name an article further down. What ``export_lines`` writes,
``Importer`` reads back unchanged.
"""
from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import colander
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from translationstring import TranslationString

from core.i18n import _
from core.models import Department
from plugins.kb.api_schemas import (
    CATEGORY_SEPARATOR,
    PRESENT_IN_IMPORT,
    category_names,
    given_fields,
    import_line_schema,
    unknown_fields,
)
from plugins.kb.articles import ArticleInput, KbConflict, KbError, KnowledgeBase
from plugins.kb.models import Article, Category, Confidence, RelatedArticle, State

BATCH = 500  # lines per transaction on import, articles per query on export
# Confidence values only publishers set (the editor offers the others to every author).
PUBLISHER_CONFIDENCES = (Confidence.validated.value, Confidence.archived.value)
# Transitions from one state to another, in order.
PATHS = {
    (State.draft.value, State.review.value): ("submit",),
    (State.draft.value, State.published.value): ("publish",),
    (State.review.value, State.draft.value): ("return_to_draft",),
    (State.review.value, State.published.value): ("publish",),
    (State.published.value, State.draft.value): ("return_to_draft",),
    (State.published.value, State.review.value): ("return_to_draft", "submit"),
}


class Outcome(enum.StrEnum):
    created = "created"
    updated = "updated"
    unchanged = "unchanged"


def english(message) -> str:
    """A message for the command line, which speaks English."""
    return message.interpolate() if isinstance(message, TranslationString) else str(message)


class Resolver:
    """Names as programs write them ↔ rows: departments by code, categories by path."""

    def __init__(self, dbsession: Session):
        self.dbsession = dbsession
        # Held, so that the session keeps them and ``KnowledgeBase`` finds them without a query.
        self.departments = dbsession.scalars(select(Department)).all()
        self.department_ids = {department.code: department.id for department in self.departments}
        self.department_codes = {department.id: department.code for department in self.departments}
        self._categories: dict[int, tuple[str, int | None, int | None]] | None = None

    def department_id(self, code: str) -> int:
        department_id = self.department_ids.get(code.strip())
        if department_id is None:
            raise KbError(_("No department has the code «${code}».", mapping={"code": code}), "department")
        return department_id

    @property
    def categories(self) -> dict[int, tuple[str, int | None, int | None]]:
        """Every category: id → (name, parent id, department id)."""
        if self._categories is None:
            rows = self.dbsession.execute(select(Category.id, Category.name, Category.parent_id,
                                                 Category.department_id))
            self._categories = {id_: (name, parent, department) for id_, name, parent, department in rows}
        return self._categories

    def category_path(self, category_id: int | None) -> str | None:
        names, seen = [], set()
        while category_id is not None and category_id in self.categories and category_id not in seen:
            seen.add(category_id)
            name, category_id, _department = self.categories[category_id]
            names.append(name)
        return f" {CATEGORY_SEPARATOR} ".join(reversed(names)) or None

    def category_id(self, knowledge_base: KnowledgeBase, path: str | None, department_id: int) -> int | None:
        """The category at ``path`` among the department's and the organization's, created in the
        department where missing (a sub-category joins its parent's department)."""
        if not path:
            return None
        parent: int | None = None
        parent_department: int | None = department_id
        for name in category_names(path):
            found = next((id_ for id_, (other, other_parent, owner) in self.categories.items()
                          if other == name and other_parent == parent and owner in (department_id, None)), None)
            if found is None:
                if not knowledge_base.can_publish(department_id):
                    raise KbError(_("The category «${path}» does not exist, and you may not add categories to "
                                    "this department.", mapping={"path": path}), "category")
                category = Category(name=name[:200], parent_id=parent, department_id=parent_department, position=0)
                self.dbsession.add(category)
                self.dbsession.flush()
                self.categories[category.id] = (category.name, parent, parent_department)
                found = category.id
            parent = found
            parent_department = self.categories[found][2]
        return parent

    def forget_categories(self) -> None:
        """After a rollback: categories added since may be gone."""
        self._categories = None


@dataclass(frozen=True)
class Record:
    """An article as a program writes it: ``values`` deserialized by an ``ArticleFields`` schema
    and the fields the record ``given`` (the others keep the article's value)."""

    values: dict
    given: frozenset[str]


class Writer:
    """Brings an article to what a record says, through ``KnowledgeBase``."""

    def __init__(self, knowledge_base: KnowledgeBase, resolver: Resolver):
        self.kb = knowledge_base
        self.resolver = resolver

    def save(self, record: Record, article: Article | None = None,
             expected_version: int | None = None) -> tuple[Article, Outcome]:
        """Create (``article`` is ``None``) or update; ``expected_version`` is the version the caller
        read (``KbConflict`` when it is not the current one)."""
        values, given = record.values, record.given
        kb = self.kb
        if article is not None and expected_version is not None and expected_version != article.version:
            raise conflict()
        department_id = (self.resolver.department_id(values["department"])
                         if article is None or "department" in given else article.department_id)
        if article is None and not kb.can_write(department_id):
            raise KbError(_("You may not write articles for this department."), "department")
        wanted = self._wanted(values, given, article, department_id)
        if wanted.confidence in PUBLISHER_CONFIDENCES and (article is None or wanted.confidence != article.confidence) \
                and not kb.can_publish(department_id):
            raise KbError(_("Only a publisher of the department may mark an article validated or archived."),
                          "confidence")
        state = values["state"] if article is None or "state" in given else article.state
        if article is None:
            article = kb.create(wanted)
            outcome = Outcome.created
        elif self._differs(article, wanted):
            kb.update(article, wanted)
            outcome = Outcome.updated
        else:
            outcome = Outcome.unchanged
        for action in PATHS.get((article.state, state), ()):
            kb.transition(article, action)
            outcome = outcome if outcome is Outcome.created else Outcome.updated
        if "confidence" in given and article.confidence != wanted.confidence:
            kb.set_confidence(article, wanted.confidence)  # publishing turns "work in progress" into "not validated"
            outcome = outcome if outcome is Outcome.created else Outcome.updated
        return article, outcome

    def relate(self, article: Article, keys: Iterable[str]) -> tuple[bool, list[str]]:
        """Make the articles of ``keys`` the related ones; whether that changed anything, and the
        keys no article has."""
        keys = list(dict.fromkeys(keys))
        found = article_ids(self.kb.dbsession, keys)
        current = related_ids(self.kb.dbsession, [article.id]).get(article.id, set())
        return self.relate_ids(article, {found[key] for key in keys if key in found}, current), \
            [key for key in keys if key not in found]

    def relate_ids(self, article: Article, wanted: set[int], current: set[int]) -> bool:
        wanted = wanted - {article.id}
        if wanted != current:
            self.kb.set_related(article, sorted(wanted))
        return wanted != current

    def _wanted(self, values: dict, given: frozenset[str], article: Article | None, department_id: int) -> ArticleInput:
        """What the article becomes. The schema has normalized the record's text already (and
        ``KnowledgeBase`` normalizes what it saves), so it is compared as it is."""
        def value(name: str, current):
            return values[name] if article is None or name in given else current

        if article is None or "category" in given:
            category_id = self.resolver.category_id(self.kb, values["category"], department_id)
        else:
            category_id = article.category_id
        return ArticleInput(
            title=value("title", article and article.title),
            department_id=department_id,
            body=value("body", article and article.body),
            summary=value("summary", article and article.summary),
            tags=list(value("tags", article and article.tag_names)),
            audience=value("audience", article and article.audience),
            confidence=value("confidence", article and article.confidence),
            service_key=value("service", article and article.service_key),
            category_id=category_id,
            next_review_on=value("next_review_on", article and article.next_review_on),
            key=value("key", article and article.key),
        )

    @staticmethod
    def _differs(article: Article, wanted: ArticleInput) -> bool:
        """Whether saving ``wanted`` changes the text or a field (tag order aside: tags are kept sorted)."""
        return (
            (article.title, article.summary, article.body, article.department_id, article.audience,
             article.confidence, article.service_key, article.category_id, article.key)
            != (wanted.title, wanted.summary, wanted.body, wanted.department_id, wanted.audience,
                wanted.confidence, wanted.service_key, wanted.category_id, wanted.key or article.key)
            or sorted(article.tag_names) != sorted(set(wanted.tags))
            or (wanted.next_review_on is not None and wanted.next_review_on != article.next_review_on)
        )


def conflict() -> KbConflict:
    return KbConflict(_("Someone else changed this article since you read it. "
                        "Read it again and retry with its new version."), "version")


# --- import --------------------------------------------------------------------------------------

class LineError(Exception):
    """A line that cannot be read as an article; ``reason`` is English, for the command line."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Problem:
    line: int
    reason: str
    imported: bool = False  # the article is in; something about it (a related key) is not


@dataclass
class ImportReport:
    counts: dict[Outcome, int] = field(default_factory=lambda: dict.fromkeys(Outcome, 0))
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(1 for problem in self.problems if not problem.imported)

    def summary(self) -> str:
        return (f"created {self.counts[Outcome.created]}, updated {self.counts[Outcome.updated]}, "
                f"unchanged {self.counts[Outcome.unchanged]}, failed {self.failed}")


@dataclass
class _Pending:
    """An imported line's related keys, resolved once every line is in."""

    line: int
    article_id: int
    keys: tuple[str, ...]
    outcome: Outcome


class Importer:
    """Reads JSON lines into articles.

    ``knowledge_base_for(department_id)`` gives the ``KnowledgeBase`` that writes an article of
    that department (one for the whole import, or, for the demo, each department's lead).
    ``commit`` is called every ``batch`` lines (the command line commits; the demo and the tests
    stay in their transaction); each line runs in a savepoint, so a refused one leaves nothing.
    """

    def __init__(self, dbsession: Session, knowledge_base_for: Callable[[int], KnowledgeBase],
                 commit: Callable[[], None] | None = None, batch: int = BATCH):
        self.dbsession = dbsession
        self.knowledge_base_for = knowledge_base_for
        self.commit = commit
        self.batch = batch
        self.resolver = Resolver(dbsession)
        self.schema = import_line_schema()

    def run(self, lines: Iterable[str], progress: Callable[[int], None] | None = None) -> ImportReport:
        report = ImportReport()
        pending: list[_Pending] = []
        done = 0
        for number, line in enumerate(lines, start=1):
            if line.strip():
                try:
                    with self.dbsession.begin_nested():
                        article, outcome, related = self._import(line)
                except LineError as error:
                    report.problems.append(Problem(number, error.reason))
                    self.resolver.forget_categories()
                except KbError as error:
                    report.problems.append(Problem(number, reason(error)))
                    self.resolver.forget_categories()
                else:
                    report.counts[outcome] += 1
                    if related is not None and (related or outcome is not Outcome.created):
                        pending.append(_Pending(number, article.id, related, outcome))
                done += 1
                if done % self.batch == 0:
                    self._commit()
            if progress is not None:
                progress(1)
        self._relate(pending, report)
        self._commit()
        return report

    def _import(self, line: str) -> tuple[Article, Outcome, tuple[str, ...] | None]:
        record = self.read(line)
        article = self.dbsession.scalar(select(Article).where(Article.key == record.values["key"]))
        department_code = record.values["department"]
        knowledge_base = self.knowledge_base_for(self.resolver.department_id(department_code))
        article, outcome = Writer(knowledge_base, self.resolver).save(record, article)
        related = tuple(record.values["related"]) if "related" in record.given else None
        return article, outcome, related

    def read(self, line: str) -> Record:
        try:
            data = json.loads(line.strip())
        except ValueError as error:
            raise LineError(f"not valid JSON ({error.msg} at character {error.pos + 1})") from None
        if not isinstance(data, dict):
            raise LineError("not a JSON object")
        problems = {name: "unknown field" for name in unknown_fields(self.schema, data)}
        problems.update({name: "Required" for name in PRESENT_IN_IMPORT if name not in data})
        try:
            values = self.schema.deserialize(data)
        except colander.Invalid as error:
            problems.update({name or "line": message for name, message in error.asdict(translate=english).items()})
            values = None
        if problems:
            raise LineError("; ".join(f"{name}: {message}" for name, message in problems.items()))
        return Record(values, given_fields(self.schema, data))

    def _relate(self, pending: list[_Pending], report: ImportReport) -> None:
        """Every imported line's related keys, ``batch`` articles at a time. Links go both ways, so
        an article is linked to the keys of its own line and to the imported articles whose lines
        name it: importing the same lines again finds nothing to change."""
        keys = sorted({key for item in pending for key in item.keys})
        found: dict[str, int] = {}
        for start in range(0, len(keys), self.batch):
            found.update(article_ids(self.dbsession, keys[start:start + self.batch]))
        wanted = {item.article_id: {found[key] for key in item.keys if key in found} for item in pending}
        for item in pending:
            for other in wanted[item.article_id]:
                if other in wanted:
                    wanted[other].add(item.article_id)
        for start in range(0, len(pending), self.batch):
            chunk = pending[start:start + self.batch]
            articles = {article.id: article for article in self.dbsession.scalars(
                select(Article).where(Article.id.in_([item.article_id for item in chunk])))}
            current = related_ids(self.dbsession, list(articles))
            for item in chunk:
                article = articles[item.article_id]
                writer = Writer(self.knowledge_base_for(article.department_id), self.resolver)
                try:
                    with self.dbsession.begin_nested():
                        changed = writer.relate_ids(article, wanted[article.id], current.get(article.id, set()))
                except KbError as error:
                    report.problems.append(Problem(item.line, f"related articles not saved: {reason(error)}",
                                                   imported=True))
                    continue
                unknown = [key for key in item.keys if key not in found]
                if unknown:
                    report.problems.append(Problem(item.line, "no article has the related key(s) "
                                                   + ", ".join(unknown), imported=True))
                if changed and item.outcome is Outcome.unchanged:
                    report.counts[Outcome.unchanged] -= 1
                    report.counts[Outcome.updated] += 1
            self._commit()

    def _commit(self) -> None:
        if self.commit is not None:
            self.commit()


def article_ids(dbsession: Session, keys: list[str]) -> dict[str, int]:
    return dict(dbsession.execute(select(Article.key, Article.id).where(Article.key.in_(keys))).all()) if keys else {}


def related_ids(dbsession: Session, article_ids: list[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    for article_id, related_id in dbsession.execute(select(RelatedArticle.article_id, RelatedArticle.related_id)
                                                    .where(RelatedArticle.article_id.in_(article_ids))):
        found.setdefault(article_id, set()).add(related_id)
    return found


def reason(error: KbError) -> str:
    message = english(error.message)
    return f"{error.field}: {message}" if error.field else message


# --- export --------------------------------------------------------------------------------------

def export_lines(dbsession: Session, department_id: int | None = None) -> Iterator[str]:
    """Every article (of ``department_id`` and the departments under it, when given) as a JSON
    line, oldest first, ``BATCH`` articles per query."""
    from core.security import department_subtree_ids

    resolver = Resolver(dbsession)
    departments = None if department_id is None else department_subtree_ids(dbsession, department_id)
    last_id = 0
    while True:
        statement = (select(Article).options(selectinload(Article.tags)).where(Article.id > last_id)
                     .order_by(Article.id).limit(BATCH))
        if departments is not None:
            statement = statement.where(Article.department_id.in_(sorted(departments)))
        articles = dbsession.scalars(statement).all()
        if not articles:
            return
        related = related_keys(dbsession, [article.id for article in articles])
        for article in articles:
            yield json.dumps(article_line(article, resolver, related.get(article.id, [])), ensure_ascii=False)
        last_id = articles[-1].id  # the session holds its rows weakly: a long export keeps no batch


def related_keys(dbsession: Session, article_ids: list[int]) -> dict[int, list[str]]:
    rows = dbsession.execute(select(RelatedArticle.article_id, Article.key)
                             .join(Article, Article.id == RelatedArticle.related_id)
                             .where(RelatedArticle.article_id.in_(article_ids)).order_by(Article.key))
    found: dict[int, list[str]] = {}
    for article_id, key in rows:
        found.setdefault(article_id, []).append(key)
    return found


def article_line(article: Article, resolver: Resolver, related: list[str]) -> dict:
    return {
        "key": article.key,
        "department": resolver.department_codes[article.department_id],
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "tags": article.tag_names,
        "audience": article.audience,
        "state": article.state,
        "confidence": article.confidence,
        "category": resolver.category_path(article.category_id),
        "service": article.service_key,
        "related": related,
        "next_review_on": article.next_review_on.isoformat() if article.next_review_on else None,
    }
