"""``pishkhan worker``: delivers the outbox and runs the plugins' periodic jobs.

Several workers may run at once: outbox rows are claimed (see ``core.outbox.claim``) and each
job's row in ``core_job_runs`` is taken with a conditional update, so a job runs on one worker.
"""
from __future__ import annotations

import logging
import signal
import time
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from zope.interface.verify import verifyObject

from core import outbox
from core.contracts import PeriodicJob
from core.db import transactional_session, utcnow
from core.interfaces import INotificationChannel
from core.models import JobRun
from core.plugins import PluginLoadError, flatten

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobContext:
    """What a periodic job receives: a session in the job's own transaction, and the settings."""

    dbsession: object
    settings: dict


class Worker:
    def __init__(self, session_factory, pluginmanager, settings, poll_seconds: float = 2.0):
        self.session_factory = session_factory
        self.settings = settings
        self.poll_seconds = poll_seconds
        self.channels = self._channels(pluginmanager)
        self.jobs: list[PeriodicJob] = flatten(pluginmanager.hook.pishkhan_periodic_jobs(settings=settings))
        self.stopping = False

    def _channels(self, pluginmanager) -> dict:
        channels = {}
        for channel in flatten(pluginmanager.hook.pishkhan_notification_channels(settings=self.settings)):
            try:
                verifyObject(INotificationChannel, channel)
            except Exception as exc:
                raise PluginLoadError(f"Notification channel {channel!r} is not an INotificationChannel: {exc}") from exc
            channels[channel.name] = channel
        return channels

    def run(self, once: bool = False) -> None:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        log.info("worker started: channels %s, jobs %s", sorted(self.channels), [job.name for job in self.jobs])
        while not self.stopping:
            busy = self.deliver_outbox() + self.run_due_jobs()
            if once:
                break
            if not busy:
                time.sleep(self.poll_seconds)

    def _stop(self, signum, frame) -> None:
        self.stopping = True

    def deliver_outbox(self) -> int:
        """Claim due messages, deliver each, record the outcome. Returns how many were tried."""
        with transactional_session(self.session_factory) as dbsession:
            messages = outbox.claim(dbsession)
        for message in messages:
            channel = self.channels.get(message.channel)
            error = None
            if channel is None:
                error = f"no notification channel named {message.channel!r} is installed"
            else:
                try:
                    channel.deliver(message, self.settings)
                except Exception as exc:  # any transport failure is retried later
                    error = f"{type(exc).__name__}: {exc}"
                    log.warning("outbox %s via %s failed: %s", message.id, message.channel, error)
            with transactional_session(self.session_factory) as dbsession:
                if error is None:
                    outbox.mark_sent(dbsession, message.id)
                else:
                    outbox.mark_failed(dbsession, message, error)
        return len(messages)

    def run_due_jobs(self) -> int:
        ran = 0
        for job in self.jobs:
            if self._take(job):
                ran += 1
                self._run(job)
        return ran

    def _take(self, job: PeriodicJob) -> bool:
        """Take the job if it is due; the conditional update lets only one worker win."""
        now = utcnow()
        with transactional_session(self.session_factory) as dbsession:
            row = dbsession.get(JobRun, job.name)
            if row is None:
                dbsession.add(JobRun(name=job.name, due_at=now))
                dbsession.flush()
                row = dbsession.get(JobRun, job.name)
            if row.due_at > now:
                return False
            taken = dbsession.execute(
                update(JobRun)
                .where(JobRun.name == job.name, JobRun.due_at == row.due_at)
                .values(due_at=now + timedelta(seconds=job.interval), last_started_at=now)
                .execution_options(synchronize_session=False)
            )
            return taken.rowcount == 1

    def _run(self, job: PeriodicJob) -> None:
        error = None
        try:
            with transactional_session(self.session_factory) as dbsession:
                job.run(JobContext(dbsession, self.settings))
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            log.exception("periodic job %s failed", job.name)
        with transactional_session(self.session_factory) as dbsession:
            dbsession.execute(
                update(JobRun).where(JobRun.name == job.name).values(last_finished_at=utcnow(), last_error=error)
            )


def job_runs(dbsession) -> list[JobRun]:
    return list(dbsession.scalars(select(JobRun).order_by(JobRun.name)))
