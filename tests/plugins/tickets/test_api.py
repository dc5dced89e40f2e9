"""The JSON API over HTTP: tokens and sessions, visibility, changes through the desk, errors as
JSON with stable codes and translated messages, and guest tracking."""
from __future__ import annotations

import json
from datetime import timedelta, timezone
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from core.auth import create_api_token
from core.db import utcnow
from core.models import Department, Team, User
from core.normalize import to_persian_digits
from core.testing import counted_statements, log_in
from plugins.tickets.desk import NewTicket
from plugins.tickets.models import Category, Ticket, TicketEvent, TrackingLookup
from plugins.tickets.tracking import format_code

TEHRAN_OFFSET = timezone(timedelta(hours=3, minutes=30))
GUEST_MOBILE = "09121234567"


# --- helpers ---------------------------------------------------------------------------------

def user(dbsession, username: str) -> User:
    return dbsession.scalar(select(User).where(User.username == username))


def department_id(dbsession, code: str) -> int:
    return dbsession.scalar(select(Department.id).where(Department.code == code))


def service_key(dbsession, code: str) -> str:
    category = dbsession.scalar(select(Category.id).where(Category.department_id == department_id(dbsession, code))
                                .order_by(Category.id).limit(1))
    return f"category:{category}"


def team_id(dbsession, code: str, tier: int) -> int:
    return dbsession.scalar(select(Team.id).where(Team.department_id == department_id(dbsession, code),
                                                  Team.tier == tier))


def bearer(dbsession, username: str, **headers) -> dict:
    return {"Authorization": f"Bearer {create_api_token(dbsession, user(dbsession, username), 'test')}", **headers}


def post_json(testapp, url: str, data, headers: dict, status: int | str = "*"):
    return testapp.post(url, json.dumps(data), headers={"Content-Type": "application/json", **headers},
                        status=status)


def patch_json(testapp, url: str, data, headers: dict, status: int | str = "*"):
    return testapp.patch(url, json.dumps(data), headers={"Content-Type": "application/json", **headers},
                         status=status)


def open_ticket(desk, dbsession, department: str = "it", username: str | None = None, channel: str = "portal",
                **overrides) -> Ticket:
    values = dict(subject="اینترنت خوابگاه قطع است", department_id=department_id(dbsession, department),
                  description="از دیروز عصر", service_key=service_key(dbsession, department), guest_name="رضا امینی",
                  guest_mobile=GUEST_MOBILE, channel=channel)
    values.update(overrides)
    return desk(username, channel).open(NewTicket(**values))


def assert_error(response, status: int, code: str, field: str | None = "*"):
    assert response.status_int == status
    assert response.content_type == "application/json"
    error = response.json["error"]
    assert error["code"] == code
    assert error["message"]
    if field != "*":
        assert error["field"] == field
    return error


# --- authentication and errors ------------------------------------------------------------------

def test_no_token_is_401_json(testapp, org):
    response = testapp.get("/api/v1/tickets", status=401)
    assert_error(response, 401, "unauthenticated", None)
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert_error(testapp.get("/api/v1/tickets", headers={"Authorization": "Bearer pk_forged"}, status=401),
                 401, "unauthenticated")


def test_malformed_json_is_400(testapp, org):
    headers = bearer(org, "agent")
    for body in ("{'subject': 'single quotes'", "[1, 2]", "", "\xff"):
        response = testapp.post("/api/v1/tickets", body.encode("latin-1"),
                                headers={**headers, "Content-Type": "application/json"}, status=400)
        assert_error(response, 400, "invalid_json", None)


def test_json_nested_too_deep_is_400_not_500(testapp, org):
    response = testapp.post("/api/v1/tickets", b'{"a":' * 100_000,
                            headers={**bearer(org, "agent"), "Content-Type": "application/json"}, status=400)
    assert_error(response, 400, "invalid_json", None)


def test_an_address_that_is_not_utf8_is_400_json(testapp, org):
    response = testapp.get("/api/v1/tickets?q=%FF", headers=bearer(org, "agent"), status=400)
    assert_error(response, 400, "invalid_encoding", None)
    assert_error(testapp.get("/api/v1/tickets/%FF", status=400), 400, "invalid_encoding", None)


def test_numbers_that_name_no_row_are_400_or_404_not_500(testapp, org, desk):
    """SQLite cannot bind an integer beyond 64 bits, and ``int()`` refuses a superscript digit
    that ``str.isdigit()`` accepts: both were 500s."""
    ticket = open_ticket(desk, org)
    headers = bearer(org, "agent")
    huge = 10**30
    assert_error(testapp.get(f"/api/v1/tickets/{huge}", headers=headers, status=404), 404, "not_found")
    assert_error(testapp.get(f"/api/v1/tickets/{huge}/comments", headers=headers, status=404), 404, "not_found")
    new = {"subject": "s", "department_id": department_id(org, "it"), "requester": {"user_id": huge}}
    assert_error(post_json(testapp, "/api/v1/tickets", new, headers, status=400), 400, "invalid_input",
                 "requester.user_id")
    url = f"/api/v1/tickets/{ticket.id}/assignment"
    assert_error(post_json(testapp, url, {"assignee_id": huge, "version": ticket.version}, headers, status=400),
                 400, "invalid_input", "assignee_id")
    assert_error(post_json(testapp, url, {"team_id": huge, "reason": "x", "version": ticket.version}, headers,
                           status=400), 400, "invalid_input", "team_id")
    for limit in ("²", "9" * 5000):
        assert_error(testapp.get("/api/v1/tickets", {"limit": limit}, headers=headers, status=400), 400,
                     "invalid_input", "limit")
    for name in ("assignee", "team", "department"):
        assert_error(testapp.get("/api/v1/tickets", {name: "²"}, headers=headers, status=400), 400,
                     "invalid_input", name)


def test_messages_follow_accept_language(testapp, org):
    persian = testapp.post("/api/v1/tickets", b"{", headers=bearer(org, "agent"), status=400).json["error"]
    english = testapp.post("/api/v1/tickets", b"{", headers=bearer(org, "agent", **{"Accept-Language": "en-US,en"}),
                           status=400).json["error"]
    assert english["message"] == "The request body is not valid JSON."
    assert persian["message"] != english["message"] and "JSON" in persian["message"]
    fields = post_json(testapp, "/api/v1/tickets", {"department_id": department_id(org, "it")},
                       bearer(org, "agent", **{"Accept-Language": "en"}), status=400).json["error"]["fields"]
    assert fields == {"subject": "Required"}
    fields = post_json(testapp, "/api/v1/tickets", {"department_id": department_id(org, "it")},
                       bearer(org, "agent"), status=400).json["error"]["fields"]
    assert fields == {"subject": "پر کردن این فیلد الزامی است"}


def test_wrong_method_is_405_with_allow(testapp, org, desk):
    ticket = open_ticket(desk, org)
    response = testapp.delete(f"/api/v1/tickets/{ticket.id}", headers=bearer(org, "agent"), status=405)
    assert_error(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == "GET, PATCH"
    assert testapp.put("/api/v1/openapi.json", status=405).headers["Allow"] == "GET"


def test_unknown_ticket_and_unknown_url_are_404_json(testapp, org):
    assert_error(testapp.get("/api/v1/tickets/987654", headers=bearer(org, "agent"), status=404), 404, "not_found")
    assert_error(testapp.get("/api/v1/no-such-thing", status=404), 404, "not_found")


# --- creating --------------------------------------------------------------------------------

def test_agent_logs_a_phone_call_back_dated_for_a_guest(testapp, org):
    # Ten minutes back: back-dated, yet never past the 1 h response target of P2 whatever the hour.
    called = (utcnow() - timedelta(minutes=10)).replace(microsecond=0)
    data = {
        "subject": "چاپگر طبقه دوم کار نمی‌کند",
        "description": "تماس تلفنی از دفتر دانشکده",
        "department_id": department_id(org, "it"),
        "service_key": service_key(org, "it"),
        "type": "incident",
        "channel": "phone",
        "contact_time": to_persian_digits(called.astimezone(TEHRAN_OFFSET).isoformat()),
        "impact": "high",
        "urgency": "medium",
        "tags": ["چاپگر"],
        "requester": {"name": "رضا امینی", "mobile": "۰۹۱۲۱۲۳۴۵۶۷"},
    }
    response = post_json(testapp, "/api/v1/tickets", data, bearer(org, "agent"), status=201)
    body = response.json
    assert response.location.endswith(f"/api/v1/tickets/{body['id']}")
    assert body["channel"] == "phone"
    assert body["contact_time"] == called.isoformat().replace("+00:00", "Z")
    assert body["priority"] == 2 and body["status"] == "new"
    assert body["requester"] == {"id": None, "name": "رضا امینی", "mobile": GUEST_MOBILE, "email": None,
                                 "national_code": None}
    assert body["team"]["tier"] == 1 and body["tags"] == ["چاپگر"] and body["version"] >= 1
    assert body["sla"]["state"] == "ok" and body["promised_at"]
    ticket = org.get(Ticket, body["id"])
    assert ticket.created_by_id == user(org, "agent").id
    assert org.scalar(select(TicketEvent.channel).where(TicketEvent.ticket_id == ticket.id)) == "phone"


def test_contact_time_in_the_future_or_without_offset_is_refused(testapp, org):
    base = {"subject": "تماس", "department_id": department_id(org, "it"), "channel": "phone",
            "requester": {"name": "رضا امینی", "mobile": GUEST_MOBILE}}
    later = (utcnow() + timedelta(hours=3)).isoformat()
    response = post_json(testapp, "/api/v1/tickets", {**base, "contact_time": later}, bearer(org, "agent"), status=400)
    assert_error(response, 400, "contact_in_future", "contact_time")
    response = post_json(testapp, "/api/v1/tickets", {**base, "contact_time": "2026-01-05T10:30:00"},
                         bearer(org, "agent", **{"Accept-Language": "en"}), status=400)
    error = assert_error(response, 400, "invalid_input", "contact_time")
    assert "offset" in error["fields"]["contact_time"]
    assert org.scalar(select(func.count()).select_from(Ticket)) == 0


def test_forged_and_invalid_fields_are_refused_per_field(testapp, org):
    data = {"subject": "", "department_id": 999999, "type": "rumour", "status": "resolved", "priority": 1,
            "channel": "carrier-pigeon", "requester": {"name": "رضا", "mobile": "123", "is_admin": True}}
    response = post_json(testapp, "/api/v1/tickets", data, bearer(org, "agent", **{"Accept-Language": "en"}),
                         status=400)
    fields = assert_error(response, 400, "invalid_input")["fields"]
    assert set(fields) == {"subject", "department_id", "type", "status", "priority", "channel", "requester.mobile",
                           "requester.is_admin"}
    assert fields["status"] == "Unknown field."
    assert org.scalar(select(func.count()).select_from(Ticket)) == 0


def test_requester_creates_own_ticket_through_the_api_only(testapp, org):
    headers = bearer(org, "student")
    data = {"subject": "گواهی اشتغال به تحصیل", "department_id": department_id(org, "education")}
    refused = post_json(testapp, "/api/v1/tickets", {**data, "channel": "phone", "impact": "high"}, headers, status=400)
    fields = assert_error(refused, 400, "invalid_input")["fields"]
    assert set(fields) == {"channel", "impact"}
    body = post_json(testapp, "/api/v1/tickets", data, headers, status=201).json
    assert body["channel"] == "api" and body["requester"]["id"] == user(org, "student").id
    assert "national_code" not in body["requester"]


# --- reading and listing ------------------------------------------------------------------------

def test_list_filters_and_follows_the_cursor(testapp, org, desk):
    phone = [open_ticket(desk, org, username="agent", channel="phone", subject=f"تماس {n}") for n in range(5)]
    open_ticket(desk, org, username="agent", channel="walk_in")
    headers = bearer(org, "agent")
    seen, cursor, pages = [], None, 0
    while True:
        params = {"channel": "phone", "limit": "2", **({"cursor": cursor} if cursor else {})}
        result = testapp.get("/api/v1/tickets", params, headers=headers).json
        assert len(result["items"]) <= 2
        seen += [item["id"] for item in result["items"]]
        pages += 1
        cursor = result["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == sorted((ticket.id for ticket in phone), reverse=True)
    oldest_first = testapp.get("/api/v1/tickets", {"channel": "phone", "sort": "oldest"}, headers=headers).json
    assert [item["id"] for item in oldest_first["items"]] == sorted(ticket.id for ticket in phone)


def test_list_refuses_bad_filters(testapp, org):
    headers = bearer(org, "agent", **{"Accept-Language": "en"})
    assert_error(testapp.get("/api/v1/tickets", {"status": "lost"}, headers=headers, status=400), 400,
                 "invalid_input", "status")
    assert_error(testapp.get("/api/v1/tickets", {"limit": "5000"}, headers=headers, status=400), 400,
                 "invalid_input", "limit")
    assert_error(testapp.get("/api/v1/tickets", {"cursor": "forged"}, headers=headers, status=400), 400,
                 "invalid_input", "cursor")
    error = assert_error(testapp.get("/api/v1/tickets", {"stauts": "new"}, headers=headers, status=400), 400,
                         "invalid_input", "stauts")
    assert error["fields"] == {"stauts": "Unknown field."}


def test_list_costs_the_same_for_more_tickets(testapp, org, desk, app):
    headers = bearer(org, "agent")
    for n in range(3):
        open_ticket(desk, org, username="agent", tags=["شبکه"], subject=f"مورد {n}")
    engine = app.registry["db_engine"]
    testapp.get("/api/v1/tickets", headers=headers)  # what a process remembers after one call is not its cost
    with counted_statements(engine, org) as few:
        testapp.get("/api/v1/tickets", headers=headers)
    for n in range(10):
        open_ticket(desk, org, username="agent", tags=["شبکه", "خوابگاه"], subject=f"مورد دیگر {n}")
    with counted_statements(engine, org) as many:
        result = testapp.get("/api/v1/tickets", headers=headers).json
    assert len(result["items"]) == 13 and result["items"][0]["tags"] == ["خوابگاه", "شبکه"]
    assert len(many) == len(few)


def test_hr_agent_cannot_reach_an_it_ticket(testapp, org, desk):
    ticket = open_ticket(desk, org, "it")
    hr_ticket = open_ticket(desk, org, "hr")
    headers = bearer(org, "hr.desk")
    url = f"/api/v1/tickets/{ticket.id}"
    assert_error(testapp.get(url, headers=headers, status=404), 404, "not_found")
    ids = [item["id"] for item in testapp.get("/api/v1/tickets", {"status": "any"}, headers=headers).json["items"]]
    assert ids == [hr_ticket.id]
    searched = testapp.get("/api/v1/tickets", {"q": ticket.tracking_code}, headers=headers).json
    assert searched["items"] == []
    assert_error(post_json(testapp, f"{url}/comments", {"body": "سلام"}, headers, status=404), 404, "not_found")
    assert_error(post_json(testapp, f"{url}/transitions", {"action": "start", "version": ticket.version}, headers,
                           status=404), 404, "not_found")
    assert_error(post_json(testapp, f"{url}/assignment", {"assignee_id": None, "version": ticket.version}, headers,
                           status=404), 404, "not_found")
    assert_error(patch_json(testapp, url, {"subject": "x", "version": ticket.version}, headers, status=404),
                 404, "not_found")
    assert org.scalar(select(func.count()).select_from(TicketEvent).where(TicketEvent.ticket_id == ticket.id)) == 1


# --- changing ----------------------------------------------------------------------------------

def test_comment_transition_conflict_and_assignment(testapp, org, desk):
    ticket = open_ticket(desk, org)
    url = f"/api/v1/tickets/{ticket.id}"
    headers = bearer(org, "agent")
    body = post_json(testapp, f"{url}/comments", {"body": "در حال بررسی هستیم"}, headers, status=201).json
    body = post_json(testapp, f"{url}/comments", {"body": "احتمالا سوییچ طبقه", "internal": True}, headers,
                     status=201).json
    assert [(c["body"], c["internal"]) for c in body["comments"]] == [("در حال بررسی هستیم", False),
                                                                       ("احتمالا سوییچ طبقه", True)]
    version = body["version"]
    started = post_json(testapp, f"{url}/transitions", {"action": "start", "version": version}, headers).json
    assert started["status"] == "in_progress" and started["version"] > version
    refused = post_json(testapp, f"{url}/transitions", {"action": "close", "version": started["version"]}, headers,
                        status=400)
    assert_error(refused, 400, "invalid_transition")
    stale = post_json(testapp, f"{url}/transitions", {"action": "pend", "reason": "third_party", "version": version},
                      headers, status=409)
    assert_error(stale, 409, "conflict", "version")
    assert org.get(Ticket, ticket.id).status == "in_progress"
    agent2 = user(org, "it.agent2")
    assigned = post_json(testapp, f"{url}/assignment", {"assignee_id": agent2.id, "version": started["version"]},
                         headers).json
    assert assigned["assignee"] == {"id": agent2.id, "name": agent2.full_name}
    no_reason = post_json(testapp, f"{url}/assignment", {"team_id": team_id(org, "it", 2),
                                                         "version": assigned["version"]}, headers, status=400)
    assert_error(no_reason, 400, "reason_required", "reason")
    escalated = post_json(testapp, f"{url}/assignment", {"team_id": team_id(org, "it", 2), "reason": "نیاز به L2",
                                                         "version": assigned["version"]}, headers).json
    assert escalated["team"]["tier"] == 2 and escalated["assignee"] is None
    resolved = post_json(testapp, f"{url}/transitions", {"action": "resolve", "resolution_code": "solved",
                                                         "note": "سوییچ تعویض شد", "version": escalated["version"]},
                         headers).json
    assert resolved["status"] == "resolved" and resolved["resolution"] == {"code": "solved", "note": "سوییچ تعویض شد"}


def test_assignment_needs_one_target(testapp, org, desk):
    ticket = open_ticket(desk, org)
    url = f"/api/v1/tickets/{ticket.id}/assignment"
    headers = bearer(org, "agent")
    assert_error(post_json(testapp, url, {"version": ticket.version}, headers, status=400), 400, "invalid_input",
                 "assignee_id")
    both = {"assignee_id": user(org, "agent").id, "team_id": team_id(org, "it", 2), "reason": "x",
            "version": ticket.version}
    assert_error(post_json(testapp, url, both, headers, status=400), 400, "invalid_input", "assignee_id")
    hr_agent = {"assignee_id": user(org, "hr.desk").id, "version": ticket.version}
    assert_error(post_json(testapp, url, hr_agent, headers, status=400), 400, "invalid_assignee", "assignee_id")


def test_agent_reclassifies_with_patch(testapp, org, desk):
    ticket = open_ticket(desk, org)
    url = f"/api/v1/tickets/{ticket.id}"
    headers = bearer(org, "agent")
    changed = patch_json(testapp, url, {"impact": "high", "urgency": "high", "tags": ["فوری"],
                                        "version": ticket.version}, headers).json
    assert changed["priority"] == 1 and changed["tags"] == ["فوری"]
    assert_error(patch_json(testapp, url, {"priority": 4, "version": changed["version"]}, headers, status=400),
                 400, "invalid_input", "priority")
    assert_error(patch_json(testapp, url, {"subject": "دیر", "version": ticket.version - 1}, headers, status=409),
                 409, "conflict")


def test_requester_sees_no_internal_notes_and_no_staff_actions(testapp, org, desk):
    student = user(org, "student")
    ticket = open_ticket(desk, org, "education", requester_id=student.id, guest_name=None, guest_mobile=None)
    agent_desk = desk("edu.desk", "portal")
    agent_desk.comment(ticket, "مدارک شما کامل است")
    agent_desk.comment(ticket, "پرونده را به کارشناس ارشد بدهیم", internal=True)
    url = f"/api/v1/tickets/{ticket.id}"
    headers = bearer(org, "student")
    body = testapp.get(url, headers=headers).json
    assert [c["body"] for c in body["comments"]] == ["مدارک شما کامل است"]
    assert body["links"] == [] and "start" not in body["actions"]
    other = open_ticket(desk, org, "education")
    listed = testapp.get("/api/v1/tickets", {"status": "any"}, headers=headers).json["items"]
    assert [item["id"] for item in listed] == [ticket.id]
    note = post_json(testapp, f"{url}/comments", {"body": "یادداشت", "internal": True}, headers, status=403)
    assert_error(note, 403, "forbidden", "internal")
    assert_error(post_json(testapp, f"{url}/assignment", {"assignee_id": None, "version": ticket.version}, headers,
                           status=403), 403, "forbidden")
    assert_error(patch_json(testapp, url, {"subject": "x", "version": ticket.version}, headers, status=403),
                 403, "forbidden")
    start = post_json(testapp, f"{url}/transitions", {"action": "start", "version": ticket.version}, headers,
                      status=400)
    assert_error(start, 400, "invalid_transition")
    reply = post_json(testapp, f"{url}/comments", {"body": "ممنونم"}, headers, status=201).json
    assert reply["comments"][-1]["body"] == "ممنونم" and reply["comments"][-1]["channel"] == "api"
    assert_error(testapp.get(f"/api/v1/tickets/{other.id}", headers=headers, status=404), 404, "not_found")


def test_session_calls_need_the_csrf_header(testapp, org):
    log_in(testapp, "agent")
    data = {"subject": "تماس", "department_id": department_id(org, "it"),
            "requester": {"name": "رضا امینی", "mobile": GUEST_MOBILE}}
    refused = post_json(testapp, "/api/v1/tickets", data, {}, status=400)
    assert_error(refused, 400, "csrf")
    assert testapp.get("/api/v1/tickets").json == {"items": [], "next_cursor": None}  # reading needs no token
    token = json.loads(testapp.get("/workspace").html.body["hx-headers"])["X-CSRF-Token"]
    created = post_json(testapp, "/api/v1/tickets", data, {"X-CSRF-Token": token}, status=201).json
    assert created["channel"] == "api"


# --- guest tracking ------------------------------------------------------------------------------

def persian_code(code: str) -> str:
    """The code as a person types it in Persian, escaped for a URL path."""
    return quote(to_persian_digits(format_code(code)))


def test_guest_tracks_with_persian_digits(testapp, org, desk):
    ticket = open_ticket(desk, org)
    agent_desk = desk("agent", "portal")
    agent_desk.comment(ticket, "کابل شبکه اتاق شما تعویض می‌شود")
    agent_desk.comment(ticket, "شماره اموال سوییچ ۱۲۳", internal=True)
    response = testapp.get(f"/api/v1/track/{persian_code(ticket.tracking_code)}",
                           {"mobile": to_persian_digits(GUEST_MOBILE)})
    body = response.json
    assert body["tracking_code"] == ticket.tracking_code and body["status"] == "new"
    assert body["status_label"] == "جدید" and body["promised_at"]
    assert [u["body"] for u in body["updates"] if u["kind"] == "reply"] == ["کابل شبکه اتاق شما تعویض می‌شود"]
    assert "سوییچ" not in response.text and GUEST_MOBILE not in response.text and "رضا" not in response.text


def test_wrong_contact_and_unknown_code_look_the_same(testapp, org, desk):
    ticket = open_ticket(desk, org)
    wrong = testapp.get(f"/api/v1/track/{ticket.tracking_code}", {"mobile": "09350000000"}, status=404)
    other = open_ticket(desk, org)
    org.delete(other)
    org.flush()
    unknown = testapp.get(f"/api/v1/track/{other.tracking_code}", {"mobile": GUEST_MOBILE}, status=404)
    assert_error(wrong, 404, "not_found")
    assert wrong.json == unknown.json
    malformed = testapp.get(f"/api/v1/track/{ticket.tracking_code[:-1]}9", {"mobile": GUEST_MOBILE}, status="*")
    if malformed.status_int != 400:  # the changed last digit happened to be the right one
        malformed = testapp.get(f"/api/v1/track/{ticket.tracking_code[:-1]}x", {"mobile": GUEST_MOBILE}, status=400)
    assert_error(malformed, 400, "invalid_tracking_code", "code")
    assert_error(testapp.get(f"/api/v1/track/{ticket.tracking_code}", status=400), 400, "invalid_input", "mobile")


def test_tracking_is_rate_limited_per_address(testapp, org, desk, settings):
    ticket = open_ticket(desk, org)
    url = f"/api/v1/track/{ticket.tracking_code}"
    limit = int(settings["tickets.track_lookups_per_hour"])
    guesser = {"REMOTE_ADDR": "10.9.9.9"}
    for _attempt in range(limit):
        testapp.get(url, {"mobile": "09350000000"}, extra_environ=guesser, status=404)
    assert org.scalar(select(func.count()).select_from(TrackingLookup)) == limit
    blocked = testapp.get(url, {"mobile": GUEST_MOBILE}, extra_environ=guesser, status=429)
    assert_error(blocked, 429, "too_many_attempts")
    testapp.get(url, {"mobile": GUEST_MOBILE}, extra_environ={"REMOTE_ADDR": "10.8.8.8"}, status=200)


@pytest.mark.parametrize("language, expected", [("en", "Not found."), ("fa", None)])
def test_tracking_messages_are_translated(testapp, org, desk, language, expected):
    ticket = open_ticket(desk, org)
    error = testapp.get(f"/api/v1/track/{ticket.tracking_code}", {"email": "someone@example.com"},
                        headers={"Accept-Language": language}, status=404).json["error"]
    if expected:
        assert error["message"] == "No request matches this code and contact."
    else:
        assert not error["message"].isascii()
