"""A student's certificate of enrollment, from the catalog to the resolved request: the identity
card, the service's own form with a Jalali date, routing to education's front desk, the approval,
the fulfilment task, and the receipt's promised date taken from the identity card."""
from __future__ import annotations

from datetime import UTC, date, datetime, time

import jdatetime
import pytest

from core.demo import DEMO_PASSWORD
from core.normalize import to_latin_digits
from plugins.education.department import FRONT_DESK
from plugins.education.rules import CALENDARS
from plugins.education.services import ENROLMENT_CERTIFICATE
from plugins.tickets.sla.calendar import BusinessCalendar, CalendarVersion, WeeklyHours, iranian_holidays
from tests.browser.support import expect, in_persian, jalali_today, persian_digits

pytestmark = pytest.mark.browser

SERVICE_ID = ENROLMENT_CERTIFICATE.service_id
TITLE = "گواهی اشتغال به تحصیل"
SUBJECT = "گواهی اشتغال به تحصیل برای نظام وظیفه"


def signed_in(browser, live_server, username: str):
    """A page of its own (cookies and all) for ``username``, signed in through the login form."""
    context = browser.new_context(locale="fa-IR", timezone_id="Asia/Tehran", base_url=live_server)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    return page


def promised_after(start: datetime, business_days: int) -> jdatetime.date:
    """The Jalali day ``business_days`` working days after ``start`` on education's calendar."""
    hours = CALENDARS[0].hours
    calendar = BusinessCalendar(
        versions=(CalendarVersion(date(2000, 1, 1), WeeklyHours({
            day: [(time.fromisoformat(a), time.fromisoformat(b)) for a, b in intervals]
            for day, intervals in hours.items()})),),
        holidays=frozenset(iranian_holidays(range(start.year - 1, start.year + 2))),
    )
    local = calendar.add_working_days(start, business_days).astimezone(calendar._zone)
    return jdatetime.date.fromgregorian(date=local.date())


def long_jalali(day: jdatetime.date) -> str:
    return f"{persian_digits(day.day)} {day.j_months_fa[day.month - 1]} {persian_digits(day.year)}"


def test_a_student_asks_for_a_certificate_of_enrollment_from_the_catalog_until_it_is_resolved(
        browser, live_server):
    student = signed_in(browser, live_server, "student")

    # The catalog, searched with an Arabic yeh as many keyboards type it.
    student.goto("/catalog")
    student.get_by_test_id("catalog-search").locator("input[name=q]").fill("گواهي اشتغال")
    student.get_by_test_id("catalog-search").locator("input[name=q]").press("Enter")
    row = student.get_by_test_id("catalog-service").filter(has_text=TITLE)
    expect(row.get_by_test_id("service-id")).to_have_text(persian_digits(SERVICE_ID))
    row.get_by_test_id("service-title").click()

    # The service page, then its identity card.
    expect(student.get_by_test_id("service-title")).to_have_text(TITLE)
    student.get_by_test_id("card-link").click()
    expect(student.get_by_test_id("card-service-id")).to_contain_text(persian_digits(SERVICE_ID))
    expect(student.get_by_test_id("card-duration")).to_contain_text(persian_digits(ENROLMENT_CERTIFICATE.duration_days))
    student.go_back()

    # The request form: the page's fields and the service's own, a Jalali date in Persian digits.
    student.get_by_test_id("request-service").click()
    fields = student.get_by_test_id("request-form-fields")
    expect(fields).to_contain_text("شماره دانشجویی")
    expect(student.locator("#service")).to_have_value(ENROLMENT_CERTIFICATE.key)
    student.locator("#subject").fill(SUBJECT)
    student.locator("#description").fill("برای ارائه به اداره نظام وظیفه جهت معافیت تحصیلی نیاز دارم.")
    fields.get_by_label("شماره دانشجویی").fill("۴۰۱۱۲۳۴۵۶۷")
    fields.get_by_label("گواهی خطاب به").select_option("نظام وظیفه")
    fields.get_by_label("زبان گواهی").select_option("فارسی")
    needed_by = jalali_today() + jdatetime.timedelta(days=10)
    fields.get_by_label("تاریخ مورد نیاز").fill(
        persian_digits(f"{needed_by.year:04d}/{needed_by.month:02d}/{needed_by.day:02d}"))
    fields.get_by_label("تاریخ مورد نیاز").press("Escape")  # close the picker, keep the typed date
    before = datetime.now(UTC)
    with student.expect_navigation():
        student.get_by_test_id("submit-request").click()
    after = datetime.now(UTC)

    # The receipt: the service, and the promised date from the card's average time (3 working days).
    receipt = student.get_by_test_id("receipt")
    expect(receipt.get_by_test_id("receipt-service")).to_have_text(TITLE)
    promised = receipt.get_by_test_id("promised-date").inner_text()
    assert promised in {long_jalali(promised_after(before, ENROLMENT_CERTIFICATE.duration_days)),
                        long_jalali(promised_after(after, ENROLMENT_CERTIFICATE.duration_days))}, promised
    tracking_code = to_latin_digits(receipt.get_by_test_id("tracking-code").first.inner_text()).replace("-", "")
    student.get_by_test_id("view-request").click()
    request_url = student.url
    expect(student.get_by_test_id("ticket-status")).to_have_text(in_persian("Pending"))

    # Education's front desk has it, waiting for the service owner's approval.
    desk = signed_in(browser, live_server, "edu.desk")
    desk.goto("/desk/tickets?q=" + tracking_code)
    desk.get_by_role("link", name=SUBJECT).first.click()
    ticket_url = desk.url
    expect(desk.locator("main")).to_contain_text(FRONT_DESK.name)
    expect(desk.get_by_test_id("form-value").filter(has_text="نظام وظیفه")).to_have_count(1)
    expect(desk.get_by_test_id("form-value").filter(has_text=persian_digits(needed_by.year))).to_have_count(1)
    expect(desk.get_by_test_id("task-form")).to_have_count(0)  # no task before the approval

    # The service owner approves it from "My approvals".
    owner = signed_in(browser, live_server, ENROLMENT_CERTIFICATE.approvals[0].username)
    owner.goto("/desk/approvals")
    owner.get_by_test_id("approval-row").filter(has_text=SUBJECT).get_by_role("link").first.click()
    owner.get_by_test_id("approve").click()
    owner.goto("/desk/approvals")
    expect(owner.get_by_test_id("approval-row").filter(has_text=SUBJECT)).to_have_count(0)

    # The front desk does the fulfilment task; the last task done resolves the request.
    desk.goto(ticket_url)
    expect(desk.get_by_test_id("task")).to_have_count(len(ENROLMENT_CERTIFICATE.tasks))
    for _task in ENROLMENT_CERTIFICATE.tasks:
        desk.get_by_test_id("task-form").first.locator("input[name=note]").fill("گواهی صادر و امضا شد.")
        with desk.expect_navigation():
            desk.get_by_test_id("task-done").first.click()
    expect(desk.get_by_test_id("task").filter(has=desk.locator("[data-done=no]"))).to_have_count(0)

    student.goto(request_url)
    expect(student.get_by_test_id("ticket-status")).to_have_text(in_persian("Resolved"))
    for page in (student, desk, owner):
        page.context.close()
