"""Plugins load through the ``pishkhan.plugins`` entry points, as an operator installs them.

The example plugin is installed with pip into a directory of its own and put on ``PYTHONPATH``
of the ``pishkhan`` and ``pserve`` commands run here, so this test process (and every other test)
never sees it. A broken plugin is a hand-made distribution in another directory.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from http.cookiejar import CookieJar
from importlib import metadata
from pathlib import Path

import pytest
import webtest
from bs4 import BeautifulSoup
from sqlalchemy import create_engine, inspect, text

from core import hookimpl
from core.app import make_app
from core.contracts import NavigationItem
from core.plugins import flatten, ordered
from core.testing import log_in

EXAMPLE_SOURCE = Path(__file__).resolve().parents[2] / "examples" / "pishkhan-example-plugin"
BIN = Path(sys.executable).parent
ADMIN_PASSWORD = "plugin-admin-password"
EXAMPLE_HOOKS = (
    "pishkhan_configure",
    "pishkhan_dashboard_widgets",
    "pishkhan_db_registrations",
    "pishkhan_navigation_items",
    "pishkhan_periodic_jobs",
    "pishkhan_settings_defaults",
)


# --- Helpers: commands, INI files, a served application -----------------------------------------

def environment(site: Path | None) -> dict:
    env = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    if site is not None:
        env["PYTHONPATH"] = str(site)
    return env


def run(command: list, site: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], check=False, env=environment(site), capture_output=True,
                          text=True, timeout=180)


def pishkhan(*args, site: Path | None = None) -> subprocess.CompletedProcess:
    return run([BIN / "pishkhan", *args], site=site)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_ini(directory: Path, **settings: str) -> Path:
    """An INI like development.ini: SQLite in ``directory``, every installed plugin enabled."""
    app = {
        "use": "egg:pishkhan",
        "sqlalchemy.url": f"sqlite:///{directory / 'pishkhan.sqlite'}",
        "session.secret": "plugin-test-secret",
        "pishkhan.plugins.enabled": "*",
        "pishkhan.plugins.disabled": "",
        **settings,
    }
    lines = ["[app:main]", *(f"{key} = {value}" for key, value in app.items()),
             "", "[server:main]", "use = egg:waitress#main", "listen = 127.0.0.1:%(http_port)s"]
    path = directory / "test.ini"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def prepare_database(ini: Path, site: Path | None) -> None:
    for command in (("db", "upgrade", ini),
                    ("users", "create", ini, "--username", "admin", "--password", ADMIN_PASSWORD, "--role", "admin")):
        result = pishkhan(*command, site=site)
        assert result.returncode == 0, result.stderr


@contextmanager
def served(ini: Path, site: Path | None):
    """``pserve ini`` (waitress) on a free port until the port answers; stopped afterwards."""
    host, port = "127.0.0.1", free_port()
    log_path = ini.with_suffix(".log")
    with log_path.open("w") as log:
        server = subprocess.Popen([str(BIN / "pserve"), str(ini), f"http_port={port}"], env=environment(site),
                                  stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"pserve exited with {server.returncode}: {log_path.read_text()}")
            try:
                socket.create_connection((host, port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"pserve did not listen within 60 seconds: {log_path.read_text()}")
                time.sleep(0.2)
        yield f"http://{host}:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


class Browser:
    """Just enough of a browser for these pages: cookies, redirects, forms with a CSRF token."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> tuple[int, BeautifulSoup]:
        try:
            with self.opener.open(self.base_url + path, timeout=30) as response:
                return response.status, BeautifulSoup(response.read(), "html.parser")
        except urllib.error.HTTPError as error:
            return error.code, BeautifulSoup(error.read(), "html.parser")

    def log_in(self, username: str, password: str) -> None:
        page = self.get("/login")[1]
        token = page.find("input", {"name": "csrf_token"})["value"]
        form = urllib.parse.urlencode({"username": username, "password": password, "csrf_token": token})
        with self.opener.open(self.base_url + "/login", data=form.encode(), timeout=30) as response:
            assert response.url.endswith("/workspace"), response.url


def plugin_lines(result: subprocess.CompletedProcess) -> dict[str, str]:
    assert result.returncode == 0, result.stderr
    return {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}


# --- The example plugin installed with pip -------------------------------------------------------

@pytest.fixture(scope="module")
def example_site(tmp_path_factory) -> Path:
    """``pip install --no-deps --target SITE examples/pishkhan-example-plugin``.

    pip builds in the source directory, so it builds a copy: the build leaves nothing in the tree.
    """
    source = tmp_path_factory.mktemp("source") / EXAMPLE_SOURCE.name
    shutil.copytree(EXAMPLE_SOURCE, source, ignore=shutil.ignore_patterns(
        "build", "*.egg-info", "__pycache__", "*.mo", ".pytest_cache"))
    site = tmp_path_factory.mktemp("site")
    result = run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-input", "--quiet",
                  "--target", site, source])
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="module")
def example_desk(example_site, tmp_path_factory) -> Path:
    """An INI over a database upgraded by ``pishkhan db upgrade`` with the example installed."""
    ini = write_ini(tmp_path_factory.mktemp("desk"))
    prepare_database(ini, example_site)
    return ini


def test_plugins_list_shows_the_installed_example_with_version_and_hooks(example_site, example_desk):
    line = plugin_lines(pishkhan("plugins", "list", example_desk, site=example_site))["example"]
    assert "pishkhan-example-plugin" in line
    assert "1.0.0" in line
    for hook in EXAMPLE_HOOKS:
        assert hook in line


def test_db_upgrade_applies_the_example_branch_and_the_worker_runs_its_job(example_site, example_desk):
    engine = create_engine(f"sqlite:///{example_desk.parent / 'pishkhan.sqlite'}")
    try:
        assert "example_heartbeats" in inspect(engine).get_table_names()
        with engine.connect() as connection:
            assert "example_0001" in set(connection.scalars(text("SELECT version_num FROM alembic_version_example")))

        result = pishkhan("worker", example_desk, "--once", site=example_site)
        assert result.returncode == 0, result.stderr
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM example_heartbeats")) >= 1
    finally:
        engine.dispose()


def test_waitress_serves_the_example_page_and_admin_lists_the_plugin(example_site, example_desk):
    with served(example_desk, example_site) as base_url:
        browser = Browser(base_url)
        browser.log_in("admin", ADMIN_PASSWORD)

        status, page = browser.get("/example/")
        assert status == 200
        assert page.find("h1").text == "وضعیت سرویس‌ها"  # the wheel ships the compiled catalog

        status, page = browser.get("/admin/plugins")
        assert status == 200
        row = page.find("tr", attrs={"data-plugin": "example"})
        assert row is not None
        assert "pishkhan-example-plugin" in row.text
        assert "1.0.0" in row.text
        assert "pishkhan_periodic_jobs" in row.text


def test_without_the_example_installed_the_app_starts_and_does_not_list_it(tmp_path):
    try:
        metadata.distribution("pishkhan-example-plugin")
    except metadata.PackageNotFoundError:
        pass
    else:
        pytest.skip("pishkhan-example-plugin is installed in this environment (pip install -e?)")
    ini = write_ini(tmp_path)
    prepare_database(ini, site=None)
    with served(ini, site=None) as base_url:
        browser = Browser(base_url)
        browser.log_in("admin", ADMIN_PASSWORD)
        status, page = browser.get("/admin/plugins")
        assert status == 200
        assert page.find(attrs={"data-testid": "plugins-table"}) is not None
        assert page.find("tr", attrs={"data-plugin": "example"}) is None
        assert browser.get("/example/")[0] == 404


def test_a_plugin_disabled_in_the_ini_is_not_loaded(example_site, tmp_path):
    ini = write_ini(tmp_path, **{"pishkhan.plugins.disabled": "example"})
    assert "example" not in plugin_lines(pishkhan("plugins", "list", ini, site=example_site))

    result = pishkhan("db", "upgrade", ini, site=example_site)
    assert result.returncode == 0, result.stderr
    engine = create_engine(f"sqlite:///{tmp_path / 'pishkhan.sqlite'}")
    try:
        assert "example_heartbeats" not in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_only_the_plugins_listed_as_enabled_are_loaded(example_site, tmp_path):
    ini = write_ini(tmp_path, **{"pishkhan.plugins.enabled": "example"})
    assert set(plugin_lines(pishkhan("plugins", "list", ini, site=example_site))) == {"example"}


# --- A broken plugin -----------------------------------------------------------------------------

@pytest.fixture
def broken_site(tmp_path) -> Path:
    """A distribution whose ``pishkhan.plugins`` entry point raises on import."""
    site = tmp_path / "site"
    package = site / "broken_plugin"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('raise RuntimeError("the broken plugin cannot start")\n')
    dist_info = site / "pishkhan_broken_plugin-0.1.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: pishkhan-broken-plugin\nVersion: 0.1\n")
    (dist_info / "entry_points.txt").write_text("[pishkhan.plugins]\nbroken = broken_plugin\n")
    return site


def test_a_broken_plugin_stops_start_up_with_a_message_naming_it(broken_site, tmp_path):
    ini = write_ini(tmp_path)

    result = pishkhan("plugins", "list", ini, site=broken_site)
    assert result.returncode == 1
    assert "Plugin 'broken' (broken_plugin) failed to load" in result.stderr
    assert "the broken plugin cannot start" in result.stderr

    server = run([BIN / "pserve", ini, f"http_port={free_port()}"], site=broken_site)
    assert server.returncode != 0
    assert "PluginLoadError: Plugin 'broken' (broken_plugin) failed to load" in server.stderr


def test_disabling_a_broken_plugin_lets_the_desk_start(broken_site, tmp_path):
    ini = write_ini(tmp_path, **{"pishkhan.plugins.disabled": "broken"})
    assert "broken" not in plugin_lines(pishkhan("plugins", "list", ini, site=broken_site))


def test_make_app_raises_plugin_load_error_for_a_broken_plugin(broken_site, tmp_path):
    script = textwrap.dedent(f"""
        from core.app import make_app
        from core.plugins import PluginLoadError
        try:
            make_app({{"sqlalchemy.url": "sqlite:///{tmp_path / 'app.sqlite'}", "session.secret": "s"}})
        except PluginLoadError as error:
            print(error)
        else:
            print("started")
    """)
    result = run([sys.executable, "-c", script], site=broken_site)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Plugin 'broken' (broken_plugin) failed to load: RuntimeError:")


# --- Navigation order: before/after, whatever the registration order ---------------------------

class Alpha:
    """Alphabetically first, but asks to come after the administration link."""

    @hookimpl
    def pishkhan_configure(self, config):
        config.add_route("alpha.index", "/alpha")

    @hookimpl
    def pishkhan_navigation_items(self, request):
        return [NavigationItem("alpha.index", "Alpha", "alpha.index", permission="workspace",
                               after=("core.admin",))]


class Zeta:
    """Alphabetically last, but asks to come before the dashboard."""

    @hookimpl
    def pishkhan_configure(self, config):
        config.add_route("zeta.index", "/zeta")

    @hookimpl
    def pishkhan_navigation_items(self, request):
        return [NavigationItem("zeta.index", "Zeta", "zeta.index", permission="workspace",
                               before=("core.dashboard",))]


REGISTRATION_ORDERS = pytest.mark.parametrize(
    "plugins", [(Alpha, Zeta), (Zeta, Alpha)], ids=["alpha-first", "zeta-first"]
)


@REGISTRATION_ORDERS
def test_ordered_honours_before_and_after(register_plugin, pluginmanager, plugins):
    for plugin in plugins:
        register_plugin(plugin(), plugin.__name__.lower())
    core_items = [
        NavigationItem("core.dashboard", "Dashboard", "core.dashboard"),
        NavigationItem("core.admin", "Administration", "core.admin", after=("core.dashboard",)),
    ]
    items = flatten(pluginmanager.hook.pishkhan_navigation_items(request=None)) + core_items
    assert [item.name for item in ordered(items)] == ["zeta.index", "core.dashboard", "core.admin", "alpha.index"]


def test_ordered_without_constraints_sorts_by_name():
    items = [NavigationItem(name, name, "core.home") for name in ("b.page", "c.page", "a.page")]
    assert [item.name for item in ordered(items)] == ["a.page", "b.page", "c.page"]


@REGISTRATION_ORDERS
def test_workspace_navigation_follows_before_and_after(register_plugin, pluginmanager, app_settings, engine,
                                                       dbsession, demo_org, plugins):
    for plugin in plugins:
        register_plugin(plugin(), plugin.__name__.lower())
    app = make_app(dict(app_settings), pluginmanager=pluginmanager)
    testapp = webtest.TestApp(app, extra_environ={"app.dbsession": dbsession, "REMOTE_ADDR": "10.0.0.1",
                                                  "HTTP_HOST": "localhost"})
    log_in(testapp, "admin")
    navigation = testapp.get("/workspace").html.find("nav", attrs={"aria-label": True})
    links = [link["href"] for link in navigation.find_all("a")]
    positions = [links.index(path) for path in ("/zeta", "/workspace", "/admin", "/alpha")]
    assert positions == sorted(positions)
