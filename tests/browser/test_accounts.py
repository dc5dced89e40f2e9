"""Signing in and out through the forms, as the demo organization's people do."""
import re

import pytest

from tests.browser.support import PERSIAN_LETTERS, expect, in_persian, persian_catalog_installed

pytestmark = pytest.mark.browser

WRONG_CREDENTIALS = "The username or password is not correct."
THROTTLED = "Too many failed attempts. Please wait 15 minutes and try again."


def test_agent_logs_in_to_the_workspace_and_logs_out(page, log_in, live_server):
    log_in("agent")
    expect(page).to_have_url(f"{live_server}/workspace")
    expect(page.get_by_test_id("current-user")).to_have_text("سارا کریمی")
    expect(page.locator("main")).to_contain_text("سارا کریمی")  # the dashboard's welcome
    expect(page.locator("main").get_by_test_id("jalali-today")).to_be_visible()

    page.locator("form[action$='/logout'] button").click()
    expect(page).to_have_url(f"{live_server}/")
    expect(page.get_by_test_id("current-user")).to_have_count(0)
    expect(page.locator("a[href$='/login']")).to_be_visible()

    page.goto("/workspace")  # signed out for real: the workspace asks to log in again
    expect(page).to_have_url(re.compile(r"/login\?came_from=%2Fworkspace$"))


def test_administrator_sees_the_installed_email_plugin(page, log_in):
    log_in("admin")
    page.goto("/admin")
    page.locator("main a[href$='/admin/plugins']").click()
    table = page.get_by_test_id("plugins-table")
    expect(table).to_be_visible()
    email = table.locator("tbody tr[data-plugin='email']")
    expect(email).to_be_visible()
    expect(email.locator("td").first).to_have_text("email")
    expect(email).to_contain_text("pishkhan")  # the distribution it was installed from


def test_agent_may_not_open_the_plugin_administration(page, log_in):
    log_in("agent")
    response = page.goto("/admin/plugins")
    assert response.status == 403
    expect(page.get_by_test_id("error-page")).to_be_visible()
    expect(page.get_by_test_id("plugins-table")).to_have_count(0)


def expect_login_error(page, message: str):
    error = page.get_by_test_id("login-error")
    expect(error).to_be_visible()
    expect(error).to_have_text(in_persian(message))
    if persian_catalog_installed():
        assert re.search(PERSIAN_LETTERS, error.inner_text()), "the Persian catalog should translate this"
    expect(page.locator("body")).not_to_contain_text("Traceback")
    assert page.url.endswith("/login")


def test_wrong_password_shows_a_message_then_throttles(page, log_in):
    # student2 is not used by any other test: its failures are its own.
    log_in("student2", "not-the-password")
    expect_login_error(page, WRONG_CREDENTIALS)
    expect(page.locator("#username")).to_have_value("student2")  # kept for the next try
    expect(page.locator("#password")).to_have_value("")

    for _ in range(4):
        log_in("student2", "still-not-the-password", reload=False)
        expect_login_error(page, WRONG_CREDENTIALS)

    # After five failures even the right password is refused for a while.
    log_in("student2", reload=False)
    expect_login_error(page, THROTTLED)
    expect(page.get_by_test_id("current-user")).to_have_count(0)
