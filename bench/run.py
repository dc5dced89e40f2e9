"""``make bench``: Pishkhan under waitress with production-like settings, measured with wrk,
next to a hello-world WSGI app under the same waitress settings (the ceiling), on SQLite and on
PostgreSQL, with the tickets table seeded to each size asked for.

Environment variables:

``BENCH_TICKETS``        comma-separated ticket counts to seed and measure (default ``10000,1000000``)
``BENCH_DATABASES``      ``sqlite``, ``postgresql`` or both (default ``sqlite,postgresql``; PostgreSQL is
                         skipped with a warning when the default server does not answer)
``BENCH_POSTGRESQL_URL`` the PostgreSQL database to use, emptied first (default
                         ``postgresql+psycopg://postgres@127.0.0.1:5432/pishkhan_bench``, created if missing)
``BENCH_DURATION``       seconds per measurement (default 10)
``BENCH_WARMUP``         seconds of warm-up per target before measuring (default 2, 0 for none)
``BENCH_CONCURRENCY``    comma-separated connection counts (default ``8,32``)
``BENCH_PROCESSES``      serving processes (``pishkhan serve --processes``, default one per CPU)
``BENCH_KEEP``           set to 1 to keep the temporary directory (INI, SQLite files, server logs)

Every request goes to 127.0.0.1. See bench/README.md for how to read the tables.
"""
from __future__ import annotations

import datetime
import http.cookies
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
BIN = REPO / ".venv" / "bin" if (REPO / ".venv" / "bin").is_dir() else Path(sys.executable).parent
RESULTS_DIR = BENCH_DIR / "results"
REPORT_LUA = BENCH_DIR / "report.lua"
SEED = BENCH_DIR / "seed.py"

HOST = "127.0.0.1"
THREADS = 8
WRK_THREADS = 2
AGENT = ("agent", "pishkhan123")
REQUESTER = ("student", "pishkhan123")
# What the portal submission posts: a Persian IT request for a catalog service, with its form.
SUBMITTED_SERVICE = "catalog:10842110300"  # پشتیبانی اینترنت و شبکه بی‌سیم (plugins/it)
SUBMITTED_FORM = {"building": "کتابخانه مرکزی", "room": "طبقه دوم، سالن مطالعه",
                  "connection": "شبکه بی‌سیم eduroam", "scope": "فقط دستگاه من"}
SESSION_COOKIE = "pishkhan_session"
CSRF_FIELD = re.compile(rb'name="csrf_token" value="([^"]+)"')
TARGET_SHARE = 40  # portal home at concurrency 8 should reach this % of the ceiling
INSTALL_WRK = "sudo apt-get install -y wrk"
DEFAULT_TICKETS = "10000,1000000"
DEFAULT_DATABASES = "sqlite,postgresql"
DEFAULT_POSTGRESQL_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/pishkhan_bench"

CEILING = "hello-world ceiling"
HOME = "portal home /"
DASHBOARD = "agent dashboard /workspace"
QUEUE = "agent queue /desk/tickets"
TICKET = "ticket page /desk/tickets/{id}"
API_LIST = "API list /api/v1/tickets"
SUBMIT = "portal submission POST /requests/new"
# The targets: p95 in ms of the largest size, per database; and growth from the smallest size.
P95_LIMITS = {
    QUEUE: {"sqlite": 100, "postgresql": 50},
    API_LIST: {"sqlite": 100, "postgresql": 50},
    SUBMIT: {"sqlite": 50, "postgresql": 50},
}
GROWTH_LIMIT = 2.0
GROWTH_TARGETS = (QUEUE, TICKET, API_LIST, SUBMIT)


class BenchError(RuntimeError):
    pass


def submission(csrf_token: str, department_id: int) -> list[tuple[str, str]]:
    """The portal form's fields, then the service's own form as deform posts it."""
    return [("csrf_token", csrf_token), ("department", str(department_id)), ("service", SUBMITTED_SERVICE),
            ("type", "incident"), ("urgency", "medium"), ("subject", "وصل نشدن به شبکه بی‌سیم دانشگاه"),
            ("description", "سلام، از صبح امروز لپ‌تاپ من به شبکه بی‌سیم کتابخانه وصل نمی‌شود. لطفاً پیگیری کنید."),
            ("__start__", "form:mapping"), *SUBMITTED_FORM.items(), ("__end__", "form:mapping")]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise BenchError(f"{name} must be a whole number of seconds, not {value!r}") from None
    if number < 0 or number > 600:
        raise BenchError(f"{name} must be between 0 and 600")
    return number


def concurrency_levels() -> list[int]:
    raw = os.environ.get("BENCH_CONCURRENCY", "8,32")
    try:
        levels = [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise BenchError(f"BENCH_CONCURRENCY must be numbers separated by commas, not {raw!r}") from None
    if not levels or any(level < WRK_THREADS or level > 512 for level in levels):
        raise BenchError(f"BENCH_CONCURRENCY values must be between {WRK_THREADS} and 512")
    return levels


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# --- configuration --------------------------------------------------------------------------

SERVER_SECTION = """\
[server:main]
use = egg:waitress#main
listen = {host}:{port}
threads = {threads}
trusted_proxy = 127.0.0.1
trusted_proxy_headers = x-forwarded-for x-forwarded-proto x-forwarded-host
clear_untrusted_proxy_headers = yes
"""

LOGGING_SECTIONS = """\
[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(asctime)s %(levelname)-5.5s [%(name)s][%(threadName)s] %(message)s
"""


def ini_value(value: str) -> str:
    """A value for the INI file: ConfigParser interpolates ``%``."""
    return value.replace("%", "%%")


def app_ini(port: int, database_url: str) -> str:
    """production.ini with the secrets and the database filled in, no debug toolbar."""
    return f"""\
# Written by bench/run.py: production.ini with fixed values instead of the environment.
[app:main]
use = egg:pishkhan
pyramid.reload_templates = false
pyramid.debug_authorization = false
pyramid.debug_notfound = false
pyramid.debug_routematch = false
pyramid.includes =

sqlalchemy.url = {ini_value(database_url)}
sqlalchemy.pool_size = 10
session.secret = bench-fixed-secret-not-for-production-0123456789abcdef
session.secure = true
pishkhan.assets_dir = {ini_value(str(REPO / "node_modules"))}

pishkhan.plugins.enabled = *
pishkhan.plugins.disabled =
# The organization only: bench/seed.py writes the tickets.
tickets.demo_scale = 0

mail.host = 127.0.0.1
mail.port = 25
mail.sender = پیشخوان <no-reply@example.ac.ir>

{SERVER_SECTION.format(host=HOST, port=port, threads=THREADS)}
{LOGGING_SECTIONS}"""


def hello_ini(port: int) -> str:
    return f"""\
# Written by bench/run.py: the hello-world ceiling under the same waitress settings.
[app:main]
use = call:bench.hello:make_app

{SERVER_SECTION.format(host=HOST, port=port, threads=THREADS)}
{LOGGING_SECTIONS}"""


# --- processes --------------------------------------------------------------------------------


def child_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_command(args: list[str], what: str, timeout: int = 300) -> str:
    try:
        done = subprocess.run(
            args, cwd=REPO, env=child_env(), capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        raise BenchError(f"{what} took more than {timeout} s") from None
    if done.returncode != 0:
        raise BenchError(f"{what} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


def processes() -> int:
    """Serving processes: ``pishkhan serve --processes``, one per CPU unless BENCH_PROCESSES says."""
    raw = os.environ.get("BENCH_PROCESSES", "").strip()
    if not raw:
        return os.cpu_count() or 1
    if not raw.isdigit() or not 1 <= int(raw) <= 64:
        raise BenchError(f"BENCH_PROCESSES must be a number of processes from 1 to 64, not {raw!r}")
    return int(raw)


class Server:
    """``pishkhan serve`` (waitress in several processes) in its own process group, logging to a file."""

    def __init__(self, name: str, ini: Path, port: int, workdir: Path):
        self.name = name
        self.ini = ini
        self.port = port
        self.log_path = workdir / f"{name}.log"
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        log = open(self.log_path, "wb")
        try:
            self.process = subprocess.Popen(
                [str(BIN / "pishkhan"), "serve", str(self.ini), "--processes", str(processes())],
                cwd=REPO,
                env=child_env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            log.close()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with socket.create_connection((HOST, self.port), timeout=1):
                    pass
                status, _, _ = http_get(self.base_url + "/")
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise BenchError(f"{self.name} did not answer on {self.base_url} within {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                return
            try:
                process.wait(timeout=grace)
                return
            except subprocess.TimeoutExpired:
                continue


# --- HTTP with urllib (no redirects followed, cookies by hand: the session cookie is Secure) --


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


OPENER = urllib.request.build_opener(NoRedirect, urllib.request.ProxyHandler({}))


def check_local(url: str) -> None:
    if urllib.parse.urlsplit(url).hostname != HOST:
        raise BenchError(f"refusing to send a request outside {HOST}: {url}")


def http_request(url: str, data: bytes | None = None, headers: dict | None = None):
    """(status, headers, body) of one request; 3xx and 4xx are answers, not exceptions."""
    check_local(url)
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with OPENER.open(request, timeout=15) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def http_get(url: str, headers: dict | None = None):
    return http_request(url, headers=headers)


def session_cookie(headers) -> str | None:
    for value in headers.get_all("Set-Cookie") or []:
        jar = http.cookies.SimpleCookie()
        jar.load(value)
        if SESSION_COOKIE in jar:
            return jar[SESSION_COOKIE].value
    return None


def log_in(base_url: str, username: str, password: str, landing: str) -> tuple[str, bytes]:
    """The ``Cookie`` header value of a signed-in session of ``username``, and the ``landing`` page."""
    status, headers, body = http_get(base_url + "/login")
    if status != 200:
        raise BenchError(f"GET /login answered {status}")
    match = CSRF_FIELD.search(body)
    cookie = session_cookie(headers)
    if match is None or cookie is None:
        raise BenchError("GET /login gave no csrf_token field or no session cookie")
    form = urllib.parse.urlencode(
        {"csrf_token": match.group(1).decode(), "username": username, "password": password, "came_from": ""}
    ).encode()
    status, headers, body = http_request(
        base_url + "/login",
        data=form,
        headers={
            "Cookie": f"{SESSION_COOKIE}={cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    if status != 303:
        raise BenchError(f"logging in as {username!r} answered {status}, not 303 (wrong password? CSRF?)")
    cookie = session_cookie(headers)
    if cookie is None:
        raise BenchError("logging in set no session cookie")
    # A browser keeps the cookie the first page sets (login clears the session, so the first page
    # after it adds a new CSRF token): take it, so that pages are measured as a browser sees them
    # from its second page on, not re-signing a new cookie on every request.
    status, headers, body = http_get(base_url + landing, {"Cookie": f"{SESSION_COOKIE}={cookie}"})
    if status != 200:
        raise BenchError(f"GET {landing} after logging in as {username!r} answered {status} "
                         f"{headers.get('Location', '')}")
    return f"{SESSION_COOKIE}={session_cookie(headers) or cookie}", body


# --- targets and measurements ---------------------------------------------------------------


class Target:
    """One page to measure: a GET, or a form POST (``body``) answered by ``expect`` (a redirect)."""

    def __init__(self, name: str, url: str, headers: dict | None = None, marker: bytes | None = None,
                 body: str | None = None, expect: int = 200, redirect_marker: str | None = None):
        self.name = name
        self.url = url
        self.headers = headers or {}
        self.marker = marker
        self.body = body
        self.expect = expect
        self.redirect_marker = redirect_marker

    def verify(self) -> None:
        data = self.body.encode() if self.body is not None else None
        status, headers, body = http_request(self.url, data=data, headers=self.headers)
        if status != self.expect:
            location = headers.get("Location", "")
            raise BenchError(f"{self.name}: {self.url} answered {status}, not {self.expect} {location}".rstrip())
        if self.marker is not None and self.marker not in body:
            raise BenchError(f"{self.name}: {self.url} answered {status} but is not the expected page")
        if self.redirect_marker is not None and self.redirect_marker not in headers.get("Location", ""):
            raise BenchError(f"{self.name}: {self.url} sent to {headers.get('Location')!r}, not to a "
                             f"{self.redirect_marker!r} page")


def wrk(target: Target, connections: int, duration: int) -> dict:
    check_local(target.url)
    args = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout", "10s",
        "-s", str(REPORT_LUA),
    ]
    for name, value in target.headers.items():
        args += ["-H", f"{name}: {value}"]
    args.append(target.url)
    # report.lua reads the request to send and the status to expect from the environment.
    env = dict(os.environ, BENCH_EXPECT_STATUS=str(target.expect))
    if target.body is not None:
        env.update(BENCH_METHOD="POST", BENCH_BODY=target.body)
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=duration + 60, env=env)
    except subprocess.TimeoutExpired:
        raise BenchError(f"wrk on {target.name} did not finish") from None
    if done.returncode != 0:
        raise BenchError(f"wrk on {target.name} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            return json.loads(line[len("BENCH_RESULT "):])
    raise BenchError(f"wrk printed no BENCH_RESULT line for {target.name}:\n{done.stdout}{done.stderr}")


def wrk_version() -> str:
    done = subprocess.run(["wrk", "-v"], capture_output=True, text=True, timeout=10)
    return (done.stdout + done.stderr).strip().splitlines()[0] if (done.stdout + done.stderr).strip() else "wrk"


def git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def ms(microseconds: float) -> str:
    return f"{microseconds / 1000:.1f}"


def share(percent: float) -> str:
    """A share of the ceiling; tenths below 10 %, where the application's pages are."""
    return f"{percent:.1f}%" if percent < 10 else f"{percent:.0f}%"


def print_table(rows: list[dict]) -> None:
    header = ("target", "conc.", "req/s", "p50 ms", "p95 ms", "p99 ms", "% ceiling", "unexpected", "errors")
    lines = [header]
    for row in rows:
        lines.append((
            row["target"],
            str(row["concurrency"]),
            f"{row['rps']:.0f}",
            ms(row["p50_us"]),
            ms(row["p95_us"]),
            ms(row["p99_us"]),
            share(row["pct_of_ceiling"]),
            str(row["unexpected"]),
            str(row["socket_errors"]),
        ))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for index, line in enumerate(lines):
        cells = [line[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(line[1:], widths[1:], strict=True)]
        print("  ".join(cells))
        if index == 0:
            print("  ".join("-" * width for width in widths))


# --- what to measure ----------------------------------------------------------------------


def ticket_sizes() -> list[int]:
    raw = os.environ.get("BENCH_TICKETS", DEFAULT_TICKETS)
    try:
        sizes = [int(part.replace("_", "")) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise BenchError(f"BENCH_TICKETS must be ticket counts separated by commas, not {raw!r}") from None
    if not sizes or any(size < 100 or size > 20_000_000 for size in sizes):
        raise BenchError("BENCH_TICKETS values must be between 100 and 20000000")
    return sorted(set(sizes))


def databases(default_postgresql_url: str = DEFAULT_POSTGRESQL_URL) -> list[tuple[str, str | None]]:
    """``[(name, url)]`` from ``BENCH_DATABASES``; the SQLite URL is made by each script (``None``
    here). Every bench script (tickets, knowledge search, catalog) chooses its databases so."""
    explicit = "BENCH_DATABASES" in os.environ
    names = [part.strip() for part in os.environ.get("BENCH_DATABASES", DEFAULT_DATABASES).split(",") if part.strip()]
    unknown = [name for name in names if name not in ("sqlite", "postgresql")]
    if unknown or not names:
        raise BenchError(f"BENCH_DATABASES lists sqlite and/or postgresql, not {', '.join(unknown) or 'nothing'}")
    chosen = []
    for name in names:
        if name == "sqlite":
            chosen.append(("sqlite", None))
            continue
        url = os.environ.get("BENCH_POSTGRESQL_URL", default_postgresql_url)
        if not url.startswith("postgresql"):
            raise BenchError(f"BENCH_POSTGRESQL_URL must be a postgresql+psycopg:// URL, not {url!r}")
        if not server_answers(url):
            if explicit:
                raise BenchError(f"PostgreSQL does not answer at {hidden_password(url)}; start it, set "
                                 "BENCH_POSTGRESQL_URL, or measure SQLite only (BENCH_DATABASES=sqlite)")
            print(f"bench: warning: PostgreSQL does not answer at {hidden_password(url)}; measuring SQLite only "
                  "(set BENCH_DATABASES=postgresql to make this an error)", file=sys.stderr)
            continue
        chosen.append(("postgresql", url))
    return chosen


def server_answers(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or HOST, parts.port or 5432), timeout=3):
            return True
    except OSError:
        return False


def hidden_password(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


# --- one database at one size -----------------------------------------------------------------


class Setup:
    """A database seeded with ``tickets`` tickets, Pishkhan serving it, and the pages to measure."""

    def __init__(self, workdir: Path, database: str, url: str | None, tickets: int):
        self.workdir = workdir
        self.database = database
        self.tickets = tickets
        self.label = f"{database}, {tickets:,} tickets"
        self.sqlite_path = workdir / f"bench-{tickets}.sqlite" if url is None else None
        self.url = f"sqlite:///{self.sqlite_path}" if url is None else url
        self.ini = workdir / f"bench-{database}-{tickets}.ini"
        self.server: Server | None = None
        self.seeding: dict = {}

    def prepare(self) -> None:
        """Empty database, schema, demo organization, seeded tickets, an API token, the server."""
        port = free_port()
        self.ini.write_text(app_ini(port, self.url), encoding="utf-8")
        print(f"bench: [{self.label}] preparing the database", flush=True)
        python = str(BIN / "python")
        run_command([python, str(SEED), str(self.ini), "--reset"], "emptying the database")
        run_command([str(BIN / "pishkhan"), "db", "upgrade", str(self.ini)], "pishkhan db upgrade")
        run_command([str(BIN / "pishkhan"), "demo", "load", str(self.ini)], "pishkhan demo load")
        self.seeding = seed_tickets(self.ini, self.tickets)
        self.token = run_command([str(BIN / "pishkhan"), "tokens", "create", str(self.ini), "--user", AGENT[0]],
                                 "pishkhan tokens create").strip().splitlines()[-1]
        self.server = Server(f"pishkhan-{self.database}-{self.tickets}", self.ini, port, self.workdir)
        self.server.start()
        self.server.wait_ready()

    def targets(self) -> list[Target]:
        base = self.server.base_url
        agent, _ = log_in(base, *AGENT, landing="/workspace")
        requester, form_page = log_in(base, *REQUESTER, landing="/requests/new")
        match = CSRF_FIELD.search(form_page)
        if match is None:
            raise BenchError("GET /requests/new as the requester shows no csrf_token field")
        form = urllib.parse.urlencode(submission(match.group(1).decode(), self.seeding["department_id"]))
        return [
            Target(HOME, base + "/", marker=b'data-testid="jalali-today"'),
            Target(DASHBOARD, base + "/workspace", headers={"Cookie": agent}, marker=b'data-testid="current-user"'),
            Target(QUEUE, base + "/desk/tickets", headers={"Cookie": agent}, marker=b'data-testid="ticket-link"'),
            Target(TICKET, f"{base}/desk/tickets/{self.seeding['open_ticket_id']}", headers={"Cookie": agent},
                   marker=b'data-testid="ticket-details"'),
            Target(API_LIST, base + "/api/v1/tickets", headers={"Authorization": f"Bearer {self.token}"},
                   marker=b'"tracking_code"'),
            Target(SUBMIT, base + "/requests/new", body=form, expect=303, redirect_marker="/receipt",
                   headers={"Cookie": requester, "Content-Type": "application/x-www-form-urlencoded"}),
        ]

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()
        if self.sqlite_path is not None and os.environ.get("BENCH_KEEP") != "1":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.sqlite_path}{suffix}").unlink(missing_ok=True)


def seed_tickets(ini: Path, tickets: int) -> dict:
    """Run bench/seed.py, showing its progress lines, and return its SEED_RESULT."""
    args = [str(BIN / "python"), str(SEED), str(ini), "--tickets", str(tickets)]
    process = subprocess.Popen(args, cwd=REPO, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    result, output = None, []
    for line in process.stdout:
        output.append(line)
        if line.startswith("SEED_RESULT "):
            result = json.loads(line[len("SEED_RESULT "):])
        elif line.startswith("seed:"):
            print(f"bench: {line.rstrip()}", flush=True)
    if process.wait() != 0 or result is None:
        raise BenchError(f"seeding {tickets} tickets failed (exit {process.returncode}):\n{''.join(output[-30:])}")
    return result


def measure(setup: Setup, ceiling: Target, levels: list[int], duration: int, warmup: int) -> list[dict]:
    targets = setup.targets()
    for target in [ceiling, *targets]:
        target.verify()
    if warmup:
        print(f"bench: [{setup.label}] warming up ({warmup} s per target)", flush=True)
        for target in targets:
            wrk(target, min(levels), warmup)
    rows = []
    for connections in levels:
        # The ceiling is measured before and after the application's targets and the mean is
        # used: on a busy machine it drifts, and a figure taken once would skew the percentages.
        measured = []
        for target in [ceiling, *targets, ceiling]:
            print(f"bench: [{setup.label}] {target.name} at concurrency {connections} ({duration} s)", flush=True)
            result = wrk(target, connections, duration)
            result.update(
                target=target.name,
                url_path=urllib.parse.urlsplit(target.url).path,
                concurrency=connections,
                database=setup.database,
                tickets=setup.tickets,
                socket_errors=sum(
                    result[key] for key in ("connect_errors", "read_errors", "write_errors", "timeouts")
                ),
            )
            measured.append(result)
        ceiling_row = mean_ceiling(measured[0], measured[-1])
        for result in [ceiling_row, *measured[1:-1]]:
            result["pct_of_ceiling"] = 100.0 * result["rps"] / ceiling_row["rps"] if ceiling_row["rps"] else 0.0
            rows.append(result)
        targets[1].verify()  # the dashboard is still the dashboard: the session did not lapse
    return rows


def mean_ceiling(before: dict, after: dict) -> dict:
    ceiling = dict(before)
    for key in ("requests", "bytes", "unexpected", "redirects", "status_errors", "connect_errors",
                "read_errors", "write_errors", "timeouts", "socket_errors"):
        ceiling[key] = before[key] + after[key]
    for key in ("rps", "p50_us", "p95_us", "p99_us", "mean_us"):
        ceiling[key] = (before[key] + after[key]) / 2
    ceiling["max_us"] = max(before["max_us"], after["max_us"])
    ceiling["duration_s"] = before["duration_s"] + after["duration_s"]
    ceiling["ceiling_rps_before_after"] = [before["rps"], after["rps"]]
    low, high = sorted((before["rps"], after["rps"]))
    ceiling["ceiling_unsteady"] = bool(high and (high - low) / high > 0.2)
    return ceiling


# --- verdicts -------------------------------------------------------------------------------


def verdicts(rows: list[dict]) -> list[dict]:
    """The issue's targets, checked at every concurrency: p95 limits at the largest size, and
    p95 at the largest size within twice the p95 at the smallest."""
    found = []
    index = {(row["database"], row["tickets"], row["target"], row["concurrency"]): row for row in rows}
    for database in sorted({row["database"] for row in rows}):
        sizes = sorted({row["tickets"] for row in rows if row["database"] == database})
        levels = sorted({row["concurrency"] for row in rows if row["database"] == database})
        for connections in levels:
            for target, limits in P95_LIMITS.items():
                row = index.get((database, sizes[-1], target, connections))
                if row is not None:
                    p95 = row["p95_us"] / 1000
                    failed = row["unexpected"] + row["socket_errors"]
                    found.append({"database": database, "tickets": sizes[-1], "concurrency": connections,
                                  "target": target, "check": f"p95 ≤ {limits[database]} ms",
                                  "value": f"{p95:.1f} ms" + (f" ({failed} failed)" if failed else ""),
                                  "met": p95 <= limits[database] and not failed})
            if len(sizes) < 2:
                continue
            for target in GROWTH_TARGETS:
                small = index.get((database, sizes[0], target, connections))
                large = index.get((database, sizes[-1], target, connections))
                if small and large and small["p95_us"]:
                    ratio = large["p95_us"] / small["p95_us"]
                    failed = sum(row["unexpected"] + row["socket_errors"] for row in (small, large))
                    found.append({"database": database, "tickets": sizes[-1], "concurrency": connections,
                                  "target": target, "check": f"p95 within {GROWTH_LIMIT:.0f}× of {sizes[0]:,} tickets",
                                  "value": f"{ratio:.2f}×" + (f" ({failed} failed)" if failed else ""),
                                  "met": ratio <= GROWTH_LIMIT and not failed})
    return found


def print_verdicts(found: list[dict]) -> None:
    for verdict in found:
        mark = "met" if verdict["met"] else "NOT met"
        print(f"{verdict['database']:10} {verdict['tickets']:>9,} tickets  c={verdict['concurrency']:<3} "
              f"{verdict['target']:38} {verdict['check']:32} {verdict['value']:>20}  {mark}")


def markdown(report: dict) -> str:
    """The tables of bench/results/latest.md (what bench/README.md summarizes)."""
    lines = [f"# Benchmark {report['measured_at']} (commit {report['git_commit']}"
             f"{', uncommitted changes' if report['git_uncommitted_changes'] else ''})", "",
             f"{report['cpus']} CPUs, pishkhan serve --processes {report['processes']} with waitress "
             f"threads={report['waitress_threads']} each, {report['wrk']}, "
             f"{report['duration_s']} s per measurement, Python {report['python']}.", ""]
    for setup in report["setups"]:
        seeding = setup["seeding"]
        lines += [f"## {setup['database']}, {setup['tickets']:,} tickets", "",
                  f"Seeded in {seeding['seconds']} s: **{seeding['tickets_per_second']:,} tickets/s** "
                  f"({seeding['open_tickets']:,} open).", "",
                  "| target | conc. | req/s | p50 ms | p95 ms | p99 ms | % ceiling | unexpected | errors |",
                  "|---|--:|--:|--:|--:|--:|--:|--:|--:|"]
        for row in report["results"]:
            if row["database"] == setup["database"] and row["tickets"] == setup["tickets"]:
                lines.append(f"| {row['target']} | {row['concurrency']} | {row['rps']:.0f} | {ms(row['p50_us'])} | "
                             f"{ms(row['p95_us'])} | {ms(row['p99_us'])} | {share(row['pct_of_ceiling'])} | "
                             f"{row['unexpected']} | {row['socket_errors']} |")
        lines.append("")
    lines += ["## Targets", "", "| database | tickets | conc. | target | check | value | |",
              "|---|--:|--:|---|---|--:|---|"]
    for verdict in report["verdicts"]:
        lines.append(f"| {verdict['database']} | {verdict['tickets']:,} | {verdict['concurrency']} | "
                     f"{verdict['target']} | {verdict['check']} | {verdict['value']} | "
                     f"{'met' if verdict['met'] else '**not met**'} |")
    return "\n".join(lines) + "\n"


# --- the run --------------------------------------------------------------------------------


def benchmark() -> int:
    if shutil.which("wrk") is None:
        print("bench: the load tool wrk is not installed. Install it with:", file=sys.stderr)
        print(f"    {INSTALL_WRK}", file=sys.stderr)
        return 2
    duration = env_int("BENCH_DURATION", 10)
    if duration < 1:
        raise BenchError("BENCH_DURATION must be at least 1 second")
    warmup = env_int("BENCH_WARMUP", 2)
    levels = concurrency_levels()
    sizes = ticket_sizes()
    chosen = databases()
    if not chosen:
        raise BenchError("no database to measure")

    workdir = Path(tempfile.mkdtemp(prefix="pishkhan-bench-"))
    hello_server = None
    setups: list[Setup] = []
    try:
        hello = workdir / "hello.ini"
        hello_port = free_port()
        hello.write_text(hello_ini(hello_port), encoding="utf-8")
        hello_server = Server("hello", hello, hello_port, workdir)
        hello_server.start()
        hello_server.wait_ready()
        ceiling = Target(CEILING, hello_server.base_url + "/", marker=b"Hello, world!")
        print(f"bench: {workdir} · databases {', '.join(name for name, _ in chosen)} · tickets "
              f"{', '.join(f'{size:,}' for size in sizes)} · {processes()} processes × waitress "
              f"threads={THREADS} · {os.cpu_count()} CPUs · {duration} s per run", flush=True)

        rows = []
        for database, url in chosen:
            for size in sizes:
                setup = Setup(workdir, database, url, size)
                setups.append(setup)
                try:
                    setup.prepare()
                    rows += measure(setup, ceiling, levels, duration, warmup)
                finally:
                    setup.close()

        found = verdicts(rows)
        for setup in setups:
            print()
            print(f"{setup.label} — seeded at {setup.seeding['tickets_per_second']:,} tickets/s "
                  f"({setup.seeding['seconds']} s)")
            print_table([row for row in rows if row["database"] == setup.database and row["tickets"] == setup.tickets])
        print()
        home = next((row for row in rows if row["target"] == HOME and row["concurrency"] == 8), None)
        headline = None
        if home is not None:
            headline = home["pct_of_ceiling"]
            verdict = "met" if headline >= TARGET_SHARE else "NOT met"
            print(f"portal home at concurrency 8: {headline:.0f}% of the ceiling "
                  f"(target ≥ {TARGET_SHARE}%) — {verdict}")
        print_verdicts(found)
        unsteady = [f"{row['database']} {row['tickets']:,} tickets, concurrency {row['concurrency']}: "
                    f"{row['ceiling_rps_before_after'][0]:.0f} then {row['ceiling_rps_before_after'][1]:.0f} req/s"
                    for row in rows if row.get("ceiling_unsteady")]
        for note in unsteady:
            print(f"warning: the ceiling moved by more than 20% during the run ({note}): the machine "
                  "is busy; the percentages are uncertain")
        bad = sum(row["unexpected"] + row["socket_errors"] for row in rows)
        if bad:
            print(f"warning: {bad} responses had an unexpected status or failed; see the unexpected and errors columns")

        report = {
            "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "git_commit": git("rev-parse", "--short", "HEAD"),
            "git_uncommitted_changes": bool(git("status", "--porcelain", "--untracked-files=no")),
            "duration_s": duration,
            "warmup_s": warmup,
            "processes": processes(),
            "waitress_threads": THREADS,
            "wrk_threads": WRK_THREADS,
            "wrk": wrk_version(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "setups": [{"database": setup.database, "tickets": setup.tickets, "seeding": setup.seeding}
                       for setup in setups],
            "portal_home_pct_of_ceiling_c8": headline,
            "ceiling_unsteady": unsteady,
            "target_pct": TARGET_SHARE,
            "verdicts": found,
            "results": rows,
        }
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        (RESULTS_DIR / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n",
                                                 encoding="utf-8")
        (RESULTS_DIR / "latest.md").write_text(markdown(report), encoding="utf-8")
        print(f"results written to {(RESULTS_DIR / 'latest.json').relative_to(REPO)} and latest.md")
        return 0
    finally:
        for setup in setups:
            setup.close()
        if hello_server is not None:
            hello_server.stop()
        if os.environ.get("BENCH_KEEP") == "1":
            print(f"bench: kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def main() -> int:
    # A SIGTERM (e.g. from CI) unwinds like Ctrl-C, so the servers are stopped in ``finally``.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        return benchmark()
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
