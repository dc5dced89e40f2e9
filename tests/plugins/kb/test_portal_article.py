"""An article on the portal: reading it, "Was this helpful?", and the end of a looking visit."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from core.testing import csrf_token, log_in
from plugins.kb.models import Article, Feedback, TrailKind
from tests.plugins.kb.portal_support import (
    category,
    events,
    persian,
    publish,
    query_of,
    text_of,
    ticket_count,
)

BODY = """## مراحل

1. به [سامانه](https://portal.example.ir) بروید.
2. روی **فراموشی رمز** بزنید.

<script>alert("body")</script>
[پیوند بد](javascript:alert(1))
"""


@pytest.fixture
def article(kb, org):
    topic = category(org, "حساب کاربری")
    found = publish(kb, "بازیابی رمز عبور", BODY, summary="رمز فراموش‌شده را خودتان عوض کنید", category=topic,
                    tags=["رمز", "ورود"])
    other = publish(kb, "ورود دو مرحله‌ای")
    hidden = publish(kb, "راهنمای داخلی رمز", audience="internal")
    kb(None).set_related(found, [other.id, hidden.id])
    return found


def view(testapp, article: Article, status: int = 200, **query):
    return testapp.get(f"/kb/articles/{article.id}", query, status=status)


def test_a_visitor_reads_a_rendered_article_and_the_view_is_counted(testapp, article, org):
    page = view(testapp, article)
    assert text_of(page, "article-title") == "بازیابی رمز عبور"
    assert text_of(page, "article-summary") == "رمز فراموش‌شده را خودتان عوض کنید"
    body = page.html.find(attrs={"data-testid": "article-body"})
    assert body.find("h2").get_text() == "مراحل" and body.find("strong").get_text() == "فراموشی رمز"
    assert body.find("a")["href"] == "https://portal.example.ir"
    assert body.find("script") is None and not body.select("a[href^=javascript]")
    assert "&lt;script&gt;" in page.text  # shown as text
    assert text_of(page, "article-department") == article.department.name
    assert text_of(page, "article-category") == "حساب کاربری"
    assert [a.get_text() for a in page.html.select("[data-testid=article-tags] a")] == ["رمز", "ورود"]
    assert re.fullmatch(r"[۰-۹]{1,2} \S+ [۰-۹]{4}", text_of(page, "article-updated"))
    assert [a.get_text() for a in page.html.select("[data-testid=related] a")] == ["ورود دو مرحله‌ای"]
    assert page.html.find(attrs={"data-testid": "outcome"}) is None  # not reached by looking for help

    org.refresh(article)
    assert article.view_count == 1
    [seen] = events(org, TrailKind.view)
    assert (seen.article_id, seen.source) == (article.id, "portal")


def test_staff_see_internal_articles_with_a_banner(testapp, kb, org):
    internal = publish(kb, "راهنمای داخلی رمز", audience="internal")
    view(testapp, internal, status=404)
    log_in(testapp, "student")
    view(testapp, internal, status=404)
    testapp.reset()
    log_in(testapp, "agent")
    assert view(testapp, internal).html.find(attrs={"data-testid": "internal-banner"}) is not None


def test_drafts_are_a_preview_for_their_writers_only(testapp, kb, org):
    draft = publish(kb, "پیش‌نویس چاپگر", "متن", publish=False)
    view(testapp, draft, status=404)
    log_in(testapp, "hr.desk")  # staff of another department
    view(testapp, draft, status=404)
    testapp.reset()
    log_in(testapp, "agent")
    page = view(testapp, draft, **{"from": "search", "q": "چاپگر"})
    assert page.html.find(attrs={"data-testid": "preview-banner"}) is not None
    assert page.html.find(attrs={"data-testid": "feedback"}) is None
    assert page.html.find(attrs={"data-testid": "outcome"}) is None
    org.refresh(draft)
    assert draft.view_count == 0 and events(org, TrailKind.view) == []


def test_unknown_and_huge_ids_are_not_found(testapp, org):
    testapp.get("/kb/articles/999999", status=404)
    page = testapp.get("/kb/articles/" + "9" * 40, status=404)
    assert page.html.find(attrs={"data-testid": "error-page"}) is not None


def test_script_and_html_in_titles_and_bodies_are_shown_as_text(testapp, kb, org):
    nasty = publish(kb, '<img src=x onerror="alert(1)">عنوان',
                    '<b onclick="x()">متن</b>\n\n<iframe src="//evil"></iframe>',
                    summary="<script>alert(2)</script>", tags=["<i>برچسب</i>"])
    page = view(testapp, nasty)
    assert text_of(page, "article-title") == '<img src=x onerror="alert(1)">عنوان'
    for forbidden in ("<img src=x", "<script>alert(2)", "<iframe", "<b onclick", "<i>برچسب"):
        assert forbidden not in page.text
    assert "<title>&lt;img" in page.text


# --- "Was this helpful?" ---------------------------------------------------------------------------

def vote(testapp, article, helpful: str | None, comment: str = "", status=303, **origin):
    params = {"csrf_token": csrf_token(testapp), "comment": comment, **origin}
    if helpful is not None:
        params["helpful"] = helpful
    return testapp.post(f"/kb/articles/{article.id}/feedback", params, status=status)


def test_a_visitor_says_the_article_helped_once_per_visit(testapp, article, org):
    view(testapp, article)
    answered = vote(testapp, article, "yes", "خیلی  خوب بود").follow()
    assert text_of(answered, "flash") == persian("Thank you for your answer.")
    assert answered.html.find(attrs={"data-testid": "feedback-recorded"}) is not None
    [feedback] = org.scalars(select(Feedback)).all()
    assert (feedback.article_id, feedback.helpful, feedback.comment) == (article.id, True, "خیلی خوب بود")
    assert feedback.session_key == events(org, TrailKind.view)[0].session_key
    again = vote(testapp, article, "no").follow()
    assert text_of(again, "flash") == persian("You have already answered for this article. Thank you!")
    org.refresh(article)
    assert (article.helpful_count, article.unhelpful_count) == (1, 0)
    assert [e.kind for e in events(org)] == ["view", "helpful"]  # coming back is not a new view


def test_a_no_with_a_comment_is_counted_unhelpful(testapp, article, org):
    vote(testapp, article, "no", "مرحله دوم کار نمی‌کند")
    org.refresh(article)
    assert (article.helpful_count, article.unhelpful_count) == (0, 1)
    assert events(org, TrailKind.unhelpful)[0].article_id == article.id


@pytest.mark.parametrize("helpful, comment, field, message", [
    (None, "نظر من", "helpful", "Choose yes or no."),
    ("maybe", "", "helpful", "Choose yes or no."),
    ("yes", "ب" * 2001, "comment", "At most ${max} characters."),
])
def test_bad_feedback_is_explained_and_the_comment_kept(testapp, article, org, helpful, comment, field, message):
    page = vote(testapp, article, helpful, comment, status=400)
    expected = persian(message, max=2000) if "max" in message else persian(message)
    if helpful == "maybe":  # colander's own "one of" message names the choices
        assert text_of(page, f"error-{field}")
    else:
        assert text_of(page, f"error-{field}") == expected
    assert page.html.select_one("#comment").get_text() == comment
    assert org.scalars(select(Feedback)).all() == []


def test_feedback_needs_the_form_token(testapp, article, org):
    testapp.post(f"/kb/articles/{article.id}/feedback", {"helpful": "yes"}, status=400)
    assert org.scalars(select(Feedback)).all() == []


def test_no_feedback_on_a_draft(testapp, kb, org):
    draft = publish(kb, "پیش‌نویس", publish=False)
    log_in(testapp, "agent")
    vote(testapp, draft, "yes", status=404)


# --- the end of a looking visit -----------------------------------------------------------------------

def outcome(testapp, article, choice: str, status=303, **origin):
    return testapp.post(f"/kb/articles/{article.id}/outcome",
                        {"csrf_token": csrf_token(testapp), "outcome": choice, **origin}, status=status)


def test_after_a_search_this_solved_my_problem_ends_the_visit_without_a_request(testapp, article, org):
    page = view(testapp, article, **{"from": "search", "q": "رمز یادم رفته"})
    form = page.html.select_one("[data-testid=outcome] form")
    hidden = {node["name"]: node["value"] for node in form.select("input[type=hidden]") if node["name"] != "csrf_token"}
    assert hidden == {"from": "search", "q": "رمز یادم رفته"}
    thanks = outcome(testapp, article, "solved", status=200, **hidden)
    assert thanks.html.find(attrs={"data-testid": "solved-page"}) is not None
    assert thanks.html.h1.get_text(strip=True) == persian("Glad it helped")
    assert ticket_count(org) == 0
    [seen, solved] = events(org)
    assert (solved.kind, solved.article_id, solved.source) == ("solved", article.id, "portal")
    assert solved.session_key == seen.session_key
    view(testapp, article)
    assert events(org)[-1].session_key != solved.session_key  # the visit ended; a new one began


def test_i_still_need_help_goes_to_the_request_form_with_the_text_kept(testapp, article, org):
    it = str(article.department_id)
    origin = {"from": "deflection", "draft": "رمز ايميل", "department": it}
    response = outcome(testapp, article, "still_need_help", **origin)
    assert "/requests/new?" in response.location
    assert query_of(response.location) == {"subject": "رمز ایمیل", "department": it}
    form = response.follow()
    assert form.html.select_one("#subject")["value"] == "رمز ایمیل"
    [still] = events(org, TrailKind.still_need_help)
    assert (still.article_id, still.source) == (article.id, "deflection")
    assert ticket_count(org) == 0


def test_a_long_search_becomes_the_description(testapp, article, org):
    long_text = "سلام " + "رمز عبور سامانه آموزشی من کار نمی‌کند و " * 10
    response = outcome(testapp, article, "still_need_help", **{"from": "search", "q": long_text})
    values = query_of(response.location)
    assert values["description"] == long_text.strip()
    assert values["subject"].endswith("…") and len(values["subject"]) <= 101


def test_an_unknown_outcome_goes_back_to_the_article(testapp, article, org):
    response = outcome(testapp, article, "maybe", **{"from": "search", "q": "رمز"})
    assert f"/kb/articles/{article.id}?" in response.location
    assert events(org) == []


def test_outcome_needs_the_form_token(testapp, article, org):
    testapp.post(f"/kb/articles/{article.id}/outcome", {"outcome": "solved"}, status=400)
    assert events(org) == []


def test_feedback_keeps_the_outcome_question(testapp, article, org):
    origin = {"from": "deflection", "draft": "رمز", "department": str(article.department_id)}
    page = vote(testapp, article, "yes", **origin).follow()
    assert query_of(page.request.url) == origin
    assert page.html.find(attrs={"data-testid": "outcome"}) is not None
    assert [(e.kind, e.source) for e in events(org)] == [("helpful", "deflection"), ("view", "deflection")]
