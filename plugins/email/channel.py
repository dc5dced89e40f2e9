"""Deliver outbox messages by SMTP.

Settings (INI; this plugin has defaults for the first three): ``mail.host``, ``mail.port``,
``mail.sender`` (``Name <address>``), ``mail.username``, ``mail.password``, ``mail.starttls``, and
``mail.footer``: the line under every message, empty for none (a payload may carry its own
``footer``).
"""
from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import jinja2
from pyramid.settings import asbool
from zope.interface import implementer

from core.interfaces import INotificationChannel
from core.outbox import OutboxMessage

DEFAULT_FOOTER = "این پیام را سامانه پیشخوان فرستاده است؛ لطفاً به آن پاسخ ندهید."
SMTP_TIMEOUT_SECONDS = 30

_templates = jinja2.Environment(
    loader=jinja2.PackageLoader("plugins.email", "templates"),
    autoescape=jinja2.select_autoescape(["html"], default_for_string=False),  # never the .txt part
)


def render(message: OutboxMessage, settings: dict) -> tuple[str, str]:
    """Plain text and right-to-left HTML bodies of an outbox message."""
    context = {"subject": message.subject, "footer": settings.get("mail.footer", DEFAULT_FOOTER),
               **message.payload}
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
