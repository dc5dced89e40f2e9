"""The outbox delivered by ``Worker.deliver_outbox`` through a test channel, on committed data.

The worker opens its own sessions and commits, so these tests use ``session_factory`` (real
transactions on the test database, outbox emptied around each test), not the doomed ``dbsession``.
"""
from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from zope.interface import implementer

from core import hookimpl, outbox
from core.db import transactional_session, utcnow
from core.interfaces import INotificationChannel
from core.models import OutboxMessage as OutboxRow
from core.plugins import PluginLoadError
from core.worker import Worker


@implementer(INotificationChannel)
class RecordingChannel:
    """Counts deliveries per outbox id; raises ``error`` instead when it is set."""

    name = "test"

    def __init__(self) -> None:
        self.deliveries: Counter[int] = Counter()
        self.error: Exception | None = None
        self.lock = threading.Lock()

    def deliver(self, message, settings) -> None:
        if self.error is not None:
            raise self.error
        with self.lock:
            self.deliveries[message.id] += 1


class ChannelPlugin:
    def __init__(self, channel) -> None:
        self.channel = channel

    @hookimpl
    def pishkhan_notification_channels(self, settings):
        return [self.channel]


@pytest.fixture
def channel(register_plugin) -> RecordingChannel:
    channel = RecordingChannel()
    register_plugin(ChannelPlugin(channel), "test-channel")
    return channel


@pytest.fixture
def new_worker(session_factory, pluginmanager, app_settings, channel):
    """``new_worker()``: a Worker with its own sessions, as another process would have."""
    return lambda: Worker(session_factory, pluginmanager, app_settings)


def enqueue(session_factory, count: int = 1, channel: str = "test") -> list[int]:
    with transactional_session(session_factory) as dbsession:
        rows = [outbox.enqueue(dbsession, channel=channel, recipient=f"user{n}@example.org",
                               subject="درخواست شما ثبت شد", payload={"n": n}) for n in range(count)]
        dbsession.flush()
        return [row.id for row in rows]


def load(session_factory, message_id: int) -> OutboxRow:
    with session_factory() as dbsession:
        return dbsession.get(OutboxRow, message_id)


def make_due(session_factory) -> None:
    """Travel past every backoff and claim: all unfinished rows are due now."""
    with transactional_session(session_factory) as dbsession:
        dbsession.execute(update(OutboxRow).values(next_attempt_at=utcnow() - timedelta(seconds=1)))


def test_aborted_transaction_sends_nothing(session_factory, new_worker, channel):
    with pytest.raises(RuntimeError), transactional_session(session_factory) as dbsession:
        outbox.enqueue(dbsession, channel="test", recipient="a@example.org", subject="never")
        dbsession.flush()  # the row existed inside the transaction
        raise RuntimeError("the view failed after enqueueing")

    assert new_worker().deliver_outbox() == 0
    assert channel.deliveries == {}
    with session_factory() as dbsession:
        assert dbsession.scalars(select(OutboxRow)).all() == []


def test_committed_message_is_delivered_once(session_factory, new_worker, channel):
    [message_id] = enqueue(session_factory)
    worker = new_worker()

    assert worker.deliver_outbox() == 1
    assert worker.deliver_outbox() == 0
    make_due(session_factory)  # a sent row is never due again
    assert worker.deliver_outbox() == 0

    assert channel.deliveries == {message_id: 1}
    row = load(session_factory, message_id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, None)
    assert row.sent_at is not None


def test_channel_error_schedules_a_retry_with_backoff(session_factory, new_worker, channel):
    [message_id] = enqueue(session_factory)
    channel.error = ConnectionError("SMS gateway unreachable")
    worker = new_worker()

    before = utcnow()
    assert worker.deliver_outbox() == 1
    after = utcnow()

    row = load(session_factory, message_id)
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.last_error == "ConnectionError: SMS gateway unreachable"
    assert before + outbox.backoff(1) <= row.next_attempt_at <= after + outbox.backoff(1)
    assert worker.deliver_outbox() == 0  # not before the backoff

    make_due(session_factory)
    channel.error = None
    assert worker.deliver_outbox() == 1
    assert channel.deliveries == {message_id: 1}
    row = load(session_factory, message_id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)


def test_two_channels_with_one_name_fail_at_start(session_factory, register_plugin, new_worker):
    register_plugin(ChannelPlugin(RecordingChannel()), "another-test-channel")
    with pytest.raises(PluginLoadError, match="Two notification channels are named 'test'"):
        new_worker()


def test_backoff_doubles():
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]


def test_gives_up_after_max_attempts(session_factory, new_worker, channel):
    [message_id] = enqueue(session_factory)
    channel.error = TimeoutError("timed out")
    worker = new_worker()

    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        assert worker.deliver_outbox() == 1
        assert load(session_factory, message_id).attempts == attempt
        make_due(session_factory)

    row = load(session_factory, message_id)
    assert (row.status, row.attempts, row.last_error) == ("failed", outbox.MAX_ATTEMPTS, "TimeoutError: timed out")
    assert worker.deliver_outbox() == 0


def test_unknown_channel_is_retried_then_fails_with_a_clear_error(session_factory, new_worker, channel):
    [message_id] = enqueue(session_factory, channel="carrier-pigeon")
    worker = new_worker()

    assert worker.deliver_outbox() == 1
    row = load(session_factory, message_id)
    assert row.status == "pending"
    assert row.last_error == "no notification channel named 'carrier-pigeon' is installed"

    for _ in range(outbox.MAX_ATTEMPTS - 1):
        make_due(session_factory)
        worker.deliver_outbox()
    row = load(session_factory, message_id)
    assert (row.status, row.attempts) == ("failed", outbox.MAX_ATTEMPTS)
    assert "carrier-pigeon" in row.last_error


def test_stale_claim_of_a_dead_worker_becomes_due_again(session_factory, new_worker, channel):
    [message_id] = enqueue(session_factory)
    with transactional_session(session_factory) as dbsession:  # a worker claims, then dies
        assert outbox.claim_next(dbsession).id == message_id

    worker = new_worker()
    assert worker.deliver_outbox() == 0  # the claim holds for CLAIM_SECONDS
    row = load(session_factory, message_id)
    assert row.status == "sending"
    assert row.next_attempt_at > utcnow() + timedelta(seconds=outbox.CLAIM_SECONDS - 60)

    make_due(session_factory)
    assert worker.deliver_outbox() == 1
    assert channel.deliveries == {message_id: 1}
    row = load(session_factory, message_id)
    assert (row.status, row.attempts) == ("sent", 2)


def test_message_that_kills_every_worker_ends_failed(session_factory, new_worker, channel):
    [message_id] = enqueue(session_factory)
    for _ in range(outbox.MAX_ATTEMPTS):
        with transactional_session(session_factory) as dbsession:
            outbox.claim_next(dbsession)
        make_due(session_factory)

    assert new_worker().deliver_outbox() == 1
    assert channel.deliveries == {}
    row = load(session_factory, message_id)
    assert (row.status, row.attempts) == ("failed", outbox.MAX_ATTEMPTS + 1)
    assert "worker stopped" in row.last_error


def test_late_outcome_of_an_expired_claim_is_ignored(session_factory):
    [message_id] = enqueue(session_factory)
    with transactional_session(session_factory) as dbsession:
        slow = outbox.claim_next(dbsession)
    make_due(session_factory)  # the slow worker's claim expires; another worker delivers
    with transactional_session(session_factory) as dbsession:
        fast = outbox.claim_next(dbsession)
        assert outbox.mark_sent(dbsession, fast)

    with transactional_session(session_factory) as dbsession:
        assert not outbox.mark_failed(dbsession, slow, "TimeoutError: timed out")
    row = load(session_factory, message_id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)


def test_two_workers_in_turn_never_deliver_a_row_twice(session_factory, new_worker, channel):
    ids = enqueue(session_factory, 30)
    first, second = new_worker(), new_worker()

    while first.deliver_outbox(limit=1) + second.deliver_outbox(limit=2):
        pass

    assert channel.deliveries == Counter({message_id: 1 for message_id in ids})


@pytest.mark.postgresql_only  # SQLite serializes writers: see test_two_workers_in_turn_never_deliver_a_row_twice
def test_concurrent_workers_deliver_each_message_exactly_once(session_factory, new_worker, channel):
    ids = enqueue(session_factory, 200)
    workers = [new_worker() for _ in range(4)]
    start = threading.Barrier(len(workers))

    def drain(worker: Worker) -> int:
        start.wait()
        delivered = 0
        while tried := worker.deliver_outbox(limit=5):
            delivered += tried
        return delivered

    with ThreadPoolExecutor(len(workers)) as pool:
        per_worker = list(pool.map(drain, workers))

    assert channel.deliveries == Counter({message_id: 1 for message_id in ids})
    assert sum(per_worker) == 200
    assert sum(1 for delivered in per_worker if delivered) > 1, per_worker
    with session_factory() as dbsession:
        statuses = Counter(dbsession.scalars(select(OutboxRow.status)))
    assert statuses == {"sent": 200}
