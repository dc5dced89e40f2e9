"""An SMS written to the outbox is delivered by the worker through the fake Kavenegar, or retried."""
from __future__ import annotations

import pytest

import plugins.sms
from core import outbox
from core.app import effective_settings
from core.db import transactional_session
from core.models import OutboxMessage as OutboxRow
from core.worker import Worker
from tests.plugins.sms.gateway import API_KEY, kavenegar_settings

TEXT = "همکار گرامی، درخواست «تعویض کارت دانشجویی» به شما ارجاع شد. کد پیگیری: ۱۴۰۳-۰۰۴۲"


@pytest.fixture
def sms_worker(session_factory, pluginmanager, register_plugin, app_settings):
    """``sms_worker(url)``: a worker with the SMS plugin sending through Kavenegar at ``url``."""
    register_plugin(plugins.sms, "sms")

    def new(url: str) -> Worker:
        settings = dict(app_settings, **kavenegar_settings(url, sender="10004346"))
        return Worker(session_factory, pluginmanager, effective_settings(settings, pluginmanager))

    return new


def enqueue_sms(session_factory) -> int:
    with transactional_session(session_factory) as dbsession:
        row = outbox.enqueue(dbsession, channel="sms", recipient="+98 912 345 6789", payload={"text": TEXT})
        dbsession.flush()
        return row.id


def load(session_factory, message_id: int) -> OutboxRow:
    with session_factory() as dbsession:
        return dbsession.get(OutboxRow, message_id)


def test_an_enqueued_sms_is_sent_by_the_worker(session_factory, sms_worker, kavenegar):
    message_id = enqueue_sms(session_factory)

    assert sms_worker(kavenegar.url).deliver_outbox() == 1

    row = load(session_factory, message_id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, None)
    assert kavenegar.received == [{"receptor": "09123456789", "message": TEXT, "sender": "10004346"}]


def test_a_refused_sms_is_retried_later_with_the_gateways_reason(session_factory, sms_worker, kavenegar):
    kavenegar.status = 418
    message_id = enqueue_sms(session_factory)

    assert sms_worker(kavenegar.url).deliver_outbox() == 1

    row = load(session_factory, message_id)
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.last_error == "KavenegarError: Kavenegar refused the message: status 418, اعتبار حساب شما کافی نیست"
    assert API_KEY not in row.last_error
