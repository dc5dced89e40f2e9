"""The ``pishkhan`` command. Each command takes the INI file first, like Pyramid's scripts::

    pishkhan db upgrade development.ini
    pishkhan demo load development.ini
    pishkhan users create development.ini --username U --password P --role R [--department D]
    pishkhan tokens create development.ini --user U
    pishkhan plugins list development.ini
    pishkhan worker development.ini
    pishkhan serve production.ini --processes 4
"""
from __future__ import annotations

import argparse
import os
import sys

from pyramid.paster import get_appsettings, setup_logging
from sqlalchemy import select

from core import accounts, demo, migrate, serve
from core.app import SettingsError, effective_settings
from core.auth import create_api_token
from core.db import get_engine, get_session_factory, import_models, transactional_session
from core.models import Department, Role, User
from core.plugins import PluginLoadError, create_plugin_manager, load_entry_point, selected_entry_points
from core.worker import Worker


class Environment:
    """Settings, plugin manager and engine for one command, without serving the web app."""

    def __init__(self, config_uri: str):
        setup_logging(config_uri)
        raw = get_appsettings(config_uri)
        self.pluginmanager = create_plugin_manager(raw)
        self.settings = effective_settings(raw, self.pluginmanager)
        import_models(self.pluginmanager)
        self.engine = get_engine(self.settings)
        self.session_factory = get_session_factory(self.engine)

    def dbsession(self):
        return transactional_session(self.session_factory)


def db_upgrade(env: Environment, args) -> int:
    migrate.upgrade(env.engine, env.pluginmanager)
    with env.dbsession() as dbsession:
        demo.populate(dbsession, env.pluginmanager, env.settings, demo=False)
    print("database is up to date")
    return 0


def demo_load(env: Environment, args) -> int:
    migrate.upgrade(env.engine, env.pluginmanager)
    with env.dbsession() as dbsession:
        demo.populate(dbsession, env.pluginmanager, env.settings, demo=False)
        if args.if_empty and dbsession.scalar(select(User.id).limit(1)) is not None:
            print("the database already has data; demo not loaded")
            return 0
        demo.populate(dbsession, env.pluginmanager, env.settings, demo=True)
    print("demo organization loaded")
    return 0


def users_create(env: Environment, args) -> int:
    with env.dbsession() as dbsession:
        department = None
        if args.department:
            department = dbsession.scalar(select(Department).where(Department.code == args.department))
            if department is None:
                print(f"no department with code {args.department!r}", file=sys.stderr)
                return 2
        try:
            user = accounts.create_user(
                dbsession,
                username=args.username,
                password=args.password,
                full_name=args.full_name or args.username,
                role=args.role,
                department=department,
                email=args.email,
            )
        except accounts.AccountError as error:
            print(error, file=sys.stderr)
            return 2
        print(f"created user {user.username} ({user.role})")
    return 0


def tokens_create(env: Environment, args) -> int:
    with env.dbsession() as dbsession:
        user = dbsession.scalar(select(User).where(User.username == args.user))
        if user is None:
            print(f"no user {args.user!r}", file=sys.stderr)
            return 2
        print(create_api_token(dbsession, user, name=args.name))
    return 0


def plugins_list(env: Environment, args) -> int:
    for info in env.pluginmanager.plugin_infos():
        print(f"{info.name:20} {info.distribution or '-':24} {info.version or '-':10} {', '.join(info.hooks)}")
    return 0


def worker(env: Environment, args) -> int:
    Worker(env.session_factory, env.pluginmanager, env.settings).run(once=args.once)
    return 0


def serve_command(config_uri: str, processes: int) -> int:
    setup_logging(config_uri)
    try:
        return serve.serve(config_uri, processes)
    except (serve.ServeError, PluginLoadError, SettingsError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def add_plugin_commands(groups) -> None:
    """Every installed plugin's commands (``pishkhan_cli_commands``): the parser exists before the
    INI file says which plugins are enabled, so each command remembers its plugin and ``main``
    refuses it when the INI leaves the plugin out. A plugin that fails to load adds no command."""
    pluginmanager = create_plugin_manager({}, load_entry_points=False)
    for entry_point in selected_entry_points({}):
        try:
            pluginmanager.register_plugin(load_entry_point(entry_point), name=entry_point.name)
        except PluginLoadError:
            continue
    for implementation in pluginmanager.hook.pishkhan_cli_commands.get_hookimpls():
        known = set(groups.choices)
        implementation.function(**{name: groups for name in implementation.argnames})
        for name in set(groups.choices) - known:
            groups.choices[name].set_defaults(plugin=implementation.plugin_name)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pishkhan", description="Pishkhan service desk administration")
    groups = parser.add_subparsers(dest="group", required=True)

    def subcommands(name: str, help_text: str):
        return groups.add_parser(name, help=help_text).add_subparsers(dest="command", required=True)

    def add(parent, name: str, func, help_text: str) -> argparse.ArgumentParser:
        sub = parent.add_parser(name, help=help_text)
        sub.add_argument("config_uri", help="the INI file, e.g. development.ini")
        sub.set_defaults(func=func)
        return sub

    add(subcommands("db", "database"), "upgrade", db_upgrade, "create or migrate the database (every plugin's branch)")
    demo_parser = add(subcommands("demo", "demo data"), "load", demo_load, "load the Persian demo organization")
    demo_parser.add_argument("--if-empty", action="store_true", help="only when the database has no users")
    users = add(subcommands("users", "accounts"), "create", users_create, "create a user")
    users.add_argument("--username", required=True)
    users.add_argument("--password", required=True)
    users.add_argument("--role", required=True, choices=[role.value for role in Role])
    users.add_argument("--department", help="department code")
    users.add_argument("--full-name", dest="full_name")
    users.add_argument("--email")
    tokens = add(subcommands("tokens", "API tokens"), "create", tokens_create, "create an API token and print it")
    tokens.add_argument("--user", required=True)
    tokens.add_argument("--name", default="cli")
    add(subcommands("plugins", "plugins"), "list", plugins_list, "list plugins, versions and hooks")
    worker_parser = add(groups, "worker", worker, "deliver the outbox and run periodic jobs")
    worker_parser.add_argument("--once", action="store_true", help="one pass, then exit")
    add_plugin_commands(groups)
    serve_parser = groups.add_parser("serve", help="serve the web application with waitress in several processes")
    serve_parser.add_argument("config_uri", help="the INI file; its [server:main] section configures waitress")
    serve_parser.add_argument("--processes", type=positive, default=os.cpu_count() or 1,
                              help="serving processes sharing the listening socket (default: one per CPU)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.group == "serve":  # the web application, not a command on the database
        return serve_command(args.config_uri, args.processes)
    try:
        env = Environment(args.config_uri)
        plugin = getattr(args, "plugin", None)
        if plugin is not None and env.pluginmanager.get_plugin(plugin) is None:
            print(f"error: plugin {plugin!r} is not enabled in {args.config_uri}", file=sys.stderr)
            return 1
        return args.func(env, args)
    except (PluginLoadError, SettingsError) as error:  # e.g. a channel plugin's bad setting at worker start
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
