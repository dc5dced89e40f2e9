"""The knowledge base in the OpenAPI document: still valid OpenAPI 3.1 with the tickets' part beside
it, every /api/v1 route documented, and every kb operation answering as documented."""
from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate
from pyramid.interfaces import IRoutesMapper

from tests.plugins.kb.portal_support import publish
from tests.plugins.kb.test_api import NEW, bearer, send

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def spec(testapp, org):
    response = testapp.get("/api/v1/openapi.json")
    assert response.content_type == "application/json"
    return response.json


def conforms(spec: dict, schema_name: str, instance) -> None:
    root = {"$ref": f"#/components/schemas/{schema_name}", "components": spec["components"]}
    errors = [error.message for error in OAS31Validator(root).iter_errors(instance)]
    assert errors == [], errors


def test_the_document_is_valid_with_every_plugins_part(spec):
    validate(spec)
    schemas = spec["components"]["schemas"]
    assert {"Error", "Me", "TicketDetail", "KbArticle", "KbSearchResults", "KbNewArticle"} <= set(schemas)
    assert "Knowledge base" in spec["info"]["description"] and "Tickets" in spec["info"]["description"]


def test_every_api_route_is_documented(spec, app):
    mapper = app.registry.getUtility(IRoutesMapper)
    patterns = {re.sub(r"\{(\w+)(:(?:[^{}]|\{[^{}]*\})*)?\}", r"{\1}", route.pattern) for route in mapper.get_routes()
                if route.pattern.startswith("/api/v1")}
    assert {"/api/v1/kb/search", "/api/v1/kb/articles", "/api/v1/kb/articles/{id}"} <= patterns
    assert patterns == set(spec["paths"])


def test_request_bodies_follow_the_schemas(spec):
    new = spec["components"]["schemas"]["KbNewArticle"]
    assert new["additionalProperties"] is False and new["required"] == ["department", "title"]
    assert new["properties"]["state"]["enum"] == ["draft", "review", "published"]
    assert new["properties"]["next_review_on"]["anyOf"][0]["format"] == "date"
    update = spec["components"]["schemas"]["KbArticleUpdate"]
    assert update["required"] == ["version"] and "default" not in update["properties"]["title"]


def test_every_kb_operation_answers_as_documented(spec, testapp, org, kb):
    article = publish(kb, "تمدید کارت کتابخانه", "کارت را به میز امانت ببرید.", department="education")
    headers = bearer(org, "edu.lead")
    calls = {
        "searchArticles": lambda: ({}, {"q": "کارت کتابخانه", "limit": "5"}, None),
        "getArticle": lambda: ({"id": article.id}, {}, None),
        "createArticle": lambda: ({}, {}, {**NEW, "department": "education", "category": "کتابخانه / کارت"}),
        "updateArticle": lambda: ({"id": article.id}, {}, {"version": article.version, "tags": ["کتابخانه"]}),
    }
    done = set()
    for path, item in spec["paths"].items():
        if not path.startswith("/api/v1/kb/"):
            continue
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            path_params, query, body = calls[operation["operationId"]]()
            url = path.format(**path_params) + ("?" + urlencode(query) if query else "")
            response = (testapp.get(url, headers=headers) if body is None
                        else send(testapp, method.upper(), url, body, headers))
            documented = operation["responses"]
            assert str(response.status_int) in documented, (operation["operationId"], response.text)
            assert 200 <= response.status_int < 300, (operation["operationId"], response.text)
            schema = documented[str(response.status_int)]["content"]["application/json"]["schema"]
            conforms(spec, schema["$ref"].rsplit("/", 1)[1], response.json)
            done.add(operation["operationId"])
    assert done == set(calls)


def test_answers_and_errors_match_the_documented_schemas(spec, testapp, org, kb):
    article = publish(kb, "رمز <b>وای‌فای</b>", "**بدنه**", tags=["شبکه"])
    conforms(spec, "KbSearchResults", testapp.get("/api/v1/kb/search", {"q": "وای فای"}).json)
    conforms(spec, "KbSearchResults", testapp.get("/api/v1/kb/search").json)
    conforms(spec, "KbArticle", testapp.get(f"/api/v1/kb/articles/{article.id}").json)
    headers = bearer(org, "it.lead")
    for response in (
        testapp.get("/api/v1/kb/articles/999999", status=404),
        testapp.get("/api/v1/kb/search", {"limit": "500"}, status=400),
        testapp.post("/api/v1/kb/articles", b"{}", headers=headers, status=400),
        send(testapp, "POST", "/api/v1/kb/articles", NEW, {}),
        send(testapp, "POST", "/api/v1/kb/articles", NEW, bearer(org, "student")),
        send(testapp, "PUT", f"/api/v1/kb/articles/{article.id}", {"version": 0, "title": "x"}, headers),
    ):
        assert response.status_int in (400, 401, 403, 404, 409), response.text
        conforms(spec, "Error", json.loads(response.text))
