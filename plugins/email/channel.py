"""Deliver outbox messages by SMTP (``mail.host``, ``mail.port``, ``mail.sender``,
``mail.username``, ``mail.password``, ``mail.starttls`` in the INI)."""
from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formataddr, make_msgid, parseaddr

import jinja2
from pyramid.settings import asbool
from zope.interface import implementer

from core.interfaces import INotificationChannel

_templates = jinja2.Environment(
    loader=jinja2.PackageLoader("plugins.email", "templates"),
    autoescape=True,
)


def render(message) -> tuple[str, str]:
    """Plain text and right-to-left HTML bodies of an outbox message."""
    context = {"subject": message.subject, **message.payload}
    name = message.template or "message"
    text = _templates.get_template(f"{name}.txt").render(context)
    html = _templates.get_template(f"{name}.html").render(context)
    return text, html


@implementer(INotificationChannel)
class EmailChannel:
    name = "email"

    def deliver(self, message, settings) -> None:
        text, html = render(message)
        mail = EmailMessage()
        sender_name, sender_address = parseaddr(settings["mail.sender"])
        mail["From"] = formataddr((sender_name, sender_address))
        mail["To"] = message.recipient
        mail["Subject"] = message.subject
        mail["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}", domain=sender_address.split("@")[-1])
        mail.set_content(text)
        mail.add_alternative(html, subtype="html")
        with smtplib.SMTP(settings["mail.host"], int(settings["mail.port"]), timeout=30) as smtp:
            if asbool(settings.get("mail.starttls", False)):
                smtp.starttls()
            if settings.get("mail.username"):
                smtp.login(settings["mail.username"], settings.get("mail.password", ""))
            smtp.send_message(mail)
