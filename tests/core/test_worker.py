"""Periodic jobs run by ``Worker.run_due_jobs`` on committed data, and ``pishkhan worker`` itself."""
from __future__ import annotations

import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from core import hookimpl, outbox
from core.contracts import PeriodicJob
from core.db import transactional_session, utcnow
from core.models import JobRun
from core.models import OutboxMessage as OutboxRow
from core.testing import empty_worker_tables
from core.worker import JOB_LEASE_SECONDS, JobContext, Worker

PISHKHAN = Path(sys.executable).with_name("pishkhan")


class JobsPlugin:
    def __init__(self, *jobs: PeriodicJob) -> None:
        self.jobs = list(jobs)

    @hookimpl
    def pishkhan_periodic_jobs(self, settings):
        return self.jobs


class CountingJob:
    """A job body that counts its runs and, through its context, enqueues one outbox message."""

    def __init__(self, error: Exception | None = None, pause: float = 0) -> None:
        self.runs = 0
        self.error = error
        self.pause = pause
        self.lock = threading.Lock()

    def __call__(self, context: JobContext) -> None:
        with self.lock:
            self.runs += 1
        time.sleep(self.pause)
        outbox.enqueue(context.dbsession, channel="test", recipient="ops@example.org", subject="گزارش روزانه")
        if self.error is not None:
            raise self.error


@pytest.fixture
def new_worker(session_factory, pluginmanager, app_settings):
    return lambda: Worker(session_factory, pluginmanager, app_settings)


def job_run(session_factory, name: str) -> JobRun:
    with session_factory() as dbsession:
        return dbsession.get(JobRun, name)


def outbox_count(session_factory) -> int:
    with session_factory() as dbsession:
        return dbsession.scalar(select(func.count()).select_from(OutboxRow))


def make_due(session_factory, name: str) -> None:
    with transactional_session(session_factory) as dbsession:
        dbsession.execute(update(JobRun).where(JobRun.name == name).values(due_at=utcnow() - timedelta(seconds=1)))


def test_job_runs_when_due_and_not_again_before_its_interval(session_factory, register_plugin, new_worker):
    report = CountingJob()
    register_plugin(JobsPlugin(PeriodicJob("daily_report", 86400, report)), "jobs")
    worker = new_worker()

    before = utcnow()
    assert worker.run_due_jobs() == 1
    assert worker.run_due_jobs() == 0
    assert new_worker().run_due_jobs() == 0
    assert report.runs == 1
    assert outbox_count(session_factory) == 1  # the job's transaction was committed

    row = job_run(session_factory, "daily_report")
    assert before <= row.last_started_at <= row.last_finished_at <= utcnow()
    assert row.due_at == row.last_started_at + timedelta(days=1)
    assert row.last_error is None

    make_due(session_factory, "daily_report")
    assert worker.run_due_jobs() == 1
    assert report.runs == 2


def test_failing_job_records_its_error_and_the_worker_goes_on(session_factory, register_plugin, new_worker):
    broken, healthy = CountingJob(error=ValueError("bad data")), CountingJob()
    register_plugin(JobsPlugin(PeriodicJob("broken", 60, broken), PeriodicJob("healthy", 60, healthy)), "jobs")
    worker = new_worker()

    assert worker.run_due_jobs() == 2
    assert (broken.runs, healthy.runs) == (1, 1)
    assert outbox_count(session_factory) == 1  # the failed job's transaction was rolled back
    failed = job_run(session_factory, "broken")
    assert failed.last_error == "ValueError: bad data"
    assert failed.last_finished_at is not None
    assert failed.due_at == failed.last_started_at + timedelta(seconds=60)
    assert job_run(session_factory, "healthy").last_error is None

    broken.error = None
    make_due(session_factory, "broken")
    assert worker.run_due_jobs() == 1
    assert job_run(session_factory, "broken").last_error is None


def test_two_workers_at_the_same_moment_run_a_job_once(session_factory, register_plugin, new_worker, engine):
    job = CountingJob(pause=0.05)
    register_plugin(JobsPlugin(PeriodicJob("cleanup", 3600, job)), "jobs")
    workers = [new_worker(), new_worker()]

    start = threading.Barrier(len(workers))  # reusable: it resets once both have passed

    def run(worker: Worker) -> int:
        start.wait()
        return worker.run_due_jobs()

    for round_ in range(1, 6):  # each round races on creating the job's row too
        empty_worker_tables(engine)
        with ThreadPoolExecutor(len(workers)) as pool:
            assert sorted(pool.map(run, workers)) == [0, 1]
        assert job.runs == round_


def test_a_running_job_is_not_taken_by_another_worker(session_factory, register_plugin, new_worker):
    started, release = threading.Event(), threading.Event()

    def slow(context: JobContext) -> None:
        started.set()
        release.wait(10)

    register_plugin(JobsPlugin(PeriodicJob("every_moment", 0, slow)), "jobs")
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(new_worker().run_due_jobs)
        assert started.wait(10)
        row = job_run(session_factory, "every_moment")
        assert row.due_at == row.last_started_at + timedelta(seconds=JOB_LEASE_SECONDS)
        assert new_worker().run_due_jobs() == 0  # its interval has passed, but it is still running
        release.set()
        assert first.result() == 1
    assert new_worker().run_due_jobs() == 1  # finished: due again after its (zero) interval


INI = """\
[app:main]
use = egg:pishkhan
sqlalchemy.url = sqlite:///%(here)s/pishkhan.sqlite
session.secret = smoke-test-secret
pishkhan.plugins.enabled = *
mail.host = 127.0.0.1
mail.port = 8025

[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = INFO
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)s [%(name)s] %(message)s
"""


def test_pishkhan_worker_once_exits_cleanly(tmp_path):
    ini = tmp_path / "smoke.ini"
    ini.write_text(INI, encoding="utf-8")

    def pishkhan(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(PISHKHAN), *args], check=False, capture_output=True, text=True, timeout=120)

    upgraded = pishkhan("db", "upgrade", str(ini))
    assert upgraded.returncode == 0, upgraded.stderr
    worked = pishkhan("worker", str(ini), "--once")
    assert worked.returncode == 0, worked.stderr
    assert "worker started" in worked.stderr
