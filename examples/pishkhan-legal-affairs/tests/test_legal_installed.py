"""Installing the department with pip adds its services to the catalog and its teams to routing,
with no change to Pishkhan's core or its plugins.

The package is installed with ``pip install --target SITE`` (offline: no dependencies, no build
isolation) and ``SITE`` is put on ``PYTHONPATH`` of the ``pishkhan`` and ``pserve`` commands run
here, so its entry point is found as an operator's installation finds it, while this test process
(and every other test) never sees it. The desk is then used over real HTTP as an integration
would (the catalog and tickets JSON APIs, with an API token) and as a guest would (the portal's
request form of the contract review).
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookiejar import CookieJar
from importlib import metadata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import create_engine, text

SOURCE = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CONTRACT_REVIEW = "10842190100"
LEGAL_ADVICE = "10842190200"
LAWYERS, FRONT_DESK = "کارشناسان حقوقی", "میز خدمت حقوقی"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def environment(site: Path | None) -> dict:
    env = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    if site is not None:
        env["PYTHONPATH"] = str(site)
    return env


def run(command: list, site: Path | None = None) -> str:
    result = subprocess.run([str(part) for part in command], env=environment(site), capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def pishkhan(*args, site: Path | None = None) -> str:
    return run([BIN / "pishkhan", *args], site=site)


def write_ini(directory: Path, name: str = "desk.ini", disabled: str = "") -> Path:
    """An INI like development.ini over the SQLite database of ``directory``."""
    ini = directory / name
    ini.write_text("\n".join([
        "[app:main]", "use = egg:pishkhan", f"sqlalchemy.url = sqlite:///{directory / 'pishkhan.sqlite'}",
        "session.secret = legal-test-secret", "pishkhan.plugins.enabled = *", f"pishkhan.plugins.disabled = {disabled}",
        "", "[server:main]", "use = egg:waitress#main", "listen = 127.0.0.1:%(http_port)s", "",
    ]), encoding="utf-8")
    return ini


@dataclass
class Desk:
    ini: Path
    token: str

    def department_id(self, code: str) -> int | None:
        engine = create_engine(f"sqlite:///{self.ini.parent / 'pishkhan.sqlite'}")
        try:
            with engine.connect() as connection:
                return connection.scalar(text("SELECT id FROM core_departments WHERE code = :code"), {"code": code})
        finally:
            engine.dispose()


def new_desk(directory: Path, site: Path | None, admin: bool = True) -> Desk:
    """A new SQLite database upgraded by ``pishkhan db upgrade`` with every installed plugin
    enabled, and (``admin``) an administrator's API token."""
    ini = write_ini(directory)
    pishkhan("db", "upgrade", ini, site=site)
    if not admin:
        return Desk(ini, token="")
    pishkhan("users", "create", ini, "--username", "admin", "--password", "legal-admin-password", "--role", "admin",
             site=site)
    return Desk(ini, pishkhan("tokens", "create", ini, "--user", "admin", site=site).strip())


class Api:
    """The desk's JSON API over HTTP, as an integration calls it (bearer token, no cookies)."""

    def __init__(self, base_url: str, token: str):
        self.base_url, self.token = base_url, token

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        headers = {"Content-Type": "application/json", "Accept": "application/json", "Accept-Language": "fa"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.base_url + path, method=method, headers=headers,
                                         data=json.dumps(body).encode() if body is not None else None)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            pytest.fail(f"{method} {path}: {error.code} {error.read().decode()}")

    def service_ids(self) -> dict[str, dict]:
        return {service["service_id"]: service for service in self.call("GET", "/api/v1/catalog/services")["services"]}

    def open_ticket(self, department_id: int, subject: str, **fields) -> dict:
        return self.call("POST", "/api/v1/tickets", {"department_id": department_id, "subject": subject, **fields})


class Portal:
    """Just enough of a browser for the portal's request form: cookies, redirects, multipart."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> BeautifulSoup:
        with self.opener.open(self.base_url + path, timeout=30) as response:
            return BeautifulSoup(response.read(), "html.parser")

    def post(self, path: str, fields: list[tuple[str, str | tuple[str, bytes]]]) -> BeautifulSoup:
        """Post ``fields`` in order (deform reads its mappings from the order); a file is
        ``(filename, content)``."""
        boundary = uuid.uuid4().hex
        body = b""
        for name, value in fields:
            if isinstance(value, tuple):
                body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{value[0]}"\r\n'
                         "Content-Type: application/octet-stream\r\n\r\n").encode() + value[1] + b"\r\n"
            else:
                body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        request = urllib.request.Request(self.base_url + path, data=body + f"--{boundary}--\r\n".encode(),
                                         headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        try:
            with self.opener.open(request, timeout=30) as response:
                return BeautifulSoup(response.read(), "html.parser")
        except urllib.error.HTTPError as error:  # a refused form: the page says why
            return BeautifulSoup(error.read(), "html.parser")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served(desk: Desk, site: Path | None):
    """``pserve`` (waitress) on a free port until the port answers; stopped afterwards."""
    port, log_path = free_port(), desk.ini.with_suffix(".log")
    with log_path.open("w") as log:
        server = subprocess.Popen([str(BIN / "pserve"), str(desk.ini), f"http_port={port}"], env=environment(site),
                                  stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"pserve exited with {server.returncode}: {log_path.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"pserve did not listen within 60 seconds: {log_path.read_text()}")
                time.sleep(0.2)
        yield Api(f"http://127.0.0.1:{port}", desk.token)
    finally:
        server.terminate()
        server.wait(timeout=30)


def not_installed_here() -> None:
    try:
        metadata.distribution("pishkhan-legal-affairs")
    except metadata.PackageNotFoundError:
        return
    pytest.skip("pishkhan-legal-affairs is installed in this environment (pip install -e?)")


@pytest.fixture(scope="module")
def legal_site() -> Path:
    """``pip install --no-deps --no-build-isolation --target SITE`` of a copy of the package (pip
    builds in the source directory; the copy keeps the tree clean). Removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="pishkhan-legal-") as scratch:
        source, site = Path(scratch) / SOURCE.name, Path(scratch) / "site"
        shutil.copytree(SOURCE, source, ignore=shutil.ignore_patterns(
            "build", "*.egg-info", "__pycache__", ".pytest_cache", "tests", "conftest.py"))
        run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-input", "--quiet",
             "--disable-pip-version-check", "--target", site, source])
        yield site


@pytest.fixture
def desk_dir() -> Path:
    """A directory for a desk's INI files, database and server log, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="pishkhan-legal-desk-") as scratch:
        yield Path(scratch)


def test_installing_the_package_adds_its_services_to_the_catalog_and_its_team_to_routing(legal_site, desk_dir):
    desk = new_desk(desk_dir, legal_site)
    legal = desk.department_id("legal")
    assert legal is not None

    with served(desk, legal_site) as api:
        catalog = api.service_ids()
        card = catalog[CONTRACT_REVIEW]
        assert card["title"] == "بررسی حقوقی پیش‌نویس قرارداد"
        assert card["department"] == {"code": "legal", "name": "امور حقوقی"}
        assert (card["type"], card["duration_days"], card["cost_rials"]) == ("internal", 5, 0)
        assert LEGAL_ADVICE in catalog

        contract = api.open_ticket(legal, "بررسی قرارداد اجاره سالن همایش با شرکت پارس")
        assert contract["team"]["name"] == LAWYERS
        question = api.open_ticket(legal, "پرسش درباره تعهد خدمت دانشجویان بورسیه",
                                   service_key=f"catalog:{LEGAL_ADVICE}")
        assert question["team"]["name"] == FRONT_DESK
        assert question["service"]["title"] == "مشاوره حقوقی کارکنان و دانشجویان"

        # A guest asks for the contract review on the portal, filling its form: the service's rule
        # sends it to the lawyers though its subject names no keyword.
        portal = Portal(api.base_url)
        form = portal.get(f"/requests/new?service=catalog:{CONTRACT_REVIEW}")
        assert form.find("select", {"name": "contract_kind"}) is not None
        receipt = portal.post("/requests/new", [
            ("csrf_token", form.find("input", {"name": "csrf_token"})["value"]),
            ("department", str(legal)), ("service", f"catalog:{CONTRACT_REVIEW}"),
            ("type", form.find("select", {"name": "type"}).find("option", selected=True)["value"]),
            ("urgency", "low"), ("subject", "پیش‌نویس اجاره سالن همایش"),
            ("description", "سالن همایش برای سه روز در دی‌ماه اجاره داده می‌شود."),
            ("__start__", "form:mapping"), ("contract_kind", "اجاره"), ("counterparty", "شركت پارس"),
            ("signing_date", "۱۴۰۵/۱۰/۰۱"), ("draft", ("draft.pdf", PDF)), ("approval_letter", ("", b"")),
            ("__end__", "form:mapping"), ("attachments", ("", b"")),
            ("guest_name", "رضا امیری"), ("guest_national_code", ""), ("guest_mobile", "۰۹۱۲۱۲۳۴۵۶۷"),
            ("guest_email", ""),
        ])
        assert receipt.find(class_="invalid-feedback") is None, receipt.find("main").text
        assert "پیش‌نویس اجاره سالن همایش" in receipt.text
        [review] = api.call("GET", f"/api/v1/tickets?service=catalog:{CONTRACT_REVIEW}")["items"]
        assert review["team"]["name"] == LAWYERS
        assert (review["status"], review["pending_reason"]) == ("pending", "approval")  # the card's approval step

    # Disabled in the INI (still installed, the same database): its services leave the catalog,
    # its tickets stay readable to the administrator.
    disabled = Desk(write_ini(desk_dir, "disabled.ini", disabled="legal"), desk.token)
    with served(disabled, legal_site) as api:
        catalog = api.service_ids()
        assert CONTRACT_REVIEW not in catalog and LEGAL_ADVICE not in catalog
        assert catalog  # the other departments' services are still there
        kept = api.call("GET", f"/api/v1/tickets/{contract['id']}")
        assert kept["team"]["name"] == LAWYERS
        assert kept["subject"] == contract["subject"]


def test_without_the_package_a_new_desk_has_no_legal_department_or_service(desk_dir):
    not_installed_here()
    desk = new_desk(desk_dir, site=None, admin=False)
    assert desk.department_id("legal") is None
    with served(desk, None) as api:  # the catalog is public: no token needed
        assert CONTRACT_REVIEW not in api.service_ids()
