"""Browser tests: Playwright (sync API) driving Debian's Chromium against a real waitress server.

- ``live_server``: the whole application (installed plugins included) served by waitress on a free
  loopback port from a background thread, over a fresh SQLite database migrated with Alembic and
  holding the Persian demo organization. One per session.
- ``browser``: Chromium, launched once per session. Without Chromium the browser tests are skipped
  with the reason, except in CI (``CI=true``), where a missing browser fails the run.
  ``PISHKHAN_CHROMIUM`` names another executable (``PISHKHAN_CHROMIUM=/nonexistent`` shows the skip).
- ``page``: a page in a new browser context per test (Persian locale, cookies of its own), with the
  server's address as base URL, so ``page.goto("/login")`` works.
- A failing test that used ``page`` leaves a screenshot in ``test-artifacts/screenshots/``.
"""
from __future__ import annotations

import os
import re
import shutil
import sys
import threading
from pathlib import Path

import pytest
import waitress
from waitress import wasyncore

from core import demo, migrate
from core.app import effective_settings, make_app
from core.db import get_engine, get_session_factory, import_models, transactional_session
from core.plugins import create_plugin_manager
from core.testing import IN_CI, base_settings

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
# Long enough for a slow CI machine, short enough that a broken page fails fast.
TIMEOUT_MS = 10_000


def chromium_executable() -> tuple[str | None, str]:
    """The browser to drive and, when there is none, why: ``PISHKHAN_CHROMIUM`` if set, else
    Debian's ``/usr/bin/chromium``, else ``chromium`` on PATH."""
    override = os.environ.get("PISHKHAN_CHROMIUM")
    if override:
        if os.access(override, os.X_OK):
            return override, ""
        return None, f"PISHKHAN_CHROMIUM={override} is not an executable Chromium"
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium", ""
    found = shutil.which("chromium")
    if found:
        return found, ""
    return None, (
        "Chromium not found (neither /usr/bin/chromium nor chromium on PATH); "
        "install it with `apt-get install chromium` to run the browser tests"
    )


def unavailable(reason: str):
    """Skip on a developer's machine; never skip in CI, where the browser must be installed."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: browser tests may not be skipped)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """Base URL of the application served by waitress; stopped at the end of the session."""
    database = tmp_path_factory.mktemp("browser-db") / "pishkhan.sqlite"
    settings = base_settings(f"sqlite:///{database}")
    settings["pishkhan.assets_dir"] = str(REPO_ROOT / "node_modules")
    # A few weeks of demo tickets instead of a year: the browser tests make their own.
    settings["tickets.demo_scale"] = "0.05"
    settings["tickets.attachments_dir"] = str(tmp_path_factory.mktemp("attachments"))

    pluginmanager = create_plugin_manager(settings)
    import_models(pluginmanager)
    full_settings = effective_settings(settings, pluginmanager)
    engine = get_engine(full_settings)
    migrate.upgrade(engine, pluginmanager)
    with transactional_session(get_session_factory(engine)) as dbsession:
        demo.populate(dbsession, pluginmanager, full_settings, demo=True)
    engine.dispose()

    app = make_app(dict(settings), pluginmanager=pluginmanager)
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=8)
    thread = threading.Thread(target=server.run, name="waitress-browser-tests", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        # Connections Chromium kept alive stay in the loop's map: close them so run() returns.
        wasyncore.close_all(server._map)
        thread.join(timeout=10)
        app.registry["db_engine"].dispose()


@pytest.fixture(scope="session")
def browser():
    executable, missing = chromium_executable()
    if executable is None:
        unavailable(missing)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable('the playwright package is not installed: pip install -e ".[testing]"')
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(locale="fa-IR", timezone_id="Asia/Tehran", base_url=live_server)
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def log_in(page):
    """``log_in(username)``: sign in through the login form, as a person would.

    ``reload=False`` types into the login page already shown (after a refused attempt).
    """

    def log_in(username: str, password: str = demo.DEMO_PASSWORD, *, reload: bool = True):
        if reload or not page.url.endswith("/login"):
            page.goto("/login")
        page.locator("#username").fill(username)
        page.locator("#password").fill(password)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        return page

    return log_in


def screenshot_name(nodeid_name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", nodeid_name).strip("_") + ".png"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when not in ("setup", "call") or not report.failed:
        return
    page = getattr(item, "funcargs", {}).get("page")
    if page is None or page.is_closed():
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / screenshot_name(item.name)
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception as error:  # noqa: BLE001 - the failure itself matters more than its picture
        message = f"could not save a screenshot: {type(error).__name__}: {error}"
    else:
        message = f"screenshot saved to {path}"
    report.sections.append(("screenshot", message))
    print(f"\n{item.nodeid}: {message}", file=sys.stderr)
