"""Knowledge search under load: 100,000 articles, the portal search and the typing suggestions,
measured with wrk at concurrency 8 on SQLite and PostgreSQL, and the search itself in-process.

For each database: the database is emptied, migrated and given the demo organization and the demo
articles (``pishkhan demo load``), then seeded with synthetic published articles written from the
demo articles' sentences and titles (bulk insert, then the search index in batches). Pishkhan
starts under waitress (the settings of ``bench/run.py``) and wrk requests, with a rotating set of
queries (the retrieval test set's, ``bench/kb_search.lua``):

- ``GET /kb?q=…`` — the portal's search page, as an anonymous visitor;
- ``GET /requests/new/suggestions?subject=…`` — the articles suggested while a requester types the
  subject (the words typed so far, the last one often unfinished).

Each target is measured twice: with the per-process cache of public result lists that Pishkhan
runs with (``plugins.kb.search.results``: identical public queries within 30 s reuse their hits
and snippets; the rotating queries repeat, as popular questions do), and without it
(``PISHKHAN_KB_RESULT_CACHE_SECONDS=0``: every request searches). The targets are judged on the
first; the second is printed as "(no cache)" and its misses are reported too.

Before that, ``plugins.kb.search.find`` is timed in this process over the same queries (no HTTP,
no page, no cache): the share of the page that is search.

Environment variables:

``BENCH_ARTICLES``        synthetic articles to add (default 100000)
``BENCH_DATABASES``       ``sqlite``, ``postgresql`` or both (default both; PostgreSQL is skipped with a
                          warning when the default server does not answer)
``BENCH_POSTGRESQL_URL``  the PostgreSQL database, emptied first (default
                          ``postgresql+psycopg://postgres@127.0.0.1:5432/pishkhan_kbbench``, created if missing)
``BENCH_DURATION``        seconds per measurement (default 10)
``BENCH_CONCURRENCY``     connections (default 8)
``BENCH_KEEP``            1 keeps the temporary directory (INI, SQLite file, server log)

Targets (the issue's): search p95 ≤ 30 ms, suggestions p95 ≤ 50 ms at concurrency 8.
"""
from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.run import (  # noqa: E402
    BIN,
    BenchError,
    Server,
    app_ini,
    check_local,
    databases,
    env_int,
    free_port,
    http_get,
    run_command,
)

LUA = REPO / "bench" / "kb_search.lua"
SEED = REPO / "bench" / "seed.py"
DEMO_ARTICLES = sorted(REPO.glob("plugins/*/demo/articles.jsonl"))  # each department's demo articles
QUERIES = REPO / "tests" / "plugins" / "kb" / "retrieval_set.jsonl"
RESULTS = REPO / "bench" / "results"
DEFAULT_POSTGRESQL_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/pishkhan_kbbench"
SEARCH = "portal search GET /kb?q="
SUGGESTIONS = "suggestions GET /requests/new/suggestions?subject="
TARGETS_MS = {SEARCH: 30, SUGGESTIONS: 50}
CACHE_VARIABLE = "PISHKHAN_KB_RESULT_CACHE_SECONDS"
BATCH = 2_000
SENTENCE_END = re.compile(r"(?<=[.؟!?\n])\s+")
PLACES = ("دانشکده فنی", "دانشکده علوم", "دانشکده ادبیات", "پردیس شمالی", "خوابگاه پسران", "خوابگاه دختران",
          "کتابخانه مرکزی", "ساختمان اداری", "دانشکده پزشکی", "مرکز رایانه", "آزمایشگاه زبان", "تالار اجتماعات")


# --- seeding ------------------------------------------------------------------------------------


class ArticleWriter:
    """Synthetic articles: each takes a demo article as its topic (title words, most sentences,
    tags) and mixes in other articles' sentences and a place, so words are shared as in a real
    knowledge base."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.topics = [json.loads(line) for path in DEMO_ARTICLES
                       for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        self.sentences = [[s.strip() for s in SENTENCE_END.split(topic["body"]) if len(s.strip()) > 20]
                          for topic in self.topics]
        self.every_sentence = [sentence for sentences in self.sentences for sentence in sentences]

    def article(self, number: int) -> dict:
        rng = self.rng
        index = rng.randrange(len(self.topics))
        topic, own = self.topics[index], self.sentences[index]
        words = topic["title"].split()
        if len(words) > 3 and rng.random() < 0.5:
            del words[rng.randrange(len(words))]
        title = f"{' '.join(words)} در {rng.choice(PLACES)} ({number})"
        body = rng.sample(own, min(len(own), rng.randint(3, 7))) + rng.sample(self.every_sentence, rng.randint(2, 5))
        rng.shuffle(body)
        return {"title": title[:300], "summary": topic["summary"][:500], "body": "\n\n".join(body),
                "tags": topic["tags"][:4], "department": topic["department"]}


def seed_articles(ini: Path, count: int) -> dict:
    """Add ``count`` published public articles and index them; returns the timings."""
    from sqlalchemy import func, insert, select, text
    from zope.sqlalchemy import mark_changed

    from core.cli import Environment
    from core.contracts import SearchDocument
    from core.db import utcnow
    from core.models import Department
    from plugins.kb.backend import search_backend
    from plugins.kb.models import Article, ArticleTag
    from plugins.kb.search.words import index_text, markdown_text

    env = Environment(str(ini))
    backend = search_backend(env.pluginmanager, env.settings)
    writer = ArticleWriter(random.Random(1403))
    started = time.monotonic()
    indexing = 0.0
    with env.dbsession() as dbsession:
        departments = dict(dbsession.execute(select(Department.code, Department.id)).all())
        first = (dbsession.scalar(select(func.max(Article.id))) or 0) + 1
        now = utcnow()
        for start in range(0, count, BATCH):
            articles, tags, documents = [], [], []
            for article_id in range(first + start, first + min(start + BATCH, count)):
                made = writer.article(article_id)
                department_id = departments[made["department"]]
                articles.append({
                    "id": article_id, "key": f"bench-{article_id}", "department_id": department_id,
                    "title": made["title"], "summary": made["summary"], "body": made["body"], "audience": "public",
                    "confidence": "validated", "state": "published", "version": 1, "created_at": now,
                    "updated_at": now, "published_at": now, "view_count": 0, "helpful_count": 0,
                    "unhelpful_count": 0, "reuse_count": 0, "open_flag_count": 0,
                })
                tags += [{"article_id": article_id, "tag": tag} for tag in dict.fromkeys(made["tags"])]
                documents.append(SearchDocument(
                    article_id=article_id, title=index_text(made["title"]), summary=index_text(made["summary"]),
                    tags=index_text(" ".join(made["tags"])), body=index_text(markdown_text(made["body"])),
                    audience="public", department_id=department_id, published=True))
            dbsession.execute(insert(Article.__table__), articles)
            mark_changed(dbsession)  # rows written without the ORM: the transaction must commit them
            if tags:
                dbsession.execute(insert(ArticleTag.__table__), tags)
            began = time.monotonic()
            backend.index(dbsession, documents)
            indexing += time.monotonic() - began
            done = min(start + BATCH, count)
            if done % 20_000 == 0 or done == count:
                print(f"bench: {done:,} articles ({time.monotonic() - started:.0f} s)", flush=True)
    finishing = time.monotonic()
    dialect = env.engine.dialect.name
    with env.engine.connect() as connection:
        if dialect == "sqlite":
            connection.exec_driver_sql("INSERT INTO kb_search_fts (kb_search_fts) VALUES ('optimize')")
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
        else:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
        total = connection.execute(text("SELECT count(*) FROM kb_articles")).scalar_one()
    env.engine.dispose()
    seconds = time.monotonic() - started
    return {"articles": total, "added": count, "seconds": round(seconds, 1), "index_seconds": round(indexing, 1),
            "optimize_seconds": round(time.monotonic() - finishing, 1),
            "articles_per_second": round(count / seconds)}


# --- queries ------------------------------------------------------------------------------------


def queries() -> list[str]:
    """The retrieval set's queries, the long ones cut to a sentence of 200 characters; the first
    ``BENCH_QUERIES`` of them when it is set (146: the set of the runs before 2026-11-25)."""
    rows = [json.loads(line) for line in QUERIES.read_text(encoding="utf-8").splitlines()]
    first = os.environ.get("BENCH_QUERIES", "").strip()
    if first:
        if not first.isdecimal() or int(first) < 1:
            raise BenchError(f"BENCH_QUERIES must be a positive whole number, not {first!r}")
        rows = rows[:int(first)]
    return [row["query"][:200] for row in rows]


def typed_subjects(rng: random.Random) -> list[str]:
    """What a requester has typed of a subject when suggestions are asked: one to five words, the
    last one often unfinished."""
    subjects = []
    for query in queries():
        words = query.split()[:rng.randint(1, 5)]
        if len(words[-1]) > 3 and rng.random() < 0.6:
            words[-1] = words[-1][:rng.randint(2, len(words[-1]) - 1)]
        subjects.append(" ".join(words))
    return subjects


def paths_file(workdir: Path, name: str, pattern: str, texts: list[str]) -> Path:
    path = workdir / f"{name}.paths"
    path.write_text("\n".join(pattern.format(urllib.parse.quote(text)) for text in texts) + "\n", encoding="utf-8")
    return path


# --- measuring ----------------------------------------------------------------------------------


def wrk(url: str, paths: Path, connections: int, duration: int) -> dict:
    check_local(url)
    args = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(LUA), url]
    done = subprocess.run(args, capture_output=True, text=True, timeout=duration + 60,
                          env=dict(os.environ, BENCH_PATHS=str(paths)))
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            return json.loads(line[len("BENCH_RESULT "):])
    raise BenchError(f"wrk printed no result:\n{done.stdout}{done.stderr}")


def in_process(ini: Path, texts: list[str], limit: int, rounds: int = 3) -> dict:
    """``find`` timed over ``texts`` (after one warm-up round): p50 and p95 of the wall clock and
    of this process's CPU time (the CPU figure leaves out PostgreSQL's own work, and the load
    other programs put on the machine), in ms."""
    from core.cli import Environment
    from core.contracts import SearchQuery
    from plugins.kb.backend import search_backend
    from plugins.kb.search import find
    from plugins.kb.search.results import results

    results.seconds = 0  # the search itself, not the remembered result lists
    env = Environment(str(ini))
    backend = search_backend(env.pluginmanager, env.settings)
    wall, cpu = [], []
    with env.dbsession() as dbsession:
        for round_number in range(rounds + 1):
            for text in texts:
                began, began_cpu = time.perf_counter(), time.process_time()
                find(dbsession, backend, SearchQuery(text=text, limit=limit))
                if round_number:
                    wall.append((time.perf_counter() - began) * 1000)
                    cpu.append((time.process_time() - began_cpu) * 1000)
    env.engine.dispose()

    def percentile(values: list[float], share: float) -> float:
        return round(sorted(values)[int(len(values) * share)], 2)

    return {"p50_ms": percentile(wall, 0.5), "p95_ms": percentile(wall, 0.95), "cpu_p50_ms": percentile(cpu, 0.5),
            "cpu_p95_ms": percentile(cpu, 0.95), "calls": len(wall)}


def prepare(workdir: Path, database: str, url: str, articles: int) -> tuple[Path, int, dict]:
    port = free_port()
    ini = workdir / f"kb-{database}.ini"
    ini.write_text(app_ini(port, url), encoding="utf-8")
    print(f"bench: [{database}] emptying, migrating, loading the demo", flush=True)
    python = str(BIN / "python")
    run_command([python, str(SEED), str(ini), "--reset"], "emptying the database")
    run_command([str(BIN / "pishkhan"), "demo", "load", str(ini)], "pishkhan demo load")
    print(f"bench: [{database}] seeding {articles:,} articles", flush=True)
    seeding = seed_articles(ini, articles)
    print(f"bench: [{database}] {seeding['added']:,} articles in {seeding['seconds']} s "
          f"({seeding['articles_per_second']:,}/s; index {seeding['index_seconds']} s)", flush=True)
    return ini, port, seeding


def measure(workdir: Path, database: str, url: str, articles: int, duration: int, connections: int) -> dict:
    ini, port, seeding = prepare(workdir, database, url, articles)
    rng = random.Random(7)
    searches, subjects = queries(), typed_subjects(rng)
    result = {"database": database, "seeding": seeding,
              "in_process": {SEARCH: in_process(ini, searches, 10), SUGGESTIONS: in_process(ini, subjects, 5)}}
    targets = {
        SEARCH: paths_file(workdir, "search", "/kb?q={}", searches),
        SUGGESTIONS: paths_file(workdir, "suggestions", "/requests/new/suggestions?subject={}", subjects),
    }
    result["http"] = serve_and_measure(workdir, database, ini, port, targets, duration, connections, cache=True)
    result["http_uncached"] = serve_and_measure(workdir, database, ini, port, targets, duration, connections,
                                                cache=False)
    return result


def serve_and_measure(workdir: Path, database: str, ini: Path, port: int, targets: dict, duration: int,
                      connections: int, cache: bool) -> dict:
    """wrk on each target, with the per-process cache of public result lists (the default) or
    without it (``PISHKHAN_KB_RESULT_CACHE_SECONDS=0``: every request searches)."""
    previous = os.environ.get(CACHE_VARIABLE)
    if not cache:
        os.environ[CACHE_VARIABLE] = "0"
    server = Server(f"kb-{database}{'' if cache else '-uncached'}", ini, port, workdir)
    measured = {}
    try:
        server.start()
        server.wait_ready()
        for name, paths in targets.items():
            first = paths.read_text(encoding="utf-8").splitlines()[0]
            status, _, _ = http_get(server.base_url + first)
            if status != 200:
                raise BenchError(f"{name}: {first} answered {status}:\n{server.log_tail()}")
            wrk(server.base_url, paths, connections, 2)  # warm-up
            measured[name] = wrk(server.base_url, paths, connections, duration)
    finally:
        server.stop()
        if previous is None:
            os.environ.pop(CACHE_VARIABLE, None)
        else:
            os.environ[CACHE_VARIABLE] = previous
    return measured


def print_result(result: dict, connections: int) -> None:
    print(f"\nbench: {result['database']}, {result['seeding']['articles']:,} articles, concurrency {connections}")
    print(f"  {'target':<62} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'non-2xx':>7}  "
          f"in-process p50/p95 ms, CPU")
    for mode, label in (("http", ""), ("http_uncached", " (no cache)")):
        for name, row in result.get(mode, {}).items():
            local = result["in_process"][name]
            verdict = "ok" if row["p95_us"] / 1000 <= TARGETS_MS[name] else f"over {TARGETS_MS[name]} ms"
            print(f"  {name + label:<62} {row['rps']:>7.0f} {row['p50_us'] / 1000:>7.1f} "
                  f"{row['p95_us'] / 1000:>7.1f} {row['p99_us'] / 1000:>7.1f} {row['unexpected']:>7}  "
                  f"{local['p50_ms']}/{local['p95_ms']}, {local['cpu_p50_ms']}/{local['cpu_p95_ms']}  {verdict}")


def main() -> int:
    if shutil.which("wrk") is None:
        print("bench: wrk is missing: sudo apt-get install -y wrk", file=sys.stderr)
        return 2
    articles = int(os.environ.get("BENCH_ARTICLES", "100000").replace("_", ""))
    duration = env_int("BENCH_DURATION", 10)
    connections = int(os.environ.get("BENCH_CONCURRENCY", "8"))
    workdir = Path(tempfile.mkdtemp(prefix="pishkhan-kb-bench-"))
    results = []
    try:
        for database, url in databases(DEFAULT_POSTGRESQL_URL):
            url = url or f"sqlite:///{workdir / 'kb-bench.sqlite'}"
            results.append(measure(workdir, database, url, articles, duration, connections))
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
    (RESULTS / "kb-search.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    missed = [(result["database"], name) for result in results for name, row in result.get("http", {}).items()
              if row["p95_us"] / 1000 > TARGETS_MS[name] or row["unexpected"]]
    missed_uncached = [(result["database"], name) for result in results
                       for name, row in result.get("http_uncached", {}).items()
                       if row["p95_us"] / 1000 > TARGETS_MS[name] or row["unexpected"]]
    if missed_uncached:
        print(f"\nbench: without the result cache, targets missed: {missed_uncached}")
    print("\nbench: every target met" if not missed else f"\nbench: targets missed: {missed}")
    return 0 if not missed else 1


if __name__ == "__main__":
    sys.exit(main())
