"""Numbered lists in the knowledge base count in the page's digits: ۱. ۲. ۳. on a Persian page,
1. 2. 3. on an English one. Chromium draws the markers; the test reads the style it draws them with."""
from __future__ import annotations

import pytest

from tests.browser.support import expect

pytestmark = pytest.mark.browser

EDUROAM = "eduroam"  # a demo article whose "solution" is a numbered list (plugins/it/demo/articles.jsonl)


def open_article(page, query: str) -> None:
    page.goto(f"/kb?q={query}")
    with page.expect_navigation():
        page.get_by_test_id("result-title").first.click()
    expect(page.get_by_test_id("article-body").locator("ol").first).to_be_visible()


def list_style(page) -> str:
    return page.get_by_test_id("article-body").locator("ol").first.evaluate(
        "ol => getComputedStyle(ol).listStyleType")


def test_an_articles_numbered_list_shows_persian_digits_on_a_persian_page_and_latin_in_english(page):
    open_article(page, EDUROAM)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "fa")
    assert list_style(page) == "persian"

    page.get_by_test_id("language-en").click()
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("article-body").locator("ol").first).to_be_visible()
    assert list_style(page) == "decimal"


def test_the_reports_numbered_lists_show_persian_digits(page, log_in):
    log_in("it.lead")
    page.goto("/desk/kb/reports")
    first = page.get_by_test_id("kb-most-viewed").locator(".list-group-item").first
    marker = first.evaluate("item => getComputedStyle(item, '::before').content")
    assert "persian" in marker, marker


def test_the_editors_preview_shows_persian_digits(page, log_in):
    log_in("agent")
    page.goto("/desk/kb/new")
    page.get_by_test_id("body").fill("۱. کابل را وصل کنید.\n۲. دستگاه را روشن کنید.")
    page.get_by_test_id("preview-button").click()
    numbered = page.get_by_test_id("preview").locator("ol")
    expect(numbered.locator("li")).to_have_count(2)
    assert numbered.evaluate("ol => getComputedStyle(ol).listStyleType") == "persian"
