"""The portal's knowledge search (/kb) and the home page's search box, through WebTest."""
from __future__ import annotations

import pytest

from core.testing import counted_statements, log_in
from plugins.kb.models import TrailKind
from tests.plugins.kb.portal_support import (
    category,
    department_id,
    events,
    persian,
    publish,
    query_of,
    text_of,
)

PASSWORD_TITLE = "بازیابی رمز عبور سامانه آموزشی"
PASSWORD_BODY = "اگر رمز عبور خود را فراموش کرده‌اید، در صفحه ورود روی «فراموشی رمز» بزنید."


@pytest.fixture
def password_article(kb, org):
    return publish(kb, PASSWORD_TITLE, PASSWORD_BODY, department="education",
                   summary="رمز فراموش‌شده را خودتان عوض کنید", category=category(org, "حساب کاربری", "education"))


def results(page) -> list[str]:
    return [" ".join(node.get_text().split()) for node in page.html.select("[data-testid=result-title]")]


def test_a_visitor_finds_an_article_with_its_snippet_department_and_category(testapp, password_article, org):
    page = testapp.get("/kb", {"q": "رمز عبور"})
    assert results(page) == [PASSWORD_TITLE]
    assert page.html.select_one("[data-testid=result-snippet] mark") is not None
    place = text_of(page, "result-place")
    assert password_article.department.name in place and "حساب کاربری" in place
    link = page.html.select_one("[data-testid=result-title]")["href"]
    assert link.startswith(f"/kb/articles/{password_article.id}?")
    assert query_of(link) == {"from": "search", "q": "رمز عبور"}

    [search] = events(org, TrailKind.search)
    assert (search.query, search.result_count, search.source, search.user_id) == ("رمز عبور", 1, "portal", None)
    assert search.session_key


def test_arabic_letters_in_the_query_are_normalized_for_the_trail(testapp, password_article, org):
    page = testapp.get("/kb", {"q": "رمز عبور  سامانه آموزشي"})
    assert results(page) == [PASSWORD_TITLE]
    assert events(org, TrailKind.search)[0].query == "رمز عبور سامانه آموزشی"


def test_internal_articles_are_only_for_staff(testapp, kb, org):
    publish(kb, "راهنمای داخلی تنظیم چاپگر شبکه", "فقط برای کارشناسان", audience="internal")
    assert results(testapp.get("/kb", {"q": "چاپگر"})) == []
    log_in(testapp, "student")
    assert results(testapp.get("/kb", {"q": "چاپگر"})) == []
    testapp.reset()
    log_in(testapp, "agent")
    assert results(testapp.get("/kb", {"q": "چاپگر"})) == ["راهنمای داخلی تنظیم چاپگر شبکه"]
    assert events(org, TrailKind.search)[-1].source == "workspace"  # the desk's reading is not self-service


def test_drafts_are_never_found(testapp, kb, org):
    publish(kb, "پیش‌نویس درباره چاپگر", publish=False)
    assert results(testapp.get("/kb", {"q": "چاپگر"})) == []


def test_the_department_filter_keeps_the_chosen_department(testapp, kb, org, password_article):
    publish(kb, "تغییر رمز وای‌فای دانشگاه", "رمز شبکه بی‌سیم", department="it")
    both = results(testapp.get("/kb", {"q": "رمز"}))
    assert set(both) == {PASSWORD_TITLE, "تغییر رمز وای‌فای دانشگاه"}
    page = testapp.get("/kb", {"q": "رمز", "department": department_id(org, "education")})
    assert results(page) == [PASSWORD_TITLE]
    assert page.html.select_one("#kb-department option[selected]")["value"] == str(department_id(org, "education"))


@pytest.mark.parametrize("query", ["", "   ", "؟!...", "***", "«»—", "\u200c\u200c"])
def test_empty_and_punctuation_only_queries_get_a_hint(testapp, org, query):
    page = testapp.get("/kb", {"q": query})
    assert text_of(page, "search-hint").startswith(persian("Type a few words about what you need, in your own words."))
    assert page.html.find(attrs={"data-testid": "nothing-found"}) is None
    assert events(org) == []


def test_a_ten_thousand_character_query_is_cut_and_said_so(testapp, password_article, org):
    page = testapp.get("/kb", {"q": "رمز عبور " + "الف " * 2500})
    assert page.status_int == 200
    assert page.html.find(attrs={"data-testid": "query-cut"}) is not None
    assert len(page.html.select_one("#kb-q")["value"]) == 500
    assert len(events(org, TrailKind.search)[0].query) == 200


@pytest.mark.parametrize("query", ['"', "*", "-", ":", "NEAR", "OR", "(", ")", 'رمز OR "عبور', "رمز* -عبور",
                                   "title:رمز", "NEAR(رمز عبور)", "(رمز", "AND NOT", "^رمز",
                                   "رمز'; DROP TABLE kb_articles;--"])
def test_query_syntax_characters_are_words_never_errors(testapp, password_article, query):
    page = testapp.get("/kb", {"q": query})
    assert page.status_int == 200
    assert page.html.find(attrs={"data-testid": "error-page"}) is None


def test_nothing_found_offers_a_request_with_the_text_kept(testapp, password_article, org):
    page = testapp.get("/kb", {"q": "کارت دانشجویی گم شده"})
    expected = persian("We found nothing for «${text}».", text="کارت دانشجویی گم شده")
    assert text_of(page, "nothing-found").startswith(expected)
    link = page.html.select_one("[data-testid=submit-instead]")["href"]
    assert link.startswith("/requests/new?") and query_of(link) == {"subject": "کارت دانشجویی گم شده"}
    [search] = events(org, TrailKind.search)
    assert search.result_count == 0
    form = testapp.get(link)
    assert form.html.select_one("#subject")["value"] == "کارت دانشجویی گم شده"


def test_script_in_a_title_is_shown_as_text(testapp, kb, org):
    publish(kb, "<script>alert(1)</script> راهنمای چاپگر", "<img src=x onerror=alert(1)> چاپگر")
    page = testapp.get("/kb", {"q": "چاپگر <script>"})
    assert "<script>alert(1)" not in page.text and "onerror=alert" not in page.text
    assert results(page) == ["<script>alert(1)</script> راهنمای چاپگر"]  # shown as text


def test_a_category_lists_its_readable_articles(testapp, kb, org):
    topic = category(org, "شبکه")
    publish(kb, "اتصال به وای‌فای", category=topic)
    publish(kb, "پیکربندی داخلی روتر", category=topic, audience="internal")
    page = testapp.get("/kb", {"category": topic.id})
    assert page.html.h1.get_text(strip=True) == "شبکه"
    listed = [a.get_text(strip=True) for a in page.html.select("[data-testid=category-articles] a")]
    assert listed == ["اتصال به وای‌فای"]
    testapp.get("/kb", {"category": 999999}, status=404)
    testapp.get("/kb", {"category": "9" * 30}, status=200)  # not a number we know: the plain search page


def test_the_search_page_runs_a_fixed_number_of_queries(testapp, kb, org, engine):
    for number in range(3):
        publish(kb, f"رمز شماره {number}", category=category(org, f"دسته {number}"))
    testapp.get("/kb", {"q": "رمز"})
    with counted_statements(engine, org) as few:
        page = testapp.get("/kb", {"q": "رمز"})
    for number in range(3, 9):
        publish(kb, f"رمز شماره {number}", category=category(org, f"دسته {number}"))
    with counted_statements(engine, org) as many:
        more = testapp.get("/kb", {"q": "رمز"})
    assert len(results(page)) == 3 and len(results(more)) == 9
    assert len(many) == len(few)


# --- the portal's home page --------------------------------------------------------------------

def test_the_home_page_is_a_search_box_with_the_most_read_answers(testapp, kb, org, password_article):
    topic = category(org, "شبکه")
    publish(kb, "اتصال به وای‌فای", category=topic)
    publish(kb, "راهنمای داخلی", audience="internal", category=topic)
    page = testapp.get("/")
    form = page.html.select_one("[data-testid=kb-home] form[role=search]")
    assert form["action"] == "/kb" and form["method"] == "get" and form.select_one("input[name=q]")
    popular = [a.get_text(strip=True) for a in page.html.select("[data-testid=kb-popular] a")]
    assert set(popular) == {PASSWORD_TITLE, "اتصال به وای‌فای"}
    topics = {a.get_text(strip=True): a["href"] for a in page.html.select("[data-testid=kb-categories] a")}
    assert topics == {"شبکه": f"/kb?category={topic.id}", "حساب کاربری": f"/kb?category={password_article.category_id}"}
    assert page.html.h1.get_text(strip=True) == persian("How can we help you?")
    assert "Set-Cookie" not in page.headers  # still cached for visitors
    assert testapp.get("/").text == page.text


def test_the_home_page_sections_are_remembered_between_signed_in_views(testapp, kb, org, engine, password_article):
    log_in(testapp, "student")
    testapp.get("/")
    with counted_statements(engine, org) as statements:
        testapp.get("/")
    assert not [sql for sql in statements if "kb_articles" in sql]


def test_numbers_int_cannot_read_are_ignored_not_a_500(testapp, password_article):
    """``str.isdigit()`` accepts «²», which ``int()`` refuses, and ``int()`` refuses 5000 digits."""
    for params in ({"q": "رمز", "department": "²"}, {"category": "²"}, {"category": "9" * 5000}):
        assert testapp.get("/kb", params).status_int == 200
    assert testapp.get(f"/kb/articles/{'9' * 30}", status=404)
