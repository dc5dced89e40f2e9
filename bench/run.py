"""``make bench``: Pishkhan under waitress with production-like settings, measured with wrk,
next to a hello-world WSGI app under the same waitress settings (the ceiling).

Environment variables:

``BENCH_DURATION``      seconds per measurement (default 10)
``BENCH_WARMUP``        seconds of warm-up per target before measuring (default 2, 0 for none)
``BENCH_CONCURRENCY``   comma-separated connection counts (default ``8,32``)
``BENCH_DATABASE_URL``  measure on this database (e.g. PostgreSQL) instead of a fresh SQLite file;
                        it is migrated and the demo organization is loaded into it if it has no users
``BENCH_KEEP``          set to 1 to keep the temporary directory (INI, database, server logs)

Every request goes to 127.0.0.1. See bench/README.md for how to read the table.
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
RESULTS = BENCH_DIR / "results" / "latest.json"
REPORT_LUA = BENCH_DIR / "report.lua"

HOST = "127.0.0.1"
THREADS = 8
WRK_THREADS = 2
AGENT = ("agent", "pishkhan123")
SESSION_COOKIE = "pishkhan_session"
TARGET_SHARE = 40  # portal home at concurrency 8 should reach this % of the ceiling
INSTALL_WRK = "sudo apt-get install -y wrk"
HOME = "portal home /"


class BenchError(RuntimeError):
    pass


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
sqlalchemy.pool_pre_ping = true
session.secret = bench-fixed-secret-not-for-production-0123456789abcdef
session.secure = true
pishkhan.assets_dir = {ini_value(str(REPO / "node_modules"))}

pishkhan.plugins.enabled = *
pishkhan.plugins.disabled =

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


class Server:
    """A pserve process in its own process group, logging to a file."""

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
                [str(BIN / "pserve"), str(self.ini)],
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


def log_in(base_url: str, username: str, password: str) -> str:
    """The ``Cookie`` header value of a signed-in session of ``username``."""
    status, headers, body = http_get(base_url + "/login")
    if status != 200:
        raise BenchError(f"GET /login answered {status}")
    match = re.search(rb'name="csrf_token" value="([^"]+)"', body)
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
    # after it adds a new CSRF token): take it, so that the dashboard is measured as a browser sees
    # it from its second page on, not re-signing a new cookie on every request.
    status, headers, body = http_get(base_url + "/workspace", {"Cookie": f"{SESSION_COOKIE}={cookie}"})
    if status != 200:
        raise BenchError(f"GET /workspace after logging in answered {status} {headers.get('Location', '')}")
    return f"{SESSION_COOKIE}={session_cookie(headers) or cookie}"


# --- targets and measurements ---------------------------------------------------------------


class Target:
    def __init__(self, name: str, url: str, headers: dict | None = None, marker: bytes | None = None):
        self.name = name
        self.url = url
        self.headers = headers or {}
        self.marker = marker

    def verify(self) -> None:
        status, headers, body = http_get(self.url, self.headers)
        if status != 200:
            location = headers.get("Location", "")
            raise BenchError(f"{self.name}: {self.url} answered {status} {location}".rstrip())
        if self.marker is not None and self.marker not in body:
            raise BenchError(f"{self.name}: {self.url} answered 200 but is not the expected page")


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
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=duration + 60)
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


def print_table(rows: list[dict]) -> None:
    header = ("target", "conc.", "req/s", "p50 ms", "p95 ms", "p99 ms", "% ceiling", "non-2xx", "errors")
    lines = [header]
    for row in rows:
        lines.append((
            row["target"],
            str(row["concurrency"]),
            f"{row['rps']:.0f}",
            ms(row["p50_us"]),
            ms(row["p95_us"]),
            ms(row["p99_us"]),
            f"{row['pct_of_ceiling']:.0f}%",
            str(row["non2xx"]),
            str(row["socket_errors"]),
        ))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for index, line in enumerate(lines):
        cells = [line[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(line[1:], widths[1:])]
        print("  ".join(cells))
        if index == 0:
            print("  ".join("-" * width for width in widths))


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
    database_url = os.environ.get("BENCH_DATABASE_URL", "").strip()

    workdir = Path(tempfile.mkdtemp(prefix="pishkhan-bench-"))
    servers: list[Server] = []
    try:
        if not database_url:
            database_url = f"sqlite:///{workdir / 'bench.sqlite'}"
        app_port, hello_port = free_port(), free_port()
        while hello_port == app_port:
            hello_port = free_port()
        ini = workdir / "bench.ini"
        ini.write_text(app_ini(app_port, database_url), encoding="utf-8")
        hello = workdir / "hello.ini"
        hello.write_text(hello_ini(hello_port), encoding="utf-8")
        backend = database_url.split(":", 1)[0]
        print(f"bench: {workdir} · database {backend} · waitress threads={THREADS} · "
              f"{os.cpu_count()} CPUs · {duration} s per run")

        print("bench: pishkhan db upgrade; pishkhan demo load")
        run_command([str(BIN / "pishkhan"), "db", "upgrade", str(ini)], "pishkhan db upgrade")
        run_command([str(BIN / "pishkhan"), "demo", "load", str(ini), "--if-empty"], "pishkhan demo load")

        app_server = Server("pishkhan", ini, app_port, workdir)
        hello_server = Server("hello", hello, hello_port, workdir)
        servers += [app_server, hello_server]
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready()

        cookie = log_in(app_server.base_url, *AGENT)
        targets = [
            Target("hello-world ceiling", hello_server.base_url + "/", marker=b"Hello, world!"),
            Target(HOME, app_server.base_url + "/", marker=b'data-testid="jalali-today"'),
            Target(
                "agent dashboard /workspace",
                app_server.base_url + "/workspace",
                headers={"Cookie": cookie},
                marker=b'data-testid="current-user"',
            ),
        ]
        for target in targets:
            target.verify()
        if warmup:
            print(f"bench: warming up ({warmup} s per target)")
            for target in targets:
                wrk(target, min(levels), warmup)

        rows = []
        unsteady = []
        hello_target, app_targets = targets[0], targets[1:]
        for connections in levels:
            # The ceiling is measured before and after the application's targets and the mean is
            # used: on a busy machine it drifts, and a figure taken once would skew the percentages.
            measured = []
            for target in [hello_target, *app_targets, hello_target]:
                print(f"bench: {target.name} at concurrency {connections} ({duration} s)", flush=True)
                result = wrk(target, connections, duration)
                result.update(
                    target=target.name,
                    url_path=urllib.parse.urlsplit(target.url).path,
                    concurrency=connections,
                    socket_errors=sum(
                        result[key] for key in ("connect_errors", "read_errors", "write_errors", "timeouts")
                    ),
                )
                measured.append(result)
            before, after = measured[0], measured[-1]
            ceiling = dict(before)
            for key in ("requests", "bytes", "non2xx", "redirects", "status_errors", "connect_errors",
                        "read_errors", "write_errors", "timeouts", "socket_errors"):
                ceiling[key] = before[key] + after[key]
            for key in ("rps", "p50_us", "p95_us", "p99_us", "mean_us"):
                ceiling[key] = (before[key] + after[key]) / 2
            ceiling["max_us"] = max(before["max_us"], after["max_us"])
            ceiling["duration_s"] = before["duration_s"] + after["duration_s"]
            ceiling["ceiling_rps_before_after"] = [before["rps"], after["rps"]]
            low, high = sorted((before["rps"], after["rps"]))
            if high and (high - low) / high > 0.2:
                unsteady.append(f"concurrency {connections}: {before['rps']:.0f} then {after['rps']:.0f} req/s")
            for result in [ceiling, *measured[1:-1]]:
                result["pct_of_ceiling"] = 100.0 * result["rps"] / ceiling["rps"] if ceiling["rps"] else 0.0
                rows.append(result)
            # The dashboard must still be the dashboard afterwards (the session did not lapse).
            targets[-1].verify()

        print()
        print_table(rows)
        print()
        home = next((row for row in rows if row["target"] == HOME and row["concurrency"] == 8), None)
        headline = None
        if home is not None:
            headline = home["pct_of_ceiling"]
            verdict = "met" if headline >= TARGET_SHARE else "NOT met"
            print(f"portal home at concurrency 8: {headline:.0f}% of the ceiling "
                  f"(target ≥ {TARGET_SHARE}%) — {verdict}")
        for note in unsteady:
            print(f"warning: the ceiling moved by more than 20% during the run ({note}): the machine "
                  "is busy; the percentages are uncertain")
        bad = sum(row["non2xx"] + row["socket_errors"] for row in rows)
        if bad:
            print(f"warning: {bad} responses were not 2xx or failed; see the non-2xx and errors columns")

        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        report = {
            "measured_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "git_commit": git("rev-parse", "--short", "HEAD"),
            "git_uncommitted_changes": bool(git("status", "--porcelain", "--untracked-files=no")),
            "database": backend,
            "duration_s": duration,
            "warmup_s": warmup,
            "waitress_threads": THREADS,
            "wrk_threads": WRK_THREADS,
            "wrk": wrk_version(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "portal_home_pct_of_ceiling_c8": headline,
            "ceiling_unsteady": unsteady,
            "target_pct": TARGET_SHARE,
            "results": rows,
        }
        RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"results written to {RESULTS.relative_to(REPO)}")
        return 0
    finally:
        for server in servers:
            server.stop()
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
