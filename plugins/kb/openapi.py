"""The knowledge base's part of the OpenAPI 3.1 document (``/api/v1/openapi.json``).

Request bodies come from the colander schemas the views validate with
(``plugins.kb.api_schemas``); responses are written out here next to the serializer they
describe (``plugins.kb.web.api.article_json``). A test calls every operation listed here and
checks the answers against these schemas.
"""
from __future__ import annotations

from core.contracts import OpenApiPart
from core.openapi import INTEGER, MOMENT, STRING, body, errors, json_schema, nullable, obj, ok, query
from plugins.kb.api_schemas import AUDIENCES, CONFIDENCES, STATES, article_update_schema, new_article_schema
from plugins.kb.web.api import DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY

DESCRIPTION = """\
**Knowledge base.** Anyone may search and read published public articles; staff (a token or a
session) read internal ones and their departments' drafts too. An article the caller may not read
does not exist: 404. Writing needs a staff token and follows the editor's rules: any agent of a
department writes drafts and sends them to review; its publishers (team lead, manager, director,
administrator) publish, return to draft and set validated or archived — a refused change is 403.
Departments are named by code, categories by path (`"Network / VPN"`, created when missing),
related articles by key; `PUT` carries the `version` read (409 `conflict` when someone saved since).
"""

ARTICLE_ID = {"name": "id", "in": "path", "required": True, "schema": INTEGER}
DATE = {"type": "string", "format": "date"}


def response_schemas() -> dict:
    found = obj({
        "id": INTEGER,
        "key": STRING,
        "title": STRING,
        "url": {"type": "string", "description": "The article's page on the portal."},
        "snippet": {"type": "string", "description": "Safe HTML: escaped text with <mark> around matched words."},
        "score": {"type": "number"},
    })
    article = obj({
        "id": INTEGER,
        "key": STRING,
        "url": STRING,
        "title": STRING,
        "summary": STRING,
        "body": {"type": "string", "description": "Markdown."},
        "body_html": {"type": "string", "description": "The body rendered to sanitized HTML."},
        "tags": {"type": "array", "items": STRING},
        "audience": {"enum": AUDIENCES},
        "state": {"enum": STATES},
        "confidence": {"enum": CONFIDENCES},
        "department": {"type": "string", "description": "The department's code."},
        "category": nullable({"type": "string", "description": 'The category\'s path, e.g. "Network / VPN".'}),
        "service": nullable(STRING),
        "related": {"type": "array", "items": STRING, "description": "Keys of the related articles the caller reads."},
        "owner": nullable(STRING),
        "next_review_on": nullable(DATE),
        "version": {"type": "integer", "description": "Send it back with a PUT (optimistic lock)."},
        "created_at": MOMENT,
        "updated_at": MOMENT,
        "published_at": nullable(MOMENT),
    })
    return {
        "KbSearchResults": obj({"results": {"type": "array", "items": found}}),
        "KbArticle": article,
    }


def paths() -> dict:
    public_read = [{}, {"bearerAuth": []}, {"cookieAuth": []}]
    return {
        "/api/v1/kb/search": {"get": {
            "operationId": "searchArticles", "summary": "Search the knowledge base", "tags": ["knowledge base"],
            "description": "Persian-aware: Arabic letters, any digits, spacing variants, synonyms and small "
                           "typos are found. The words are never query syntax. An empty `q` finds nothing.",
            "security": public_read,
            "parameters": [
                query("q", f"The words, as typed (the first {MAX_QUERY} characters count)."),
                query("limit", "How many results.", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT,
                                                     "default": DEFAULT_LIMIT}),
            ],
            "responses": {**ok("KbSearchResults", "Published articles the caller reads, best first"),
                          **errors("BadRequest", "Unauthenticated")},
        }},
        "/api/v1/kb/articles": {"post": {
            "operationId": "createArticle", "summary": "Write an article (staff)", "tags": ["knowledge base"],
            "description": "A draft unless `state` says otherwise; the key is made up when left out.",
            "requestBody": body("KbNewArticle"),
            "responses": {**ok("KbArticle", "Written; Location gives its URL", "201"),
                          **errors("BadRequest", "Unauthenticated", "Forbidden")},
        }},
        "/api/v1/kb/articles/{id}": {
            "parameters": [ARTICLE_ID],
            "get": {"operationId": "getArticle", "summary": "One article", "tags": ["knowledge base"],
                    "security": public_read,
                    "responses": {**ok("KbArticle", "The article"), **errors("Unauthenticated", "NotFound")}},
            "put": {"operationId": "updateArticle", "summary": "Change an article (staff)",
                    "tags": ["knowledge base"],
                    "description": "Give the `version` read and the fields that change; the others keep their "
                                   "value, `null` clears an optional one. A new version is saved only when "
                                   "something changed.",
                    "requestBody": body("KbArticleUpdate"),
                    "responses": {**ok("KbArticle", "The article as saved"),
                                  **errors("BadRequest", "Unauthenticated", "Forbidden", "NotFound", "Conflict")}},
        },
    }


def part(request) -> OpenApiPart:
    return OpenApiPart(
        paths=paths(),
        schemas={**response_schemas(), "KbNewArticle": json_schema(new_article_schema()),
                 "KbArticleUpdate": json_schema(article_update_schema())},
        description=DESCRIPTION,
    )
