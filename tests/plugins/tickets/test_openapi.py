"""The OpenAPI document: valid OpenAPI 3.1, complete (every /api/v1 route), and true (every
operation answers as documented, and real answers match the documented schemas)."""
from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate
from pyramid.interfaces import IRoutesMapper
from sqlalchemy import select

from core.auth import create_api_token
from core.models import User
from tests.plugins.tickets.test_api import GUEST_MOBILE, department_id, open_ticket, service_key

METHODS = ("get", "post", "patch", "put", "delete")


@pytest.fixture
def spec(testapp, org):
    response = testapp.get("/api/v1/openapi.json")
    assert response.content_type == "application/json"
    return json.loads(response.text)


def token(dbsession, username: str) -> dict:
    user = dbsession.scalar(select(User).where(User.username == username))
    return {"Authorization": f"Bearer {create_api_token(dbsession, user, 'test')}"}


def conforms(spec: dict, schema_name: str, instance) -> None:
    """``instance`` is valid against the document's schema ``schema_name`` (references resolved
    inside the document)."""
    root = {"$ref": f"#/components/schemas/{schema_name}", "components": spec["components"]}
    errors = [error.message for error in OAS31Validator(root).iter_errors(instance)]
    assert errors == [], errors


def test_document_is_valid_openapi_31_and_public(spec):
    assert spec["openapi"] == "3.1.0"
    validate(spec)
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {"type": "http", "scheme": "bearer", "description": schemes["bearerAuth"][
        "description"]}
    assert schemes["cookieAuth"]["in"] == "cookie"


def test_document_lists_every_api_route(spec, app):
    """Routes of the tickets plugin and the core's /api/v1/me, with patterns as OpenAPI writes them."""
    mapper = app.registry.getUtility(IRoutesMapper)
    patterns = {re.sub(r"\{(\w+)(:(?:[^{}]|\{[^{}]*\})*)?\}", r"{\1}", route.pattern) for route in mapper.get_routes()
                if route.pattern.startswith("/api/v1")}
    assert "/api/v1/me" in patterns and "/api/v1/tickets/{id}/transitions" in patterns
    assert patterns == set(spec["paths"])


def test_request_bodies_follow_the_schemas(spec):
    """Bodies come from the colander schemas: required fields, choices and no extra keys."""
    new_ticket = spec["components"]["schemas"]["NewTicket"]
    assert new_ticket["additionalProperties"] is False
    assert new_ticket["required"] == ["subject", "department_id"]
    assert "phone" in new_ticket["properties"]["channel"]["anyOf"][0]["enum"]
    assert new_ticket["properties"]["contact_time"]["anyOf"][0]["format"] == "date-time"
    assert new_ticket["properties"]["requester"]["anyOf"][0]["additionalProperties"] is False
    transition = spec["components"]["schemas"]["Transition"]
    assert set(transition["required"]) == {"action", "version"}
    assert "resolve" in transition["properties"]["action"]["enum"]


def operation_calls(dbsession, desk) -> dict:
    """A valid call of each documented operation: (path parameters, query, body)."""
    ticket = open_ticket(desk, dbsession, username="agent")
    staff_ticket = lambda: open_ticket(desk, dbsession, username="agent")  # noqa: E731 (a fresh one per call)
    agent2 = dbsession.scalar(select(User.id).where(User.username == "it.agent2"))
    return {
        "me": lambda: ({}, {}, None),
        "openapi": lambda: ({}, {}, None),
        "listTickets": lambda: ({}, {"status": "any", "limit": "5"}, None),
        "createTicket": lambda: ({}, {}, {"subject": "تماس", "department_id": department_id(dbsession, "it"),
                                          "service_key": service_key(dbsession, "it"), "channel": "phone",
                                          "requester": {"name": "رضا امینی", "mobile": GUEST_MOBILE}}),
        "getTicket": lambda: ({"id": ticket.id}, {}, None),
        "updateTicket": lambda: (lambda t: ({"id": t.id}, {}, {"urgency": "high", "version": t.version}))(
            staff_ticket()),
        "addComment": lambda: ({"id": ticket.id}, {}, {"body": "بررسی شد"}),
        "transitionTicket": lambda: (lambda t: ({"id": t.id}, {}, {"action": "start", "version": t.version}))(
            staff_ticket()),
        "assignTicket": lambda: (lambda t: ({"id": t.id}, {}, {"assignee_id": agent2, "version": t.version}))(
            staff_ticket()),
        "trackRequest": lambda: ({"code": ticket.tracking_code}, {"mobile": GUEST_MOBILE}, None),
    }


def test_every_operation_answers_as_documented(spec, testapp, org, desk):
    calls = operation_calls(org, desk)
    headers = token(org, "agent")
    done = set()
    for path, item in spec["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            path_params, query, body = calls[operation["operationId"]]()
            url = path.format(**path_params) + ("?" + urlencode(query) if query else "")
            extra = {} if body is None else {"body": json.dumps(body).encode(), "content_type": "application/json"}
            response = testapp.request(url, method=method.upper(), headers=headers, expect_errors=True, **extra)
            documented = operation["responses"]
            assert str(response.status_int) in documented, (operation["operationId"], response.status, response.text)
            assert 200 <= response.status_int < 300, (operation["operationId"], response.text)
            schema = documented[str(response.status_int)]["content"]["application/json"]["schema"]
            if "$ref" in schema:
                conforms(spec, schema["$ref"].rsplit("/", 1)[1], response.json)
            done.add(operation["operationId"])
    assert done == set(calls)


def test_answers_match_the_documented_schemas(spec, testapp, org, desk):
    headers = token(org, "agent")
    ticket = open_ticket(desk, org, username="agent", tags=["شبکه"])
    agent_desk = desk("agent", "portal")
    agent_desk.comment(ticket, "پاسخ عمومی")
    agent_desk.transition(ticket, "pend", reason="third_party")
    conforms(spec, "TicketDetail", testapp.get(f"/api/v1/tickets/{ticket.id}", headers=headers).json)
    conforms(spec, "TicketPage", testapp.get("/api/v1/tickets", {"status": "any"}, headers=headers).json)
    conforms(spec, "Tracking", testapp.get(f"/api/v1/track/{ticket.tracking_code}", {"mobile": GUEST_MOBILE}).json)
    for response in (testapp.get("/api/v1/tickets/999999", headers=headers, status=404),
                     testapp.post("/api/v1/tickets", b"{}", headers=headers, status=400),
                     testapp.get("/api/v1/tickets", status=401)):
        conforms(spec, "Error", response.json)
