"""Canned responses (/desk/canned-responses): team leads write their departments' replies, agents
read them and insert them on the ticket page, administrators write the organization-wide ones."""
from __future__ import annotations

from sqlalchemy import select

from core.models import Department
from core.testing import csrf_token, log_in
from plugins.tickets.models import CannedResponse

URL = "/desk/canned-responses"
BODY = "سلام، لطفاً مرورگر را یک بار ببندید و دوباره وارد سامانه شوید.\nاگر درست نشد همین‌جا بنویسید."


def department_id(dbsession, code: str) -> int:
    return dbsession.scalar(select(Department.id).where(Department.code == code))


def add(dbsession, code: str | None, title: str) -> CannedResponse:
    canned = CannedResponse(department_id=department_id(dbsession, code) if code else None, title=title, body=BODY)
    dbsession.add(canned)
    dbsession.flush()
    return canned


def titles(page) -> list[str]:
    return [heading.get_text(strip=True) for heading in page.html.select("[data-canned] h3")]


def fill(form, department, title, body=BODY):
    form["department"] = str(department)
    form["title"] = title
    form["body"] = body
    return form


def test_a_team_lead_adds_a_reply_for_their_department_and_agents_use_it(testapp, org, dbsession):
    log_in(testapp, "it.lead")
    form = testapp.get(URL).forms["canned"]
    options = [value for value, _selected, _text in form["department"].options]
    assert str(department_id(dbsession, "it")) in options
    assert "" not in options and str(department_id(dbsession, "hr")) not in options  # neither everyone's nor HR's

    saved = fill(form, department_id(dbsession, "it"), "ورود دوباره به سامانه").submit("save", status=303).follow()
    assert "پاسخ آماده «ورود دوباره به سامانه» افزوده شد." in saved.text
    assert "ورود دوباره به سامانه" in titles(saved)

    testapp.reset()
    log_in(testapp, "agent")
    page = testapp.get(URL)
    assert "ورود دوباره به سامانه" in titles(page)
    assert "canned" not in page.forms and not page.html.select("[data-canned] form")  # agents only read


def test_a_refused_reply_keeps_what_was_typed(testapp, org, dbsession):
    log_in(testapp, "it.lead")
    form = fill(testapp.get(URL).forms["canned"], department_id(dbsession, "it"), "")
    refused = form.submit("save", status=400)
    assert refused.forms["canned"]["body"].value == BODY
    assert dbsession.scalar(select(CannedResponse).where(CannedResponse.body == BODY)) is None


def test_a_team_lead_cannot_write_another_departments_or_everyones(testapp, org, dbsession):
    hr_reply = add(dbsession, "hr", "پاسخ منابع انسانی")
    everyones = add(dbsession, None, "پاسخ همگانی")
    log_in(testapp, "it.lead")
    page = testapp.get(URL)
    assert "پاسخ منابع انسانی" not in titles(page) and "پاسخ همگانی" in titles(page)
    assert not page.html.select(f"[data-canned='{everyones.id}'] form")

    forged = fill(page.forms["canned"], department_id(dbsession, "it"), "x")
    forged.fields["department"][0].force_value(str(department_id(dbsession, "hr")))
    assert "یکی از گزینه‌های فهرست را انتخاب کنید." in forged.submit("save", status=400).text
    testapp.get(URL, {"edit": hr_reply.id}, status=404)
    testapp.post(URL, {"csrf_token": csrf_token(testapp), "action": "delete", "id": everyones.id}, status=404)
    assert dbsession.scalar(select(CannedResponse.id).where(CannedResponse.id == everyones.id)) is not None


def test_an_administrator_edits_and_deletes_everyones_reply(testapp, org, dbsession):
    everyones = add(dbsession, None, "پاسخ همگانی")
    log_in(testapp, "admin")
    form = testapp.get(URL, {"edit": everyones.id}).forms["canned"]
    assert form["department"].value == "" and form["title"].value == "پاسخ همگانی"
    form["title"] = "پیگیری درخواست با کد رهگیري"  # Arabic yeh, stored Persian
    form.submit("save", status=303)
    dbsession.refresh(everyones)
    assert everyones.title == "پیگیری درخواست با کد رهگیری" and everyones.department_id is None

    testapp.post(URL, {"csrf_token": csrf_token(testapp), "action": "delete", "id": everyones.id}, status=303)
    assert dbsession.scalar(select(CannedResponse.id).where(CannedResponse.id == everyones.id)) is None


def test_deleting_needs_the_csrf_token(testapp, org, dbsession):
    reply = add(dbsession, "it", "پاسخ فناوری")
    log_in(testapp, "it.lead")
    testapp.post(URL, {"action": "delete", "id": reply.id}, status=400)
    assert dbsession.scalar(select(CannedResponse.id).where(CannedResponse.id == reply.id)) is not None
