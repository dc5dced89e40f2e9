"""What the authors' workspace tests share: writing articles as a given user, signing in, and
reading the Persian messages the pages show."""
from __future__ import annotations

from pathlib import Path

from pyramid.i18n import make_localizer
from sqlalchemy import select

import core
from core.i18n import _
from core.models import Department
from core.testing import log_in
from plugins.kb.articles import ArticleInput
from plugins.kb.models import Article

FARSI = make_localizer("fa", [str(Path(core.__file__).parent / "locale")])
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def persian(message: str, **mapping) -> str:
    return FARSI.translate(_(message, mapping=mapping))


def department_id(dbsession, code: str) -> int:
    return dbsession.scalar(select(Department.id).where(Department.code == code))


def write(kb, username: str | None, title: str = "اتصال به وای‌فای دانشگاه", department: str = "it",
          body: str = "ابتدا شبکه را انتخاب کنید.", state: str = "draft", audience: str = "public",
          **values) -> Article:
    """An article written by ``username`` (``None``: the system) and brought to ``state`` by the system."""
    author = kb(username)
    article = author.create(ArticleInput(title=title, body=body, audience=audience,
                                         department_id=department_id(author.dbsession, department), **values))
    system = kb(None)
    if state == "review":
        system.transition(article, "submit")
    elif state == "published":
        system.transition(article, "publish")
    return article


def sign_in(testapp, username: str):
    log_in(testapp, username)
    return testapp


def editor_form(page):
    return page.forms["article-editor"]
