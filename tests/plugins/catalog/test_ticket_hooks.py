"""What the tickets plugin asks the catalog, and a provider plugin that is not loaded: its
services leave the catalog, its cards (and the tickets that name them) stay."""
from __future__ import annotations

from types import SimpleNamespace

import colander
from sqlalchemy import select

from core.contracts import ApprovalStep, FulfilmentTask, catalog_service_key
from core.models import Department
from plugins.catalog.models import CatalogServiceRow
from tests.plugins.catalog.catalog_specs import ENROLMENT, INTERNAL, TRANSCRIPT, VPN


def services(pluginmanager, dbsession, department_id=None) -> dict:
    answers = pluginmanager.hook.pishkhan_ticket_services(dbsession=dbsession, department_id=department_id)
    return {service.key: service for answer in answers for service in answer}


def ticket(service_id: str, dbsession) -> SimpleNamespace:
    education = dbsession.scalar(select(Department.id).where(Department.code == "education"))
    return SimpleNamespace(service_key=catalog_service_key(service_id), department_id=education)


def test_every_visible_service_is_a_ticket_service(synced, pluginmanager):
    offered = services(pluginmanager, synced)
    enrolment = offered[catalog_service_key(ENROLMENT)]
    assert enrolment.title == "گواهی اشتغال به تحصیل" and enrolment.promised_days == 3
    assert {catalog_service_key(key) for key in (ENROLMENT, TRANSCRIPT, VPN, INTERNAL)} == set(offered)
    education = enrolment.department_id
    assert set(services(pluginmanager, synced, education)) == {catalog_service_key(ENROLMENT),
                                                                catalog_service_key(TRANSCRIPT)}


def test_the_request_form_is_the_specs(app, synced, pluginmanager):
    request = SimpleNamespace(dbsession=synced, registry=app.registry)
    form = pluginmanager.hook.pishkhan_request_form(request=request, service_key=catalog_service_key(ENROLMENT))
    assert isinstance(form, colander.Schema) and form["needed_by"].title == "تاریخ مورد نیاز"
    for key in (catalog_service_key(TRANSCRIPT), catalog_service_key("99999999999"), "category:3", None):
        assert pluginmanager.hook.pishkhan_request_form(request=request, service_key=key) is None


def test_approvals_and_tasks_come_from_the_stored_card(synced, pluginmanager):
    approvals = pluginmanager.hook.pishkhan_ticket_approvals(dbsession=synced, ticket=ticket(ENROLMENT, synced))
    assert approvals == [[ApprovalStep("service_owner", "تأیید اداره آموزش", "edu.manager")]]
    tasks = pluginmanager.hook.pishkhan_ticket_fulfilment(dbsession=synced, ticket=ticket(ENROLMENT, synced))
    assert tasks == [[FulfilmentTask("صدور گواهی", "کارشناسان امور آموزشی")]]
    other = SimpleNamespace(service_key="category:1", department_id=1)
    assert pluginmanager.hook.pishkhan_ticket_approvals(dbsession=synced, ticket=other) == []


def test_a_provider_not_loaded_takes_its_services_out_of_the_catalog(testapp, synced, pluginmanager):
    assert testapp.get(f"/catalog/{ENROLMENT}").status_int == 200
    pluginmanager.unregister(name="testedu")
    testapp.extra_environ["HTTP_HOST"] = "restarted." + testapp.extra_environ["HTTP_HOST"]  # no page shared before
    assert catalog_service_key(ENROLMENT) not in services(pluginmanager, synced)
    assert catalog_service_key(VPN) in services(pluginmanager, synced)
    assert "گواهی اشتغال به تحصیل" not in testapp.get("/catalog", {"by": "department"})
    testapp.get(f"/catalog/{ENROLMENT}", status=404)
    testapp.get(f"/api/v1/catalog/services/{ENROLMENT}", status=404)
    # The card stays, and a ticket opened for it still finds its tasks.
    assert synced.scalar(select(CatalogServiceRow).where(CatalogServiceRow.service_id == ENROLMENT)) is not None
    tasks = pluginmanager.hook.pishkhan_ticket_fulfilment(dbsession=synced, ticket=ticket(ENROLMENT, synced))
    assert tasks == [[FulfilmentTask("صدور گواهی", "کارشناسان امور آموزشی")]]


def test_a_card_created_in_the_workspace_shows_without_a_provider(testapp, synced, pluginmanager):
    card = synced.scalar(select(CatalogServiceRow).where(CatalogServiceRow.service_id == ENROLMENT))
    card.provider = None
    synced.flush()
    pluginmanager.unregister(name="testedu")
    assert testapp.get(f"/catalog/{ENROLMENT}").status_int == 200
    assert catalog_service_key(ENROLMENT) in services(pluginmanager, synced)
