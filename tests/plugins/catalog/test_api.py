"""The catalog's JSON API: public data, every identity-card field, filters, 404s; and its part of
the OpenAPI document."""
from __future__ import annotations

from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from tests.plugins.catalog.catalog_specs import ENROLMENT, INTERNAL, TRANSCRIPT, VPN


def conforms(spec: dict, schema_name: str, instance) -> None:
    root = {"$ref": f"#/components/schemas/{schema_name}", "components": spec["components"]}
    errors = [error.message for error in OAS31Validator(root).iter_errors(instance)]
    assert errors == [], errors


def ids(response) -> list[str]:
    return [service["service_id"] for service in response.json["services"]]


def test_the_list_holds_every_public_visible_service_without_a_token(testapp, synced):
    response = testapp.get("/api/v1/catalog/services")
    assert sorted(ids(response)) == sorted([ENROLMENT, TRANSCRIPT, VPN])  # not the internal one
    enrolment = next(item for item in response.json["services"] if item["service_id"] == ENROLMENT)
    assert enrolment["department"] == {"code": "education", "name": "معاونت آموزشی و امور دانشجویی"}
    assert enrolment["cost_rials"] == 120000 and enrolment["duration_days"] == 3 and enrolment["e_level"] == 3
    assert enrolment["key"] == f"catalog:{ENROLMENT}" and enrolment["card_url"].endswith(f"/catalog/{ENROLMENT}/card")
    assert "approvals" not in enrolment and "owner_username" not in enrolment


def test_filters_by_department_and_words(testapp, synced):
    assert ids(testapp.get("/api/v1/catalog/services", {"department": "it"})) == [VPN]
    assert ids(testapp.get("/api/v1/catalog/services", {"q": "گواهي"})) == [ENROLMENT]
    assert ids(testapp.get("/api/v1/catalog/services", {"q": "۲۰۰۶۱۰۷۳۰۰۰"})) == [VPN]
    refused = testapp.get("/api/v1/catalog/services", {"department": "nowhere"}, status=400)
    assert refused.json["error"]["code"] == "invalid_input" and refused.json["error"]["field"] == "department"
    assert testapp.get("/api/v1/catalog/services", {"limit": "3"}, status=400).json["error"]["field"] == "limit"


def test_one_service_and_404s(testapp, synced):
    assert testapp.get(f"/api/v1/catalog/services/{ENROLMENT}").json["title"] == "گواهی اشتغال به تحصیل"
    for unknown in ("12345678901", INTERNAL, "abc"):
        response = testapp.get(f"/api/v1/catalog/services/{unknown}", status=404)
        assert response.json["error"]["code"] == "not_found"
    testapp.post(f"/api/v1/catalog/services/{ENROLMENT}", status=405)


def test_the_openapi_document_describes_the_answers(testapp, synced):
    spec = testapp.get("/api/v1/openapi.json").json
    validate(spec)
    assert {"/api/v1/catalog/services", "/api/v1/catalog/services/{service_id}"} <= set(spec["paths"])
    assert "Service catalog" in spec["info"]["description"]
    conforms(spec, "CatalogServiceList", testapp.get("/api/v1/catalog/services").json)
    conforms(spec, "CatalogService", testapp.get(f"/api/v1/catalog/services/{VPN}").json)


def test_a_changed_card_is_listed_as_changed_at_once(testapp, synced):
    from sqlalchemy import select

    from plugins.catalog.models import CatalogServiceRow

    assert ENROLMENT in ids(testapp.get("/api/v1/catalog/services"))
    card = synced.scalar(select(CatalogServiceRow).where(CatalogServiceRow.service_id == ENROLMENT))
    card.title = "عنوان تازه"
    synced.flush()
    listed = testapp.get("/api/v1/catalog/services").json["services"]
    assert next(item["title"] for item in listed if item["service_id"] == ENROLMENT) == "عنوان تازه"
    card.public = False
    synced.flush()
    assert ENROLMENT not in ids(testapp.get("/api/v1/catalog/services"))
