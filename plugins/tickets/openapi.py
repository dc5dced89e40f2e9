"""The tickets' part of the OpenAPI 3.1 document (``/api/v1/openapi.json``, served by the core).

Request bodies are generated from the colander schemas the views validate with
(``plugins.tickets.api_schemas``), bound to the request so that choices from plugins (channels)
appear as they are; responses are written out here next to the serializers they describe
(``plugins.tickets.web.api``). A test calls every operation listed here.
"""
from __future__ import annotations

import colander

from core.contracts import OpenApiPart
from core.openapi import (
    BOOLEAN,
    INTEGER,
    MOMENT,
    STRING,
    UNPROTECTED,
    body,
    errors,
    json_schema,
    nullable,
    obj,
    ok,
    query,
    ref,
)
from plugins.tickets.api_schemas import (
    AssignmentSchema,
    CommentSchema,
    NewTicketSchema,
    TicketUpdateSchema,
    TransitionSchema,
)
from plugins.tickets.models import Level, PendingReason, Status, TicketType
from plugins.tickets.queue import MAX_PAGE_SIZE, PAGE_SIZE, SCOPES, SLA_FILTERS, SORTS

DESCRIPTION = """\
**Tickets: visibility.** Agents see the tickets of their departments (and their own requests);
requesters see their own requests. Any other ticket does not exist for the caller: 404, and
it is in no list.

**Tickets: optimistic locking.** Every change to a ticket carries the `version` the caller read;
if someone changed the ticket since, the answer is 409 `conflict` and nothing is saved.

**Tickets: error codes** besides the common ones: `invalid_transition`, `contact_in_future`,
`invalid_tracking_code`, `too_many_attempts`.
"""


def response_schemas() -> dict:
    person = obj({"id": INTEGER, "name": STRING})
    ticket = obj({
        "id": INTEGER,
        "tracking_code": {"type": "string", "pattern": "^[0-9]{11}$"},
        "type": {"enum": [t.value for t in TicketType]},
        "status": {"enum": [s.value for s in Status]},
        "pending_reason": nullable({"enum": [r.value for r in PendingReason]}),
        "priority": {"type": "integer", "minimum": 1, "maximum": 4},
        "impact": {"enum": [level.value for level in Level]},
        "urgency": {"enum": [level.value for level in Level]},
        "channel": STRING,
        "contact_time": MOMENT,
        "created_at": MOMENT,
        "updated_at": MOMENT,
        "department": person,
        "service": nullable(obj({"key": STRING, "title": STRING})),
        "team": nullable(obj({"id": INTEGER, "name": STRING, "tier": INTEGER})),
        "tier": INTEGER,
        "assignee": nullable(person),
        "requester": obj({"id": nullable(INTEGER), "name": STRING, "mobile": nullable(STRING),
                          "email": nullable(STRING), "national_code": nullable(STRING)},
                         required=["id", "name", "mobile", "email"]),
        "subject": STRING,
        "description": STRING,
        "tags": {"type": "array", "items": STRING},
        "sla": obj({"state": {"enum": ["ok", "warning", "breached", "paused", "met"]},
                    "response_due_at": nullable(MOMENT), "resolution_due_at": nullable(MOMENT)}),
        "promised_at": nullable(MOMENT),
        "resolution": nullable(obj({"code": STRING, "note": nullable(STRING)})),
        "version": {"type": "integer", "description": "Send it back with every change (optimistic lock)."},
    })
    comment = obj({"id": INTEGER, "author": obj({"id": nullable(INTEGER), "name": STRING}), "internal": BOOLEAN,
                   "body": STRING, "channel": STRING, "created_at": MOMENT})
    detail = {"allOf": [ref("Ticket"), obj({
        "comments": {"type": "array", "items": ref("Comment"),
                     "description": "Public replies; internal notes too for agents."},
        "links": {"type": "array", "items": obj({"kind": STRING, "source_id": INTEGER, "target_id": INTEGER})},
        "actions": {"type": "array", "items": STRING, "description": "Transitions the caller may make now."},
        "form": {"type": "array",
                 "items": obj({"name": STRING, "title": STRING, "value": STRING,
                               "date": {"type": "string", "format": "date",
                                        "description": "A date answer's day (answers of newer tickets)."},
                               "file": {**BOOLEAN, "description": "True when the value is a document's name."}},
                              required=["name", "title", "value"]),
                 "description": "The service's request form as submitted: titles and values as they read."},
    })]}
    update = obj({"at": MOMENT, "kind": {"enum": ["reply", "status"]}, "author": STRING, "body": STRING,
                  "status": STRING, "status_label": STRING, "note": STRING}, required=["at", "kind"])
    tracking = obj({"tracking_code": STRING, "status": {"enum": [s.value for s in Status]}, "status_label": STRING,
                    "subject": STRING, "service": nullable(obj({"key": STRING, "title": STRING})),
                    "created_at": MOMENT, "updated_at": MOMENT, "promised_at": nullable(MOMENT),
                    "updates": {"type": "array", "items": update}})
    return {
        "Ticket": ticket,
        "TicketDetail": detail,
        "Comment": comment,
        "TicketPage": obj({"items": {"type": "array", "items": ref("Ticket")}, "next_cursor": nullable(STRING)}),
        "Tracking": tracking,
    }


def list_parameters() -> list[dict]:
    many = "One value, several (repeated or comma-separated)."
    return [
        query("scope", "Agents: whose tickets.", {"enum": list(SCOPES), "default": "all"}),
        query("sla", "Agents: SLA state.", {"enum": list(SLA_FILTERS)}),
        query("status", f"Statuses, `open` (default) or `any`. {many}"),
        query("priority", f"Priorities 1–4. {many}"),
        query("department", f"Department ids. {many}"),
        query("service", f"Service keys. {many}"),
        query("channel", f"Channels. {many}"),
        query("type", f"Ticket types. {many}"),
        query("assignee", f"Agent ids. {many}"),
        query("team", f"Team ids. {many}"),
        query("q", "Words of the subject, or a tracking code (any digits)."),
        query("sort", "Order of the list.", {"enum": list(SORTS), "default": "newest"}),
        query("cursor", "The `next_cursor` of the previous page (same filters and sort)."),
        query("limit", "Page size.", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE,
                                      "default": PAGE_SIZE}),
    ]


TICKET_ID = {"name": "id", "in": "path", "required": True, "schema": INTEGER}


def paths() -> dict:
    return {
        "/api/v1/tickets": {
            "get": {"operationId": "listTickets", "summary": "List tickets, filtered, one page at a time",
                    "tags": ["tickets"], "parameters": list_parameters(),
                    "responses": {**ok("TicketPage", "A page; follow next_cursor until it is null"),
                                  **errors("BadRequest", "Unauthenticated")}},
            "post": {"operationId": "createTicket", "summary": "Open a ticket", "tags": ["tickets"],
                     "description": "Agents may set the channel (default api), a past contact_time, "
                                    "impact, urgency and the requester (default: the caller). "
                                    "A requester's ticket is their own, channel api, contacted now.",
                     "requestBody": body("NewTicket"),
                     "responses": {**ok("TicketDetail", "Opened; Location gives its URL", "201"),
                                   **errors("BadRequest", "Unauthenticated")}},
        },
        "/api/v1/tickets/{id}": {
            "parameters": [TICKET_ID],
            "get": {"operationId": "getTicket", "summary": "One ticket with its conversation", "tags": ["tickets"],
                    "responses": {**ok("TicketDetail", "The ticket"), **errors("Unauthenticated", "NotFound")}},
            "patch": {"operationId": "updateTicket", "summary": "Reclassify or edit a ticket (agents)",
                      "tags": ["tickets"], "requestBody": body("TicketUpdate"),
                      "responses": {**ok("TicketDetail", "The changed ticket"),
                                    **errors("BadRequest", "Unauthenticated", "Forbidden", "NotFound", "Conflict")}},
        },
        "/api/v1/tickets/{id}/comments": {
            "parameters": [TICKET_ID],
            "post": {"operationId": "addComment", "summary": "Reply, or write an internal note (agents)",
                     "tags": ["tickets"], "requestBody": body("NewComment"),
                     "responses": {**ok("TicketDetail", "The ticket with the new comment", "201"),
                                   **errors("BadRequest", "Unauthenticated", "Forbidden", "NotFound")}},
        },
        "/api/v1/tickets/{id}/transitions": {
            "parameters": [TICKET_ID],
            "post": {"operationId": "transitionTicket", "summary": "Change the status",
                     "description": "start, pend (reason), resume, resolve (resolution_code and note), close, "
                                    "reopen, cancel; which ones the caller may make now is the ticket's `actions`.",
                     "tags": ["tickets"], "requestBody": body("Transition"),
                     "responses": {**ok("TicketDetail", "The ticket in its new status"),
                                   **errors("BadRequest", "Unauthenticated", "NotFound", "Conflict")}},
        },
        "/api/v1/tickets/{id}/assignment": {
            "parameters": [TICKET_ID],
            "post": {"operationId": "assignTicket", "summary": "Assign to an agent or escalate to a team (agents)",
                     "tags": ["tickets"], "requestBody": body("Assignment"),
                     "responses": {**ok("TicketDetail", "The assigned or escalated ticket"),
                                   **errors("BadRequest", "Unauthenticated", "Forbidden", "NotFound", "Conflict")}},
        },
        "/api/v1/track/{code}": {"get": {
            "operationId": "trackRequest", "summary": "Follow a request as a guest", "tags": ["tracking"],
            "description": "No authentication: the tracking code and the request's mobile or e-mail. "
                           "An unknown code and a wrong contact get the same 404.",
            "security": UNPROTECTED,
            "parameters": [
                {"name": "code", "in": "path", "required": True, "schema": STRING,
                 "description": "The 11-digit tracking code; Persian or Arabic digits and dashes are fine."},
                query("mobile", "The requester's mobile (any digits)."),
                query("email", "The requester's e-mail."),
            ],
            "responses": {**ok("Tracking", "The request's public progress"),
                          **errors("BadRequest", "NotFound", "TooManyAttempts")},
        }},
    }


def with_request_form(schema: dict) -> dict:
    """``form`` is checked against the chosen service's own form, so it has no fixed shape."""
    schema.setdefault("properties", {})["form"] = {
        "type": "object", "additionalProperties": True,
        "description": "The service's request form: field name → value; a document is "
                       "{\"filename\": …, \"content\": base64}. A field the form does not have is refused."}
    return schema


def part(request) -> OpenApiPart:
    """The tickets' paths and schemas; request bodies from the schemas bound to ``request``."""
    def request_schema(schema: colander.SchemaNode) -> dict:
        return json_schema(schema.bind(request=request))

    return OpenApiPart(
        paths=paths(),
        schemas={
            **response_schemas(),
            "NewTicket": with_request_form(request_schema(NewTicketSchema())),
            "TicketUpdate": request_schema(TicketUpdateSchema()),
            "NewComment": request_schema(CommentSchema()),
            "Transition": request_schema(TransitionSchema()),
            "Assignment": request_schema(AssignmentSchema()),
        },
        description=DESCRIPTION,
    )
