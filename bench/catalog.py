"""The service catalog under load: 500 services, the portal's catalog page measured with wrk at
concurrency 8 on SQLite and PostgreSQL.

For each database: the database is emptied, migrated and given the demo organization
(``pishkhan demo load``: the departments' own identity cards), then synthetic cards are added
across the departments until the catalog holds ``BENCH_SERVICES`` services (every fifth with
sub-services, life events in turn). Pishkhan starts under waitress (the settings of
``bench/run.py``) and wrk requests, as an anonymous visitor:

- ``GET /catalog`` — the catalog as visitors get it (shared for a few seconds, ``core.pagecache``);
- ``GET /catalog?by=department`` — the same page rendered for each request (a query string is
  never shared; the groups' HTML is kept per list of cards, as for signed-in readers);
- ``GET /catalog?q=…`` — the catalog's search, rotating over words of the services' titles.

Environment variables: ``BENCH_SERVICES`` (default 500), ``BENCH_DATABASES`` (``sqlite``,
``postgresql`` or both, the default; PostgreSQL is skipped with a warning when it does not
answer), ``BENCH_POSTGRESQL_URL`` (emptied first; default
``postgresql+psycopg://postgres@127.0.0.1:5432/pishkhan_catalogbench``, created if missing),
``BENCH_DURATION`` (seconds per measurement, default 10), ``BENCH_CONCURRENCY`` (default 8),
``BENCH_KEEP`` (1 keeps the temporary directory).

Target (the issue's): the catalog page's p95 ≤ 30 ms at concurrency 8 with 500 services.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.kb_search import paths_file, wrk  # noqa: E402
from bench.run import (  # noqa: E402
    BIN,
    BenchError,
    Server,
    app_ini,
    databases,
    env_int,
    free_port,
    http_get,
    run_command,
)

SEED = REPO / "bench" / "seed.py"
RESULTS = REPO / "bench" / "results"
DEFAULT_POSTGRESQL_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/pishkhan_catalogbench"
SHARED = "catalog GET /catalog (visitors' shared page)"
RENDERED = "catalog GET /catalog?by=department (rendered)"
SEARCH = "catalog search GET /catalog?q="
TARGET_MS = 30
SUBJECTS = ("گواهی", "درخواست", "صدور", "تمدید", "ثبت", "پشتیبانی", "اصلاح", "پرداخت", "رزرو", "تعمیر")
OBJECTS = ("کارت دانشجویی", "حکم کارگزینی", "حساب کاربری", "خوابگاه", "پایان‌نامه", "وام دانشجویی", "سالن همایش",
           "گواهی‌نامه زبان", "بیمه تکمیلی", "فیش حقوقی", "سامانه آموزش", "پارکینگ", "کتابخانه", "آزمایشگاه")


def seed_services(ini: Path, wanted: int) -> dict:
    """Add synthetic cards (made in the workspace, so shown whatever plugins are loaded) until
    the catalog holds ``wanted`` services; returns the counts."""
    from sqlalchemy import func, insert, select
    from zope.sqlalchemy import mark_changed

    from core.cli import Environment
    from core.contracts import LIFE_EVENTS
    from core.db import utcnow
    from core.models import Department
    from plugins.catalog.cards import search_text
    from plugins.catalog.models import CatalogServiceRow

    env = Environment(str(ini))
    rng = random.Random(1405)
    with env.dbsession() as dbsession:
        existing = dbsession.scalar(select(func.count()).select_from(CatalogServiceRow))
        departments = dbsession.scalars(select(Department.id).order_by(Department.id)).all()
        now = utcnow()
        rows = []
        for number in range(max(0, wanted - existing)):
            values = {
                "service_id": f"{70000000000 + number}",
                "title": f"{rng.choice(SUBJECTS)} {rng.choice(OBJECTS)} ({number})",
                "process": "", "sub_services": [f"زیرخدمت {part}" for part in range(1, 4)] if number % 5 == 0 else [],
                "keywords": [], "audience": "دانشجویان و کارکنان", "description": "خدمت آزمایشی سنجش کارایی.",
            }
            rows.append({
                **values, "provider": None, "department_id": departments[number % len(departments)], "type": "G2C",
                "nature": "operational", "levels": ["provincial"], "life_event": LIFE_EVENTS[number % len(LIFE_EVENTS)],
                "trigger": "request", "required_documents": ["کارت ملی"], "duration_days": 1 + number % 10,
                "yearly_volume": None, "once_for_ever": False, "frequency": "", "visits": 0, "cost_rials": 0,
                "payment_account": "", "stages": [], "integrations": [], "procedure": "", "notes": "", "owner": "",
                "owner_username": None, "contact": "", "sla": "", "public": True, "approvals": [], "tasks": [],
                "is_active": True, "search_text": search_text(values), "version": 1, "created_at": now,
                "updated_at": now,
            })
        if rows:
            dbsession.execute(insert(CatalogServiceRow.__table__), rows)
            mark_changed(dbsession)  # rows written without the ORM: the transaction must commit them
        total = existing + len(rows)
    env.engine.dispose()
    return {"services": total, "existing": existing, "added": len(rows)}


def search_words() -> list[str]:
    return [*SUBJECTS, *OBJECTS, *(f"{subject} {obj}" for subject in SUBJECTS[:4] for obj in OBJECTS[:4])]


def measure(workdir: Path, database: str, url: str, services: int, duration: int, connections: int) -> dict:
    port = free_port()
    ini = workdir / f"catalog-{database}.ini"
    ini.write_text(app_ini(port, url), encoding="utf-8")
    print(f"bench: [{database}] emptying, migrating, loading the demo", flush=True)
    run_command([str(BIN / "python"), str(SEED), str(ini), "--reset"], "emptying the database")
    run_command([str(BIN / "pishkhan"), "demo", "load", str(ini)], "pishkhan demo load", timeout=600)
    seeding = seed_services(ini, services)
    print(f"bench: [{database}] {seeding['services']} services ({seeding['existing']} from the department "
          f"plugins, {seeding['added']} added)", flush=True)
    targets = {
        SHARED: paths_file(workdir, "shared", "/catalog{}", [""]),
        RENDERED: paths_file(workdir, "rendered", "/catalog?by={}", ["department"]),
        SEARCH: paths_file(workdir, "search", "/catalog?q={}", search_words()),
    }
    server = Server(f"catalog-{database}", ini, port, workdir)
    measured = {}
    try:
        server.start()
        server.wait_ready()
        status, _, body = http_get(server.base_url + "/catalog?by=department")
        shown = body.count(b'data-testid="catalog-service"')
        if status != 200 or shown != seeding["services"]:
            raise BenchError(f"/catalog answered {status} with {shown} services, not {seeding['services']}:\n"
                             f"{server.log_tail()}")
        for name, paths in targets.items():
            wrk(server.base_url, paths, connections, 2)  # warm-up
            measured[name] = wrk(server.base_url, paths, connections, duration)
    finally:
        server.stop()
    return {"database": database, "seeding": seeding, "http": measured}


def print_result(result: dict, connections: int) -> None:
    print(f"\nbench: {result['database']}, {result['seeding']['services']} services, concurrency {connections}")
    print(f"  {'target':<50} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'non-2xx':>7}")
    for name, row in result["http"].items():
        verdict = "ok" if row["p95_us"] / 1000 <= TARGET_MS else f"over {TARGET_MS} ms"
        print(f"  {name:<50} {row['rps']:>7.0f} {row['p50_us'] / 1000:>7.1f} {row['p95_us'] / 1000:>7.1f} "
              f"{row['p99_us'] / 1000:>7.1f} {row['unexpected']:>7}  {verdict}")


def main() -> int:
    if shutil.which("wrk") is None:
        print("bench: wrk is missing: sudo apt-get install -y wrk", file=sys.stderr)
        return 2
    services = int(os.environ.get("BENCH_SERVICES", "500").replace("_", ""))
    duration = env_int("BENCH_DURATION", 10)
    connections = env_int("BENCH_CONCURRENCY", 8)
    workdir = Path(tempfile.mkdtemp(prefix="pishkhan-catalog-bench-"))
    results = []
    try:
        for database, url in databases(DEFAULT_POSTGRESQL_URL):
            url = url or f"sqlite:///{workdir / 'catalog-bench.sqlite'}"
            results.append(measure(workdir, database, url, services, duration, connections))
            print_result(results[-1], connections)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    finally:
        if os.environ.get("BENCH_KEEP") == "1":
            print(f"bench: kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "catalog.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    missed = [(result["database"], name) for result in results for name, row in result["http"].items()
              if row["p95_us"] / 1000 > TARGET_MS or row["unexpected"]]
    print("\nbench: every catalog target met" if not missed else f"\nbench: catalog targets missed: {missed}")
    return 0 if not missed else 1


if __name__ == "__main__":
    sys.exit(main())
