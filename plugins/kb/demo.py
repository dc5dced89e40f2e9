"""The knowledge base's seed and demo data (``pishkhan_populate``).

Every installation starts with the default synonym groups (``demo/synonyms.json``) when it has
none, and with the categories the departments' plugins declare (``pishkhan_knowledge_categories``)
that are missing. The demo adds the Persian articles of the plugins' files
(``pishkhan_demo_articles``) through the importer, written by each department's team lead (or
manager, or the director) at moments spread over the last year, so versions, review dates and
owners look lived in; then a half year of portal visits
(searches, some finding nothing, articles read, votes with comments, "this solved my problem",
"I still need help"), so the author lists and the self-service success rate have something to
show. The counters of each article are those of its simulated visits. Random but repeatable.
"""
from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from core.contracts import KnowledgeCategorySpec
from core.db import utcnow
from core.models import Department, Role, User
from core.plugins import flatten
from plugins.kb.articles import KnowledgeBase
from plugins.kb.backend import search_backend
from plugins.kb.models import (
    Article,
    Audience,
    Category,
    Feedback,
    ResolvedTicket,
    SelfServiceEvent,
    State,
    SynonymGroup,
    TicketLink,
    TrailKind,
)
from plugins.kb.transfer import Importer

CONTENT = Path(__file__).with_name("demo")
SEED = 1404
WRITTEN_OVER_DAYS = 300
VISITS = 1400
VISITS_OVER_DAYS = 180
# Who owns a department's articles, in order of preference.
OWNER_ROLES = (Role.team_lead.value, Role.department_manager.value)

# Things people looked for that the knowledge base does not answer (yet).
UNANSWERED = (
    "وام ازدواج کارکنان", "تمدید کارت پارکینگ اساتید", "رزرو سلف برای مهمان", "خرید لپ تاپ اقساطی",
    "ساعت کار استخر دانشگاه", "انتقال خوابگاه به پردیس دیگر", "تخفیف شهریه خواهر و برادر",
    "گواهی اشتغال به انگلیسی", "کد تخفیف کتابخانه", "ثبت نام مهدکودک کارکنان",
)
HELPFUL_COMMENTS = (
    "خیلی کامل و روشن بود، ممنون.", "مشکلم در دو دقیقه حل شد.", "کاش زودتر این صفحه را پیدا کرده بودم.",
    "مرحله‌به‌مرحله و دقیق؛ عالی بود.", "با همین راهنما بدون مراجعه حضوری کارم انجام شد.",
    "تصویرها و توضیحات کافی بود.",
)
UNHELPFUL_COMMENTS = (
    "مراحل با صفحه فعلی سامانه فرق دارد؛ لطفاً به‌روز کنید.", "برای گوشی آیفون توضیحی نداشت.",
    "باز هم خطا می‌دهد و نوشته نشده بعدش چه کنم.", "متن طولانی است و جواب اصلی را پیدا نکردم.",
    "شماره تماس داخلی که نوشته شده جواب نمی‌دهد.", "مهلت‌ها مربوط به ترم قبل است.",
)


def populate(dbsession, settings: dict, demo: bool, pluginmanager) -> None:
    seed_synonyms(dbsession)
    seed_categories(dbsession, flatten(pluginmanager.hook.pishkhan_knowledge_categories()))
    if demo:
        load_demo(dbsession, settings, pluginmanager)


def seed_synonyms(dbsession) -> None:
    """The default groups (one synonym per line in a row), when the administrator has none."""
    if dbsession.scalar(select(SynonymGroup.id).limit(1)) is not None:
        return
    groups = json.loads((CONTENT / "synonyms.json").read_text(encoding="utf-8"))
    now = utcnow()
    dbsession.add_all(SynonymGroup(terms="\n".join(group), updated_at=now) for group in groups if len(group) > 1)
    dbsession.flush()


def seed_categories(dbsession, specs: list[KnowledgeCategorySpec]) -> None:
    """The categories of ``specs`` that are missing, found by path as the importer finds them
    (a department's own or the organization's); those of departments that do not exist are skipped."""
    departments = dict(dbsession.execute(select(Department.code, Department.id)).all())
    tree = {(name, parent, department): id_ for id_, name, parent, department
            in dbsession.execute(select(Category.id, Category.name, Category.parent_id, Category.department_id))}
    for spec in specs:
        department_id = departments.get(spec.department)
        if department_id is None:
            continue
        parent = None
        for name in spec.path:
            found = tree.get((name, parent, department_id), tree.get((name, parent, None)))
            if found is None:
                category = Category(name=name[:200], parent_id=parent, department_id=department_id, position=0)
                dbsession.add(category)
                dbsession.flush()
                found = tree[(name, parent, department_id)] = category.id
            parent = found


def demo_lines(pluginmanager) -> list[str]:
    """The lines of every plugin's demo article file, in the order of their paths. Related keys of
    articles no installed plugin brings are left out, so a disabled department breaks nothing."""
    paths = sorted(Path(path) for path in flatten(pluginmanager.hook.pishkhan_demo_articles()))
    records = [json.loads(line) for path in paths for line in path.read_text(encoding="utf-8").splitlines()
               if line.strip()]
    keys = {record["key"] for record in records}
    for record in records:
        if "related" in record:
            record["related"] = [key for key in record["related"] if key in keys]
    return [json.dumps(record, ensure_ascii=False) for record in records]


def load_demo(dbsession, settings: dict, pluginmanager, now: datetime | None = None) -> None:
    """The demo articles and their readers; nothing when the knowledge base has articles already."""
    if dbsession.scalar(select(Article.id).limit(1)) is not None:
        return
    now = now or utcnow()
    rng = random.Random(SEED)
    backend = search_backend(pluginmanager, settings)
    owners = department_owners(dbsession)

    def knowledge_base_for(department_id: int) -> KnowledgeBase:
        written = now - timedelta(days=rng.uniform(7, WRITTEN_OVER_DAYS), minutes=rng.randrange(600))
        return KnowledgeBase(dbsession, settings, backend, owners.get(department_id), now=written, system=True)

    report = Importer(dbsession, knowledge_base_for).run(demo_lines(pluginmanager))
    if report.problems:  # the demo's own content: a broken line is a bug, not data
        raise ValueError("demo articles: " + "; ".join(f"line {p.line}: {p.reason}" for p in report.problems))
    add_visits(dbsession, rng, now)
    link_resolved_tickets(dbsession, rng, now)


def department_owners(dbsession) -> dict[int, User]:
    """Each department's owner of articles: its team lead, else its manager, else the nearest
    department above with one, else the director."""
    departments = dict(dbsession.execute(select(Department.id, Department.parent_id)).all())
    people = dbsession.scalars(select(User).where(User.is_active.is_(True)).order_by(User.id)).all()
    own: dict[int, User] = {}
    for role in reversed(OWNER_ROLES):
        own.update({user.department_id: user for user in reversed(people) if user.role == role})
    director = next((user for user in people if user.role == Role.director.value), None)
    owners = {}
    for department_id in departments:
        current, seen = department_id, set()
        while current is not None and current not in own and current not in seen:
            seen.add(current)
            current = departments.get(current)
        owner = own.get(current, director)
        if owner is not None:
            owners[department_id] = owner
    return owners


def add_visits(dbsession, rng: random.Random, now: datetime) -> None:
    """Half a year of portal visits over the published public articles, popular ones read most."""
    articles = dbsession.scalars(select(Article).where(Article.state == State.published.value,
                                                       Article.audience == Audience.public.value)
                                 .order_by(Article.id)).all()
    if not articles:
        return
    requesters = list(dbsession.scalars(select(User.id).where(User.role == Role.requester.value)))
    weights = [1 / (rank + 2) ** 0.8 for rank in range(len(articles))]
    rng.shuffle(weights)
    disappointing = {article.id for article in articles[::9]}  # some answers age badly
    visits = Visits(rng, now, requesters)
    for _ in range(VISITS):
        visits.one(rng.choices(articles, weights)[0], disappointing)
    for article in articles:
        article.view_count += visits.views.get(article.id, 0)
        article.helpful_count += visits.helpful.get(article.id, 0)
        article.unhelpful_count += visits.unhelpful.get(article.id, 0)
    dbsession.flush()
    connection = dbsession.connection()  # plain executemany: the ORM would ask every new id back
    connection.execute(insert(SelfServiceEvent.__table__), visits.events)
    connection.execute(insert(Feedback.__table__), visits.feedback)


def link_resolved_tickets(dbsession, rng: random.Random, now: datetime) -> None:
    """Agents link articles to the demo's resolved tickets ("solved with"), more often as the
    year goes on: the link rate rises from about a quarter to about two thirds (KCS adoption)."""
    articles: dict[int, list[int]] = {}
    for article_id, department_id in dbsession.execute(
            select(Article.id, Article.department_id).where(Article.state == State.published.value)
            .order_by(Article.id)):
        articles.setdefault(department_id, []).append(article_id)
    links, reuse = [], {}
    for ticket_id, code, department_id, resolved_at in dbsession.execute(
            select(ResolvedTicket.ticket_id, ResolvedTicket.tracking_code, ResolvedTicket.department_id,
                   ResolvedTicket.resolved_at).order_by(ResolvedTicket.ticket_id)):
        candidates = articles.get(department_id)
        age = min(max((now - resolved_at).days / 365, 0), 1)
        if not candidates or rng.random() > 0.65 - 0.4 * age:
            continue
        article_id = candidates[min(int(rng.expovariate(0.25)), len(candidates) - 1)]  # a few answer most
        links.append({"article_id": article_id, "ticket_id": ticket_id, "tracking_code": code,
                      "solved_with": True, "linked_at": resolved_at})
        reuse[article_id] = reuse.get(article_id, 0) + 1
    if links:
        dbsession.connection().execute(insert(TicketLink.__table__), links)
    for article in dbsession.scalars(select(Article).where(Article.id.in_(reuse))):
        article.reuse_count += reuse[article.id]
    dbsession.flush()


class Visits:
    """Writes the steps of simulated visits as rows, counting views and votes per article."""

    def __init__(self, rng: random.Random, now: datetime, requesters: list[int]):
        self.rng = rng
        self.now = now
        self.requesters = requesters
        self.events: list[dict] = []
        self.feedback: list[dict] = []
        self.views: dict[int, int] = {}
        self.helpful: dict[int, int] = {}
        self.unhelpful: dict[int, int] = {}

    def one(self, article: Article, disappointing: set[int]) -> None:
        rng = self.rng
        at = self.now - timedelta(days=rng.uniform(0, VISITS_OVER_DAYS))
        at = at.replace(hour=rng.choice((4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 17)), minute=rng.randrange(60))
        visit = {"session_key": f"demo-{rng.getrandbits(96):024x}", "user_id": self._requester(),
                 "at": min(at, self.now - timedelta(minutes=5))}
        roll = rng.random()
        if roll < 0.1:
            self._step(visit, TrailKind.search, query=rng.choice(UNANSWERED), result_count=0)
            if rng.random() < 0.6:
                self._step(visit, TrailKind.still_need_help)
                self._step(visit, TrailKind.ticket_created)
            return
        source = "deflection" if roll < 0.3 else "portal"
        words = " ".join(article.title.split()[:rng.choice((2, 3, 4))])
        if source == "deflection":
            self._step(visit, TrailKind.suggested, article.id, query=words, source=source)
        else:
            self._step(visit, TrailKind.search, query=words, result_count=rng.randint(1, 8))
        self._step(visit, TrailKind.view, article.id, source=source)
        self.views[article.id] = self.views.get(article.id, 0) + 1
        satisfied = rng.random() < (0.35 if article.id in disappointing else 0.8)
        if rng.random() < 0.45:
            self._vote(visit, article.id, satisfied, source)
        if satisfied:
            if rng.random() < 0.55:
                self._step(visit, TrailKind.solved, article.id, source=source)
        else:
            self._step(visit, TrailKind.still_need_help, article.id, source=source)
            if rng.random() < 0.7:
                self._step(visit, TrailKind.ticket_created)

    def _requester(self) -> int | None:
        return self.rng.choice(self.requesters) if self.requesters and self.rng.random() < 0.4 else None

    def _step(self, visit: dict, kind: TrailKind, article_id: int | None = None, query: str = "",
              result_count: int | None = None, source: str = "portal") -> None:
        visit["at"] = min(visit["at"] + timedelta(seconds=self.rng.randint(5, 240)), self.now)
        self.events.append({"session_key": visit["session_key"], "kind": kind.value, "at": visit["at"],
                            "article_id": article_id, "query": query, "result_count": result_count,
                            "source": source, "user_id": visit["user_id"]})

    def _vote(self, visit: dict, article_id: int, helpful: bool, source: str) -> None:
        self._step(visit, TrailKind.helpful if helpful else TrailKind.unhelpful, article_id, source=source)
        counts = self.helpful if helpful else self.unhelpful
        counts[article_id] = counts.get(article_id, 0) + 1
        comment = ""
        if self.rng.random() < 0.3:
            comment = self.rng.choice(HELPFUL_COMMENTS if helpful else UNHELPFUL_COMMENTS)
        self.feedback.append({"article_id": article_id, "helpful": helpful, "comment": comment,
                              "user_id": visit["user_id"], "session_key": visit["session_key"],
                              "created_at": visit["at"]})
