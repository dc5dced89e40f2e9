"""The knowledge reports: link rate, self-service success rate, author lists, the reports page and
the dashboard card — numbers computed on constructed events and asserted."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event

from core.db import utcnow
from core.i18n import TEHRAN, format_date, to_tehran
from core.testing import counted_statements, log_in
from plugins.kb import reports, selfservice
from plugins.kb.models import Feedback, Flag, ResolvedTicket, SelfServiceEvent, TicketLink
from plugins.kb.reports import Period
from plugins.tickets.sla.ticket_clocks import forget_calendars
from tests.plugins.kb.kcs_support import article, department, user

DAY = date(2025, 3, 10)
PERIOD = Period(date(2025, 3, 1), date(2025, 3, 31))


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TEHRAN).astimezone(UTC)


@pytest.fixture(autouse=True)
def fresh_calendars():
    forget_calendars()


# --- link rate --------------------------------------------------------------------------------

def resolved(dbsession, ticket_id: int, code: str, day: date, linked_article=None) -> None:
    dbsession.add(ResolvedTicket(ticket_id=ticket_id, department_id=department(dbsession, code).id,
                                 resolved_at=at(day)))
    if linked_article is not None:
        dbsession.add(TicketLink(article_id=linked_article.id, ticket_id=ticket_id, tracking_code=f"{ticket_id:011d}",
                                 solved_with=True))
    dbsession.flush()


def test_link_rate_is_resolved_tickets_with_an_article_over_resolved_tickets(org):
    it_article, hr_article = article(org, "it"), article(org, "hr")
    for ticket_id, linked in ((9001, it_article), (9002, it_article), (9003, None), (9004, None)):
        resolved(org, ticket_id, "it", DAY, linked)
    resolved(org, 9005, "hr", DAY, hr_article)
    resolved(org, 9006, "hr", DAY)
    org.add(TicketLink(article_id=hr_article.id, ticket_id=9001, tracking_code="x", solved_with=False))
    resolved(org, 9007, "it", date(2025, 2, 28), it_article)  # before the period
    resolved(org, 9008, "it", date(2025, 4, 1))  # after it
    it, hr = department(org, "it"), department(org, "hr")

    rates = {rate.department_id: rate for rate in reports.link_rates(org, None, PERIOD)}
    assert (rates[it.id].resolved, rates[it.id].linked, rates[it.id].rate) == (4, 2, 0.5)
    assert (rates[hr.id].resolved, rates[hr.id].linked, rates[hr.id].rate) == (2, 1, 0.5)
    total = reports.total_link_rate(list(rates.values()))
    assert (total.resolved, total.linked) == (6, 3)

    only_hr = reports.link_rates(org, {hr.id}, PERIOD)
    assert [(rate.department_id, rate.resolved) for rate in only_hr] == [(hr.id, 2)]
    assert reports.link_rates(org, set(), PERIOD) == []
    assert reports.total_link_rate([]).rate is None


def test_a_period_is_whole_days_in_tehran():
    period = Period(date(2025, 3, 1), date(2025, 3, 1))
    assert period.start == datetime(2025, 2, 28, 20, 30, tzinfo=UTC)
    assert period.end - period.start == timedelta(days=1)


# --- self-service success rate ----------------------------------------------------------------

def trail(dbsession, visit: str, *steps, day: date = DAY, source: str = "portal") -> None:
    """``steps`` are kinds, or (kind, result_count) for searches."""
    for minute, step in enumerate(steps):
        kind, result_count = step if isinstance(step, tuple) else (step, None)
        dbsession.add(SelfServiceEvent(session_key=visit, kind=kind, at=at(day) + timedelta(minutes=minute),
                                       query="وای فای" if kind == "search" else "", result_count=result_count,
                                       source=source))
    dbsession.flush()


def test_self_service_success_rate_on_constructed_visits(org):
    trail(org, "a", ("search", 3), "view", "solved")  # successful, solved without a request
    trail(org, "b", ("search", 0))  # looked and found nothing
    trail(org, "c", "suggested", "view")  # read a suggestion and gave up the request: successful
    trail(org, "d", "suggested", "view", "ticket_created")  # read, still filed
    trail(org, "e", "view", "helpful", "ticket_created")  # a helpful vote counts as success
    trail(org, "f", "view", "still_need_help")
    trail(org, "g", "ticket_created")  # filed without reading: support need, no success
    trail(org, "h", "helpful")  # no support need shown: left out of the rate
    trail(org, "i", ("search", 2), "view", day=date(2025, 2, 20))  # before the period
    trail(org, "j", ("search", 0), "view", source="workspace")  # an agent, not self-service

    measures = selfservice.success(org, PERIOD.start, PERIOD.end)

    assert measures.visits == 8
    assert measures.with_intent == 7
    assert measures.successful == 3
    assert measures.success_rate == pytest.approx(3 / 7)
    assert (measures.searches, measures.searches_without_result) == (2, 1)
    assert measures.solved_without_ticket == 1
    assert measures.abandoned_drafts == 1


def test_no_visit_has_no_rate(org):
    measures = selfservice.success(org, PERIOD.start, PERIOD.end)
    assert measures == selfservice.SelfService() and measures.success_rate is None


def test_searches_that_found_nothing_most_asked_first(org):
    for visit, (query, result_count) in enumerate([("وام دانشجویی", 0), ("وام دانشجویی", 0), ("کارت تغذیه", 0),
                                                   ("رمز ایمیل", 4), ("وام دانشجویی", 0)]):
        org.add(SelfServiceEvent(session_key=str(visit), kind="search", at=at(DAY, 9 + visit), query=query,
                                 result_count=result_count))
    org.flush()
    found = selfservice.unanswered(org, PERIOD.start, PERIOD.end)
    assert [(row.query, row.count) for row in found] == [("وام دانشجویی", 3), ("کارت تغذیه", 1)]
    assert found[0].last_at == at(DAY, 13)


# --- author lists -----------------------------------------------------------------------------

def test_author_lists_read_the_counters(org):
    today = date(2025, 3, 10)
    popular = article(org, title="پربازدید", view_count=90, helpful_count=40, unhelpful_count=2)
    disliked = article(org, title="ناکارآمد", view_count=10, helpful_count=1, unhelpful_count=7)
    few_votes = article(org, title="کم‌رای", helpful_count=0, unhelpful_count=2)
    overdue = article(org, title="گذشته از بازبینی", next_review_on=today - timedelta(days=3))
    soon = article(org, title="بازبینی نزدیک", next_review_on=today + timedelta(days=14))
    article(org, title="بازبینی دور", next_review_on=today + timedelta(days=15))
    article(org, title="پیش‌نویس", state="draft", next_review_on=today - timedelta(days=30))
    reused = article(org, title="پرکاربرد", reuse_count=12)
    article(org, "hr", title="منابع انسانی", view_count=500)
    it = {department(org, "it").id}

    assert [a.id for a in reports.most_viewed(org, it)] == [popular.id, disliked.id]
    assert [a.id for a in reports.least_helpful(org, it)] == [disliked.id, popular.id]
    assert few_votes.id not in [a.id for a in reports.least_helpful(org, it)]
    assert [a.id for a in reports.due_for_review(org, it, today)] == [overdue.id, soon.id]
    assert [a.id for a in reports.most_reused(org, it)] == [reused.id]
    assert reports.most_viewed(org, None)[0].title == "منابع انسانی"
    assert reports.health(org, it, today) == reports.Health(open_flags=0, due_for_review=2)


# --- the reports page -------------------------------------------------------------------------

@pytest.fixture
def report_data(tickets_org):
    """A month of knowledge work in IT (and one HR article the IT people must not see)."""
    dbsession = tickets_org
    today = to_tehran(utcnow()).date()
    printer = article(dbsession, title="رفع گیر کردن کاغذ در چاپگر", owner="it.lead", view_count=41, reuse_count=3,
                      helpful_count=2, unhelpful_count=6, open_flag_count=1,
                      next_review_on=today - timedelta(days=2))
    leave = article(dbsession, "hr", title="مرخصی استحقاقی کارکنان", view_count=70, open_flag_count=1)
    dbsession.add(Flag(article_id=leave.id, kind="wrong", note="سقف مرخصی عوض شده است",
                       flagged_by_id=user(dbsession, "hr.desk").id, created_at=utcnow()))
    dbsession.add(Flag(article_id=printer.id, kind="outdated", note="منوی چاپگر جدید فرق دارد",
                       flagged_by_id=user(dbsession, "agent").id, created_at=utcnow()))
    dbsession.add(Feedback(article_id=printer.id, helpful=False, comment="تصویرها قدیمی است", created_at=utcnow()))
    it_id = department(dbsession, "it").id
    for ticket_id in (7001, 7002, 7003, 7004):
        dbsession.add(ResolvedTicket(ticket_id=ticket_id, department_id=it_id, resolved_at=utcnow()))
    dbsession.add(TicketLink(article_id=printer.id, ticket_id=7001, tracking_code="12345678901"))
    for visit, steps in enumerate([(("search", 0),), (("search", 2), "view", "solved"), ("view", "ticket_created")]):
        trail(dbsession, f"v{visit}", *steps, day=today)
    dbsession.add(SelfServiceEvent(session_key="v0", kind="search", at=utcnow(), query="کارت تغذیه",
                                   result_count=0))
    dbsession.flush()
    return printer


def test_the_reports_page_shows_what_authors_need(testapp, report_data):
    log_in(testapp, "it.lead")
    page = testapp.get("/desk/kb/reports")
    text = page.html.get_text(" ", strip=True)

    assert page.html.find(attrs={"data-testid": "kb-link-rate-total"}).get_text(strip=True) == "۲۵٫۰٪"
    assert "never a target" not in text and "هرگز" in text  # "reported, never a target", in Persian
    success = page.html.find(attrs={"data-testid": "kb-success-rate"}).get_text(strip=True)
    assert success == "۳۳٫۳٪"  # one successful visit of three with a support need
    assert page.html.find(attrs={"data-count": "searches_without_result"}).get_text(strip=True) == "۲"
    unanswered = page.html.find(attrs={"data-testid": "kb-unanswered"}).get_text(" ", strip=True)
    assert "کارت تغذیه" in unanswered
    flags = page.html.find(attrs={"data-testid": "kb-open-flags"}).get_text(" ", strip=True)
    assert "منوی چاپگر جدید فرق دارد" in flags and "رفع گیر کردن کاغذ در چاپگر" in flags
    assert page.html.find(attrs={"data-testid": "kb-open-flag"})["data-mine"] == "yes"  # it.lead owns it
    due = page.html.find(attrs={"data-testid": "kb-due"}).get_text(" ", strip=True)
    assert format_date(report_data.next_review_on, "fa") in due
    assert "۴۱" in page.html.find(attrs={"data-testid": "kb-most-viewed"}).get_text()
    assert "۳" in page.html.find(attrs={"data-testid": "kb-most-reused"}).get_text()
    assert "رفع گیر کردن کاغذ در چاپگر" in page.html.find(attrs={"data-testid": "kb-least-helpful"}).get_text()
    assert "تصویرها قدیمی است" in page.html.find(attrs={"data-testid": "kb-comments"}).get_text()
    assert "مرخصی استحقاقی کارکنان" not in text  # another department's article
    period = page.html.find(attrs={"data-testid": "kb-period"}).get_text()
    assert format_date(to_tehran(utcnow()).date(), "fa", long=True) in period


def test_the_period_boxes_show_their_example_in_the_digits_of_the_page(testapp, report_data, dbsession):
    log_in(testapp, "it.lead")
    page = testapp.get("/desk/kb/reports")
    assert page.html.find("input", id="first")["placeholder"] == "۱۴۰۵/۰۹/۰۳"
    user(dbsession, "it.lead").preferred_language = "en"
    dbsession.flush()
    english = testapp.get("/desk/kb/reports")
    assert english.html.find("input", id="last")["placeholder"] == "1405/09/03"


def test_directors_see_every_department(testapp, report_data):
    log_in(testapp, "director")
    text = testapp.get("/desk/kb/reports").html.get_text(" ", strip=True)
    assert "مرخصی استحقاقی کارکنان" in text and "رفع گیر کردن کاغذ در چاپگر" in text


def test_a_department_outside_ones_scope_is_not_shown(testapp, report_data, org):
    log_in(testapp, "it.lead")
    hr_id = department(org, "hr").id
    page = testapp.get("/desk/kb/reports", {"department": hr_id})
    assert page.html.find(id="department-error") is not None
    assert "مرخصی استحقاقی کارکنان" not in page.text


def test_a_bad_period_is_explained_and_the_page_still_answers(testapp, report_data):
    log_in(testapp, "it.lead")
    page = testapp.get("/desk/kb/reports", {"first": "۱۴۰۴/۱۳/۴۰", "last": "not a date"})
    assert page.html.find(id="first-error") is not None and page.html.find(id="last-error") is not None
    assert page.html.find(id="first")["value"] == "۱۴۰۴/۱۳/۴۰"
    reversed_period = testapp.get("/desk/kb/reports", {"first": "1404/02/01", "last": "1404/01/01"})
    assert reversed_period.html.find(id="last-error") is not None


def test_a_chosen_period_counts_only_its_days(testapp, tickets_org):
    it_id = department(tickets_org, "it").id
    for ticket_id, day in ((6001, date(2025, 3, 21)), (6002, date(2025, 3, 20))):  # 1404/01/01 and the day before
        tickets_org.add(ResolvedTicket(ticket_id=ticket_id, department_id=it_id, resolved_at=at(day)))
    tickets_org.flush()
    log_in(testapp, "it.lead")
    page = testapp.get("/desk/kb/reports", {"first": "۱۴۰۴/۰۱/۰۱", "last": "۱۴۰۴/۰۱/۳۱"})
    row = page.html.find("tr", attrs={"data-department": str(it_id)})
    assert [cell.get_text(strip=True) for cell in row.find_all("td")][1:3] == ["۱", "۰"]


def test_an_english_page_keeps_the_period_jalali_so_showing_it_again_reads_the_same_days(testapp, report_data):
    log_in(testapp, "it.lead")
    switch = next(form for form in testapp.get("/desk/kb/reports").forms.values() if "language" in form.fields)
    switch.submit("language", value="en")
    page = testapp.get("/desk/kb/reports", {"first": "1404/01/01", "last": "1404/01/31"})
    first, last = page.html.find(id="first"), page.html.find(id="last")
    assert (first["value"], last["value"], first["placeholder"]) == ("1404/01/01", "1404/01/31", "1405/09/03")
    again = testapp.get("/desk/kb/reports", {"first": first["value"], "last": last["value"]})
    assert again.html.find(id="first-error") is None and again.html.find(id="first")["value"] == "1404/01/01"


def test_report_statements_do_not_grow_with_the_articles(testapp, report_data, org, engine):
    log_in(testapp, "it.lead")

    def statements() -> int:
        with counted_statements(engine, org) as seen:
            testapp.get("/desk/kb/reports")
        return len(seen)

    before = statements()
    for number in range(8):
        flagged = article(org, title=f"مقاله {number}", owner="agent", view_count=number + 1, reuse_count=number + 1,
                          helpful_count=1, unhelpful_count=5, open_flag_count=1,
                          next_review_on=date.today() - timedelta(days=1))
        org.add(Flag(article_id=flagged.id, kind="wrong", note="نادرست", flagged_by_id=user(org, "it.lead").id))
        org.add(Feedback(article_id=flagged.id, helpful=True, comment=f"نظر {number}", created_at=utcnow()))
    org.flush()
    assert statements() == before


def test_the_dashboard_card_shows_link_rate_flags_and_reviews(testapp, report_data, org, engine):
    log_in(testapp, "agent")
    page = testapp.get("/workspace")
    card = page.html.find(attrs={"data-widget": "kb.knowledge"})
    assert card.find(attrs={"data-count": "link_rate"}).get_text(strip=True) == "۲۵٫۰٪"
    assert card.find(attrs={"data-count": "open_flags"}).get_text(strip=True) == "۱"
    assert card.find(attrs={"data-count": "due_for_review"}).get_text(strip=True) == "۱"
    log_in(testapp, "hr.desk")
    card = testapp.get("/workspace").html.find(attrs={"data-widget": "kb.knowledge"})
    assert card.find(attrs={"data-count": "link_rate"}).get_text(strip=True) == "—"
    assert card.find(attrs={"data-count": "open_flags"}).get_text(strip=True) == "۱"


# --- what the measures cost ---------------------------------------------------------------------

def plans_of(dbsession, work) -> list[tuple[str, list[str]]]:
    """Run ``work`` and EXPLAIN each SELECT it sent."""
    connection = dbsession.connection()
    sent = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    event.listen(connection, "before_cursor_execute", remember)
    try:
        work()
    finally:
        event.remove(connection, "before_cursor_execute", remember)
    return [(statement, [row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)])
            for statement, parameters in sent]


@pytest.mark.sqlite_only
@pytest.mark.parametrize("scope", [None, "it"])
def test_the_measures_read_indexes_not_whole_tables(org, scope):
    """The period's events, resolved tickets and due articles are index ranges; the open flags
    are the only table read whole (there are few)."""
    department_ids = None if scope is None else {department(org, scope).id}
    trail(org, "a", ("search", 0), "view", "solved")
    resolved(org, 9101, "it", DAY, article(org))

    def work():
        selfservice.success(org, PERIOD.start, PERIOD.end)
        selfservice.unanswered(org, PERIOD.start, PERIOD.end)
        reports.link_rates(org, department_ids, PERIOD)
        reports.health(org, department_ids, DAY)

    plans = plans_of(org, work)
    assert len(plans) == 4
    for statement, plan in plans:
        for line in plan:
            if line.startswith("SCAN"):
                assert line.startswith(("SCAN kb_flags", "SCAN visits", "SCAN CONSTANT ROW")), (statement, plan)
    assert "ix_kb_selfservice_events_kind_at" in " ".join(plans[0][1] + plans[1][1])
    assert "ix_kb_resolved_tickets_resolved_at" in " ".join(plans[2][1]) or scope
    assert "ix_kb_articles_next_review_on" in " ".join(plans[3][1]) or scope
