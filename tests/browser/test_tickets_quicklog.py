"""A front-desk agent logs a phone call and resolves it on first contact, by keyboard only."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from core.normalize import to_latin_digits
from tests.browser.support import expect, in_persian, persian_digits

pytestmark = pytest.mark.browser


@pytest.fixture
def live_database(live_server, tmp_path_factory):
    """The live server's SQLite database, which conftest creates in a ``browser-db`` folder of this
    session's temporary directory (pytest also links it as ``browser-dbcurrent``)."""
    [path] = {path.resolve() for path in Path(tmp_path_factory.getbasetemp()).glob("browser-db*/pishkhan.sqlite")}
    engine = create_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


def test_agent_logs_a_phone_call_and_resolves_it_on_first_contact(page, log_in, live_database):
    with live_database.connect() as connection:
        mobile, name = connection.execute(
            text("SELECT mobile, full_name FROM core_users WHERE username = 'student'")
        ).one()
    log_in("agent")
    page.locator("nav a", has_text=in_persian("Log a contact")).click()

    search = page.locator("#q")
    expect(search).to_be_focused()
    page.keyboard.type(persian_digits(mobile))
    expect(page.locator("[data-person^='user:']", has_text=name)).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("[data-person^='user:'] input")).to_be_checked()

    service = page.locator("#service_key")
    expect(service).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(service).not_to_have_value("")
    for _field in ("type", "impact", "urgency", "subject"):
        page.keyboard.press("Tab")
    expect(page.locator("#subject")).to_be_focused()
    page.keyboard.type("فراموشی گذرواژه سامانه گلستان")
    page.keyboard.press("Tab")
    page.keyboard.type("دانشجو تماس گرفت و نمی‌توانست وارد سامانه شود")
    page.keyboard.press("Tab")
    expect(page.locator("#resolution_code")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.type("گذرواژه بازنشانی شد و دانشجو وارد شد")
    page.keyboard.press("Alt+s")

    banner = page.get_by_test_id("quicklog-success")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(in_persian("Resolved on first contact and recorded."))
    code = to_latin_digits(banner.get_by_test_id("tracking-code").inner_text()).replace("-", "")
    expect(page.locator("#q")).to_be_focused()
    expect(page.locator("#subject")).to_have_value("")

    with live_database.connect() as connection:
        ticket = connection.execute(
            text("SELECT status, channel, first_contact_resolution, resolved_tier, subject "
                 "FROM tickets_tickets WHERE tracking_code = :code"), {"code": code}
        ).one()
    assert ticket.status == "resolved"
    assert ticket.channel == "phone"
    assert ticket.first_contact_resolution and ticket.resolved_tier == 1
    assert ticket.subject == "فراموشی گذرواژه سامانه گلستان"


def test_a_refused_contact_keeps_what_was_typed_and_focuses_the_field_to_fix(page, log_in):
    log_in("agent")
    page.goto("/desk/contact")
    expect(page.locator("#q")).to_be_focused()  # autofocus lands at the next rendering, after load
    page.keyboard.type("رستمي")  # Arabic yeh, as some keyboards type it
    expect(page.locator("[data-person^='user:']").first).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.keyboard.press("Alt+h")  # no service and no subject yet

    expect(page.get_by_test_id("quicklog-errors")).to_be_visible()
    expect(page.locator("#subject")).to_have_class(re.compile("is-invalid"))
    expect(page.locator(".is-invalid").first).to_be_focused()
    expect(page.locator("#q")).to_have_value("رستمي")
    expect(page.locator("[data-person^='user:'] input:checked")).to_have_count(1)
