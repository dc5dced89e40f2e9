"""The demo articles, the starting synonym list and the retrieval test set are consistent data.

No app and no database: these files are what the demo loader and the retrieval test read, so a
broken line, a misspelt key or a query whose expected article is not searchable fails here first.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from core.normalize import search_key
from tests.plugins.kb import demo_articles_support

ROOT = Path(__file__).resolve().parents[3]
SYNONYMS = ROOT / "plugins" / "kb" / "demo" / "synonyms.json"
RETRIEVAL_SET = Path(__file__).with_name("retrieval_set.jsonl")

ARTICLE_FIELDS = {"key": str, "department": str, "category": str, "title": str, "summary": str, "body": str,
                  "tags": list, "audience": str, "state": str, "confidence": str, "related": list}
KEY_PREFIXES = {"it": "it-", "education": "edu-", "finance": "fin-", "hr": "hr-", "facilities": "fac-",
                "ssc": "ssc-"}
AUDIENCES = {"public", "internal"}
STATES = {"draft", "review", "published"}
CONFIDENCES = {"work_in_progress", "not_validated", "validated", "archived"}
KINDS = {"paraphrase", "arabic_letters", "zwnj", "digits", "typo", "mixed", "long", "one_word", "no_answer",
         # how people really type (the search audit): spoken Persian, Finglish, English words in
         # Persian letters and back, suffixed and conjugated forms, the wrong keyboard layout, questions
         "colloquial", "finglish", "loanword", "inflection", "verb_form", "keyboard", "question"}
# Function words a paraphrase may share with the title it is a paraphrase of.
FUNCTION_WORDS = set("و در به از با که را برای این آن یا تا چه چی کی کجا چطور چطوری باید هست است".split())


def read_lines(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        assert line.strip(), f"{path.name}:{number} is empty"
        row = json.loads(line)
        assert isinstance(row, dict), f"{path.name}:{number} is not an object"
        rows.append(row)
    return rows


@pytest.fixture(scope="module")
def articles() -> dict[str, dict]:
    rows = [row for path in demo_articles_support.FILES for row in read_lines(path)]
    duplicates = [key for key, count in Counter(row["key"] for row in rows).items() if count > 1]
    assert not duplicates
    return {row["key"]: row for row in rows}


@pytest.fixture(scope="module")
def queries() -> list[dict]:
    return read_lines(RETRIEVAL_SET)


def searchable(article: dict) -> bool:
    return article["audience"] == "public" and article["state"] == "published"


def content_words(text: str) -> set[str]:
    return {word for word in re.findall(r"\w+", search_key(text)) if len(word) > 1 and word not in FUNCTION_WORDS}


def test_articles_have_every_field_from_the_allowed_values(articles):
    for key, article in articles.items():
        assert set(article) == set(ARTICLE_FIELDS), key
        for field, kind in ARTICLE_FIELDS.items():
            assert isinstance(article[field], kind), (key, field)
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", key), key
        assert article["department"] in KEY_PREFIXES, key
        assert key.startswith(KEY_PREFIXES[article["department"]]), key
        assert article["audience"] in AUDIENCES, key
        assert article["state"] in STATES, key
        assert article["confidence"] in CONFIDENCES, key
        assert all(level.strip() for level in article["category"].split(" / ")), key
        assert article["tags"] and all(isinstance(tag, str) and tag for tag in article["tags"]), key


def test_article_texts_are_stored_the_persian_way(articles):
    for key, article in articles.items():
        text = " ".join([article["title"], article["summary"], article["body"], *article["tags"]])
        assert not re.search("[يك]", text), f"{key}: Arabic yeh or kaf"
        assert "## " in article["body"], f"{key}: no KCS headings"
        assert 120 <= len(article["body"].split()) <= 400, f"{key}: {len(article['body'].split())} words"


def test_related_articles_exist(articles):
    for key, article in articles.items():
        assert key not in article["related"], key
        assert set(article["related"]) <= set(articles), (key, set(article["related"]) - set(articles))


def test_the_demo_has_enough_articles_for_the_portal(articles):
    assert len(articles) >= 80
    assert sum(searchable(article) for article in articles.values()) >= 60
    assert set(Counter(article["department"] for article in articles.values())) == set(KEY_PREFIXES)
    assert any(article["audience"] == "internal" for article in articles.values())
    assert {article["confidence"] for article in articles.values()} == CONFIDENCES
    assert {article["state"] for article in articles.values()} == STATES


def test_synonym_groups():
    groups = json.loads(SYNONYMS.read_text(encoding="utf-8"))
    assert 30 <= len(groups) <= 60
    terms = [search_key(term) for group in groups for term in group]
    for group in groups:
        assert len(group) >= 2 and all(isinstance(term, str) and term.strip() for term in group), group
        assert not any("," in term or "،" in term for term in group), group
    assert [term for term, count in Counter(terms).items() if count > 1] == []


def test_queries_have_a_kind_and_expected_articles_that_exist(queries, articles):
    assert len(queries) >= 300
    assert len({search_key(row["query"]) for row in queries}) == len(queries)
    for row in queries:
        assert set(row) == {"query", "kind", "expected"}, row
        assert row["kind"] in KINDS, row
        assert row["query"].strip(), row
        assert set(row["expected"]) <= set(articles), row
        assert len(set(row["expected"])) == len(row["expected"]), row
        if row["kind"] == "no_answer":
            assert row["expected"] == [], row
        else:
            # Anonymous portal search must be able to find at least one of them.
            assert any(searchable(articles[key]) for key in row["expected"]), row


def test_every_kind_has_at_least_twelve_queries(queries):
    counts = Counter(row["kind"] for row in queries)
    assert {kind: counts[kind] for kind in KINDS if counts[kind] < 12} == {}


def test_queries_are_of_their_kind(queries, articles):
    for row in queries:
        query, kind = row["query"], row["kind"]
        if kind == "arabic_letters":
            assert re.search("[يك]", query), query
        elif kind == "digits":
            assert re.search(r"\d", query), query
        elif kind == "mixed":
            assert re.search("[A-Za-z]", query), query
        elif kind == "finglish":
            assert re.fullmatch(r"[a-z ]+", query), query
        elif kind == "question":
            assert re.search("[؟?]$", query), query
        elif kind == "one_word":
            assert len(query.split()) == 1, query
        elif kind == "long":
            assert len(re.findall(r"[.؟?!]", query)) >= 2 and len(query.split()) >= 20, query
        elif kind == "paraphrase":
            for key in row["expected"]:
                shared = content_words(query) & content_words(articles[key]["title"])
                assert not shared, (query, key, shared)
