"""The knowledge base's seed and demo data (``pishkhan_populate``): the synonym list every
installation starts with, the demo articles written by each department's lead, and half a year of
readers whose steps add up to the articles' counters."""
from __future__ import annotations

import json
from collections import Counter

import pytest
from sqlalchemy import func, select

from core import hookimpl
from core.contracts import SearchQuery
from core.db import utcnow
from core.normalize import normalize_line
from plugins.kb import demo, search
from plugins.kb.models import Article, ArticleVersion, Feedback, SelfServiceEvent, SynonymGroup
from tests.plugins.kb import demo_articles_support

DEMO_LINES = [json.loads(line) for line in demo_articles_support.lines()]
GROUPS = json.loads((demo.CONTENT / "synonyms.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def department_articles(register_plugin):
    """The departments' demo article files, as their plugins declare them."""
    register_plugin(demo_articles_support.DemoArticles(), "demo_articles")


def count(dbsession, model, *where) -> int:
    return dbsession.scalar(select(func.count()).select_from(model).where(*where))


def test_every_installation_starts_with_the_synonym_list_once(org, settings, pluginmanager):
    demo.populate(org, settings, False, pluginmanager)
    assert count(org, SynonymGroup) == len(GROUPS)
    assert "گذرواژه" in org.scalar(select(SynonymGroup.terms).order_by(SynonymGroup.id)).split("\n")
    demo.populate(org, settings, False, pluginmanager)
    assert count(org, SynonymGroup) == len(GROUPS) and count(org, Article) == 0


def test_an_administrators_synonyms_are_not_replaced(org, settings, pluginmanager):
    org.add(SynonymGroup(terms="سلف\nغذاخوری"))
    org.flush()
    demo.populate(org, settings, False, pluginmanager)
    assert count(org, SynonymGroup) == 1


def test_the_demo_loads_its_articles_with_owners_and_a_past(org, settings, pluginmanager):
    demo.populate(org, settings, True, pluginmanager)
    articles = {article.key: article for article in org.scalars(select(Article))}
    assert len(articles) == len(DEMO_LINES) >= 60
    for line in DEMO_LINES:
        article = articles[line["key"]]
        assert (article.title, article.state, article.audience, article.confidence) == (
            normalize_line(line["title"]), line["state"], line["audience"], line["confidence"])
        assert article.department.code == line["department"]
    owners = Counter((article.department.code, article.owner.username) for article in articles.values())
    assert {department: owner for department, owner in owners} == {
        "it": "it.lead", "education": "edu.lead", "finance": "fin.lead", "hr": "hr.lead",
        "facilities": "fac.lead", "ssc": "director"}
    created = sorted(article.created_at for article in articles.values())
    assert (created[-1] - created[0]).days > 150  # written over the year, not all today
    assert org.scalar(select(func.min(ArticleVersion.created_at))) == created[0]
    due = [article for article in articles.values() if article.next_review_on <= created[-1].date()]
    assert 0 < len(due) < len(articles)  # some are due for review
    found = search.find(org, search.default_backend(org.get_bind().dialect.name),
                        SearchQuery(text="اتصال به وای فای دانشگاه", audiences=("public",), limit=3))
    assert found and found[0].article.key.startswith("it-wifi")


def test_the_readers_steps_add_up_to_the_counters(org, settings, pluginmanager):
    demo.populate(org, settings, True, pluginmanager)
    kinds = Counter(dict(org.execute(select(SelfServiceEvent.kind, func.count())
                                     .group_by(SelfServiceEvent.kind)).all()))
    assert kinds["view"] > 500 and kinds["solved"] > 100 and kinds["still_need_help"] > 50
    assert count(org, SelfServiceEvent, SelfServiceEvent.kind == "search", SelfServiceEvent.result_count == 0) > 50
    views = dict(org.execute(select(SelfServiceEvent.article_id, func.count())
                             .where(SelfServiceEvent.kind == "view").group_by(SelfServiceEvent.article_id)).all())
    helpful = dict(org.execute(select(Feedback.article_id, func.count()).where(Feedback.helpful.is_(True))
                               .group_by(Feedback.article_id)).all())
    unhelpful = dict(org.execute(select(Feedback.article_id, func.count()).where(Feedback.helpful.is_(False))
                                 .group_by(Feedback.article_id)).all())
    for article in org.scalars(select(Article)):
        assert article.view_count == views.get(article.id, 0)
        assert (article.helpful_count, article.unhelpful_count) == (helpful.get(article.id, 0),
                                                                    unhelpful.get(article.id, 0))
        if article.audience == "internal" or article.state != "published":
            assert article.view_count == 0  # the portal shows neither
    assert count(org, Feedback, Feedback.comment != "") > 50
    assert org.scalar(select(func.max(SelfServiceEvent.at))) <= utcnow()  # nothing in the future


def test_loading_the_demo_twice_adds_nothing(org, settings, pluginmanager):
    demo.populate(org, settings, True, pluginmanager)
    before = [count(org, model) for model in (Article, ArticleVersion, SelfServiceEvent, Feedback, SynonymGroup)]
    demo.populate(org, settings, True, pluginmanager)
    assert [count(org, model) for model in (Article, ArticleVersion, SelfServiceEvent, Feedback, SynonymGroup)] \
        == before


def test_agents_link_articles_to_the_resolved_tickets_more_as_the_year_goes_on(org, settings, pluginmanager):
    from datetime import timedelta

    from core.models import Department
    from plugins.kb.models import ResolvedTicket, TicketLink

    now = utcnow()
    it = org.scalar(select(Department.id).where(Department.code == "it"))
    for number in range(400):
        org.add(ResolvedTicket(ticket_id=10_000 + number, tracking_code=f"{number:011d}", department_id=it,
                               resolved_at=now - timedelta(days=number * 364 / 400)))
    org.flush()
    demo.populate(org, settings, True, pluginmanager)
    links = org.execute(select(TicketLink.ticket_id, TicketLink.article_id, TicketLink.tracking_code)).all()
    recent = [link for link in links if link.ticket_id < 10_100]  # resolved in the last quarter
    old = [link for link in links if link.ticket_id >= 10_300]
    assert len(recent) > len(old) > 10
    assert all(link.tracking_code == f"{link.ticket_id - 10_000:011d}" for link in links)
    linked = {link.article_id for link in links}
    departments = set(org.scalars(select(Article.department_id).where(Article.id.in_(linked))))
    assert departments == {it}
    reuse = Counter(link.article_id for link in links)
    assert {article.id: article.reuse_count for article in org.scalars(select(Article)) if article.reuse_count} == reuse


def test_with_one_department_installed_its_articles_load_without_the_others_related_keys(
        org, settings, pluginmanager):
    pluginmanager.unregister(name="demo_articles")

    class OnlyIt:
        @hookimpl
        def pishkhan_demo_articles(self):
            return [path for path in demo_articles_support.FILES if path.parent.parent.name == "it"]

    pluginmanager.register(OnlyIt(), name="it_articles")
    demo.populate(org, settings, True, pluginmanager)  # it-wifi-guest names fac-room-booking: left out
    keys = set(org.scalars(select(Article.key)))
    assert keys == {line["key"] for line in DEMO_LINES if line["department"] == "it"}
