"""Deliver outbox messages by SMTP.

Settings (INI; this plugin has defaults for the first three): ``mail.host``, ``mail.port``,
``mail.sender`` (``Name <address>``), ``mail.username``, ``mail.password``, ``mail.starttls``, and
``mail.footer``: the line under every message, empty for none (a payload may carry its own
``footer``); without the setting, a line saying not to reply, in the message's language.

A payload's ``language`` (``fa``, the default, or ``en``) sets the HTML part's language and
direction and the language of the default footer and link text.
"""
from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from functools import lru_cache

import jinja2
from pyramid.i18n import make_localizer
from pyramid.path import AssetResolver
from pyramid.settings import asbool
from zope.interface import implementer

from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, text_direction
from core.interfaces import INotificationChannel
from core.outbox import OutboxMessage

DEFAULT_FOOTER = _("This message was sent by Pishkhan; please do not reply to it.")
DEFAULT_LINK_TEXT = _("View")
SMTP_TIMEOUT_SECONDS = 30

_templates = jinja2.Environment(
    loader=jinja2.PackageLoader("plugins.email", "templates"),
    autoescape=jinja2.select_autoescape(["html"], default_for_string=False),  # never the .txt part
)


@lru_cache(maxsize=4)
def _localizer(language: str):
    return make_localizer(language, [AssetResolver().resolve("core:locale").abspath()])


def render(message: OutboxMessage, settings: dict) -> tuple[str, str]:
    """Plain text and HTML bodies of an outbox message (the HTML right-to-left in Persian)."""
    language = message.payload.get("language")
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    translate = _localizer(language).translate
    footer = settings["mail.footer"] if "mail.footer" in settings else translate(DEFAULT_FOOTER)
    context = {"subject": message.subject, "footer": footer, **message.payload, "language": language,
               "direction": text_direction(language), "default_link_text": translate(DEFAULT_LINK_TEXT)}
    name = message.template or "message"
    text = _templates.get_template(f"{name}.txt").render(context)
    html = _templates.get_template(f"{name}.html").render(context)
    return text, html


def compose(message: OutboxMessage, settings: dict) -> EmailMessage:
    """The e-mail for an outbox message: a plain-text part and its HTML alternative."""
    text, html = render(message, settings)
    mail = EmailMessage()
    mail["From"] = settings["mail.sender"]
    mail["To"] = message.recipient
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(usegmt=True)
    mail["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}", domain=mail["From"].addresses[0].domain)
    mail.set_content(text)
    mail.add_alternative(html, subtype="html")
    return mail


@implementer(INotificationChannel)
class EmailChannel:
    name = "email"

    def deliver(self, message: OutboxMessage, settings: dict) -> None:
        mail = compose(message, settings)
        with smtplib.SMTP(settings["mail.host"], int(settings["mail.port"]), timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            if asbool(settings.get("mail.starttls", False)):
                smtp.starttls()
            if settings.get("mail.username"):
                smtp.login(settings["mail.username"], settings.get("mail.password", ""))
            smtp.send_message(mail)
