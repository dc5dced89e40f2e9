"""``pishkhan demo load`` with the knowledge base, and ``pishkhan kb import|export``, run as an
operator runs them: subprocesses on a real INI file and database."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.plugins.kb import demo_articles_support

PISHKHAN = str(Path(sys.executable).with_name("pishkhan"))
DEMO_ARTICLES = len(demo_articles_support.lines())
NEW = {"key": "hr-daycare", "department": "hr", "title": "ثبت‌نام مهدکودک فرزندان کارکنان", "body": "فرم را پر کنید.",
       "tags": ["مهدکودک"], "audience": "public", "state": "published"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("kbcli")


def write_ini(folder: Path, name: str, extra: str = "") -> str:
    path = folder / f"{name}.ini"
    path.write_text("[app:main]\nuse = egg:pishkhan\n"
                    f"sqlalchemy.url = sqlite:///{folder / 'kb.sqlite'}\n"
                    "session.secret = cli-test\n"
                    "tickets.demo_scale = 0\n"  # no ticket history: the knowledge base is what is tested
                    + extra)
    return str(path)


@pytest.fixture(scope="module")
def ini(folder):
    path = write_ini(folder, "test")
    assert "loaded" in pishkhan("demo", "load", path).stdout
    return path


def pishkhan(*args, check=True, stdin: str | None = None):
    result = subprocess.run([PISHKHAN, *args], capture_output=True, text=True, timeout=120, input=stdin,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"}, encoding="utf-8")
    if check:
        assert result.returncode == 0, result.stderr
    return result


def jsonl(folder: Path, name: str, *lines) -> str:
    path = folder / name
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)
                              for line in lines) + "\n", encoding="utf-8")
    return str(path)


def test_the_demo_brings_its_articles_and_the_export_has_them_all(ini):
    lines = [json.loads(line) for line in pishkhan("kb", "export", ini).stdout.splitlines()]
    assert len(lines) == DEMO_ARTICLES
    assert {line["department"] for line in lines} == {"it", "education", "finance", "hr", "facilities", "ssc"}
    assert all(line["state"] in ("draft", "review", "published") for line in lines)


def test_an_export_imports_back_unchanged(ini, folder):
    target = folder / "all.jsonl"
    result = pishkhan("kb", "export", ini, "-o", str(target))
    assert f"exported {DEMO_ARTICLES} articles" in result.stderr
    imported = pishkhan("kb", "import", ini, str(target))
    assert imported.stdout.strip() == f"created 0, updated 0, unchanged {DEMO_ARTICLES}, failed 0"
    assert imported.stderr == ""  # no progress bar when nobody watches


def test_broken_lines_are_reported_and_the_rest_imported(ini, folder):
    path = jsonl(folder, "new.jsonl", NEW, '{"key": "hr-broken", "title": ', {**NEW, "key": "hr-x", "department": "?"})
    result = pishkhan("kb", "import", ini, path, check=False)
    assert result.returncode == 1
    assert result.stdout.strip() == "created 1, updated 0, unchanged 0, failed 2"
    assert result.stderr.splitlines() == ["line 2: not valid JSON (Expecting value at character 30)",
                                          "line 3: department: No department has the code «?»."]
    again = pishkhan("kb", "import", ini, jsonl(folder, "again.jsonl", {**NEW, "title": "مهدکودک کارکنان"}))
    assert again.stdout.strip() == "created 0, updated 1, unchanged 0, failed 0"
    hr = [json.loads(line) for line in pishkhan("kb", "export", ini, "--department", "hr").stdout.splitlines()]
    assert "مهدکودک کارکنان" in {line["title"] for line in hr} and {line["department"] for line in hr} == {"hr"}


def test_an_import_as_a_user_has_their_permissions(ini, folder):
    path = jsonl(folder, "as.jsonl", {**NEW, "key": "hr-leave"})
    refused = pishkhan("kb", "import", ini, path, "--as", "hr.desk", check=False)
    assert refused.returncode == 1 and "line 1: You may not do this with this article." in refused.stderr
    assert "created 1" in pishkhan("kb", "import", ini, path, "--as", "HR.Lead").stdout
    unknown = pishkhan("kb", "import", ini, path, "--as", "nobody", check=False)
    assert unknown.returncode == 2 and "no user 'nobody'" in unknown.stderr


def test_standard_input_and_missing_files(ini, folder):
    piped = pishkhan("kb", "import", ini, "-", stdin=json.dumps({**NEW, "key": "hr-piped"}, ensure_ascii=False))
    assert piped.stdout.strip() == "created 1, updated 0, unchanged 0, failed 0"
    missing = pishkhan("kb", "import", ini, str(folder / "nowhere.jsonl"), check=False)
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    department = pishkhan("kb", "export", ini, "--department", "nowhere", check=False)
    assert department.returncode == 2 and "nowhere" in department.stderr


def test_a_plugin_the_ini_disables_has_no_commands(ini, folder):
    disabled = write_ini(folder, "without-kb", "pishkhan.plugins.disabled = kb\n")
    result = pishkhan("kb", "export", disabled, check=False)
    assert result.returncode == 1 and "plugin 'kb' is not enabled" in result.stderr


def test_reindex_builds_the_index_again_from_the_articles(ini):
    result = pishkhan("kb", "reindex", ini)
    indexed = int(result.stdout.split()[0])
    published = [json.loads(line) for line in pishkhan("kb", "export", ini).stdout.splitlines()]
    searchable = [line for line in published if line["state"] == "published" and line.get("confidence") != "archived"]
    assert indexed == len(searchable) > 60
