"""``pishkhan serve INI --processes N``: waitress in several processes on one listening socket."""
import http.client
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

PISHKHAN = str(Path(sys.executable).with_name("pishkhan"))
REPO = Path(__file__).resolve().parents[2]
SERVER = "[server:main]\nuse = egg:waitress#main\nlisten = 127.0.0.1:0\nthreads = 4\n"


def write_ini(folder: Path, server: str = SERVER, app: str = "use = call:tests.core.serve_app:make_app") -> str:
    path = folder / "serve.ini"
    path.write_text(f"[app:main]\n{app}\n\n{server}")
    return str(path)


@contextmanager
def serving(ini: str):
    """``pishkhan serve`` with two processes; yields (process, host, port)."""
    process = subprocess.Popen([PISHKHAN, "serve", ini, "--processes", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        line = process.stdout.readline()
        match = re.search(r"Serving on http://([\d.]+):(\d+) with 2 processes", line)
        assert match, line + process.stdout.read() if process.poll() is not None else line
        yield process, match.group(1), int(match.group(2))
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=15)


@pytest.fixture
def served(tmp_path):
    with serving(write_ini(tmp_path)) as server:
        yield server


def pids_of_connections(host: str, port: int, connections: int, requests: int) -> list[list[str]]:
    """Open ``connections`` keep-alive connections, then send ``requests`` on each at the same time."""
    opened = [http.client.HTTPConnection(host, port, timeout=10) for _ in range(connections)]
    for connection in opened:
        connection.connect()

    def use(connection) -> list[str]:
        answers = []
        for _ in range(requests):
            connection.request("GET", "/")
            response = connection.getresponse()
            assert response.status == 200
            answers.append(response.read().decode())
        connection.close()
        return answers

    with ThreadPoolExecutor(connections) as pool:
        return list(pool.map(use, opened))


def test_connections_are_shared_evenly_between_the_processes(served):
    process, host, port = served
    answers = pids_of_connections(host, port, connections=6, requests=3)
    per_connection = [set(pids) for pids in answers]
    assert all(len(pids) == 1 for pids in per_connection)  # a kept-alive connection stays with its process
    served_by = [pids.pop() for pids in per_connection]
    assert len(set(served_by)) == 2
    assert sorted(served_by.count(pid) for pid in set(served_by)) == [3, 3]
    assert str(process.pid) not in served_by  # the first process only supervises


def test_sigterm_stops_every_process(served):
    process, host, port = served
    children = {pids[0] for pids in pids_of_connections(host, port, connections=2, requests=1)}
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=15) == 0
    for pid in children:
        with pytest.raises(ProcessLookupError):
            os.kill(int(pid), 0)


def test_a_stopped_process_writes_the_notes_of_its_last_pages(tmp_path):
    database = tmp_path / "notes.sqlite"
    ini = write_ini(tmp_path, app=f"use = call:tests.core.serve_app:make_app_with_notes\ndatabase = {database}")
    with serving(ini) as (process, host, port):
        children = sorted(int(pids[0]) for pids in pids_of_connections(host, port, connections=2, requests=1))
        for pid in children:  # told twice, as by a kill of the whole group: by us, then by the supervisor
            os.kill(pid, signal.SIGTERM)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
    with sqlite3.connect(database) as connection:
        assert sorted(pid for (pid,) in connection.execute("SELECT pid FROM notes")) == children


@pytest.mark.skipif(sys.platform != "linux", reason="a parent-death signal is Linux's")
def test_no_serving_process_outlives_a_killed_supervisor(served):
    process, host, port = served
    children = {int(pids[0]) for pids in pids_of_connections(host, port, connections=2, requests=1)}
    process.kill()
    process.wait(timeout=10)
    deadline = time.monotonic() + 15
    while children and time.monotonic() < deadline:
        for pid in list(children):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                children.discard(pid)
        time.sleep(0.1)
    assert children == set()


def test_only_waitress_is_served(tmp_path):
    ini = write_ini(tmp_path, SERVER.replace("egg:waitress#main", "egg:gunicorn#main"))
    result = subprocess.run([PISHKHAN, "serve", ini, "--processes", "2"], capture_output=True, text=True,
                            timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 1
    assert "waitress only" in result.stderr
