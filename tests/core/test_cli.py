"""The ``pishkhan`` command, run as a user runs it: a subprocess on a real INI file."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

PISHKHAN = str(Path(sys.executable).with_name("pishkhan"))


@pytest.fixture(scope="module")
def ini(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    path = folder / "test.ini"
    path.write_text(
        "[app:main]\nuse = egg:pishkhan\n"
        f"sqlalchemy.url = sqlite:///{folder / 'cli.sqlite'}\n"
        "session.secret = cli-test\n"
        "tickets.demo_scale = 0.02\n"  # a few demo tickets: the demo's size is not what is tested here
    )
    return str(path)


def pishkhan(*args, check=True):
    result = subprocess.run([PISHKHAN, *args], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_database_demo_users_tokens_and_plugins(ini):
    assert "up to date" in pishkhan("db", "upgrade", ini).stdout
    assert "loaded" in pishkhan("demo", "load", ini, "--if-empty").stdout
    assert "not loaded" in pishkhan("demo", "load", ini, "--if-empty").stdout

    created = pishkhan("users", "create", ini, "--username", "Reza", "--password", "a-good-password",
                       "--role", "agent", "--department", "it", "--full-name", "رضا علوي")
    assert "created user reza (agent)" in created.stdout

    duplicate = pishkhan("users", "create", ini, "--username", "reza", "--password", "a-good-password",
                         "--role", "agent", check=False)
    assert duplicate.returncode == 2 and "taken" in duplicate.stderr

    short = pishkhan("users", "create", ini, "--username", "sina", "--password", "short", "--role", "agent",
                     check=False)
    assert short.returncode == 2

    unknown_department = pishkhan("users", "create", ini, "--username", "sina", "--password", "long-enough",
                                  "--role", "agent", "--department", "nowhere", check=False)
    assert unknown_department.returncode == 2 and "nowhere" in unknown_department.stderr

    token = pishkhan("tokens", "create", ini, "--user", "reza").stdout.strip()
    assert token.startswith("pk_") and len(token) > 30

    listing = pishkhan("plugins", "list", ini).stdout
    assert "email" in listing and "pishkhan_notification_channels" in listing


def test_a_missing_environment_variable_is_named(tmp_path):
    path = tmp_path / "prod.ini"
    path.write_text("[app:main]\nuse = egg:pishkhan\nsqlalchemy.url = env:PISHKHAN_NOT_SET_ANYWHERE\n"
                    "session.secret = x\n")
    result = pishkhan("db", "upgrade", str(path), check=False)
    assert result.returncode != 0
    assert "PISHKHAN_NOT_SET_ANYWHERE" in result.stderr
