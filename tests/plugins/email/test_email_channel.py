"""E-mail delivered by the worker to a real SMTP server (aiosmtpd on a loopback port)."""
from __future__ import annotations

import socket
import subprocess
import sys
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

import plugins.email
from core import outbox
from core.app import effective_settings
from core.db import get_engine, get_session_factory, transactional_session
from core.models import OutboxMessage as OutboxRow
from core.worker import Worker
from plugins.email.channel import render

FOOTER = "این پیام را سامانه پیشخوان فرستاده است؛ لطفاً به آن پاسخ ندهید."

PAYLOAD = {
    "greeting": "سلام خانم رضایی،",
    "body": "درخواست شما با کد پیگیری ۱۴۰۳-۰۰۴۲ ثبت شد.\n\nواحد R&D <پژوهش> آن را بررسی می‌کند.",
    "link": "https://pishkhan.example.ir/track/1403-0042",
    "link_text": "پیگیری درخواست",
}
SUBJECT = "درخواست شما ثبت شد"


class Mailbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(envelope.content, policy=policy.default) for envelope in self.envelopes]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    mailbox.port = controller.port
    yield mailbox
    controller.stop()


@pytest.fixture
def mail_worker(session_factory, pluginmanager, register_plugin, app_settings):
    """``mail_worker(port)``: a worker with the e-mail plugin, sending to 127.0.0.1:port."""
    register_plugin(plugins.email, "email")

    def new(port: int) -> Worker:
        settings = dict(app_settings, **{"mail.host": "127.0.0.1", "mail.port": str(port),
                                         "mail.sender": "پیشخوان دانشگاه <no-reply@uni.example.ir>"})
        return Worker(session_factory, pluginmanager, effective_settings(settings, pluginmanager))

    return new


def enqueue_email(session_factory) -> int:
    with transactional_session(session_factory) as dbsession:
        row = outbox.enqueue(dbsession, channel="email", recipient="Sara Rezaei <sara@uni.example.ir>",
                             subject=SUBJECT, template="message", payload=PAYLOAD)
        dbsession.flush()
        return row.id


def load(session_factory, message_id: int) -> OutboxRow:
    with session_factory() as dbsession:
        return dbsession.get(OutboxRow, message_id)


def test_persian_email_arrives_with_rtl_html_and_plain_text(session_factory, mail_worker, smtp_server):
    message_id = enqueue_email(session_factory)

    assert mail_worker(smtp_server.port).deliver_outbox() == 1

    assert load(session_factory, message_id).status == "sent"
    [envelope] = smtp_server.envelopes
    assert (envelope.mail_from, envelope.rcpt_tos) == ("no-reply@uni.example.ir", ["sara@uni.example.ir"])
    [mail] = smtp_server.messages()
    sender = mail["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == ("پیشخوان دانشگاه", "no-reply@uni.example.ir")
    assert mail["To"].addresses[0].addr_spec == "sara@uni.example.ir"
    assert mail["Subject"] == SUBJECT
    assert mail["Date"] and mail["Message-ID"].endswith("@uni.example.ir>")
    assert mail.get_content_type() == "multipart/alternative"

    html = mail.get_body(("html",)).get_content()
    assert '<html lang="fa" dir="rtl">' in html
    assert PAYLOAD["greeting"] in html
    assert "درخواست شما با کد پیگیری ۱۴۰۳-۰۰۴۲ ثبت شد." in html
    assert "واحد R&amp;D &lt;پژوهش&gt; آن را بررسی می‌کند." in html  # escaped in HTML
    assert f'href="{PAYLOAD["link"]}"' in html and "پیگیری درخواست" in html
    assert FOOTER in html

    text = mail.get_body(("plain",)).get_content()
    assert text.startswith(SUBJECT)
    assert PAYLOAD["body"] in text  # as written: the plain part is never HTML-escaped
    assert f"پیگیری درخواست: {PAYLOAD['link']}" in text
    assert FOOTER in text


def test_smtp_server_down_means_retry_later(session_factory, mail_worker):
    message_id = enqueue_email(session_factory)

    assert mail_worker(free_port()).deliver_outbox() == 1  # nothing listens there

    row = load(session_factory, message_id)
    assert (row.status, row.attempts) == ("pending", 1)
    assert "ConnectionRefusedError" in row.last_error
    assert "Connection refused" in row.last_error


def rendered(payload: dict, settings: dict) -> tuple[str, str]:
    message = outbox.OutboxMessage(1, "email", "a@example.org", SUBJECT, "message", payload, 1)
    return render(message, settings)


def test_footer_comes_from_the_settings_or_the_payload():
    text, html = rendered(PAYLOAD, {"mail.footer": "دانشگاه نمونه — معاونت فناوری اطلاعات"})
    assert "دانشگاه نمونه — معاونت فناوری اطلاعات" in text and "دانشگاه نمونه — معاونت فناوری اطلاعات" in html
    assert FOOTER not in text + html

    text, html = rendered(dict(PAYLOAD, footer="برای لغو اشتراک به نمایه بروید."), {})
    assert "برای لغو اشتراک به نمایه بروید." in text and "برای لغو اشتراک به نمایه بروید." in html

    text, html = rendered(PAYLOAD, {"mail.footer": ""})
    assert "--" not in text and "<hr" not in html


def test_an_english_email_is_left_to_right_with_an_english_footer():
    payload = {"language": "en", "greeting": "Dear Sara Rezaei,", "body": "Your request has been received.",
               "link": "https://pishkhan.example.ir/requests/7"}
    text, html = rendered(payload, {})
    assert '<html lang="en" dir="ltr">' in html and "direction: ltr; text-align: left;" in html
    assert "This message was sent by Pishkhan; please do not reply to it." in text + html
    assert ">View</a>" in html
    assert not any("\u0600" <= character <= "\u06ff" for character in (text + html).replace(SUBJECT, ""))
    persian_text, persian_html = rendered(dict(payload, language="fa"), {})
    assert '<html lang="fa" dir="rtl">' in persian_html and ">مشاهده</a>" in persian_html
    assert FOOTER in persian_text


INI = """\
[app:main]
use = egg:pishkhan
sqlalchemy.url = sqlite:///{db}
session.secret = smoke-test-secret
pishkhan.plugins.enabled = *
mail.host = 127.0.0.1
mail.port = {port}
mail.sender = پیشخوان <no-reply@pishkhan.example.ir>
"""


def pishkhan(*args: str) -> subprocess.CompletedProcess:
    command = Path(sys.executable).with_name("pishkhan")
    return subprocess.run([str(command), *args], check=False, capture_output=True, text=True, timeout=120)


def test_pishkhan_worker_command_sends_an_enqueued_email(tmp_path, smtp_server):
    db = tmp_path / "pishkhan.sqlite"
    ini = tmp_path / "mail.ini"
    ini.write_text(INI.format(db=db, port=smtp_server.port), encoding="utf-8")
    upgraded = pishkhan("db", "upgrade", str(ini))
    assert upgraded.returncode == 0, upgraded.stderr
    engine = get_engine({"sqlalchemy.url": f"sqlite:///{db}"})
    message_id = enqueue_email(get_session_factory(engine))

    worked = pishkhan("worker", str(ini), "--once")

    assert worked.returncode == 0, worked.stderr
    [mail] = smtp_server.messages()
    assert mail["Subject"] == SUBJECT
    assert load(get_session_factory(engine), message_id).status == "sent"
    engine.dispose()
