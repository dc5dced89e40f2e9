"""Guests follow a request on /track with its tracking code and their mobile or e-mail."""
from __future__ import annotations

import pytest
import webtest
from sqlalchemy import func, select

from core.app import make_app
from core.normalize import to_persian_digits
from core.testing import counted_statements, csrf_token
from plugins.tickets.models import TrackingLookup
from plugins.tickets.tracking import format_code
from tests.plugins.tickets.portal_support import open_ticket, persian

LIMIT = 3


@pytest.fixture
def app(tickets_plugin, app_settings, pluginmanager, engine):
    return make_app({**app_settings, "tickets.track_lookups_per_hour": str(LIMIT)}, pluginmanager=pluginmanager)


def track(testapp, code: str, contact: str, status: int = 303):
    return testapp.post("/track", {"code": code, "contact": contact, "csrf_token": csrf_token(testapp)}, status=status)


def failures(dbsession, address: str = "10.0.0.1") -> int:
    return dbsession.scalar(select(func.count()).select_from(TrackingLookup).where(TrackingLookup.address == address))


def form_error(page) -> str:
    return page.html.find(attrs={"data-testid": "form-error"}).get_text(strip=True)


def field_error(page, name: str) -> str:
    return page.html.find(attrs={"data-testid": f"error-{name}"}).get_text(strip=True)


def mistyped(code: str) -> str:
    """The code with its fifth digit changed: the check digit must notice."""
    return code[:4] + str((int(code[4]) + 1) % 10) + code[5:]


def test_guest_tracks_with_persian_digits_dashes_and_a_persian_mobile(testapp, org, desk):
    ticket = open_ticket(desk, org)
    form = testapp.get("/track")
    assert form.html.h1.get_text() == persian("Track a request")

    typed_code = " " + to_persian_digits(format_code(ticket.tracking_code)) + " "
    found = track(testapp, typed_code, "۰۹۳۵-۱۲۳-۴۵۶۷")
    assert found.location.endswith(f"/requests/{ticket.id}")
    page = found.follow()
    assert page.html.find(attrs={"data-testid": "ticket-subject"}).get_text() == ticket.subject
    assert page.html.find(attrs={"data-testid": "ticket-status"}).get_text(strip=True) == persian("New")
    assert failures(org) == 0


def test_arabic_digits_and_an_international_mobile_also_match(testapp, org, desk):
    ticket = open_ticket(desk, org)
    arabic = ticket.tracking_code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    track(testapp, arabic, "+98 935 123 4567")


def test_the_email_given_with_the_request_matches_in_any_letter_case(testapp, org, desk):
    ticket = open_ticket(desk, org, guest_mobile=None, guest_email="Reza.Amini@example.com")
    track(testapp, ticket.tracking_code, "reza.amini@EXAMPLE.com")


def test_a_registered_requester_can_track_with_the_mobile_of_their_account(testapp, org, desk):
    ticket = open_ticket(desk, org, "student")
    track(testapp, ticket.tracking_code, ticket.requester.mobile)


def test_a_wrong_contact_reads_exactly_like_an_unknown_code(testapp, org, desk):
    ticket = open_ticket(desk, org)
    wrong_mobile = track(testapp, ticket.tracking_code, "09120000000", status=400)
    wrong_email = track(testapp, ticket.tracking_code, "someone@example.com", status=400)
    other_ticket = open_ticket(desk, org)
    unknown_code = other_ticket.tracking_code
    org.delete(other_ticket)
    org.flush()
    unknown = track(testapp, unknown_code, "09351234567", status=400)
    expected = persian("No request matches this code and contact.")
    assert form_error(wrong_mobile) == form_error(wrong_email) == form_error(unknown) == expected
    assert failures(org) == 3
    testapp.get(f"/requests/{ticket.id}", status=404)  # nothing was remembered


def test_a_mistyped_code_is_caught_by_its_check_digit_without_a_lookup(testapp, org, desk, engine):
    code = mistyped(open_ticket(desk, org).tracking_code)
    token = csrf_token(testapp)
    org.flush()
    with counted_statements(engine, org) as statements:
        page = testapp.post("/track", {"code": code, "contact": "09351234567", "csrf_token": token}, status=400)
    assert field_error(page, "code") == persian("This is not a valid tracking code — check the digits.")
    assert not [s for s in statements if "tickets_" in s]
    assert failures(org) == 0
    assert page.html.select_one("#contact")["value"] == "09351234567"


@pytest.mark.parametrize("code, contact, field, message", [
    ("", "09351234567", "code", "This is not a valid tracking code — check the digits."),
    ("12345", "09351234567", "code", "This is not a valid tracking code — check the digits."),
    ("abcd-efg-hijk", "09351234567", "code", "This is not a valid tracking code — check the digits."),
    (None, "", "contact", "Enter the mobile number or e-mail address you gave with the request."),
    (None, "0935", "contact", "Enter a mobile number like 09121234567 or an e-mail address."),
])
def test_malformed_input_is_explained(testapp, org, desk, code, contact, field, message):
    code = code if code is not None else open_ticket(desk, org).tracking_code
    page = track(testapp, code, contact, status=400)
    assert field_error(page, field) == persian(message)
    assert failures(org) == 0


def test_failed_lookups_are_limited_per_address_and_successes_are_not_counted(testapp, app, org, desk):
    ticket = open_ticket(desk, org)
    for _ in range(LIMIT + 2):
        track(testapp, ticket.tracking_code, "09351234567")  # successful lookups are never limited
    for _ in range(LIMIT):
        track(testapp, ticket.tracking_code, "09120000000", status=400)
    refused = track(testapp, ticket.tracking_code, "09351234567", status=429)
    assert form_error(refused) == persian("Too many attempts. Please try again later.")
    assert failures(org) == LIMIT

    elsewhere = webtest.TestApp(app, extra_environ={**testapp.extra_environ, "REMOTE_ADDR": "10.0.0.2"})
    track(elsewhere, ticket.tracking_code, "09351234567")


def test_tracking_needs_the_csrf_token(testapp, org, desk):
    ticket = open_ticket(desk, org)
    testapp.post("/track", {"code": ticket.tracking_code, "contact": "09351234567"}, status=400)
    testapp.get(f"/requests/{ticket.id}", status=404)
