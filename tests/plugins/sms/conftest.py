"""The fake Kavenegar of ``gateway.py``, serving on a loopback port for one test."""
from __future__ import annotations

import threading

import pytest

from tests.plugins.sms.gateway import FakeKavenegar


@pytest.fixture
def kavenegar():
    server = FakeKavenegar()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
