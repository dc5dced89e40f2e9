"""The knowledge base's JSON API over HTTP: who finds and reads what, writes through the
knowledge base's rules with a token, validation, conflicts, and odd search text."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from core.auth import create_api_token
from core.models import User
from core.testing import log_in
from plugins.kb.models import Article, ArticleVersion
from tests.plugins.kb.portal_support import publish

PASSWORD = "بازیابی رمز عبور سامانه آموزشی"
SERVER = "راهنمای سرورهای داخلی برای کارشناسان رمز"


def bearer(dbsession, username: str, **headers) -> dict:
    user = dbsession.scalar(select(User).where(User.username == username))
    return {"Authorization": f"Bearer {create_api_token(dbsession, user, 'test')}", **headers}


def send(testapp, method: str, url: str, data, headers: dict):
    return testapp.request(url, method=method, body=json.dumps(data, ensure_ascii=False).encode(),
                           headers={"Content-Type": "application/json", **headers}, expect_errors=True)


def error_of(response, status: int, code: str, field: str | None = "*") -> dict:
    assert response.status_int == status, response.text
    error = response.json["error"]
    assert error["code"] == code and error["message"]
    if field != "*":
        assert error["field"] == field
    return error


@pytest.fixture
def articles(kb, org):
    public = publish(kb, PASSWORD, "اگر رمز عبور را فراموش کرده‌اید روی «فراموشی رمز» بزنید.", department="education",
                     tags=["رمز"])
    internal = publish(kb, SERVER, "فقط برای کارکنان: رمز سرورها در گاوصندوق است.", audience="internal")
    draft = publish(kb, "پیش‌نویس رمز وای‌فای", "هنوز کامل نیست", publish=False)
    return public, internal, draft


def titles(response) -> list[str]:
    return [result["title"] for result in response.json["results"]]


# --- search --------------------------------------------------------------------------------------

def test_visitors_find_public_articles_staff_find_internal_ones_too(testapp, org, articles):
    public, internal, _draft = articles
    response = testapp.get("/api/v1/kb/search", {"q": "رمز"})
    assert titles(response) == [PASSWORD]
    result = response.json["results"][0]
    assert set(result) == {"id", "key", "title", "url", "snippet", "score"}
    assert result["id"] == public.id and result["key"] == public.key
    assert result["url"] == f"http://localhost/kb/articles/{public.id}" and "<mark>" in result["snippet"]
    staff = testapp.get("/api/v1/kb/search", {"q": "رمز"}, headers=bearer(org, "agent"))
    assert set(titles(staff)) == {PASSWORD, SERVER}  # never the draft
    assert titles(testapp.get("/api/v1/kb/search", {"q": "رمز"}, headers=bearer(org, "student"))) == [PASSWORD]


def test_the_search_is_persian_aware(testapp, org, articles):
    assert titles(testapp.get("/api/v1/kb/search", {"q": "رمز عبور سامانه آموزشي"})) == [PASSWORD]  # Arabic ي


@pytest.mark.parametrize("text", [
    '"رمز', "رمز*", "-رمز", "title:رمز", "رمز NEAR عبور", "رمز OR 1=1", "(رمز", "رمز)", "))((", "*", '"',
    "' OR '1'='1", "رمز; DROP TABLE kb_articles; --", "<script>alert(1)</script>", "رمز " * 2500, "ع" * 10000,
])
def test_query_syntax_and_long_text_are_words_not_commands(testapp, org, articles, text):
    response = testapp.get("/api/v1/kb/search", {"q": text})
    assert response.status_int == 200
    assert set(titles(response)) <= {PASSWORD}
    assert org.scalar(select(func.count()).select_from(Article)) == 3


@pytest.mark.parametrize("query", [{}, {"q": ""}, {"q": "   "}, {"q": "?!،.؟"}])
def test_an_empty_query_finds_nothing(testapp, org, articles, query):
    assert testapp.get("/api/v1/kb/search", query).json == {"results": []}


def test_the_limit_is_checked(testapp, org, articles):
    for limit in ("1", "۵۰", "50"):
        assert testapp.get("/api/v1/kb/search", {"q": "رمز", "limit": limit}, headers=bearer(org, "agent")).status_int \
            == 200
    assert len(testapp.get("/api/v1/kb/search", {"q": "رمز", "limit": "1"}, headers=bearer(org, "agent"))
               .json["results"]) == 1
    for limit in ("0", "51", "-1", "ten", "1.5"):
        response = testapp.get("/api/v1/kb/search", {"q": "رمز", "limit": limit}, expect_errors=True)
        assert error_of(response, 400, "invalid_input", "limit")["fields"] == {"limit": "عددی از ۱ تا ۵۰ بنویسید."}
    for limit in ("²", "9" * 5000):  # str.isdigit() accepts both; int() refused them with a 500
        assert error_of(testapp.get("/api/v1/kb/search", {"q": "رمز", "limit": limit}, expect_errors=True),
                        400, "invalid_input", "limit")
    assert error_of(testapp.get(f"/api/v1/kb/articles/{'9' * 30}", expect_errors=True), 404, "not_found")
    unknown = testapp.get("/api/v1/kb/search", {"q": "رمز", "sort": "new"}, expect_errors=True)
    assert error_of(unknown, 400, "invalid_input", "sort")


def test_a_forged_token_is_refused_even_where_visitors_are_welcome(testapp, org, articles):
    for url in ("/api/v1/kb/search?q=رمز", f"/api/v1/kb/articles/{articles[0].id}"):
        response = testapp.get(url, headers={"Authorization": "Bearer pk_forged"}, expect_errors=True)
        error_of(response, 401, "unauthenticated")


# --- reading -------------------------------------------------------------------------------------

def test_an_article_reads_with_its_markdown_and_sanitized_html(testapp, org, kb):
    article = publish(kb, "راهنما <img src=x onerror=alert(1)>", "## گام‌ها\n<script>alert(1)</script>\n"
                      "[پیوند](javascript:alert(1)) و **مهم**", tags=["راهنما"])
    data = testapp.get(f"/api/v1/kb/articles/{article.id}").json
    assert data["title"] == "راهنما <img src=x onerror=alert(1)>"  # JSON carries text; HTML is body_html
    assert data["body"].startswith("## گام‌ها")
    html = data["body_html"]
    assert "<h2>گام‌ها</h2>" in html and "<strong>مهم</strong>" in html
    assert "<script" not in html and 'href="javascript' not in html
    assert (data["state"], data["audience"], data["department"], data["tags"]) == ("published", "public", "it",
                                                                                  ["راهنما"])
    assert data["updated_at"].endswith("Z") and data["version"] == article.version


def test_an_article_the_caller_may_not_read_does_not_exist(testapp, org, articles):
    public, internal, draft = articles
    assert testapp.get(f"/api/v1/kb/articles/{public.id}").status_int == 200
    for article in (internal, draft):
        error_of(testapp.get(f"/api/v1/kb/articles/{article.id}", expect_errors=True), 404, "not_found")
    error_of(testapp.get(f"/api/v1/kb/articles/{internal.id}", headers=bearer(org, "student"), expect_errors=True),
             404, "not_found")
    assert testapp.get(f"/api/v1/kb/articles/{internal.id}", headers=bearer(org, "hr.desk")).status_int == 200
    assert testapp.get(f"/api/v1/kb/articles/{draft.id}", headers=bearer(org, "agent")).status_int == 200
    error_of(testapp.get(f"/api/v1/kb/articles/{draft.id}", headers=bearer(org, "hr.desk"), expect_errors=True),
             404, "not_found")  # another department's draft
    error_of(testapp.get("/api/v1/kb/articles/99999999", expect_errors=True), 404, "not_found")


# --- writing -------------------------------------------------------------------------------------

NEW = {"department": "it", "title": "تنظیم ایمیل در گوشی", "body": "## راه‌حل\nبرنامه Outlook را نصب کنید.",
       "tags": ["ایمیل"], "category": "پست الکترونیک / تنظیمات"}


def test_an_integrator_writes_a_draft_and_its_lead_publishes_it(testapp, org):
    response = send(testapp, "POST", "/api/v1/kb/articles", {**NEW, "category": None}, bearer(org, "agent"))
    assert response.status_int == 201, response.text
    data = response.json
    assert response.location == f"http://localhost/api/v1/kb/articles/{data['id']}"
    assert (data["state"], data["category"], data["owner"], data["version"]) == ("draft", None, "سارا کریمی", 1)
    assert data["key"].startswith("it-")
    refused = send(testapp, "PUT", f"/api/v1/kb/articles/{data['id']}", {"version": 1, "state": "published"},
                   bearer(org, "agent"))
    error_of(refused, 403, "forbidden", None)
    published = send(testapp, "PUT", f"/api/v1/kb/articles/{data['id']}",
                     {"version": 1, "state": "published", "confidence": "validated", "category": NEW["category"]},
                     bearer(org, "it.lead"))
    assert published.status_int == 200, published.text
    assert (published.json["state"], published.json["confidence"], published.json["category"],
            published.json["title"]) == ("published", "validated", NEW["category"], NEW["title"])  # the rest kept
    assert testapp.get("/api/v1/kb/search", {"q": "ایمیل گوشی"}).json["results"][0]["id"] == data["id"]


def test_a_put_with_an_old_version_is_a_conflict_and_saves_nothing(testapp, org):
    created = send(testapp, "POST", "/api/v1/kb/articles", {**NEW, "category": None}, bearer(org, "it.lead")).json
    url = f"/api/v1/kb/articles/{created['id']}"
    assert send(testapp, "PUT", url, {"version": 1, "title": "نسخه دوم"}, bearer(org, "it.lead")).json["version"] == 2
    stale = send(testapp, "PUT", url, {"version": 1, "title": "نسخه قدیمی"}, bearer(org, "it.lead"))
    error_of(stale, 409, "conflict", "version")
    assert testapp.get(url, headers=bearer(org, "agent")).json["title"] == "نسخه دوم"
    unchanged = send(testapp, "PUT", url, {"version": 2, "title": "نسخه دوم"}, bearer(org, "it.lead"))
    assert unchanged.json["version"] == 2  # nothing changed, no new version
    assert org.scalar(select(func.count()).select_from(ArticleVersion)
                      .where(ArticleVersion.article_id == created["id"])) == 2


def test_bad_bodies_are_refused_with_their_fields(testapp, org):
    headers = bearer(org, "it.lead", **{"Accept-Language": "en"})
    for raw in (b"{", b"[1]", b"", b"\xff"):
        response = testapp.post("/api/v1/kb/articles", raw, headers={**headers, "Content-Type": "application/json"},
                                expect_errors=True)
        error_of(response, 400, "invalid_json", None)
    response = send(testapp, "POST", "/api/v1/kb/articles",
                    {"department": "it", "audience": "everyone", "tags": "a", "owner_id": 1, "key": "Bad Key!"},
                    headers)
    fields = error_of(response, 400, "invalid_input")["fields"]
    assert fields == {"owner_id": "Unknown field.", "title": "Required", "audience": "Choose one of: public, internal",
                      "tags": fields["tags"],
                      "key": "A key has lower-case Latin letters, digits, dots, dashes and underscores."}
    unknown_department = send(testapp, "POST", "/api/v1/kb/articles", {**NEW, "department": "nowhere"}, headers)
    assert error_of(unknown_department, 400, "invalid_input", "department")["fields"] == {
        "department": "No department has the code «nowhere»."}
    ghost = send(testapp, "POST", "/api/v1/kb/articles", {**NEW, "related": ["it-ghost"]}, headers)
    error_of(ghost, 400, "invalid_input", "related")
    assert org.scalar(select(func.count()).select_from(Article)) == 0  # nothing half-saved
    persian = send(testapp, "POST", "/api/v1/kb/articles", {"department": "it"}, bearer(org, "it.lead"))
    assert error_of(persian, 400, "invalid_input")["fields"] == {"title": "پر کردن این فیلد الزامی است"}


def test_writing_needs_a_staff_token_of_the_department(testapp, org, articles):
    public = articles[0]
    error_of(send(testapp, "POST", "/api/v1/kb/articles", NEW, {}), 401, "unauthenticated")
    error_of(send(testapp, "POST", "/api/v1/kb/articles", NEW, bearer(org, "student")), 403, "forbidden")
    error_of(send(testapp, "POST", "/api/v1/kb/articles", NEW, bearer(org, "hr.desk")), 403, "forbidden",
             "department")
    edit = {"version": public.version, "title": "تغییر"}
    error_of(send(testapp, "PUT", f"/api/v1/kb/articles/{public.id}", edit, bearer(org, "edu.desk")), 403,
             "forbidden")  # a published article is edited by its publishers
    assert send(testapp, "PUT", f"/api/v1/kb/articles/{public.id}", edit, bearer(org, "edu.lead")).status_int == 200


def test_the_session_needs_its_csrf_token(testapp, org):
    log_in(testapp, "it.lead")
    error_of(send(testapp, "POST", "/api/v1/kb/articles", NEW, {}), 400, "csrf")


def test_related_keys_link_both_ways(testapp, org, articles):
    public, internal, _draft = articles
    headers = bearer(org, "it.lead")
    created = send(testapp, "POST", "/api/v1/kb/articles",
                   {**NEW, "category": None, "state": "published", "related": [public.key, internal.key]}, headers)
    assert sorted(created.json["related"]) == sorted([public.key, internal.key])
    assert testapp.get(f"/api/v1/kb/articles/{created.json['id']}").json["related"] == [public.key]  # visitors
    assert testapp.get(f"/api/v1/kb/articles/{public.id}").json["related"] == [created.json["key"]]


def test_wrong_methods_are_405_with_allow(testapp, org, articles):
    response = testapp.delete(f"/api/v1/kb/articles/{articles[0].id}", expect_errors=True)
    assert error_of(response, 405, "method_not_allowed") and response.headers["Allow"] == "GET, PUT"
    assert testapp.get("/api/v1/kb/articles", expect_errors=True).headers["Allow"] == "POST"
    assert testapp.post("/api/v1/kb/search", expect_errors=True).headers["Allow"] == "GET"
