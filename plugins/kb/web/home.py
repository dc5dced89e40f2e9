"""The knowledge base's section of the portal home page: a big search box, the most read public
articles and the categories with the most of them.

Visitors share the home page (``core.pagecache``), so the section is the same for everyone: public
articles only. The lists are counted over every published article, so they are remembered for a
minute per application instead of being counted again for each signed-in reader.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from markupsafe import Markup
from pyramid.renderers import render
from sqlalchemy import func, select

from plugins.kb.models import Article, Audience, Category, Confidence, State

TEMPLATE = "plugins.kb:templates/portal/home_section.jinja2"
REGISTRY_KEY = "kb.portal_home"
REMEMBER_SECONDS = 60
POPULAR_ARTICLES = 6
POPULAR_CATEGORIES = 8


@dataclass(frozen=True)
class Popular:
    articles: tuple[tuple[int, str, str], ...]  # id, title, summary
    categories: tuple[tuple[int, str, int], ...]  # id, name, number of articles


def popular(request) -> Popular:
    remembered = request.registry.get(REGISTRY_KEY)
    now = time.monotonic()
    if remembered is not None and remembered[0] > now:
        return remembered[1]
    public = (Article.state == State.published.value, Article.audience == Audience.public.value,
              Article.confidence != Confidence.archived.value)
    articles = request.dbsession.execute(
        select(Article.id, Article.title, Article.summary).where(*public)
        .order_by(Article.view_count.desc(), Article.id.desc()).limit(POPULAR_ARTICLES)).all()
    count = func.count(Article.id)
    categories = request.dbsession.execute(
        select(Category.id, Category.name, count).join(Article, Article.category_id == Category.id).where(*public)
        .group_by(Category.id, Category.name).order_by(count.desc(), Category.name).limit(POPULAR_CATEGORIES)).all()
    found = Popular(tuple(tuple(row) for row in articles), tuple(tuple(row) for row in categories))
    request.registry[REGISTRY_KEY] = (now + REMEMBER_SECONDS, found)
    return found


def search_section(request) -> Markup:
    return Markup(render(TEMPLATE, {"popular": popular(request)}, request=request))
