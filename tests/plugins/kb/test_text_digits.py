"""Articles read in the page's digits: stored with Latin digits (input is normalized), a title, a
summary, a search result and the text of a body show Persian digits on Persian pages and Latin
ones on English pages; code, link addresses, attributes and e-mail addresses stay as written, and
the API gives what is stored."""
from __future__ import annotations

import pytest

from core.i18n import LANGUAGE_COOKIE
from core.testing import log_in
from plugins.kb.markdown import render
from tests.plugins.kb.authoring_support import write
from tests.plugins.kb.portal_support import publish, text_of
from tests.plugins.kb.test_portal_deflection import suggest, titles

TITLE = "چاپ در اتاق 204 با پرینتر HP-M404"
BODY = """## گام 1

طبقه 3، اتاق 204؛ اگر کار نکرد به ali.1402@uni.ac.ir بنویسید یا [راهنمای 5](https://help.uni.ac.ir/kb/2140) را ببینید.

فرمان `lpr -P room204 -# 2` را بزنید. **PC**-1402 را روشن کنید. ![نقشه 7](https://help.uni.ac.ir/map-7.png)

```
lp -n 3 report-2024.pdf
```

| اتاق | طبقه |
|---|---|
| 204 | 2 |
"""


@pytest.fixture
def printing(kb, org):
    return publish(kb, TITLE, BODY, summary="2 روش برای چاپ در 5 دقیقه")


def test_a_persian_reader_reads_the_article_in_persian_digits(testapp, printing):
    page = testapp.get(f"/kb/articles/{printing.id}")
    assert text_of(page, "article-title") == "چاپ در اتاق ۲۰۴ با پرینتر HP-M404"
    assert page.html.title.get_text().startswith("چاپ در اتاق ۲۰۴ با پرینتر HP-M404")
    assert text_of(page, "article-summary") == "۲ روش برای چاپ در ۵ دقیقه"
    body = page.html.find(attrs={"data-testid": "article-body"})
    assert body.find("h2").get_text() == "گام ۱"
    first, second = body.find_all("p")[:2]
    assert first.get_text() == ("طبقه ۳، اتاق ۲۰۴؛ اگر کار نکرد به ali.1402@uni.ac.ir بنویسید یا راهنمای ۵ را "
                                "ببینید.")
    link = first.find("a")
    assert link["href"] == "https://help.uni.ac.ir/kb/2140" and link.get_text() == "راهنمای ۵"
    # Code keeps its digits, so does a word with a Latin letter split by emphasis, and an image's text.
    assert second.find("code").get_text() == "lpr -P room204 -# 2"
    assert "PC-1402" in second.get_text()
    image = second.find("img")
    assert (image["alt"], image["src"]) == ("نقشه 7", "https://help.uni.ac.ir/map-7.png")
    assert body.find("pre").get_text() == "lp -n 3 report-2024.pdf\n"
    assert [cell.get_text() for cell in body.select("td")] == ["۲۰۴", "۲"]


def test_an_english_reader_reads_latin_digits(testapp, printing):
    testapp.set_cookie(LANGUAGE_COOKIE, "en")
    page = testapp.get(f"/kb/articles/{printing.id}")
    assert text_of(page, "article-title") == TITLE
    assert text_of(page, "article-summary") == "2 روش برای چاپ در 5 دقیقه"
    body = page.html.find(attrs={"data-testid": "article-body"})
    assert body.find("p").get_text().startswith("طبقه 3، اتاق 204؛")


def test_search_results_keep_their_marks_and_read_in_persian_digits(testapp, printing):
    page = testapp.get("/kb", {"q": "چاپ اتاق"})
    title = page.html.select_one("[data-testid=result-title]")
    assert " ".join(title.get_text().split()) == "چاپ در اتاق ۲۰۴ با پرینتر HP-M404"
    assert [mark.get_text() for mark in title.select("mark")] == ["چاپ", "اتاق"]
    snippet = page.html.select_one("[data-testid=result-snippet]")
    assert "اتاق ۲۰۴" in snippet.get_text() and snippet.select("mark")
    assert "ali.1402@uni.ac.ir" in snippet.get_text()
    testapp.set_cookie(LANGUAGE_COOKIE, "en")
    english = testapp.get("/kb", {"q": "چاپ اتاق"})
    assert " ".join(english.html.select_one("[data-testid=result-title]").get_text().split()) == TITLE


def test_a_suggestion_to_a_requester_reads_in_persian_digits(testapp, tickets_org, printing):
    testapp.get("/requests/new")
    assert titles(suggest(testapp, "چاپ در اتاق")) == ["چاپ در اتاق ۲۰۴ با پرینتر HP-M404"]


def test_the_authors_list_and_preview_read_in_persian_digits(testapp, kb, printing):
    draft = write(kb, "agent", title="پیش‌نویس 3", body="طبقه 3")
    log_in(testapp, "agent")
    listed = testapp.get("/desk/kb").html.select("[data-testid=article-title]")
    assert sorted(link.get_text() for link in listed) == ["پیش‌نویس ۳", "چاپ در اتاق ۲۰۴ با پرینتر HP-M404"]
    form = testapp.get("/desk/kb/new").forms["article-editor"]
    preview = testapp.post("/desk/kb/new", {"csrf_token": form["csrf_token"].value, "preview": "1",
                                            "title": "اتاق 204", "body": "طبقه 3 و `code 3`"},
                           headers={"HX-Request": "true"})
    assert preview.html.find("h2").get_text() == "اتاق ۲۰۴"
    assert preview.html.select_one("[data-testid=preview] p").get_text() == "طبقه ۳ و code 3"
    # What the author typed stays as typed in the editor's inputs.
    editor = testapp.get(f"/desk/kb/{draft.id}/edit")
    assert editor.forms["article-editor"]["title"].value == "پیش‌نویس 3"
    assert editor.forms["article-editor"]["body"].value == "طبقه 3"
    assert editor.html.select_one("[data-testid=editor-title]").get_text() == "پیش‌نویس ۳"


def test_the_api_gives_the_stored_text(testapp, printing):
    data = testapp.get(f"/api/v1/kb/articles/{printing.id}").json
    assert data["title"] == TITLE and data["summary"] == "2 روش برای چاپ در 5 دقیقه"
    assert "طبقه 3، اتاق 204" in data["body_html"] and "۲۰۴" not in data["body_html"]


def test_rendering_without_a_language_keeps_the_digits_as_written():
    assert render("اتاق 204 و ۳") == render("اتاق 204 و ۳", None)
    assert "اتاق 204 و ۳" in render("اتاق 204 و ۳")
    assert "اتاق ۲۰۴ و ۳" in render("اتاق 204 و ۳", "fa") and "اتاق 204 و 3" in render("اتاق 204 و ۳", "en")
