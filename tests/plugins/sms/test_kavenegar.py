"""The Kavenegar channel against a fake Kavenegar speaking HTTP on a loopback port."""
from __future__ import annotations

import traceback

import pytest
from zope.interface.verify import verifyObject

from core.interfaces import INotificationChannel
from core.outbox import OutboxMessage
from plugins.sms import channels
from plugins.sms.channels import KavenegarError, KavenegarSmsChannel
from tests.plugins.sms.gateway import API_KEY, free_port, kavenegar_settings

WRONG_KEY = "WRONG-KEY-1234"
TEXT = "درخواست شما با کد پیگیری ۱۴۰۳-۰۰۴۲ ثبت شد. پیگیری: https://pishkhan.example.ir/t/1403-0042"


def sms(recipient: str = "09123456789", text: str = TEXT) -> OutboxMessage:
    return OutboxMessage(7, "sms", recipient, "", None, {"text": text}, 1)


def send(url: str, message: OutboxMessage | None = None, **settings) -> None:
    KavenegarSmsChannel().deliver(message or sms(), dict(kavenegar_settings(url), **settings))


def assert_key_hidden(error: BaseException, *keys: str) -> None:
    """Neither the message nor the traceback a log would print (chained exceptions included) has a key."""
    printed = "".join(traceback.format_exception(error))
    for key in keys or (API_KEY,):
        assert key not in str(error) and key not in printed


def test_is_a_notification_channel_named_sms():
    assert verifyObject(INotificationChannel, KavenegarSmsChannel())
    assert KavenegarSmsChannel.name == "sms"


@pytest.mark.parametrize("recipient", ["09123456789", "+98 912 345 6789", "00989123456789", "9123456789",
                                       "۰۹۱۲۳۴۵۶۷۸۹", "٠٩١٢٣٤٥٦٧٨٩", "+۹۸۹۱۲۳۴۵۶۷۸۹"])
def test_the_persian_text_reaches_the_normalized_mobile(kavenegar, recipient):
    send(kavenegar.url, sms(recipient))

    assert kavenegar.received == [{"receptor": "09123456789", "message": TEXT}]  # no sender: the account's default
    assert kavenegar.content_types == ["application/x-www-form-urlencoded; charset=utf-8"]


def test_the_line_number_is_sent_when_set(kavenegar):
    send(kavenegar.url, **{"sms.kavenegar.sender": "10004346"})

    assert kavenegar.received[0]["sender"] == "10004346"


def test_a_trailing_slash_in_the_url_is_fine(kavenegar):
    send(kavenegar.url + "/")

    assert len(kavenegar.received) == 1


@pytest.mark.parametrize("status", [401, 411, 418])
def test_a_refusal_raises_with_the_gateways_status_and_message(kavenegar, status):
    kavenegar.status = status

    with pytest.raises(KavenegarError) as raised:
        send(kavenegar.url)

    message = str(raised.value)
    assert f"status {status}" in message
    assert {401: "حساب کاربری غیرفعال شده است", 411: "دریافت کننده نامعتبر است",
            418: "اعتبار حساب شما کافی نیست"}[status] in message
    assert_key_hidden(raised.value)
    assert kavenegar.received == []


def test_a_wrong_api_key_raises_without_showing_either_key(kavenegar):
    with pytest.raises(KavenegarError) as raised:
        send(kavenegar.url, **{"sms.kavenegar.api_key": WRONG_KEY})

    message = str(raised.value)
    assert "status 403" in message and "API-Key" in message
    assert_key_hidden(raised.value, WRONG_KEY, API_KEY)


def test_a_gateway_that_is_down_raises():
    with pytest.raises(KavenegarError) as raised:
        send(f"http://127.0.0.1:{free_port()}")  # nothing listens there

    message = str(raised.value)
    assert "could not be reached" in message and "Connection refused" in message
    assert_key_hidden(raised.value)


def test_a_slow_gateway_times_out(kavenegar, monkeypatch):
    monkeypatch.setattr(channels, "KAVENEGAR_TIMEOUT_SECONDS", 0.2)
    kavenegar.delay = 1.0

    with pytest.raises(KavenegarError, match="timed out") as raised:
        send(kavenegar.url)

    assert_key_hidden(raised.value)


def test_an_answer_without_kavenegars_json_raises_with_the_http_status(kavenegar):
    kavenegar.proxy_error = True

    with pytest.raises(KavenegarError, match="HTTP 502") as raised:
        send(kavenegar.url)

    assert_key_hidden(raised.value)


def test_a_malformed_url_setting_raises_without_the_key():
    with pytest.raises(KavenegarError, match="sms.kavenegar.url") as raised:
        send("api.kavenegar.com")  # no scheme

    assert_key_hidden(raised.value)


@pytest.mark.parametrize("recipient", ["02188776655", "0912345678", "sara@example.ir", ""])
def test_a_recipient_that_is_not_a_mobile_is_refused_before_calling_the_gateway(kavenegar, recipient):
    with pytest.raises(ValueError, match="not an Iranian mobile number"):
        send(kavenegar.url, sms(recipient))

    assert kavenegar.received == []


def test_a_message_without_text_is_refused(kavenegar):
    with pytest.raises(ValueError, match=r"payload\['text'\]"):
        send(kavenegar.url, OutboxMessage(7, "sms", "09123456789", "", None, {}, 1))

    assert kavenegar.received == []
