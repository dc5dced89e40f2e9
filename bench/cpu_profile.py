"""CPU per request of the benchmark's pages, measured in-process (no server, no wrk):
``python bench/cpu_profile.py --tickets 1000000``.

Under waitress every request runs Python under one lock (the GIL), so at concurrency C a page
that needs t ms of CPU answers in about C × t ms: the CPU a request costs is the figure that
decides ``make bench``'s p95, and this script measures it without the noise of a shared machine.

It prepares a database like ``bench/run.py`` (empty, migrated, demo organization, ``bench/seed.py``
with the size asked for) in ``--workdir`` and reuses it on the next run when the size matches,
builds the application from the same production-like INI, signs in as the demo agent and the
demo requester through WebTest, then for each target runs ``--requests`` requests after a
warm-up and prints the CPU time of this process per request (``time.process_time``: Python,
and SQLite's own work; PostgreSQL's server work is not in it), the wall time, and the SQL
statements per request. ``--profile TARGET`` runs cProfile over that target's requests and
prints the functions that cost the most.

    python bench/cpu_profile.py --tickets 1000000                      # SQLite, in /tmp/pishkhan-profile
    python bench/cpu_profile.py --tickets 1000000 --database postgresql # BENCH_POSTGRESQL_URL, emptied
    python bench/cpu_profile.py --tickets 10000 --profile queue --sort tottime
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
for path in (str(REPO), str(BENCH_DIR)):
    if path not in sys.path:
        sys.path.insert(0, path)

import run as bench  # noqa: E402  (bench/run.py: the same INI and the same targets)

TARGETS = ("queue", "ticket", "api", "submit", "dashboard", "home")
DEFAULT_TARGETS = ("queue", "ticket", "api", "submit")
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
HTTPS = {"wsgi.url_scheme": "https", "HTTP_HOST": "localhost",  # the session cookie is Secure
         "HTTP_REFERER": "https://localhost/"}  # and CSRF checks the origin over HTTPS


def prepare(workdir: Path, database: str, tickets: int, disabled: str) -> tuple[Path, dict]:
    """The INI and the seeding result, reusing ``workdir``'s database when it has this size."""
    workdir.mkdir(parents=True, exist_ok=True)
    ini = workdir / f"profile-{database}.ini"
    state = workdir / f"profile-{database}.json"
    url = (f"sqlite:///{workdir / f'profile-{tickets}.sqlite'}" if database == "sqlite"
           else os.environ.get("BENCH_POSTGRESQL_URL", bench.DEFAULT_POSTGRESQL_URL))
    text = bench.app_ini(bench.free_port(), url).replace(
        "pishkhan.plugins.disabled =\n", f"pishkhan.plugins.disabled = {disabled}\n")
    if state.exists() and ini.exists():
        seeding = json.loads(state.read_text())
        if seeding.get("tickets") == tickets:
            ini.write_text(text, encoding="utf-8")
            return ini, seeding
    ini.write_text(text, encoding="utf-8")
    python = str(bench.BIN / "python")
    print(f"profile: preparing {database} with {tickets:,} tickets in {workdir}", flush=True)
    bench.run_command([python, str(bench.SEED), str(ini), "--reset"], "emptying the database")
    bench.run_command([str(bench.BIN / "pishkhan"), "db", "upgrade", str(ini)], "pishkhan db upgrade")
    bench.run_command([str(bench.BIN / "pishkhan"), "demo", "load", str(ini)], "pishkhan demo load")
    seeding = bench.seed_tickets(ini, tickets)
    seeding["token"] = bench.run_command(
        [str(bench.BIN / "pishkhan"), "tokens", "create", str(ini), "--user", bench.AGENT[0]],
        "pishkhan tokens create").strip().splitlines()[-1]
    state.write_text(json.dumps(seeding))
    return ini, seeding


def signed_in(app, username: str, password: str, landing: str):
    """A WebTest client signed in as ``username``, having seen ``landing`` once (like run.py)."""
    import webtest

    client = webtest.TestApp(app, extra_environ=HTTPS)
    page = client.get("/login")
    token = CSRF_FIELD.search(page.text).group(1)
    client.post("/login", {"csrf_token": token, "username": username, "password": password, "came_from": ""},
                status=303)
    return client, client.get(landing, status=200)


class Requests:
    """One callable per target, each making the request ``bench/run.py`` measures."""

    def __init__(self, app, seeding: dict):
        import webtest

        self.agent, _ = signed_in(app, *bench.AGENT, landing="/workspace")
        self.requester, form_page = signed_in(app, *bench.REQUESTER, landing="/requests/new")
        self.visitor = webtest.TestApp(app, extra_environ=HTTPS)
        self.form = bench.submission(CSRF_FIELD.search(form_page.text).group(1), seeding["department_id"])
        self.token = seeding["token"]
        self.ticket_id = seeding["open_ticket_id"]

    def queue(self):
        self.agent.get("/desk/tickets", status=200).mustcontain('data-testid="ticket-link"')

    def ticket(self):
        self.agent.get(f"/desk/tickets/{self.ticket_id}", status=200).mustcontain('data-testid="ticket-details"')

    def api(self):
        self.visitor.get("/api/v1/tickets", headers={"Authorization": f"Bearer {self.token}"},
                         status=200).mustcontain('"tracking_code"')

    def submit(self):
        response = self.requester.post("/requests/new", self.form, status=303)
        assert "/receipt" in response.headers["Location"], response.headers["Location"]

    def dashboard(self):
        self.agent.get("/workspace", status=200)

    def home(self):
        self.visitor.get("/", status=200)


class StatementCounter:
    """How many statements the requests send, and how long each kind takes (``--statements``)."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.count = 0
        self.timings: dict[str, list[float]] = {}
        self.started = 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def reset(self):
        self.count = 0
        self.timings = {}

    def _before(self, *args):
        self.count += 1
        self.started = time.perf_counter()

    def _after(self, conn, cursor, statement, *args):
        self.timings.setdefault(statement, []).append(time.perf_counter() - self.started)

    def print_slowest(self, requests: int, top: int = 25):
        slowest = sorted(self.timings.items(), key=lambda item: -sum(item[1]))[:top]
        for statement, times in slowest:
            text = " ".join(statement.split())
            print(f"    {sum(times) * 1000 / requests:7.3f} ms/request  {len(times) / requests:4.1f}×  "
                  f"{text[:300]}")


def measure(call, requests: int, counter: StatementCounter, profiler: cProfile.Profile | None = None) -> dict:
    for _ in range(min(5, requests)):
        call()
    counter.reset()
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler is not None:
        profiler.enable()
    for _ in range(requests):
        call()
    if profiler is not None:
        profiler.disable()
    return {"cpu_ms": (time.process_time() - cpu) * 1000 / requests,
            "wall_ms": (time.perf_counter() - wall) * 1000 / requests,
            "statements": counter.count / requests}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=10_000, help="tickets to seed (default 10000)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/pishkhan-profile"),
                        help="where the INI and the SQLite file are kept between runs")
    parser.add_argument("--disable", default="", metavar="PLUGINS",
                        help="plugins to leave out (pishkhan.plugins.disabled), e.g. one being written")
    parser.add_argument("--requests", type=int, default=100, help="requests per target (default 100)")
    parser.add_argument("--targets", default=",".join(DEFAULT_TARGETS),
                        help=f"comma-separated, among {', '.join(TARGETS)}")
    parser.add_argument("--profile", choices=TARGETS, help="run cProfile over this target's requests")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key (cumulative, tottime…)")
    parser.add_argument("--top", type=int, default=40, help="functions to print with --profile")
    parser.add_argument("--statements", action="store_true",
                        help="print each target's slowest SQL statements (time spent in the driver)")
    args = parser.parse_args(argv)
    targets = [name.strip() for name in args.targets.split(",") if name.strip()]
    if args.profile and args.profile not in targets:
        targets.append(args.profile)
    unknown = set(targets) - set(TARGETS)
    if unknown:
        parser.error(f"unknown targets: {', '.join(sorted(unknown))}")

    ini, seeding = prepare(args.workdir, args.database, args.tickets, args.disable)
    os.environ.update({key: value for key, value in bench.child_env().items() if key == "PYTHONPATH"})
    from pyramid.paster import get_app, setup_logging

    setup_logging(str(ini))
    app = get_app(str(ini))
    requests = Requests(app, seeding)
    engine = app.registry["db_engine"]
    counter = StatementCounter(engine)
    print(f"profile: {args.database}, {args.tickets:,} tickets, {args.requests} requests per target "
          f"(after 5 warm-up requests)")
    print(f"{'target':10} {'CPU ms':>8} {'wall ms':>8} {'SQL':>5}")
    for name in targets:
        profiler = cProfile.Profile() if name == args.profile else None
        result = measure(getattr(requests, name), args.requests, counter, profiler)
        print(f"{name:10} {result['cpu_ms']:8.2f} {result['wall_ms']:8.2f} {result['statements']:5.1f}", flush=True)
        if args.statements:
            counter.print_slowest(args.requests)
        if profiler is not None:
            stats = pstats.Stats(profiler, stream=sys.stdout)
            stats.sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
