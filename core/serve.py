"""``pishkhan serve INI --processes N``: waitress in N processes that share one listening socket.

Python runs one thread at a time per process, so one waitress process uses one CPU however many
threads it has. This binds the ``[server:main]`` addresses once, loads the application once, then
forks N processes that each serve it with the section's waitress settings (threads and the rest).
A new connection goes to the process with the fewest open connections (the others stop
accepting until it catches up): browsers and load tools keep their connections open, and a
process that happened to accept most of them would do most of the work on one CPU. A process
that dies is replaced; SIGTERM or Ctrl-C stops them all.
"""
from __future__ import annotations

import gc
import logging
import multiprocessing.sharedctypes
import os
import signal
import socket
import sys
import time

import plaster
import waitress
from pyramid.paster import get_app
from waitress.adjustments import Adjustments
from waitress.server import BaseWSGIServer

from core.notes import notes_written

log = logging.getLogger(__name__)

SERVER_SECTION = "server:main"
WAITRESS = ("egg:waitress#main", "egg:waitress")
ADDRESS_SETTINGS = ("listen", "host", "port")  # replaced by the sockets bound here
EARLY_EXIT = 10  # seconds: a process failing sooner is a setup error, not a crash to recover from


class ServeError(RuntimeError):
    """The INI asks for a server this command cannot run."""


def waitress_settings(config_uri: str) -> dict:
    """The ``[server:main]`` settings, minus ``use``; refused unless the server is waitress on TCP."""
    settings = dict(plaster.get_settings(config_uri, SERVER_SECTION))
    use = settings.pop("use", "egg:waitress#main").strip()
    if use not in WAITRESS:
        raise ServeError(f"[{SERVER_SECTION}] uses {use}; pishkhan serve runs waitress only (use pserve)")
    if settings.get("unix_socket"):
        raise ServeError("pishkhan serve listens on TCP addresses; for a unix socket use pserve")
    return settings


def bind(settings: dict) -> list[socket.socket]:
    """Listening sockets for every address of ``listen`` (or ``host``/``port``), bound once."""
    adjustments = Adjustments(**settings)
    sockets = []
    for family, socktype, proto, address in adjustments.listen:
        sock = socket.socket(family, socktype, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(address)
        sock.listen(adjustments.backlog)
        sockets.append(sock)
    return sockets


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if sock.family == socket.AF_INET6 else f"http://{host}:{port}"


class Balancer:
    """Least connections across the serving processes: each publishes how many connections it
    has open in shared memory, and only a process with no more than any other accepts."""

    def __init__(self, processes: int):
        self.open = multiprocessing.sharedctypes.RawArray("i", processes)

    def attach(self, socket_map: dict, slot: int) -> None:
        """Make the listening dispatchers in ``socket_map`` (one process's) take turns."""
        self.open[slot] = 0
        listeners = [dispatcher for dispatcher in socket_map.values() if isinstance(dispatcher, BaseWSGIServer)]
        baseline = len(socket_map)  # the listeners and waitress's trigger: every other entry is a connection
        for listener in listeners:
            readable = listener.readable  # waitress's own: its maintenance and its connection limit

            def take_turn(readable=readable) -> bool:
                accepting = readable()
                self.open[slot] = mine = len(socket_map) - baseline
                return accepting and mine <= min(self.open)

            listener.readable = take_turn


class Supervisor:
    """Forks the serving processes and replaces any that dies until it is told to stop."""

    def __init__(self, app, sockets: list[socket.socket], settings: dict, processes: int):
        self.app = app
        self.sockets = sockets
        self.settings = {key: value for key, value in settings.items() if key not in ADDRESS_SETTINGS}
        self.processes = processes
        self.balancer = Balancer(processes)
        self.children: dict[int, tuple[int, float]] = {}  # pid → its balancer slot, when it started
        self.stopping = False

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        for slot in range(self.processes):
            self.spawn(slot)
        status = 0
        while self.children:
            try:
                pid, wait_status = os.wait()
            except ChildProcessError:
                break
            child = self.children.pop(pid, None)
            if child is None or self.stopping:
                continue
            slot, started = child
            code = os.waitstatus_to_exitcode(wait_status)
            if time.monotonic() - started < EARLY_EXIT:
                log.error("serving process %s exited (%s) right after starting; stopping", pid, code)
                status = 1
                self.stop()
            else:
                log.warning("serving process %s exited (%s); starting another", pid, code)
                self.spawn(slot)
        return status

    def spawn(self, slot: int) -> None:
        pid = os.fork()
        if pid:
            self.children[pid] = (slot, time.monotonic())
            return
        code = 0
        try:
            registry = getattr(self.app, "registry", {})
            for stop_signal in (signal.SIGTERM, signal.SIGINT):
                signal.signal(stop_signal, lambda signum, frame: stop_serving(registry))
            stop_with_supervisor()
            # Connections are not shared across a fork: this process opens its own.
            engine = registry.get("db_engine")
            if engine is not None:
                engine.dispose(close=False)
            socket_map: dict = {}
            server = waitress.create_server(self.app, map=socket_map, sockets=self.sockets, **self.settings)
            self.balancer.attach(socket_map, slot)
            server.run()
        except BaseException:
            log.exception("serving process %s failed", os.getpid())
            code = 1
        finally:
            logging.shutdown()
            os._exit(code)

    def stop(self, signum=None, frame=None) -> None:
        self.stopping = True
        for pid in list(self.children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass


def stop_serving(registry) -> None:
    """A serving process told to stop writes the notes of its last pages (``core.notes``), then
    exits at once: requests still running are cut, as a browser's reload would be. It is told
    more than once (``kill`` of the group, then the supervisor): the later signals are ignored,
    or this handler would run again inside itself and wait for its own note lock."""
    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop_signal, signal.SIG_IGN)
    notes_written(registry)
    os._exit(0)


def stop_with_supervisor() -> None:
    """On Linux, a serving process is sent SIGTERM when the supervisor dies, even by SIGKILL, so
    no orphan keeps the port or the database open."""
    if sys.platform != "linux":
        return
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    if os.getppid() == 1:  # the supervisor died before the request took effect
        os._exit(0)


def serve(config_uri: str, processes: int) -> int:
    settings = waitress_settings(config_uri)
    app = get_app(config_uri)
    sockets = bind(settings)
    for sock in sockets:
        print(f"Serving on {url_of(sock)} with {processes} processes", flush=True)
    sys.stdout.flush()
    # The application's own objects (plugins, templates, mappers) live as long as the process:
    # kept out of the garbage collector's sight, a full collection no longer scans them all
    # (tens of ms in the middle of a request), and the forked processes keep sharing their pages.
    gc.collect()
    gc.freeze()
    return Supervisor(app, sockets, settings, processes).run()
