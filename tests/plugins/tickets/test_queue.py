"""The agent queue: each filter does what it says, sorting and keyset pages, search in Persian,
the departments an agent may see, and the workspace page with saved views and bulk actions."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import pytest
import webtest
from sqlalchemy import select
from webob.multidict import MultiDict

from core.db import utcnow
from core.testing import counted_statements, csrf_token, log_in
from plugins.tickets.models import SavedView
from plugins.tickets.queue import QueueFilter, QueueFilterError, decode_cursor, page
from plugins.tickets.tracking import format_code
from tests.plugins.tickets.queue_helpers import department, open_ticket, team, user, viewer

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def ids(result) -> list[int]:
    return [ticket.id for ticket in result.items]


def listed(dbsession, username, **params) -> list[int]:
    sort = params.pop("sort", "newest")
    return ids(page(dbsession, viewer(dbsession, username), QueueFilter.parse(params), sort, limit=200))


# --- filters -----------------------------------------------------------------------------------

def test_default_filter_shows_open_tickets_newest_first(desk, dbsession):
    first = open_ticket(desk, dbsession)
    second = open_ticket(desk, dbsession)
    done = open_ticket(desk, dbsession)
    desk("agent").transition(done, "cancel")
    assert listed(dbsession, "agent") == [second.id, first.id]
    assert listed(dbsession, "agent", status="any") == [done.id, second.id, first.id]
    assert listed(dbsession, "agent", status="cancelled") == [done.id]
    assert listed(dbsession, "agent", status="open,cancelled") == [done.id, second.id, first.id]


def test_scopes_mine_my_teams_unassigned(desk, dbsession):
    agent = user(dbsession, "agent")
    mine = open_ticket(desk, dbsession)
    desk("agent").assign(mine, assignee_id=agent.id)
    other = open_ticket(desk, dbsession)
    desk("agent").assign(other, assignee_id=user(dbsession, "it.agent2").id)
    escalated = open_ticket(desk, dbsession)
    desk("agent").escalate(escalated, team_id=team(dbsession, "it", 2).id, reason="سوییچ")
    nobody = open_ticket(desk, dbsession)
    assert listed(dbsession, "agent", scope="mine") == [mine.id]
    assert listed(dbsession, "agent", scope="my_teams") == [nobody.id, other.id, mine.id]  # agent is in IT L1
    assert listed(dbsession, "it.lead", scope="my_teams") == [escalated.id]
    assert listed(dbsession, "agent", scope="unassigned") == [nobody.id, escalated.id]
    assert listed(dbsession, "agent", assignee=str(agent.id)) == [mine.id]
    assert listed(dbsession, "agent", team=str(team(dbsession, "it", 2).id)) == [escalated.id]


def test_priority_department_service_channel_type(desk, dbsession):
    from tests.plugins.tickets.queue_helpers import service_key

    urgent = open_ticket(desk, dbsession, impact="high", urgency="high", channel="phone", actor="agent")
    other_service = open_ticket(desk, dbsession, service_key=service_key(dbsession, "it", 1), type="complaint")
    eng = open_ticket(desk, dbsession, code="it-eng", impact="low", urgency="low")
    assert urgent.priority == 1
    assert listed(dbsession, "agent", priority="1") == [urgent.id]
    assert listed(dbsession, "agent", priority=["3", "1"]) == [other_service.id, urgent.id]
    assert listed(dbsession, "agent", department=str(department(dbsession, "it-eng").id)) == [eng.id]
    assert listed(dbsession, "agent", service=service_key(dbsession, "it", 1)) == [other_service.id]
    assert listed(dbsession, "agent", channel="phone") == [urgent.id]
    assert listed(dbsession, "agent", type="complaint") == [other_service.id]


def test_sla_filters_overdue_and_breaching_soon(desk, dbsession):
    now = utcnow()
    late = open_ticket(desk, dbsession)
    soon = open_ticket(desk, dbsession)
    calm = open_ticket(desk, dbsession)
    late.sla_due_at, late.sla_state = now - timedelta(hours=1), "breached"
    soon.sla_due_at, soon.sla_state = now + timedelta(minutes=20), "warning"
    calm.sla_due_at, calm.sla_state = now + timedelta(hours=5), "ok"
    dbsession.flush()
    assert listed(dbsession, "agent", sla="overdue") == [late.id]
    assert listed(dbsession, "agent", sla="breaching_soon") == [soon.id]


@pytest.mark.parametrize("params, field", [
    ({"scope": "everything"}, "scope"), ({"sla": "late"}, "sla"), ({"status": "done"}, "status"),
    ({"priority": "5"}, "priority"), ({"priority": "x"}, "priority"), ({"department": "-1"}, "department"),
    ({"type": "bug"}, "type"), ({"channel": "<script>"}, "channel"), ({"status": {"a": 1}}, "status"),
])
def test_invalid_filters_are_refused_with_the_field(params, field):
    with pytest.raises(QueueFilterError) as refused:
        QueueFilter.parse(params)
    assert refused.value.field == field


def test_filter_round_trips_through_the_query_string():
    parsed = QueueFilter.parse(MultiDict([("scope", "mine"), ("status", "new"), ("status", "pending"),
                                          ("priority", "۱"), ("q", "  كيبورد  عربي ")]))
    assert parsed.priorities == (1,) and parsed.q == "کیبورد عربی"
    assert QueueFilter.parse(MultiDict([(k, v) for k, vs in parsed.to_params().items()
                                        for v in ([vs] if isinstance(vs, str) else vs)])) == parsed
    assert QueueFilter.parse({}).is_default and QueueFilter.parse({}).to_params() == {}


# --- search ------------------------------------------------------------------------------------

def test_search_normalizes_persian_input_and_finds_tracking_codes(desk, dbsession):
    printer = open_ticket(desk, dbsession, subject="چاپگر طبقه دوم کار نمی‌کند")
    keyboard = open_ticket(desk, dbsession, subject="صفحه‌کلید آزمایشگاه")
    assert listed(dbsession, "agent", q="چاپگر") == [printer.id]
    assert listed(dbsession, "agent", q="صفحه‌كليد") == [keyboard.id]  # Arabic kaf and yeh typed
    code = keyboard.tracking_code
    persian = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    typed = f"{persian[:4]}-{persian[4:7]} {persian[7:]}"
    assert listed(dbsession, "agent", q=typed) == [keyboard.id]
    assert listed(dbsession, "agent", q=persian[:6]) == [keyboard.id]


# --- who sees what -----------------------------------------------------------------------------

def test_an_agent_sees_only_their_departments(desk, dbsession):
    it_ticket = open_ticket(desk, dbsession, "it")
    hr_ticket = open_ticket(desk, dbsession, "hr", subject="گواهی اشتغال به کار")
    assert listed(dbsession, "hr.desk", status="any") == [hr_ticket.id]
    assert listed(dbsession, "hr.desk", q=it_ticket.tracking_code) == []
    assert listed(dbsession, "hr.desk", department=str(it_ticket.department_id)) == []
    assert listed(dbsession, "agent") == [it_ticket.id]
    assert listed(dbsession, "director") == [hr_ticket.id, it_ticket.id]
    assert listed(dbsession, "student") == []


# --- keyset pages ------------------------------------------------------------------------------

@pytest.mark.parametrize("status", ["open", "any"])
@pytest.mark.parametrize("sort", ["newest", "oldest", "priority", "due", "updated"])
def test_keyset_pages_are_stable_without_duplicates_or_gaps(desk, dbsession, sort, status):
    levels = ["high", "medium", "low"]
    start = utcnow() - timedelta(days=1)
    tickets = []
    for number in range(13):
        ticket = open_ticket(desk, dbsession, "it-eng" if number % 4 == 1 else "it", subject=f"درخواست {number}",
                             impact=levels[number % 3], urgency=levels[(number // 3) % 3])
        if status == "any" and number % 3 == 2:
            desk("agent").transition(ticket, "cancel")
        ticket.updated_at = start + timedelta(minutes=number % 4)  # ties on purpose
        ticket.sla_due_at = None if number % 5 == 0 else start + timedelta(hours=number % 3)
        tickets.append(ticket)
    dbsession.flush()
    agent = viewer(dbsession, "agent")
    queue_filter = QueueFilter.parse({"status": status})
    everything = ids(page(dbsession, agent, queue_filter, sort, limit=100))
    seen, cursor = [], None
    while True:
        result = page(dbsession, agent, queue_filter, sort, cursor=cursor, limit=4)
        seen += ids(result)
        if result.next_cursor is None:
            break
        cursor = result.next_cursor
    assert seen == everything and sorted(seen) == sorted(t.id for t in tickets)
    if sort == "newest":
        assert seen == sorted(seen, reverse=True)
    if sort == "due" and status == "open":
        due = [dbsession.get(type(tickets[0]), i).sla_due_at for i in seen]
        assert due[-3:] == [None, None, None] and None not in due[:-3]


def test_forged_or_foreign_cursors_are_refused():
    for cursor in ("not-base64!", "eyJzIjoibmV3ZXN0In0", "eyJzIjoib2xkZXN0IiwiayI6WzVdfQ"):
        with pytest.raises(QueueFilterError) as refused:
            decode_cursor(cursor, "newest")
        assert refused.value.field == "cursor"



# --- the workspace page ------------------------------------------------------------------------

def rows(response) -> list[int]:
    return [int(row["data-ticket"]) for row in response.html.select("tr[data-ticket]")]


def count_badge(response, key) -> str:
    return response.html.select_one(f'[data-count="{key}"] .badge').get_text(strip=True)


def test_queue_page_shows_the_agents_tickets_in_persian(testapp, desk, dbsession):
    agent = user(dbsession, "agent")
    ticket = open_ticket(desk, dbsession, subject="چاپگر طبقه دوم کار نمی‌کند", channel="phone", actor="agent",
                         impact="high", urgency="high")
    desk("agent").assign(ticket, assignee_id=agent.id)
    hr_ticket = open_ticket(desk, dbsession, "hr", subject="گواهی اشتغال به کار")
    log_in(testapp, "agent")
    page_ = testapp.get("/desk/tickets")
    assert rows(page_) == [ticket.id]
    row = page_.html.select_one(f'tr[data-ticket="{ticket.id}"]')
    text = row.get_text(" ", strip=True)
    assert "چاپگر طبقه دوم کار نمی‌کند" in text and "سارا کریمی" in text and "رضا امینی" in text
    assert "تلفن" in text and "واگذارشده" in text  # channel and status in Persian
    persian_code = format_code(ticket.tracking_code).translate(PERSIAN_DIGITS)
    assert row.select_one('[data-testid="tracking-code"]').get_text() == persian_code
    assert row.select_one("a")["href"] == f"/desk/tickets/{ticket.id}"
    assert row.select_one('[data-testid="sla-due"]').get_text()[:2] in ("۱۴", "۱۳")  # a Jalali year
    assert count_badge(page_, "mine") == "۱" and count_badge(page_, "open") == "۱"
    assert hr_ticket.subject not in page_.text


def test_an_hr_agent_sees_no_it_ticket_in_the_list_or_the_counts(testapp, desk, dbsession):
    it_ticket = open_ticket(desk, dbsession, "it", subject="شبکه آزمایشگاه قطع است",
                            contact_at=utcnow() - timedelta(days=20), actor="agent", channel="phone")
    log_in(testapp, "hr.desk")
    for url in ("/desk/tickets", "/desk/tickets?status=any", f"/desk/tickets?q={it_ticket.tracking_code}",
                f"/desk/tickets?department={it_ticket.department_id}", "/desk/tickets?sla=overdue"):
        page_ = testapp.get(url)
        assert rows(page_) == [] and "شبکه آزمایشگاه" not in page_.text, url
    assert count_badge(page_, "open") == "۰" and count_badge(page_, "overdue") == "۰"


def test_filters_come_back_in_the_form_and_bad_ones_are_explained(testapp, desk, dbsession):
    urgent = open_ticket(desk, dbsession, impact="high", urgency="high")
    open_ticket(desk, dbsession)
    log_in(testapp, "agent")
    page_ = testapp.get("/desk/tickets?" + urlencode({"priority": 1, "sort": "due", "q": "اینترنت"}))
    assert rows(page_) == [urgent.id]
    assert page_.html.select_one('#f-priority option[selected]')["value"] == "1"
    assert page_.html.select_one('#f-sort option[selected]')["value"] == "due"
    assert page_.html.select_one("#f-q")["value"] == "اینترنت"
    refused = testapp.get("/desk/tickets?" + urlencode({"priority": 9, "q": "چاپگر"}), status=400)
    assert "اولویت" in refused.html.select_one('[data-testid="queue-error"]').get_text()
    assert refused.html.select_one("#f-q")["value"] == "چاپگر"  # what was typed is kept
    stale = testapp.get("/desk/tickets?cursor=garbage", status=400)
    assert stale.html.select_one('[data-testid="queue-error"]') is not None


def test_next_page_link_walks_the_queue(testapp, desk, dbsession, monkeypatch):
    from plugins.tickets.web import queue as queue_views

    monkeypatch.setattr(queue_views, "PAGE_SIZE", 2)
    created = [open_ticket(desk, dbsession, subject=f"درخواست {n}").id for n in range(5)]
    log_in(testapp, "agent")
    page_, seen = testapp.get("/desk/tickets?sort=oldest"), []
    while True:
        seen += rows(page_)
        link = page_.html.select_one('[data-testid="next-page"]')
        if link is None:
            break
        assert "sort=oldest" in link["href"]
        page_ = testapp.get(link["href"])
    assert seen == created


def test_the_queue_page_runs_the_same_number_of_queries_for_5_and_30_tickets(testapp, desk, dbsession, engine):
    from plugins.tickets.web import queue as queue_views

    agent = user(dbsession, "agent")
    log_in(testapp, "agent")

    def add(count):
        for number in range(count):
            ticket = open_ticket(desk, dbsession, subject=f"درخواست {number}", actor="agent",
                                 channel=("phone", "portal")[number % 2], impact=("high", "low")[number % 2])
            if number % 3 == 0:
                desk("agent").assign(ticket, assignee_id=agent.id)
            if number % 4 == 0:
                desk("agent").escalate(ticket, team_id=team(dbsession, "it", 2).id, reason="بررسی")
        dbsession.flush()

    def statements_for_page(expected_rows) -> int:
        with counted_statements(engine, dbsession) as statements:
            page_ = testapp.get("/desk/tickets")
        assert len(rows(page_)) == expected_rows
        return len(statements)

    add(5)
    testapp.get("/desk/tickets")  # the filter lists' directory is read once, then remembered
    few = statements_for_page(5)
    add(25)
    assert statements_for_page(min(30, queue_views.PAGE_SIZE)) == few
    assert few <= 8


# --- saved views -------------------------------------------------------------------------------

def test_saved_views_are_saved_listed_and_deleted(testapp, desk, dbsession):
    log_in(testapp, "agent")
    page_ = testapp.get("/desk/tickets?scope=mine&priority=1&sort=due")
    form = page_.forms[_form_index(page_, "save-view")]
    form["name"] = "فوری‌های من"
    saved = form.submit(status=303).follow()
    assert "ذخیره شد" in saved.text
    link = saved.html.select_one('[data-view="فوری‌های من"] a')
    assert sorted(link["href"].split("?")[1].split("&")) == ["priority=1", "scope=mine", "sort=due"]
    other = testapp.get("/desk/tickets")
    assert other.html.select_one('[data-view="فوری‌های من"]') is not None
    log_in(testapp, "it.agent2")
    assert testapp.get("/desk/tickets").html.select_one('[data-view="فوری‌های من"]') is None  # views are personal
    view_id = dbsession.scalar(select(SavedView.id).where(SavedView.name == "فوری‌های من"))
    testapp.post("/desk/tickets/views", {"delete": view_id, "csrf_token": csrf_token(testapp)}, status=303)
    assert dbsession.get(SavedView, view_id) is not None  # not hers to delete
    log_in(testapp, "agent")
    page_ = testapp.get("/desk/tickets")
    deleted = page_.forms[_form_index(page_, None, delete=str(view_id))].submit(status=303).follow()
    assert "حذف شد" in deleted.text
    assert dbsession.scalar(select(SavedView.id).where(SavedView.id == view_id)) is None


def test_a_view_needs_a_name_and_a_valid_filter(testapp, dbsession, org):
    log_in(testapp, "agent")
    token = csrf_token(testapp)
    nameless = testapp.post("/desk/tickets/views", {"name": " ", "query": "scope=mine", "csrf_token": token},
                            status=303).follow()
    assert "نام" in nameless.html.select_one('[data-testid="bulk-error"]').get_text()
    assert nameless.html.select_one('#f-scope option[selected]')["value"] == "mine"  # the filters are kept
    bad = testapp.post("/desk/tickets/views", {"name": "خراب", "query": "scope=everyone", "csrf_token": token},
                       status=303).follow(status=400)
    assert bad.html.select_one('[data-testid="bulk-error"]') is not None
    assert dbsession.scalar(select(SavedView.id).where(SavedView.name == "خراب")) is None
    testapp.post("/desk/tickets/views", {"name": "بدون توکن", "query": ""}, status=400)


def _form_index(page_, testid, **fields) -> int:
    for index, form in page_.forms.items():
        if testid and form.html.form.get("data-testid") == testid:
            return index
        if fields and all(name in form.fields and form[name].value == value for name, value in fields.items()):
            return index
    raise AssertionError(f"no form {testid or fields}")


# --- bulk actions ------------------------------------------------------------------------------

def tick(page_, tickets) -> webtest.Form:
    form = page_.forms[_form_index(page_, "bulk-form")]
    wanted = {ticket.id for ticket in tickets}
    for checkbox in form.fields["ticket"]:
        if int(checkbox._value.split(":")[0]) in wanted:
            checkbox.checked = True
    return form


def test_bulk_assign_to_me_and_resolve(testapp, desk, dbsession):
    first, second = open_ticket(desk, dbsession), open_ticket(desk, dbsession)
    log_in(testapp, "agent")
    form = tick(testapp.get("/desk/tickets"), [first, second])
    form["action"] = "assign_me"
    result = form.submit(status=303).follow()
    assert "۲ درخواست" in result.html.select_one('[data-testid="bulk-result"]').get_text()
    assert first.assignee_id == second.assignee_id == user(dbsession, "agent").id
    assert count_badge(result, "mine") == "۲"

    form = tick(result, [first, second])
    form["action"], form["resolution_code"], form["note"] = "resolve", "solved", "گذرواژه بازنشانی شد"
    result = form.submit(status=303).follow()
    assert (first.status, second.status) == ("resolved", "resolved")
    assert first.resolution_note == "گذرواژه بازنشانی شد"
    assert rows(result) == []


def test_bulk_reports_each_refusal_with_its_reason(testapp, desk, dbsession):
    resolved, fresh, stale = (open_ticket(desk, dbsession, subject=f"مورد {n}") for n in range(3))
    desk("agent").transition(resolved, "resolve", resolution_code="solved", note="حل شد")
    log_in(testapp, "agent")
    form = tick(testapp.get("/desk/tickets?status=any"), [resolved, fresh, stale])
    desk("it.agent2").update(stale, subject="موضوع تازه")  # someone saves it after the list was shown
    dbsession.flush()
    form["action"] = "start"
    report = form.submit(status=303).follow()
    result = report.html.select_one('[data-testid="bulk-result"]')
    assert "۱ درخواست" in result.get_text()
    failures = [p.get_text(" ", strip=True) for p in result.select('[data-testid="bulk-failure"]')]
    assert len(failures) == 2
    assert any(format_code(resolved.tracking_code).translate(PERSIAN_DIGITS) in f and "وضعیت" in f
               for f in failures)
    assert any(format_code(stale.tracking_code).translate(PERSIAN_DIGITS) in f and "تغییر" in f for f in failures)
    assert (resolved.status, fresh.status, stale.status) == ("resolved", "in_progress", "new")


def test_bulk_resolve_without_a_note_changes_nothing(testapp, desk, dbsession):
    ticket = open_ticket(desk, dbsession)
    log_in(testapp, "agent")
    form = tick(testapp.get("/desk/tickets"), [ticket])
    form["action"], form["resolution_code"] = "resolve", "solved"
    report = form.submit(status=303).follow()
    assert "۰ درخواست" in report.html.select_one('[data-testid="bulk-result"]').get_text()
    assert ticket.status == "new"


def test_bulk_on_another_departments_ticket_is_refused(testapp, desk, dbsession):
    it_ticket = open_ticket(desk, dbsession, "it")
    hr_ticket = open_ticket(desk, dbsession, "hr", subject="مرخصی")
    log_in(testapp, "hr.desk")
    assert rows(testapp.get("/desk/tickets")) == [hr_ticket.id]
    forged = [("ticket", f"{hr_ticket.id}:{hr_ticket.version}"), ("ticket", f"{it_ticket.id}:{it_ticket.version}"),
              ("action", "assign_me"), ("csrf_token", csrf_token(testapp))]
    report = testapp.post("/desk/tickets/bulk", forged, status=303).follow()
    failure = report.html.select_one('[data-testid="bulk-failure"]').get_text(" ", strip=True)
    assert f"#{it_ticket.id}".translate(PERSIAN_DIGITS) in failure and "حوزهٔ کاری شما نیست" in failure
    assert it_ticket.assignee_id is None and it_ticket.tracking_code not in report.text
    assert hr_ticket.assignee_id == user(dbsession, "hr.desk").id


def test_bulk_and_views_keep_a_line_break_out_of_the_location_header(testapp, desk, dbsession):
    """The posted ``query`` goes back into the redirect: CR/LF in it was a 500 (WebOb refuses the
    header), and must never become a header of its own."""
    ticket = open_ticket(desk, dbsession)
    log_in(testapp, "agent")
    token = csrf_token(testapp)
    query = "status=new\r\nSet-Cookie: evil=1"
    response = testapp.post("/desk/tickets/views", {"name": "", "query": query, "csrf_token": token}, status=303)
    assert "\r" not in response.location and "\n" not in response.location
    assert response.location.startswith("http://localhost/desk/tickets?status=new%0D%0ASet-Cookie")
    assert not any("evil" in cookie for cookie in response.headers.getall("Set-Cookie"))
    # A refused bulk action shows the queue again at once: no redirect, no header of its own.
    refused = testapp.post("/desk/tickets/bulk", {"action": "lost", "query": query, "csrf_token": token}, status=400)
    assert "Location" not in refused.headers
    assert not any("evil" in cookie for cookie in refused.headers.getall("Set-Cookie"))
    odd = testapp.post("/desk/tickets/bulk", {"action": "assign_me", "ticket": f"²:{ticket.version}",
                                              "csrf_token": token}, status=400)
    assert odd.html.select_one('[data-testid="bulk-error"]') is not None
    assert ticket.assignee_id is None


def test_digits_int_cannot_read_are_a_refused_filter_not_a_500(testapp, dbsession, org):
    """``str.isdigit()`` accepts «²», which ``int()`` refuses."""
    log_in(testapp, "agent")
    for name in ("assignee", "team", "department"):
        testapp.get("/desk/tickets", {name: "²"}, status=400)
    testapp.get("/desk/tickets", {"view": "²"}, status=200)


def test_bulk_needs_a_token_an_action_and_tickets(testapp, desk, dbsession):
    ticket = open_ticket(desk, dbsession)
    log_in(testapp, "agent")
    testapp.post("/desk/tickets/bulk", {"action": "assign_me", "ticket": f"{ticket.id}:1"}, status=400)
    token = csrf_token(testapp)
    nothing = testapp.post("/desk/tickets/bulk", {"action": "assign_me", "csrf_token": token}, status=400)
    assert nothing.html.select_one('[data-testid="bulk-error"]') is not None
    unknown = testapp.post("/desk/tickets/bulk", {"action": "delete", "ticket": str(ticket.id), "csrf_token": token},
                           status=400)
    assert unknown.html.select_one('[data-testid="bulk-error"]') is not None
    nobody = testapp.post("/desk/tickets/bulk", {"action": "assign", "ticket": str(ticket.id), "csrf_token": token},
                          status=400)
    assert "کارشناس" in nobody.html.select_one('[data-testid="bulk-error"]').get_text()
    assert ticket.assignee_id is None
    log_in(testapp, "student")
    testapp.get("/desk/tickets", status=403)


def test_a_refused_bulk_action_keeps_the_ticks_and_the_choices(testapp, desk, dbsession):
    """Assign to the agent below, with no agent chosen: the queue comes back as it was filtered,
    with the tickets still ticked and the action and note kept, so only the agent is left to choose."""
    first, second, third = (open_ticket(desk, dbsession, subject=f"مورد {n}") for n in range(3))
    log_in(testapp, "agent")
    form = tick(testapp.get("/desk/tickets?status=new&sort=oldest"), [first, third])
    form["action"], form["note"] = "assign", "برای بررسی شبکه"
    refused = form.submit(status=400)
    assert "کارشناس" in refused.html.select_one('[data-testid="bulk-error"]').get_text()
    again = refused.forms[_form_index(refused, "bulk-form")]
    ticked = {int(box._value.split(":")[0]) for box in again.fields["ticket"] if box.checked}
    assert ticked == {first.id, third.id}
    assert again["action"].value == "assign" and again["note"].value == "برای بررسی شبکه"
    assert refused.html.select_one("#f-sort option[selected]")["value"] == "oldest"
    colleague = user(dbsession, "it.agent2")
    again["assignee"] = str(colleague.id)
    again.submit(status=303)
    assert first.assignee_id == third.assignee_id == colleague.id and second.assignee_id is None


def test_bulk_assign_to_another_agent(testapp, desk, dbsession):
    ticket = open_ticket(desk, dbsession)
    colleague = user(dbsession, "it.agent2")
    log_in(testapp, "agent")
    form = tick(testapp.get("/desk/tickets"), [ticket])
    form["action"], form["assignee"] = "assign", str(colleague.id)
    form.submit(status=303)
    assert ticket.assignee_id == colleague.id and ticket.status == "assigned"
