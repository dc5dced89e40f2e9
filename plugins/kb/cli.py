"""``pishkhan kb import INI FILE.jsonl`` and ``pishkhan kb export INI``: articles as JSON lines
(``plugins.kb.transfer``).

Import reads a file (``-`` for standard input), shows a progress bar on a terminal, commits every
``BATCH`` lines, prints each refused line on standard error (``line 12: title: Required``) and a
summary on standard output; it exits with 1 when a line was refused, 2 when it could not start.
Export writes every article, or a department's (``--department it``), to standard output or
``-o FILE``.
"""
from __future__ import annotations

import sys
from contextlib import nullcontext

from sqlalchemy import select
from tqdm import tqdm

from core.models import Department, User
from core.normalize import normalize_username
from plugins.kb import transfer


def add_commands(subparsers) -> None:
    group = subparsers.add_parser("kb", help="knowledge base").add_subparsers(dest="command", required=True)
    importing = group.add_parser("import", help="add or update articles from a JSON-lines file")
    importing.add_argument("config_uri", help="the INI file, e.g. development.ini")
    importing.add_argument("file", help="one article per line as JSON; - for standard input")
    importing.add_argument("--as", dest="username", metavar="USERNAME",
                           help="write as this user, with their permissions (default: the system)")
    importing.set_defaults(func=import_articles)
    exporting = group.add_parser("export", help="write articles as JSON lines")
    exporting.add_argument("config_uri", help="the INI file, e.g. development.ini")
    exporting.add_argument("-o", "--output", metavar="FILE", help="the file to write (default: standard output)")
    exporting.add_argument("--department", metavar="CODE", help="only this department's (and those under it)")
    exporting.set_defaults(func=export_articles)
    reindexing = group.add_parser("reindex", help="build the search index again from the articles")
    reindexing.add_argument("config_uri", help="the INI file, e.g. development.ini")
    reindexing.set_defaults(func=reindex_articles)


def import_articles(env, args) -> int:
    from plugins.kb.articles import KnowledgeBase

    if args.file == "-":
        sys.stdin.reconfigure(encoding="utf-8-sig")
    try:
        source = nullcontext(sys.stdin) if args.file == "-" else open(args.file, encoding="utf-8-sig")
    except OSError as error:
        print(f"cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return 2
    with source as lines, env.session_factory() as dbsession:
        actor = None
        if args.username:
            actor = dbsession.scalar(select(User).where(User.username == normalize_username(args.username)))
            if actor is None or not actor.is_active:
                print(f"no user {args.username!r}", file=sys.stderr)
                return 2
        knowledge_base = KnowledgeBase.for_session(dbsession, env.settings, env.pluginmanager, actor)
        importer = transfer.Importer(dbsession, lambda department_id: knowledge_base, commit=dbsession.commit)
        total = None
        if lines.seekable():
            total = sum(1 for _line in lines)
            lines.seek(0)
        with tqdm(total=total, unit=" lines", file=sys.stderr, disable=None, dynamic_ncols=True) as bar:
            report = importer.run(lines, progress=bar.update)
    for problem in report.problems:
        print(f"line {problem.line}: {problem.reason}", file=sys.stderr)
    print(report.summary())
    return 1 if report.failed else 0


def export_articles(env, args) -> int:
    with env.session_factory() as dbsession:
        department_id = None
        if args.department:
            department_id = dbsession.scalar(select(Department.id).where(Department.code == args.department))
            if department_id is None:
                print(f"no department with code {args.department!r}", file=sys.stderr)
                return 2
        try:
            if not args.output:
                sys.stdout.reconfigure(encoding="utf-8")
            target = open(args.output, "w", encoding="utf-8") if args.output else nullcontext(sys.stdout)
        except OSError as error:
            print(f"cannot write {args.output}: {error.strerror}", file=sys.stderr)
            return 2
        count = 0
        with target as output:
            for line in transfer.export_lines(dbsession, department_id):
                output.write(line + "\n")
                count += 1
    if args.output:
        print(f"exported {count} articles to {args.output}", file=sys.stderr)
    return 0


def reindex_articles(env, args) -> int:
    """After restoring a database, moving to another engine or a bulk change made outside Pishkhan."""
    from plugins.kb.backend import search_backend
    from plugins.kb.search import rebuild_index

    with env.session_factory() as dbsession:
        indexed = rebuild_index(dbsession, search_backend(env.pluginmanager, env.settings))
        dbsession.commit()
    print(f"{indexed} articles indexed")
    return 0
