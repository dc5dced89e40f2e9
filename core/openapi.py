"""The OpenAPI 3.1 document of the JSON API, served at ``/api/v1/openapi.json``.

The core writes the frame (security schemes, the error shape, ``/api/v1/me``, the document
itself) and each plugin adds its operations and schemas through ``pishkhan_openapi``
(``core.contracts.OpenApiPart``). Plugins build their request bodies from the colander schemas
their views validate with (``json_schema``), so the document cannot drift from what the API
accepts, and use the helpers here for the rest.
"""
from __future__ import annotations

import colander

from core.contracts import OpenApiPart
from core.plugins import flatten
from core.security import SESSION_COOKIE

API_VERSION = "1.0.0"
JSON = "application/json"
NULL = {"type": "null"}
STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
MOMENT = {"type": "string", "format": "date-time", "description": "ISO 8601 in UTC"}
UNPROTECTED: list = []

DESCRIPTION = """\
The JSON API of the Pishkhan service desk.

**Authentication.** Integrations send `Authorization: Bearer <token>` (create one with
`pishkhan tokens create <ini> --user <username>`); no CSRF token is needed then. The web UI
uses its session cookie and must send the session's CSRF token in the `X-CSRF-Token` header
on every POST, PUT and PATCH.

**Errors** are always `{"error": {"code": "...", "message": "...", "field": "..."|null}}` with a
stable `code` and a message translated to the language of `Accept-Language` (`fa`, the default,
or `en`) for calls without a browser session. `invalid_input` adds `fields`, a message per
field (dotted inside objects). Request bodies are refused when they hold keys this document
does not list: a forged or mistyped field is an `invalid_input` error, never ignored.
"""

ERRORS = {
    "BadRequest": "Malformed JSON (invalid_json), invalid fields (invalid_input) or a refused change "
                  "(the operation's own code, e.g. invalid_transition).",
    "Unauthenticated": "No valid token or session (unauthenticated).",
    "Forbidden": "The caller may not do this (forbidden).",
    "NotFound": "Nothing with this id for this caller (not_found).",
    "Conflict": "The record changed since the caller read it (conflict).",
    "TooManyAttempts": "Too many failed attempts from this address in the last hour (too_many_attempts).",
}
STATUS = {"BadRequest": "400", "Unauthenticated": "401", "Forbidden": "403", "NotFound": "404",
          "Conflict": "409", "TooManyAttempts": "429"}


# --- colander → JSON Schema ------------------------------------------------------------------

def json_schema(node: colander.SchemaNode) -> dict:
    """The JSON Schema (2020-12, as OpenAPI 3.1 uses) of what ``node`` accepts."""
    schema = _type_schema(node)
    _apply_validator(schema, node.validator)
    default = node.missing
    if default is None:
        schema = nullable(schema)
    elif isinstance(default, tuple):
        schema["default"] = list(default)
    elif isinstance(default, str | int | bool):
        schema["default"] = default
    if node.description:
        schema["description"] = str(node.description)
    return schema


def _type_schema(node: colander.SchemaNode) -> dict:
    typ = node.typ
    if isinstance(typ, colander.Mapping):
        return {
            "type": "object",
            "properties": {child.name: json_schema(child) for child in node.children},
            "required": [child.name for child in node.children if child.required],
            "additionalProperties": False,
        }
    if isinstance(typ, colander.Sequence):
        return {"type": "array", "items": json_schema(node.children[0])}
    if isinstance(typ, colander.Boolean):
        return {"type": "boolean"}
    if isinstance(typ, colander.Integer):
        return {"type": "integer"}
    if isinstance(typ, colander.DateTime):
        return {"type": "string", "format": "date-time"}
    if isinstance(typ, colander.Date):
        return {"type": "string", "format": "date"}
    return {"type": "string"}


def _apply_validator(schema: dict, validator) -> None:
    if isinstance(validator, colander.All):
        for each in validator.validators:
            _apply_validator(schema, each)
    elif isinstance(validator, colander.OneOf):
        schema["enum"] = list(validator.choices)
    elif isinstance(validator, colander.Email):
        schema["format"] = "email"
    elif isinstance(validator, colander.Length) and validator.max is not None:
        schema["maxItems" if schema.get("type") == "array" else "maxLength"] = validator.max


# --- building blocks of operations -------------------------------------------------------------

def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, NULL]}


def obj(properties: dict, required: list[str] | None = None) -> dict:
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required}


def errors(*names: str) -> dict:
    """Responses of the listed ``ERRORS`` (``"NotFound"``, …) for an operation."""
    return {STATUS[name]: {"$ref": f"#/components/responses/{name}"} for name in names}


def ok(schema_name: str, description: str, status: str = "200") -> dict:
    return {status: {"description": description, "content": {JSON: {"schema": ref(schema_name)}}}}


def body(schema_name: str) -> dict:
    return {"required": True, "content": {JSON: {"schema": ref(schema_name)}}}


def query(name: str, description: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or STRING}


# --- the core's part and the whole document ------------------------------------------------------

def core_part() -> OpenApiPart:
    error = obj({"error": obj({
        "code": {"type": "string", "description": "Stable, for programs: invalid_json, invalid_input, "
                                                  "unauthenticated, forbidden, not_found, method_not_allowed, "
                                                  "conflict, csrf, and the codes operations name."},
        "message": {"type": "string", "description": "Translated, for people."},
        "field": nullable(STRING),
        "fields": {"type": "object", "additionalProperties": STRING,
                   "description": "invalid_input only: a message per field."},
    }, required=["code", "message", "field"])})
    me = obj({"id": INTEGER, "username": STRING, "full_name": STRING, "role": STRING,
              "department": nullable(STRING), "language": STRING})
    paths = {
        "/api/v1/me": {"get": {
            "operationId": "me", "summary": "The caller (check a token with it)", "tags": ["accounts"],
            "responses": {**ok("Me", "The caller's account"), **errors("Unauthenticated")},
        }},
        "/api/v1/openapi.json": {"get": {
            "operationId": "openapi", "summary": "This document", "tags": ["meta"], "security": UNPROTECTED,
            "responses": {"200": {"description": "OpenAPI 3.1", "content": {JSON: {"schema": {"type": "object"}}}}},
        }},
    }
    return OpenApiPart(paths=paths, schemas={"Error": error, "Me": me})


def document(request) -> dict:
    """The whole document: the core's part and every plugin's, each path and schema named once."""
    parts = [core_part(), *flatten(request.registry.pluginmanager.hook.pishkhan_openapi(request=request))]
    paths: dict = {}
    schemas: dict = {}
    for part in parts:
        for target, additions in ((paths, part.paths), (schemas, part.schemas)):
            clash = set(target) & set(additions)
            if clash:
                raise ValueError(f"OpenAPI names given by two plugins: {sorted(clash)}")
            target.update(additions)
    description = "\n".join([DESCRIPTION, *(part.description for part in parts if part.description)])
    return {
        "openapi": "3.1.0",
        "info": {"title": "Pishkhan API", "version": API_VERSION, "description": description},
        "servers": [{"url": request.application_url}],
        "security": [{"bearerAuth": []}, {"cookieAuth": []}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer",
                               "description": "An API token from `pishkhan tokens create`."},
                "cookieAuth": {"type": "apiKey", "in": "cookie", "name": SESSION_COOKIE,
                               "description": "The web UI's session; send X-CSRF-Token on POST, PUT and PATCH."},
            },
            "schemas": schemas,
            "responses": {name: {"description": description, "content": {JSON: {"schema": ref("Error")}}}
                          for name, description in ERRORS.items()},
        },
    }
