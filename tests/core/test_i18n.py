from datetime import UTC, date, datetime

import pytest
from markupsafe import Markup, escape

from core.i18n import (
    ImpossibleDate,
    format_date,
    format_datetime,
    format_number,
    list_separator,
    parse_jalali_date,
    text_digits,
)


def test_jalali_date_with_persian_digits():
    assert format_date(date(2026, 11, 24)) == "۱۴۰۵/۰۹/۰۳"
    assert format_date(date(2026, 11, 24), long=True) == "۳ آذر ۱۴۰۵"


def test_english_keeps_gregorian():
    assert format_date(date(2026, 11, 24), "en") == "2026-11-24"


def test_times_are_shown_in_tehran():
    # 21:00 UTC on 20 March 2026 is already 00:30 on 1 Farvardin 1405 in Tehran.
    moment = datetime(2026, 3, 20, 21, 0, tzinfo=UTC)
    assert format_datetime(moment) == "۱۴۰۵/۰۱/۰۱ ۰۰:۳۰"
    assert format_datetime(moment, "en") == "2026-03-21 00:30"


def test_numbers_use_persian_digits_and_separator():
    assert format_number(1250000) == "۱٬۲۵۰٬۰۰۰"
    assert format_number(1250000, "en") == "1,250,000"


@pytest.mark.parametrize(("text", "persian", "english"), [
    ("طبقه 2، اتاق 214", "طبقه ۲، اتاق ۲۱۴", "طبقه 2، اتاق 214"),
    ("۰۹۱۲۱۲۳۴۵۶۷", "۰۹۱۲۱۲۳۴۵۶۷", "09121234567"),
    # Words with Latin letters keep their digits: they must work when copied, and read as one script.
    ("ali.1402@uni.ac.ir", "ali.1402@uni.ac.ir", "ali.1402@uni.ac.ir"),
    ("https://lms.uni.ac.ir/course/2140 درس 3", "https://lms.uni.ac.ir/course/2140 درس ۳",
     "https://lms.uni.ac.ir/course/2140 درس 3"),
    ("PC-1402 در اتاق 12", "PC-1402 در اتاق ۱۲", "PC-1402 در اتاق 12"),
])
def test_running_text_reads_in_the_readers_digits(text, persian, english):
    assert text_digits(text, "fa") == persian
    assert text_digits(text, "en") == english


def test_a_long_word_without_spaces_is_read_once():
    assert text_digits("۱" * 50_000 + " a1", "en") == "1" * 50_000 + " a1"


@pytest.mark.parametrize(("html", "persian", "english"), [
    # A search snippet: the text converts, the tags do not.
    (Markup("اتاق <mark>204</mark> طبقه 2"), "اتاق <mark>۲۰۴</mark> طبقه ۲", "اتاق <mark>204</mark> طبقه 2"),
    # A tag inside a word does not split it: «PC-1402» keeps its digits.
    (Markup("PC-<mark>1402</mark> و <mark>اتاق</mark> 12"), "PC-<mark>1402</mark> و <mark>اتاق</mark> ۱۲",
     "PC-<mark>1402</mark> و <mark>اتاق</mark> 12"),
    # Character references keep their digits: «&#39;» is an apostrophe, not the number 39.
    (escape("«اتاق 2» 'x' & \"3\" <b>"), "«اتاق ۲» &#39;x&#39; &amp; &#34;۳&#34; &lt;b&gt;",
     "«اتاق 2» &#39;x&#39; &amp; &#34;3&#34; &lt;b&gt;"),
    (Markup('<a href="/kb/12" title="12">مقاله ۱۲</a>'), '<a href="/kb/12" title="12">مقاله ۱۲</a>',
     '<a href="/kb/12" title="12">مقاله 12</a>'),
])
def test_safe_html_stays_safe_and_only_its_text_converts(html, persian, english):
    assert text_digits(html, "fa") == Markup(persian) and isinstance(text_digits(html, "fa"), Markup)
    assert text_digits(html, "en") == Markup(english) and isinstance(text_digits(html, "en"), Markup)


def test_lists_are_separated_by_the_readers_comma():
    assert list_separator("en") == ", "
    assert list_separator("fa") == "، "


@pytest.mark.parametrize("typed", ["۱۴۰۵/۰۹/۰۳", "1405/9/3", "1405-09-03", "١٤٠٥/٠٩/٠٣"])
def test_parse_jalali_date_in_any_digits(typed):
    assert parse_jalali_date(typed) == date(2026, 11, 24)


@pytest.mark.parametrize("typed", ["1405/13/01", "1405/12/31", "hello", "1405/09", ""])
def test_parse_jalali_date_refuses_impossible_dates(typed):
    with pytest.raises(ValueError):
        parse_jalali_date(typed)


@pytest.mark.parametrize(("typed", "expected"), [
    ("\u200f۱۴۰۵/۰۹/۰۳\u200e", date(2026, 11, 24)),  # direction marks pasted from right-to-left text
    ("1405 / 09 / 03", date(2026, 11, 24)),
    ("1403/12/30", date(2025, 3, 20)),  # 1403 is a leap year
    ("1404/06/31", date(2025, 9, 22)),  # months 1–6 have 31 days
    ("1404/11/30", date(2026, 2, 19)),  # months 7–11 have 30
])
def test_parse_jalali_date_reads_what_people_paste(typed, expected):
    assert parse_jalali_date(typed) == expected


@pytest.mark.parametrize(("typed", "reason"), [
    ("1404/12/30", "that month has 29 days"),  # 1404 is a common year: Esfand ends on the 29th
    ("۱۴۰۳/۰۷/۳۱", "that month has 30 days"),
    ("١٤٠٤/١٣/٠١", "There is no month 13"),
    ("1404/00/10", "There is no month 0"),
    ("1404/01/00", "that month has 31 days"),
    ("05/09/03", "four digits"),  # not the year 5 (626 in the Gregorian calendar)
    ("3/9/14", "four digits"),
])
def test_impossible_jalali_dates_say_why(typed, reason):
    with pytest.raises(ImpossibleDate) as refused:
        parse_jalali_date(typed)
    message = refused.value.message
    assert isinstance(refused.value, ValueError)  # callers catching ValueError still do
    assert reason in message.interpolate()


def test_remembered_translations_keep_each_mapping_and_domain():
    from pyramid.i18n import make_localizer
    from pyramid.path import AssetResolver

    from core.i18n import RememberingLocalizer, _

    made = make_localizer("fa", [AssetResolver().resolve("core:locale").abspath()])
    localizer = RememberingLocalizer("fa", made.translations)
    assert localizer.translate(_("Tickets")) == localizer.translate(_("Tickets")) == "درخواست‌ها"
    assert localizer.translate("Tickets") == "Tickets"  # a plain string of no domain is not a message
    assert localizer.translate("Tickets", domain="pishkhan") == "درخواست‌ها"
    updated = "${count} tickets were updated."
    assert localizer.translate(_(updated, mapping={"count": "۲"})) == "۲ درخواست به‌روز شد."
    assert localizer.translate(_(updated, mapping={"count": "۳"})) == "۳ درخواست به‌روز شد."
    assert localizer.translate(_(updated), mapping={"count": "۴"}) == "۴ درخواست به‌روز شد."
