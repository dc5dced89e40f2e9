"""The catalog's part of the OpenAPI 3.1 document (``/api/v1/openapi.json``), next to the
serializer it describes (``plugins.catalog.web.api.service_json``)."""
from __future__ import annotations

from core.contracts import (
    LIFE_EVENTS,
    SERVICE_CHANNELS,
    SERVICE_LEVELS,
    SERVICE_NATURES,
    SERVICE_STAGES,
    SERVICE_TRIGGERS,
    SERVICE_TYPES,
    OpenApiPart,
)
from core.openapi import BOOLEAN, INTEGER, MOMENT, STRING, UNPROTECTED, errors, nullable, obj, ok, query, ref

DESCRIPTION = """\
**Service catalog.** Public, no token needed: every published service with its 11-digit service
ID, department and identity card (شناسنامه خدمت) fields, and its e-level (0–4: how many of the
stages information → request → processing → delivery are electronic, counted from the first
until one is not). A service that is internal, inactive or of a department plugin that is not
enabled does not exist: 404.
"""

SERVICE_ID = {"name": "service_id", "in": "path", "required": True,
              "schema": {"type": "string", "pattern": "^[0-9]{11}$"}}
TEXTS = {"type": "array", "items": STRING}


def response_schemas() -> dict:
    stage = obj({"stage": {"enum": list(SERVICE_STAGES)},
                 "channels": {"type": "array", "items": {"enum": list(SERVICE_CHANNELS)}},
                 "electronic": BOOLEAN})
    service = obj({
        "service_id": {"type": "string", "pattern": "^[0-9]{11}$", "description": "The national service ID."},
        "key": {"type": "string", "description": "The ticket service key (catalog:<service ID>)."},
        "url": {"type": "string", "description": "The service's page on the portal."},
        "card_url": {"type": "string", "description": "The printable identity card."},
        "department": obj({"code": STRING, "name": STRING}),
        "title": STRING,
        "description": STRING,
        "type": {"enum": list(SERVICE_TYPES)},
        "audience": STRING,
        "nature": {"enum": list(SERVICE_NATURES)},
        "levels": {"type": "array", "items": {"enum": list(SERVICE_LEVELS)}},
        "life_event": {"enum": list(LIFE_EVENTS)},
        "process": STRING,
        "sub_services": TEXTS,
        "trigger": {"enum": list(SERVICE_TRIGGERS)},
        "required_documents": TEXTS,
        "duration_days": {"type": "integer", "minimum": 1, "description": "Average business days to deliver."},
        "yearly_volume": nullable(INTEGER),
        "once_for_ever": BOOLEAN,
        "frequency": STRING,
        "visits": {"type": "integer", "minimum": 0, "description": "In-person visits needed."},
        "cost_rials": {"type": "integer", "minimum": 0, "description": "0: free."},
        "payment_account": STRING,
        "stages": {"type": "array", "items": ref("CatalogStage")},
        "integrations": TEXTS,
        "procedure": STRING,
        "notes": STRING,
        "owner": STRING,
        "contact": STRING,
        "sla": STRING,
        "keywords": TEXTS,
        "e_level": {"type": "integer", "minimum": 0, "maximum": 4},
        "updated_at": MOMENT,
    })
    return {"CatalogStage": stage, "CatalogService": service,
            "CatalogServiceList": obj({"services": {"type": "array", "items": ref("CatalogService")}})}


def catalog_part() -> OpenApiPart:
    paths = {
        "/api/v1/catalog/services": {"get": {
            "operationId": "listCatalogServices", "summary": "Every published service", "tags": ["catalog"],
            "security": UNPROTECTED,
            "parameters": [query("department", "Only this department's services (its code)."),
                           query("q", "Words of the title, sub-services, keywords or description, or a "
                                      "service ID (Persian or Latin digits).")],
            "responses": {**ok("CatalogServiceList", "The services, by department"), **errors("BadRequest")},
        }},
        "/api/v1/catalog/services/{service_id}": {"get": {
            "operationId": "getCatalogService", "summary": "One published service", "tags": ["catalog"],
            "security": UNPROTECTED, "parameters": [SERVICE_ID],
            "responses": {**ok("CatalogService", "The service and its identity card"), **errors("NotFound")},
        }},
    }
    return OpenApiPart(paths=paths, schemas=response_schemas(), description=DESCRIPTION)
