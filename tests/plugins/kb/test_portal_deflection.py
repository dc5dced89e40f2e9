"""Answers offered while a requester types a new request, through WebTest: the htmx fragment of
the request form, the article opened from it, and how the visit ends (no request, or a request
with the text kept)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.testing import counted_statements, csrf_token, log_in
from plugins.kb.models import SelfServiceEvent, TrailKind
from plugins.kb.selfservice import success
from plugins.tickets.models import Category as TicketCategory
from plugins.tickets.models import Ticket
from tests.plugins.kb.portal_support import department_id, events, publish, query_of, text_of, ticket_count

WIFI_TITLE = "اتصال به وای‌فای خوابگاه"
TYPED = "وای فاي خوابگاه وصل نمیشود"  # Arabic ي and no ZWNJ, as people type


@pytest.fixture
def wifi(kb, org):
    return publish(kb, WIFI_TITLE, "برای اتصال به شبکه بی‌سیم خوابگاه، نام کاربری دانشجویی را وارد کنید.",
                   summary="وصل شدن به وای‌فای در خوابگاه")


def suggest(testapp, subject: str, department: str = "", **headers):
    return testapp.get("/requests/new/suggestions", {"subject": subject, "department": department},
                       headers={"HX-Request": "true", **headers})


def titles(fragment) -> list[str]:
    if not fragment.text.strip():
        return []
    return [" ".join(node.get_text().split()) for node in fragment.html.select("[data-testid=suggestion-title]")]


def test_the_subject_field_asks_for_answers_while_typing(testapp, tickets_org):
    form = testapp.get("/requests/new")
    subject = form.html.select_one("#subject")
    assert subject["hx-get"] == "/requests/new/suggestions"
    assert subject["hx-trigger"] == "input changed delay:400ms"
    assert subject["hx-include"] == "#department" and subject["hx-target"] == "#suggestions"
    assert form.html.select_one("#suggestions[aria-live=polite]") is not None


def test_typing_a_question_suggests_the_article_once_per_visit(testapp, wifi, org):
    testapp.get("/requests/new")  # the form gives the visit its session
    fragment = suggest(testapp, TYPED)
    assert titles(fragment) == [WIFI_TITLE]
    assert fragment.html.select_one("[data-testid=suggestion] mark") is not None
    assert "<html" not in fragment.text  # a fragment, not a page
    link = fragment.html.select_one("[data-testid=suggestion-title]")["href"]
    assert link.startswith(f"/kb/articles/{wifi.id}?")
    assert query_of(link) == {"from": "deflection", "draft": "وای فای خوابگاه وصل نمیشود"}

    suggest(testapp, TYPED + " از دیشب")
    [suggested] = events(org, TrailKind.suggested)
    assert (suggested.article_id, suggested.source) == (wifi.id, "deflection")
    assert suggested.query == "وای فای خوابگاه وصل نمیشود"


def test_a_bare_call_without_a_visit_leaves_no_trail(testapp, wifi, org):
    response = suggest(testapp, TYPED)
    assert titles(response) == [WIFI_TITLE]
    assert "Set-Cookie" not in response.headers and events(org) == []


def test_suggestions_follow_the_chosen_department(testapp, wifi, org):
    it, education = department_id(org, "it"), department_id(org, "education")
    assert titles(suggest(testapp, TYPED, str(it))) == [WIFI_TITLE]
    assert titles(suggest(testapp, TYPED, str(education))) == []
    assert titles(suggest(testapp, TYPED, "not-a-number")) == [WIFI_TITLE]


@pytest.mark.parametrize("subject", ["", "   ", "؟؟", '"*-:()', "NEAR OR", "x" * 10_000])
def test_odd_subjects_give_an_empty_or_plain_answer_never_an_error(testapp, wifi, subject):
    fragment = suggest(testapp, subject)
    assert fragment.status_int == 200 and "error-page" not in fragment.text


def test_internal_and_draft_articles_are_not_suggested_to_requesters(testapp, kb, org):
    publish(kb, "تنظیمات داخلی وای‌فای خوابگاه", audience="internal")
    publish(kb, "پیش‌نویس وای‌فای خوابگاه", publish=False)
    assert titles(suggest(testapp, TYPED)) == []
    log_in(testapp, "student")
    assert titles(suggest(testapp, TYPED)) == []


def test_suggestions_cost_the_same_few_queries_however_many_are_found(testapp, kb, org, engine, wifi):
    suggest(testapp, TYPED)
    with counted_statements(engine, org) as one:
        assert len(titles(suggest(testapp, "خوابگاه"))) == 1
    for number in range(4):
        publish(kb, f"وای‌فای خوابگاه ساختمان {number}")
    with counted_statements(engine, org) as five:
        assert len(titles(suggest(testapp, "خوابگاه"))) == 5
    reads = [sql for sql in five if not sql.lstrip().upper().startswith("INSERT")]
    assert len(reads) == len([sql for sql in one if not sql.lstrip().upper().startswith("INSERT")])
    assert len(reads) <= 5


# --- the whole visit, without a browser ----------------------------------------------------------

def open_suggestion(testapp, subject: str, department: str = ""):
    link = suggest(testapp, subject, department).html.select_one("[data-testid=suggestion-title]")["href"]
    return testapp.get(link)


def test_a_guest_reads_a_suggestion_and_it_solved_the_problem(testapp, tickets_org, wifi):
    testapp.get("/requests/new")
    article = open_suggestion(testapp, TYPED)
    assert text_of(article, "article-title") == WIFI_TITLE
    outcome = article.html.select_one("[data-testid=outcome] form")
    fields = {node["name"]: node.get("value", "") for node in outcome.select("input[type=hidden]")}
    thanks = testapp.post(outcome["action"], {**fields, "outcome": "solved"})
    assert thanks.html.find(attrs={"data-testid": "solved-page"}) is not None

    assert ticket_count(tickets_org) == 0
    kinds = [(event.kind, event.source) for event in events(tickets_org)]
    assert kinds == [("suggested", "deflection"), ("view", "deflection"), ("solved", "deflection")]
    assert len({event.session_key for event in events(tickets_org)}) == 1
    now = events(tickets_org)[-1].at
    measures = success(tickets_org, now - timedelta(hours=1), now + timedelta(hours=1))
    assert (measures.with_intent, measures.successful, measures.solved_without_ticket) == (1, 1, 1)


def test_a_guest_still_needs_help_and_files_the_request_with_the_text_kept(testapp, tickets_org, wifi):
    it = department_id(tickets_org, "it")
    testapp.get("/requests/new")
    article = open_suggestion(testapp, TYPED, str(it))
    outcome = article.html.select_one("[data-testid=outcome] form")
    fields = {node["name"]: node.get("value", "") for node in outcome.select("input[type=hidden]")}
    form = testapp.post(outcome["action"], {**fields, "outcome": "still_need_help"}).follow()
    assert form.html.select_one("#subject")["value"] == "وای فای خوابگاه وصل نمیشود"
    assert form.html.select_one("#department option[selected]")["value"] == str(it)

    service = tickets_org.scalars(select(TicketCategory).where(TicketCategory.department_id == it)).first()
    testapp.post("/requests/new", {
        "csrf_token": csrf_token(testapp), "department": str(it), "service": f"category:{service.id}",
        "type": "incident", "urgency": "low", "subject": form.html.select_one("#subject")["value"],
        "description": "هنوز وصل نمی‌شود", "guest_name": "رضا محمدی", "guest_mobile": "09127654321",
    }, status=303)
    assert ticket_count(tickets_org) == 1
    steps = events(tickets_org)
    assert [event.kind for event in steps] == ["suggested", "view", "still_need_help", "ticket_created"]
    assert len({event.session_key for event in steps}) == 1
    assert tickets_org.scalar(select(Ticket.subject)) == "وای فای خوابگاه وصل نمیشود"


def test_a_request_filed_without_reading_is_on_the_trail_too(testapp, tickets_org):
    it = department_id(tickets_org, "it")
    service = tickets_org.scalars(select(TicketCategory).where(TicketCategory.department_id == it)).first()
    log_in(testapp, "student")
    testapp.post("/requests/new", {
        "csrf_token": csrf_token(testapp), "department": str(it), "service": f"category:{service.id}",
        "type": "incident", "urgency": "low", "subject": "چاپگر", "description": "کار نمی‌کند",
    }, status=303)
    [created] = tickets_org.scalars(select(SelfServiceEvent)).all()
    assert (created.kind, created.source, created.user_id) == ("ticket_created", "portal",
                                                                 tickets_org.scalar(select(Ticket.requester_id)))
