"""What the browser tests expect to read: Jalali dates and the messages of the Persian catalog.

Test modules take Playwright's ``expect`` from here, so a missing playwright package skips them
(outside CI) instead of breaking collection.
"""
from __future__ import annotations

import gettext
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import jdatetime
import pytest

from core.testing import IN_CI

try:
    from playwright.sync_api import expect
except ImportError:  # a developer without the testing extras; CI installs them
    if IN_CI:
        raise
    pytest.skip('the playwright package is not installed: pip install -e ".[testing]"', allow_module_level=True)

__all__ = ["PERSIAN_LETTERS", "choose_service", "expect", "in_persian", "jalali_today", "persian_catalog_installed",
           "persian_digits"]

PERSIAN_CATALOG = Path(__file__).resolve().parents[2] / "core" / "locale" / "fa" / "LC_MESSAGES" / "pishkhan.mo"
PERSIAN_LETTERS = r"[\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc]"
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def jalali_today() -> jdatetime.date:
    """Today in Tehran, in the Jalali calendar (computed by jdatetime, not by the application)."""
    return jdatetime.date.fromgregorian(date=datetime.now(ZoneInfo("Asia/Tehran")).date())


def persian_digits(value) -> str:
    return str(value).translate(PERSIAN_DIGITS)


def persian_catalog_installed() -> bool:
    """The compiled catalog the application reads (``make`` compiles it from the ``.po``)."""
    return PERSIAN_CATALOG.exists()


def in_persian(message: str) -> str:
    """What a Persian reader sees for ``message``: its translation, or the English text without one."""
    if not persian_catalog_installed():
        return message
    with PERSIAN_CATALOG.open("rb") as catalog:
        return gettext.GNUTranslations(catalog).gettext(message)


def choose_service(page, department: str, service: str) -> None:
    """Choose a department, then one of its services, on the new-request page, and wait for the
    service's request form. htmx replaces the service list when the department changes: a choice
    made before it has settled (and wired the new list) would ask for no form."""
    page.get_by_label(in_persian("Department"), exact=True).select_option(label=department)
    services = page.get_by_label(in_persian("Service"), exact=True)
    expect(services).to_be_enabled()
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
    services.select_option(label=service)
    expect(page.get_by_test_id("request-form-fields")).to_contain_text(service)
