"""The development backend: each SMS goes to the ``pishkhan.sms`` log, nowhere else."""
from __future__ import annotations

import logging

import pytest
from zope.interface.verify import verifyObject

from core.interfaces import INotificationChannel
from core.outbox import OutboxMessage
from plugins.sms.channels import LoggingSmsChannel

TEXT = "کد ورود شما: ۴۸۲۱۹۳"


def test_is_a_notification_channel_named_sms():
    assert verifyObject(INotificationChannel, LoggingSmsChannel())
    assert LoggingSmsChannel.name == "sms"


def test_logs_the_normalized_mobile_and_the_text(caplog):
    message = OutboxMessage(3, "sms", "+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹", "", None, {"text": TEXT}, 1)

    with caplog.at_level(logging.INFO, logger="pishkhan.sms"):
        LoggingSmsChannel().deliver(message, {})

    [record] = caplog.records
    assert (record.name, record.levelno) == ("pishkhan.sms", logging.INFO)
    assert record.getMessage() == f"SMS to 09123456789: {TEXT}"


def test_refuses_what_the_gateway_would_refuse():
    with pytest.raises(ValueError, match="not an Iranian mobile number"):
        LoggingSmsChannel().deliver(OutboxMessage(3, "sms", "021-88776655", "", None, {"text": TEXT}, 1), {})
