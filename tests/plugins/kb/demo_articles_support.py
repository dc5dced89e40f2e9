"""The demo articles as the department plugins bring them (``pishkhan_demo_articles``, one file
per department), and a test plugin handing every file to the knowledge base's demo loader without
the departments' other hooks."""
from __future__ import annotations

from pathlib import Path

from core import hookimpl

ROOT = Path(__file__).resolve().parents[3]
FILES = sorted(ROOT.glob("plugins/*/demo/articles.jsonl"))


def lines() -> list[str]:
    return [line for path in FILES for line in path.read_text(encoding="utf-8").splitlines()]


class DemoArticles:
    @hookimpl
    def pishkhan_demo_articles(self):
        return FILES
