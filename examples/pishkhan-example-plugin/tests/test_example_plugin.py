"""The example plugin, registered with ``core.testing``'s ``register_plugin`` (see ../conftest.py)."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.app import make_app
from core.db import utcnow
from core.plugins import flatten
from core.testing import log_in
from core.worker import JobContext


@pytest.fixture
def heartbeat_model(engine):
    """The plugin's model, imported when a test runs rather than when tests are collected: the
    table joins ``core.db.Base``'s metadata, which the core's tests compare with a core-only database."""
    from pishkhan_example.models import Heartbeat

    return Heartbeat


def heartbeat_job(pluginmanager, settings):
    jobs = {job.name: job for job in flatten(pluginmanager.hook.pishkhan_periodic_jobs(settings=settings))}
    return jobs["example.heartbeat"]


def test_status_page_renders_in_persian_for_an_agent(testapp, demo_org):
    log_in(testapp, "agent")
    page = testapp.get("/example/")
    assert page.html.find("h1").text == "وضعیت سرویس‌ها"
    assert page.html.find(attrs={"data-testid": "example-greeting"}).text == "سلام! افزونهٔ نمونه نصب شده است."
    assert "هنوز ضربانی ثبت نشده است" in page.html.find(attrs={"data-testid": "example-heartbeat"}).text


def test_status_page_is_for_agents_only(testapp, demo_org):
    anonymous = testapp.get("/example/", status=303)
    assert "/login" in anonymous.location
    log_in(testapp, "student")
    testapp.get("/example/", status=403)


def test_navigation_item_sits_between_dashboard_and_administration(testapp, demo_org):
    log_in(testapp, "admin")
    page = testapp.get("/workspace")
    navigation = page.html.find("nav", attrs={"aria-label": True})
    links = [link["href"] for link in navigation.find_all("a")]
    positions = [links.index(path) for path in ("/workspace", "/example/", "/admin")]
    assert positions == sorted(positions)
    assert "وضعیت سرویس‌ها" in navigation.text


def test_periodic_job_writes_a_heartbeat_the_page_shows(testapp, demo_org, dbsession, pluginmanager, app_settings,
                                                        heartbeat_model):
    job = heartbeat_job(pluginmanager, app_settings)
    assert job.interval == 60

    job.run(JobContext(dbsession, app_settings))

    assert dbsession.scalar(select(func.count(heartbeat_model.id))) == 1
    log_in(testapp, "agent")
    status = testapp.get("/example/").html.find(attrs={"data-testid": "example-heartbeat"})
    assert status.find("time") is not None
    assert "۱" in status.text  # one heartbeat in the last hour, in Persian digits


def test_periodic_job_forgets_heartbeats_older_than_a_day(example_plugin, dbsession, pluginmanager, app_settings,
                                                          heartbeat_model):
    dbsession.add(heartbeat_model(beat_at=utcnow() - timedelta(days=2)))
    dbsession.flush()

    heartbeat_job(pluginmanager, app_settings).run(JobContext(dbsession, app_settings))

    assert dbsession.scalar(select(func.count(heartbeat_model.id))) == 1


def test_dashboard_widget_shows_the_last_heartbeat(testapp, demo_org, dbsession, pluginmanager, app_settings):
    heartbeat_job(pluginmanager, app_settings).run(JobContext(dbsession, app_settings))
    log_in(testapp, "agent")
    widget = testapp.get("/workspace").html.find(attrs={"data-widget": "example.heartbeat"})
    assert "ضربان سرویس" in widget.text
    assert widget.find("time") is not None
    assert widget.find("a")["href"] == "http://localhost/example/"


def test_greeting_from_the_ini_wins_over_the_default(example_plugin, pluginmanager, app_settings, engine):
    app = make_app({**app_settings, "example.greeting": "درود"}, pluginmanager=pluginmanager)
    assert app.registry.settings["example.greeting"] == "درود"
    default = make_app(dict(app_settings), pluginmanager=pluginmanager)
    assert default.registry.settings["example.greeting"] == "سلام! افزونهٔ نمونه نصب شده است."
