"""The Jalali date picker (``core/static/jalali.js``) on the first form that has a Jalali date field."""
import re

import pytest

from tests.browser.support import expect, jalali_today, persian_digits

pytestmark = pytest.mark.browser

FORM_WITH_A_DATE = "/admin/users/new"
# The input ``core.forms.JalaliDateWidget`` renders; ``.jalali-picker`` is styled in pishkhan.css.
JALALI_INPUT = "input[data-jalali-date], input.jalali-date, input[data-widget='jalali-date']"
JALALI_DATE = re.compile(r"^[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2}$")


def test_picking_a_day_fills_in_a_jalali_date_with_persian_digits(page, log_in):
    log_in("admin")
    response = page.goto(FORM_WITH_A_DATE)
    if response.status == 404:
        pytest.skip(f"{FORM_WITH_A_DATE} does not exist yet")
    assert response.ok, f"{FORM_WITH_A_DATE} answered {response.status}"
    field = page.locator(JALALI_INPUT).first
    if field.count() == 0:
        pytest.skip(f"{FORM_WITH_A_DATE} has no Jalali date field yet")

    field.click()
    picker = page.locator(".jalali-picker")
    expect(picker).to_be_visible()
    today = jalali_today()
    expect(picker).to_contain_text(today.j_months_fa[today.month - 1])
    expect(picker).to_contain_text(persian_digits(today.year))

    picker.locator("button.day").filter(has_text=re.compile(f"^{persian_digits(1)}$")).first.click()
    expect(field).to_have_value(JALALI_DATE)
    assert field.input_value() == persian_digits(f"{today.year:04d}/{today.month:02d}/01")
