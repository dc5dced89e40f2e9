from datetime import UTC, date, datetime

import pytest

from core.i18n import format_date, format_datetime, format_number, parse_jalali_date


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


@pytest.mark.parametrize("typed", ["۱۴۰۵/۰۹/۰۳", "1405/9/3", "1405-09-03", "١٤٠٥/٠٩/٠٣"])
def test_parse_jalali_date_in_any_digits(typed):
    assert parse_jalali_date(typed) == date(2026, 11, 24)


@pytest.mark.parametrize("typed", ["1405/13/01", "1405/12/31", "hello", "1405/09", ""])
def test_parse_jalali_date_refuses_impossible_dates(typed):
    with pytest.raises(ValueError):
        parse_jalali_date(typed)


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
