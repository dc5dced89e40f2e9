"""Deliver outbox messages by SMS: logged on this machine, or sent through Kavenegar.

An SMS outbox message carries the mobile number in ``recipient`` (any form a person types:
``+98…``, ``0098…``, ``9…``, Persian or Arabic digits) and the rendered text in
``payload["text"]``. Both channels are named ``sms``; the plugin installs one of them, chosen by
``sms.backend``, so callers never know which gateway is behind it.

A failed delivery raises: the worker then retries with backoff and records the error. The
Kavenegar API key is part of the request path, so it never goes into a message or a log line.
"""
from __future__ import annotations

import http.client
import json
import logging
import urllib.error
import urllib.parse
import urllib.request

from zope.interface import implementer

from core.interfaces import INotificationChannel
from core.normalize import is_valid_mobile, normalize_mobile
from core.outbox import OutboxMessage

log = logging.getLogger("pishkhan.sms")

KAVENEGAR_TIMEOUT_SECONDS = 10


class KavenegarError(RuntimeError):
    """Kavenegar refused a message or could not be reached; the message says why, never the key."""


def mobile_number(message: OutboxMessage) -> str:
    """The recipient as ``09XXXXXXXXX``; a number that is not an Iranian mobile is refused."""
    mobile = normalize_mobile(message.recipient)
    if not is_valid_mobile(mobile):
        raise ValueError(f"outbox {message.id}: {message.recipient!r} is not an Iranian mobile number")
    return mobile


def text_of(message: OutboxMessage) -> str:
    """The rendered SMS text; an SMS outbox message without one is a caller's bug."""
    text = message.payload.get("text")
    if not text:
        raise ValueError(f"outbox {message.id}: an SMS needs payload['text']")
    return text


@implementer(INotificationChannel)
class LoggingSmsChannel:
    """Writes each SMS to the ``pishkhan.sms`` log: the development default, nothing leaves the machine."""

    name = "sms"

    def deliver(self, message: OutboxMessage, settings: dict) -> None:
        log.info("SMS to %s: %s", mobile_number(message), text_of(message))


@implementer(INotificationChannel)
class KavenegarSmsChannel:
    """Sends through Kavenegar's REST API (``sms/send.json``) with the ``sms.kavenegar.*`` settings."""

    name = "sms"

    def deliver(self, message: OutboxMessage, settings: dict) -> None:
        fields = {"receptor": mobile_number(message), "message": text_of(message)}
        if settings["sms.kavenegar.sender"]:
            fields["sender"] = settings["sms.kavenegar.sender"]
        api_key = urllib.parse.quote(settings["sms.kavenegar.api_key"].strip(), safe="")
        url = f"{settings['sms.kavenegar.url'].rstrip('/')}/v1/{api_key}/sms/send.json"
        answer = post_form(url, fields)
        entries = answer.get("entries") or [{}]
        log.info("outbox %s handed to Kavenegar as message %s", message.id, entries[0].get("messageid"))


def post_form(url: str, fields: dict) -> dict:
    """POST ``fields`` to Kavenegar and return its JSON answer when ``return.status`` is 200.

    Kavenegar answers an error with a matching HTTP status and the same JSON body, so the body of
    an HTTP error is read like any other. ``from None`` drops urllib's exceptions: they carry the
    URL, and so the API key, in their attributes or messages.
    """
    data = urllib.parse.urlencode(fields).encode("ascii")
    headers = {"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    try:
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=KAVENEGAR_TIMEOUT_SECONDS) as response:
            http_status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        http_status, body = error.code, error.read()
    except (OSError, http.client.HTTPException) as error:  # refused, unreachable, timed out, TLS, garbled
        reason = error.reason if isinstance(error, urllib.error.URLError) else error
        raise KavenegarError(f"Kavenegar could not be reached: {reason}") from None
    except ValueError:  # urllib quotes the whole URL, key included, in its message
        raise KavenegarError("sms.kavenegar.url is not a valid http(s) URL") from None
    try:
        answer = json.loads(body)
        status, text = answer["return"]["status"], answer["return"]["message"]
    except (ValueError, TypeError, KeyError):
        raise KavenegarError(f"Kavenegar answered HTTP {http_status} without its JSON status") from None
    if status != 200:
        raise KavenegarError(f"Kavenegar refused the message: status {status}, {text}")
    return answer
