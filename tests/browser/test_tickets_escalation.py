"""A student's request escalates L1 → L2, is resolved there, and the student rates the service.

Each person signs in in turn in the same browser, as they would at their own desks: the student
submits on the portal, Sara of the IT front desk (``agent``, L1) escalates to general support
with a reason, Amirhossein of general support (``it.support``, L2) resolves it with a code and a
note, and the student rates it 5 with a comment.
"""
from __future__ import annotations

import re

import pytest

from tests.browser.support import choose_service, expect, in_persian, persian_digits

pytestmark = pytest.mark.browser

IT_DEPARTMENT = "مرکز فناوری اطلاعات و ارتباطات"
SERVICE = "پست الکترونیک دانشگاهی"  # plugins/it's catalog service, with its request form
L2_TEAM = "پشتیبانی عمومی فناوری اطلاعات"
SUBJECT = "صندوق پست الکترونیک دانشگاهی پر شده است"
REASON = "افزایش سهمیه صندوق نیاز به دسترسی سرور پست دارد"
NOTE = "سهمیه صندوق دو برابر شد و نامه‌ها دوباره می‌رسند"


def sign_in_as(page, log_in, username: str) -> None:
    page.context.clear_cookies()
    log_in(username)


def submit_request_as_student(page) -> int:
    page.goto("/requests/new")
    choose_service(page, IT_DEPARTMENT, SERVICE)  # htmx brings its services, then its request form
    page.get_by_label("شماره دانشجویی یا کد پرسنلی", exact=True).fill(persian_digits(40112345))
    page.get_by_label("درخواست پست الکترونیک", exact=True).select_option(label="افزایش فضای صندوق")
    page.get_by_label(in_persian("Subject"), exact=True).fill(SUBJECT)
    page.get_by_label(in_persian("Description"), exact=True).fill("از امروز صبح هیچ نامه‌ای دریافت نمی‌کنم.")
    with page.expect_navigation():
        page.get_by_test_id("submit-request").click()
    expect(page.get_by_test_id("receipt")).to_be_visible()
    return int(re.search(r"/requests/(\d+)/receipt", page.url).group(1))


def escalate_to_l2(page, ticket_id: int) -> None:
    page.goto(f"/desk/tickets/{ticket_id}")
    expect(page.get_by_test_id("ticket-subject")).to_have_text(SUBJECT)
    expect(page.get_by_test_id("ticket-tier")).to_have_text(in_persian("L1 · front desk"))
    page.get_by_text(in_persian("Escalate to another team or tier")).click()
    team = page.locator("#escalate-team")
    team.select_option(team.locator("option", has_text=L2_TEAM).get_attribute("value"))
    page.get_by_label(in_persian("Reason"), exact=True).first.fill(REASON)
    with page.expect_navigation():
        page.locator("[data-action=escalate]").click()
    l2 = in_persian("L2 · general support")
    expect(page.get_by_test_id("flash")).to_have_text(
        in_persian("The ticket was escalated to ${team} (${tier}).").replace("${team}", L2_TEAM).replace("${tier}", l2))
    expect(page.get_by_test_id("ticket-tier")).to_have_text(l2)
    expect(page.get_by_test_id("team")).to_contain_text(L2_TEAM)


def resolve_at_l2(page, ticket_id: int) -> None:
    page.goto(f"/desk/tickets/{ticket_id}")
    expect(page.get_by_test_id("ticket-tier")).to_have_text(in_persian("L2 · general support"))
    expect(page.locator("[data-testid=event][data-kind=escalated]")).to_contain_text(REASON)
    page.get_by_test_id("resolve-form").locator("summary").click()
    page.get_by_label(in_persian("Resolution code"), exact=True).select_option("solved")
    page.get_by_label(in_persian("Resolution note (the requester reads it)"), exact=True).fill(NOTE)
    with page.expect_navigation():
        page.locator("[data-action=resolve]").click()
    expect(page.locator("[data-testid=ticket-header] [data-status]")).to_have_text(in_persian("Resolved"))
    expect(page.get_by_test_id("resolution")).to_contain_text(NOTE)
    expect(page.get_by_test_id("resolution")).to_contain_text(in_persian("L2 · general support"))


def rate_as_student(page, ticket_id: int) -> None:
    page.goto(f"/requests/{ticket_id}")
    expect(page.get_by_test_id("ticket-status")).to_have_text(in_persian("Resolved"))
    expect(page.get_by_test_id("resolution")).to_contain_text(NOTE)
    form = page.get_by_test_id("rating-form")
    form.locator("#score-5").check()
    form.locator("#rating-comment").fill("سریع و دقیق رسیدگی شد، ممنونم")
    with page.expect_navigation():
        form.get_by_role("button", name=in_persian("Send my rating")).click()
    expect(page.get_by_test_id("flash")).to_have_text(in_persian("Thank you for rating our service."))
    expect(page.get_by_test_id("rating")).to_have_text(
        in_persian("You rated this request ${score} out of 5. Thank you!").replace("${score}", persian_digits(5)))


def test_a_request_escalates_from_l1_to_l2_is_resolved_and_rated(page, log_in):
    sign_in_as(page, log_in, "student")
    ticket_id = submit_request_as_student(page)

    sign_in_as(page, log_in, "agent")
    escalate_to_l2(page, ticket_id)

    sign_in_as(page, log_in, "it.support")
    resolve_at_l2(page, ticket_id)

    sign_in_as(page, log_in, "student")
    rate_as_student(page, ticket_id)

    # What the desk recorded: the tier that resolved it and the rating, on the agent's page.
    sign_in_as(page, log_in, "it.support")
    page.goto(f"/desk/tickets/{ticket_id}")
    expect(page.locator("[data-testid=event][data-kind=rated]")).to_contain_text(persian_digits(5))
