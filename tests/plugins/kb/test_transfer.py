"""Articles in and out as JSON lines (``plugins.kb.transfer``): round trips, broken lines reported by
number, re-imports that change only what changed, and the permissions of the user importing."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from plugins.kb.models import Article, ArticleVersion, Category, RelatedArticle
from plugins.kb.transfer import Importer, Outcome, export_lines

VPN = {
    "key": "it-vpn", "department": "it", "title": "اتصال به VPN دانشگاه", "summary": "از خانه به سامانه‌ها",
    "body": "## راه‌حل\n1. برنامه را نصب کنید.\n2. با **حساب دانشگاهی** وارد شوید.", "tags": ["vpn", "شبکه"],
    "audience": "public", "state": "published", "confidence": "validated", "category": "شبکه و اینترنت / VPN",
    "service": None, "related": ["it-wifi"], "next_review_on": "2027-03-01",
}
WIFI = {
    "key": "it-wifi", "department": "it", "title": "وای‌فای خوابگاه", "summary": "", "body": "تنظیمات eduroam",
    "tags": [], "audience": "internal", "state": "review", "confidence": "not_validated",
    "category": "شبکه و اینترنت / بی‌سیم", "service": "category:7", "related": ["it-vpn"],
    "next_review_on": "2027-01-15",
}
GRADES = {
    "key": "edu-grades", "department": "education", "title": "اعتراض به نمره", "summary": "", "body": "در گلستان",
    "tags": ["نمره"], "audience": "public", "state": "draft", "confidence": "work_in_progress", "category": None,
    "service": None, "related": [], "next_review_on": "2027-02-01",
}


def lines(*records: dict) -> list[str]:
    return [json.dumps(record, ensure_ascii=False) for record in records]


def run(kb, dbsession, text_lines, username: str | None = None, **options):
    knowledge_base = kb(username)
    return Importer(dbsession, lambda department_id: knowledge_base, **options).run(text_lines)


def article(dbsession, key: str) -> Article:
    return dbsession.scalar(select(Article).where(Article.key == key))


def versions(dbsession) -> int:
    return dbsession.scalar(select(func.count()).select_from(ArticleVersion))


def exported(dbsession, department_id=None) -> list[dict]:
    return [json.loads(line) for line in export_lines(dbsession, department_id)]


def test_import_then_export_gives_the_same_lines(kb, org):
    report = run(kb, org, lines(VPN, WIFI, GRADES))
    assert report.problems == [] and report.summary() == "created 3, updated 0, unchanged 0, failed 0"
    vpn = article(org, "it-vpn")
    assert (vpn.state, vpn.audience, vpn.confidence, vpn.tag_names) == ("published", "public", "validated",
                                                                        ["vpn", "شبکه"])
    assert vpn.published_at is not None and vpn.owner is None  # written by the system
    assert sorted(exported(org), key=lambda line: line["key"]) == [GRADES, VPN, WIFI]
    categories = {name for name, in org.execute(select(Category.name))}
    assert {"شبکه و اینترنت", "VPN", "بی‌سیم"} <= categories  # the shared parent made once


def test_a_reimport_of_the_export_changes_nothing(kb, org):
    run(kb, org, lines(VPN, WIFI, GRADES))
    before = versions(org)
    report = run(kb, org, export_lines(org))
    assert report.summary() == "created 0, updated 0, unchanged 3, failed 0"
    assert versions(org) == before


def test_a_changed_line_updates_its_article_with_one_new_version(kb, org):
    run(kb, org, lines(VPN, WIFI))
    vpn = article(org, "it-vpn")
    version = vpn.version
    report = run(kb, org, lines({**VPN, "title": "اتصال به وی‌پی‌ان", "tags": ["شبکه", "vpn"]}, WIFI))
    assert report.counts == {Outcome.created: 0, Outcome.updated: 1, Outcome.unchanged: 1}
    assert vpn.title == "اتصال به وی‌پی‌ان" and vpn.version == version + 1  # tag order is no change


def test_the_state_of_a_line_moves_the_article_through_the_editorial_flow(kb, org):
    run(kb, org, lines(VPN))
    vpn = article(org, "it-vpn")
    run(kb, org, lines({**VPN, "state": "review"}))
    assert vpn.state == "review"
    states = list(org.scalars(select(ArticleVersion.state).where(ArticleVersion.article_id == vpn.id)
                              .order_by(ArticleVersion.number)))
    assert states == ["draft", "published", "draft", "review"]


def test_a_line_leaving_out_optional_fields_keeps_their_values(kb, org):
    run(kb, org, lines(VPN))
    minimal = {name: VPN[name] for name in ("key", "department", "title", "body", "tags", "audience", "state")}
    report = run(kb, org, lines(minimal))
    vpn = article(org, "it-vpn")
    assert report.counts[Outcome.unchanged] == 1
    assert vpn.confidence == "validated" and vpn.summary == VPN["summary"] and vpn.category is not None


def test_broken_lines_are_reported_by_number_and_the_rest_is_imported(kb, org):
    text = [
        lines({**VPN, "related": []})[0],
        '{"key": "broken", "title": ',
        "",  # blank lines are skipped, not errors
        "[1, 2]",
        json.dumps({**GRADES, "key": "edu-x", "department": "nowhere"}),
        json.dumps({**GRADES, "key": "edu-y", "audience": "everyone", "title": ""}),
        json.dumps({key: value for key, value in GRADES.items() if key != "body"} | {"key": "edu-z"}),
        json.dumps({**GRADES, "key": "edu-w", "colour": "red"}),
        json.dumps({**GRADES, "key": "Not a key!"}),
        json.dumps({**GRADES, "key": "edu-v", "next_review_on": "1405/01/01", "tags": "نمره"}),
        lines(GRADES)[0],
    ]
    report = run(kb, org, text)
    reasons = {problem.line: problem.reason for problem in report.problems}
    assert sorted(reasons) == [2, 4, 5, 6, 7, 8, 9, 10]
    assert reasons[2].startswith("not valid JSON")
    assert reasons[4] == "not a JSON object"
    assert reasons[5] == "department: No department has the code «nowhere»."
    assert "audience: Choose one of: public, internal" in reasons[6] and "title: Required" in reasons[6]
    assert reasons[7] == "body: Required"
    assert reasons[8] == "colour: unknown field"
    assert reasons[9].startswith("key: A key has lower-case Latin letters")
    assert "next_review_on" in reasons[10] and "tags" in reasons[10]
    assert report.summary() == "created 2, updated 0, unchanged 0, failed 8"
    assert set(org.scalars(select(Article.key))) == {"it-vpn", "edu-grades"}


def test_related_keys_are_resolved_after_every_line_and_unknown_ones_are_reported(kb, org):
    report = run(kb, org, lines({**VPN, "related": ["it-wifi", "it-ghost"]}, WIFI))
    assert report.failed == 0
    assert [(problem.line, problem.reason, problem.imported) for problem in report.problems] == [
        (1, "no article has the related key(s) it-ghost", True)]
    vpn, wifi = article(org, "it-vpn"), article(org, "it-wifi")
    pairs = set(org.execute(select(RelatedArticle.article_id, RelatedArticle.related_id)))
    assert pairs == {(vpn.id, wifi.id), (wifi.id, vpn.id)}
    assert run(kb, org, lines({**VPN, "related": []})).counts[Outcome.updated] == 1  # only the links changed
    assert org.scalar(select(func.count()).select_from(RelatedArticle)) == 0


def test_links_named_on_one_side_only_are_stable_on_reimport(kb, org):
    text = lines({**VPN, "related": ["it-wifi"]}, {**WIFI, "related": []}, {**GRADES, "related": ["it-vpn"]})
    run(kb, org, text)
    assert org.scalar(select(func.count()).select_from(RelatedArticle)) == 4  # both ways: vpn–wifi, grades–vpn
    assert run(kb, org, text).summary() == "created 0, updated 0, unchanged 3, failed 0"
    assert run(kb, org, export_lines(org)).summary() == "created 0, updated 0, unchanged 3, failed 0"


def test_the_importer_commits_in_batches(kb, org):
    commits = []
    records = [{**GRADES, "key": f"edu-{number}"} for number in range(5)]
    run(kb, org, lines(*records), commit=lambda: commits.append(len(list(org.scalars(select(Article.id))))), batch=2)
    assert commits == [2, 4, 5]  # every two lines, then the rest (related keys included)


@pytest.mark.parametrize("username, refused", [
    ("agent", {1: "You may not do this with this article.",  # an L1 agent writes drafts, never publishes
               3: "department: You may not write articles for this department."}),
    ("it.lead", {3: "department: You may not write articles for this department."}),
    ("director", {}),
])
def test_an_import_as_a_user_obeys_their_permissions(kb, org, username, refused):
    published = {**VPN, "category": None, "related": [], "confidence": "not_validated"}
    draft = {**published, "key": "it-draft", "state": "draft"}
    report = run(kb, org, lines(published, draft, GRADES), username=username)
    assert {problem.line: problem.reason for problem in report.problems} == refused
    assert article(org, "it-draft").owner.username == username
    assert (article(org, "it-vpn") is None) == (1 in refused)  # a refused line leaves nothing behind


def test_a_contributor_may_not_validate_nor_add_categories(kb, org):
    report = run(kb, org, lines({**VPN, "state": "review", "category": None, "related": []},
                                {**VPN, "key": "it-other", "state": "draft", "confidence": "not_validated",
                                 "related": []}),
                 username="agent")
    reasons = [problem.reason for problem in report.problems]
    assert reasons[0] == "confidence: Only a publisher of the department may mark an article validated or archived."
    assert reasons[1].startswith("category: The category «شبکه و اینترنت / VPN» does not exist")
    assert org.scalar(select(func.count()).select_from(Category)) == 0


def test_export_of_one_department_includes_the_departments_under_it(kb, org):
    eng = {**GRADES, "key": "it-eng-lab", "department": "it-eng", "category": None}
    run(kb, org, lines(VPN, GRADES, eng))
    it_id = org.scalar(select(Article.department_id).where(Article.key == "it-vpn"))
    assert sorted(line["key"] for line in exported(org, it_id)) == ["it-eng-lab", "it-vpn"]


def test_text_is_normalized_and_markup_kept_as_written(kb, org):
    run(kb, org, lines({**GRADES, "title": "اعتراض به نمره‌ي درس <script>alert(1)</script>",
                        "tags": ["نمره", "نمره", " كارنامه "]}))
    grades = article(org, "edu-grades")
    assert grades.title == "اعتراض به نمره‌ی درس <script>alert(1)</script>"  # escaped where it is shown
    assert grades.tag_names == ["نمره", "کارنامه"]
