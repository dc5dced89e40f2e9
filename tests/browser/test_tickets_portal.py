"""A guest submits a request in Persian, keeps the receipt, and later follows it on /track."""
import re

import jdatetime
import pytest

from core.normalize import to_latin_digits, to_persian_digits
from plugins.tickets.tracking import format_code, new_code
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.support import choose_service, expect, in_persian, jalali_today

pytestmark = pytest.mark.browser

IT_DEPARTMENT = "مرکز فناوری اطلاعات و ارتباطات"
SERVICE = "پشتیبانی اینترنت و شبکه بی‌سیم"  # plugins/it's catalog service, with its request form
TYPED_SUBJECT = "اينترنت خوابگاه قطع است"  # Arabic ي, as some keyboards type it
SUBJECT = "اینترنت خوابگاه قطع است"
MOBILE = "09127654321"


def test_guest_submits_gets_a_receipt_and_tracks_it_with_persian_digits(page, browser, live_server):
    page.goto("/requests/new")
    expect(page.locator("h1")).to_have_text(in_persian("New request"))
    choose_service(page, IT_DEPARTMENT, SERVICE)  # htmx brings its services, then its request form
    page.get_by_label("ساختمان", exact=True).select_option(label="خوابگاه‌ها")
    page.get_by_label("نوع اتصال", exact=True).select_option(label="اینترنت خوابگاه")
    page.get_by_label("دامنه مشکل", exact=True).select_option(label="همه ساختمان")
    page.get_by_label(in_persian("Kind of request"), exact=True).select_option("incident")
    page.get_by_label(in_persian("High"), exact=True).check()
    page.get_by_label(in_persian("Subject"), exact=True).fill(TYPED_SUBJECT)
    page.get_by_label(in_persian("Description"), exact=True).fill("از دیشب هیچ دستگاهی به شبکه بی‌سیم وصل نمی‌شود.")
    page.get_by_label(in_persian("Full name"), exact=True).fill("رضا محمدی")
    page.locator("#guest_mobile").fill(to_persian_digits(MOBILE))
    with page.expect_navigation():
        page.get_by_test_id("submit-request").click()

    receipt = page.get_by_test_id("receipt")
    expect(receipt).to_be_visible()
    expect(receipt.locator("h1")).to_have_text(in_persian("Receipt"))
    expect(page.get_by_test_id("receipt-service")).to_have_text(SERVICE)
    expect(page.get_by_test_id("receipt-subject")).to_have_text(SUBJECT)
    shown_code = page.get_by_test_id("tracking-code").inner_text()
    assert re.fullmatch("[۰-۹]{4}-[۰-۹]{3}-[۰-۹]{4}", shown_code), shown_code
    assert_a_jalali_day_from_today_on(page.get_by_test_id("promised-date").inner_text())
    expect(page.get_by_test_id("print-receipt")).to_be_visible()

    # Later, in another browser: only the code from the receipt and the mobile number.
    code = to_latin_digits(shown_code).replace("-", "")
    context = browser.new_context(locale="fa-IR", timezone_id="Asia/Tehran", base_url=live_server)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        other = context.new_page()
        other.goto("/track")
        other.get_by_label(in_persian("Tracking code")).fill(to_persian_digits(f"{code[:4]} {code[4:7]}-{code[7:]}"))
        other.get_by_label(in_persian("Mobile or e-mail")).fill(to_persian_digits(MOBILE))
        with other.expect_navigation():
            other.get_by_test_id("track-submit").click()
        expect(other.get_by_test_id("ticket-subject")).to_have_text(SUBJECT)
        expect(other.get_by_test_id("ticket-status")).to_have_text(in_persian("New"))
        expect(other.get_by_test_id("tracking-code").first).to_have_text(shown_code)
    finally:
        context.close()


def test_a_mistyped_code_is_explained_on_the_tracking_page(page):
    page.goto("/track")
    code = new_code()
    mistyped = code[:-1] + str((int(code[-1]) + 1) % 10)  # a wrong check digit
    page.get_by_label(in_persian("Tracking code")).fill(to_persian_digits(format_code(mistyped)))
    page.get_by_label(in_persian("Mobile or e-mail")).fill(MOBILE)
    page.get_by_test_id("track-submit").click()
    expect(page.get_by_test_id("error-code")).to_have_text(
        in_persian("This is not a valid tracking code — check the digits."))


def assert_a_jalali_day_from_today_on(text: str) -> None:
    """``۱۲ آذر ۱۴۰۵``: Persian digits, a Jalali month's name, and not before today."""
    match = re.fullmatch(r"([۰-۹]{1,2}) (\S+) ([۰-۹]{4})", text)
    assert match, f"not a long Jalali date: {text!r}"
    months = jdatetime.date.j_months_fa
    assert match.group(2) in months, text
    promised = jdatetime.date(int(to_latin_digits(match.group(3))), months.index(match.group(2)) + 1,
                              int(to_latin_digits(match.group(1))))
    assert promised >= jalali_today(), text
