"""``pishkhan worker``: delivers the outbox and runs the plugins' periodic jobs.

Several workers may run at once. Outbox messages are claimed one at a time (see
``core.outbox.claim_next``). Each periodic job has a row in ``core_job_runs`` that is its lock: a
worker takes a due job with a conditional update that pushes ``due_at`` a lease ahead, so a job
runs on one worker at a time; when it finishes, ``due_at`` becomes its start plus its interval.
"""
from __future__ import annotations

import logging
import signal
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from zope.interface.verify import verifyObject

from core import outbox
from core.contracts import PeriodicJob
from core.db import transactional_session, utcnow
from core.interfaces import INotificationChannel
from core.models import JobRun
from core.plugins import PluginLoadError, PluginManager, flatten

log = logging.getLogger(__name__)

DELIVERIES_PER_PASS = 50
# A job running longer than this (or whose worker died) may be taken again by another worker.
JOB_LEASE_SECONDS = 3600


@dataclass(frozen=True)
class JobContext:
    """What a periodic job receives: a session in the job's own transaction, the settings, the
    plugins' hook relay (to call other plugins' hooks) and the time the run started (UTC)."""

    dbsession: Session
    settings: dict
    hook: object = None
    now: datetime = field(default_factory=utcnow)


class Worker:
    """One worker process: its channels and jobs come from the plugins, its sessions from ``session_factory``."""

    def __init__(self, session_factory: sessionmaker, pluginmanager: PluginManager, settings: dict,
                 poll_seconds: float = 2.0):
        self.session_factory = session_factory
        self.settings = settings
        self.hook = pluginmanager.hook
        self.poll_seconds = poll_seconds
        self.channels = self._channels(pluginmanager)
        self.jobs: list[PeriodicJob] = flatten(pluginmanager.hook.pishkhan_periodic_jobs(settings=settings))
        self.stopping = False

    def _channels(self, pluginmanager: PluginManager) -> dict:
        channels = {}
        for channel in flatten(pluginmanager.hook.pishkhan_notification_channels(settings=self.settings)):
            try:
                verifyObject(INotificationChannel, channel)
            except Exception as exc:
                raise PluginLoadError(
                    f"Notification channel {channel!r} is not an INotificationChannel: {exc}"
                ) from exc
            if channel.name in channels:
                raise PluginLoadError(f"Two notification channels are named {channel.name!r}: "
                                      f"{channels[channel.name]!r} and {channel!r}")
            channels[channel.name] = channel
        return channels

    def run(self, once: bool = False) -> None:
        """Deliver and run jobs until SIGTERM/SIGINT (or one pass with ``once``)."""
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        log.info("worker started: channels %s, jobs %s", sorted(self.channels), [job.name for job in self.jobs])
        while not self.stopping:
            try:
                busy = self.deliver_outbox() + self.run_due_jobs()
            except DBAPIError as error:
                if not error.connection_invalidated:
                    raise
                # The server closed the connection (a restart): the pool now opens new ones.
                log.warning("worker: the database connection was lost; trying again: %s", error.orig)
                busy = 0
            if once:
                break
            if not busy:
                time.sleep(self.poll_seconds)

    def _stop(self, signum, frame) -> None:
        self.stopping = True

    def deliver_outbox(self, limit: int = DELIVERIES_PER_PASS) -> int:
        """Claim and deliver up to ``limit`` due messages, one at a time. Returns how many were tried."""
        tried = 0
        while tried < limit and not self.stopping:
            with transactional_session(self.session_factory) as dbsession:
                message = outbox.claim_next(dbsession)
            if message is None:
                break
            tried += 1
            error = self._deliver(message)
            with transactional_session(self.session_factory) as dbsession:
                if error is None:
                    recorded = outbox.mark_sent(dbsession, message)
                else:
                    recorded = outbox.mark_failed(dbsession, message, error)
            if not recorded:
                log.warning("outbox %s: claim expired before delivery finished; outcome not recorded", message.id)
        return tried

    def _deliver(self, message: outbox.OutboxMessage) -> str | None:
        """Hand the message to its channel; the error text, or ``None`` on success."""
        if message.attempts > outbox.MAX_ATTEMPTS:
            # Every earlier claim expired: the worker stopped while delivering this message.
            return f"gave up: the worker stopped during each of {outbox.MAX_ATTEMPTS} deliveries"
        channel = self.channels.get(message.channel)
        if channel is None:
            error = f"no notification channel named {message.channel!r} is installed"
        else:
            try:
                channel.deliver(message, self.settings)
                return None
            except Exception as exc:  # noqa: BLE001 -- any transport failure is retried later
                error = f"{type(exc).__name__}: {exc}"
        log.warning("outbox %s via %s, attempt %s failed: %s", message.id, message.channel, message.attempts, error)
        return error

    def run_due_jobs(self) -> int:
        """Run every due job this worker can take. Returns how many ran."""
        ran = 0
        for job in self.jobs:
            started = self._take(job)
            if started is not None:
                ran += 1
                self._run(job, started)
        return ran

    def _take(self, job: PeriodicJob) -> datetime | None:
        """Take the job if it is due; its start time, or ``None`` if not due or taken elsewhere."""
        now = utcnow()
        lease = timedelta(seconds=max(job.interval, JOB_LEASE_SECONDS))
        for _ in range(2):  # a second pass only after creating the job's missing row
            with transactional_session(self.session_factory) as dbsession:
                taken = dbsession.execute(
                    update(JobRun)
                    .where(JobRun.name == job.name, JobRun.due_at <= now)
                    .values(due_at=now + lease, last_started_at=now)
                    .execution_options(synchronize_session=False)
                ).rowcount == 1
                if taken:
                    return now
                if dbsession.get(JobRun, job.name) is not None:
                    return None
            self._create_job_row(job, now)
        return None

    def _create_job_row(self, job: PeriodicJob, due_at: datetime) -> None:
        try:
            with transactional_session(self.session_factory) as dbsession:
                dbsession.add(JobRun(name=job.name, due_at=due_at))
        except IntegrityError:
            pass  # another worker created the row at the same moment; it is there now

    def _run(self, job: PeriodicJob, started: datetime) -> None:
        error = None
        try:
            with transactional_session(self.session_factory) as dbsession:
                job.run(JobContext(dbsession, self.settings, self.hook))
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            log.exception("periodic job %s failed", job.name)
        with transactional_session(self.session_factory) as dbsession:
            dbsession.execute(
                update(JobRun)
                .where(JobRun.name == job.name, JobRun.last_started_at == started)
                .values(due_at=started + timedelta(seconds=job.interval), last_finished_at=utcnow(),
                        last_error=error)
                .execution_options(synchronize_session=False)
            )

