"""The Jalali date picker (``core/static/jalali.js``): it opens on every input marked
``data-jalali-date`` (what ``core.forms.JalaliDateWidget`` renders) on any page."""
import datetime
import re

import jdatetime
import pytest

from tests.browser.support import expect, jalali_today, persian_digits

pytestmark = pytest.mark.browser

JALALI_INPUT = "input[data-jalali-date]"
JALALI_DATE = re.compile(r"^[۰-۹]{4}/[۰-۹]{2}/[۰-۹]{2}$")


def as_shown(day: jdatetime.date) -> str:
    return persian_digits(f"{day.year:04d}/{day.month:02d}/{day.day:02d}")


def month_length(day: jdatetime.date) -> int:
    return jdatetime.j_days_in_month[day.month - 1] + (1 if day.month == 12 and day.isleap() else 0)


def add_marked_input(page):
    """A bare input carrying the widget's marker, for pages that have no date field yet."""
    page.evaluate(
        """() => {
             const input = document.createElement("input");
             input.id = "a-date";
             input.className = "form-control";
             input.setAttribute("data-jalali-date", "");
             document.querySelector("main").prepend(input);
           }"""
    )
    return page.locator("#a-date")


def test_picker_by_mouse_and_by_keyboard(page):
    page.goto("/")
    field = add_marked_input(page)
    today = jalali_today()
    first_of_month = today.replace(day=1)

    field.click()
    picker = page.locator(".jalali-picker")
    expect(picker).to_be_visible()
    expect(picker).to_contain_text(f"{today.j_months_fa[today.month - 1]} {persian_digits(today.year)}")
    expect(picker.locator("button.day")).to_have_count(month_length(today))
    expect(picker.locator("button.day[aria-current=date]")).to_have_text(persian_digits(today.day))

    picker.locator("button.day[data-day='1']").click()
    expect(field).to_have_value(as_shown(first_of_month))
    expect(picker).to_have_count(0)
    expect(field).to_be_focused()  # the calendar never takes the focus: typing still works

    # Keyboard only: open, one day on (the grid is right to left, so ArrowLeft), Enter.
    field.press("ArrowDown")
    expect(picker).to_be_visible()
    field.press("ArrowLeft")
    field.press("Enter")
    expect(field).to_have_value(as_shown(first_of_month + datetime.timedelta(days=1)))
    expect(picker).to_have_count(0)

    field.press("ArrowDown")
    field.press("Escape")
    expect(picker).to_have_count(0)


def test_picker_calendar_agrees_with_jdatetime_around_every_nowruz(page):
    """The script's arithmetic against jdatetime: the last days of Esfand (leap years or not)
    and the first of Farvardin, 1350 to 1450."""
    page.goto("/")
    page.wait_for_function("window.PishkhanJalali !== undefined")
    days = []
    for year in range(1350, 1451):
        nowruz = jdatetime.date(year, 1, 1)
        days += [nowruz - datetime.timedelta(days=2), nowruz - datetime.timedelta(days=1), nowruz]
    gregorian = [day.togregorian() for day in days]
    results = page.evaluate(
        """dates => dates.map(([year, month, day]) => {
             const jalali = PishkhanJalali.fromGregorian(year, month, day);
             const back = PishkhanJalali.toGregorian(jalali);
             return [[jalali.year, jalali.month, jalali.day], [back.year, back.month, back.day]];
           })""",
        [[g.year, g.month, g.day] for g in gregorian],
    )
    mismatches = [
        (str(g), (j.year, j.month, j.day), tuple(shown), tuple(back))
        for g, j, (shown, back) in zip(gregorian, days, results, strict=True)
        if tuple(shown) != (j.year, j.month, j.day) or tuple(back) != (g.year, g.month, g.day)
    ]
    assert not mismatches, mismatches[:5]
