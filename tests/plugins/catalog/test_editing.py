"""Editing identity cards in the workspace: who may, every refused input of the issue's
acceptance (a clear Persian message, what was typed kept), the optimistic lock, deactivation."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from core.testing import log_in
from plugins.catalog.models import CatalogServiceEdit, CatalogServiceRow
from plugins.catalog.registry import ask
from plugins.catalog.sync import sync_services
from tests.plugins.catalog.catalog_specs import ENROLMENT, VPN, persian


def department_id(dbsession, code: str) -> int:
    from core.models import Department

    return dbsession.scalar(select(Department.id).where(Department.code == code))


def new_form(testapp):
    return testapp.get("/desk/catalog/new").forms["deform"]


def errors(page) -> list[str]:
    return [item.text.strip() for item in page.html.select(".invalid-feedback, .help-block.error, .error")]


def fill(form, **values):
    for name, value in values.items():
        form[name] = value
    return form


def test_an_administrator_creates_a_service(testapp, synced):
    log_in(testapp, "admin")
    form = fill(new_form(testapp), service_id="۳۰۰۶۱۰۷۳۰۰۰", title="صدور كارت تردد",
                department=str(department_id(synced, "facilities")), cost_rials="۲۵۰٬۰۰۰", duration_days="۲")
    response = form.submit("save", status=303)
    assert response.location.endswith("/desk/catalog")
    card = synced.scalar(select(CatalogServiceRow).where(CatalogServiceRow.service_id == "30061073000"))
    assert card.title == "صدور کارت تردد" and card.cost_rials == 250000 and card.duration_days == 2
    assert card.provider is None and card.edited_at is not None
    assert "صدور کارت تردد" in testapp.get("/catalog", {"q": "كارت تردد"})


@pytest.mark.parametrize(("field", "typed", "message"), [
    ("service_id", "12345", "The service ID must be exactly 11 digits, for example 10061073000."),
    ("service_id", "۱۲۳۴۵۶۷۸۹۰۱۲", "The service ID must be exactly 11 digits, for example 10061073000."),
    ("cost_rials", "-5000", "The cost cannot be negative."),
    ("duration_days", "0", "The average time must be at least one working day."),
])
def test_bad_input_is_refused_in_persian_and_kept(testapp, synced, field, typed, message):
    log_in(testapp, "admin")
    values = {"service_id": "30061073000", "title": "خدمت تازه", "cost_rials": "0", "duration_days": "3",
              "department": str(department_id(synced, "facilities"))}
    values[field] = typed
    page = fill(new_form(testapp), **values).submit("save", status=400)
    assert persian(message) in page.text
    assert page.forms["deform"][field].value == typed
    assert page.forms["deform"]["title"].value == "خدمت تازه"


def test_an_id_already_taken_is_refused(testapp, synced):
    log_in(testapp, "admin")
    page = fill(new_form(testapp), service_id=ENROLMENT, title="تکراری", duration_days="3",
                department=str(department_id(synced, "education"))).submit("save", status=400)
    assert persian("Another service already has the ID ${id}.", id=ENROLMENT) in page.text


def test_a_department_manager_edits_their_departments_cards_only(testapp, synced):
    log_in(testapp, "edu.manager")
    listing = testapp.get("/desk/catalog")
    assert "گواهی اشتغال به تحصیل" in listing and "دسترسی به VPN دانشگاه" not in listing
    testapp.get(f"/desk/catalog/{VPN}/edit", status=403)
    form = testapp.get(f"/desk/catalog/{ENROLMENT}/edit").forms["deform"]
    assert "service_id" not in form.fields  # a card keeps its ID: tickets name the service by it
    options = [value for value, _selected, _text in form["department"].options]
    assert options == [str(department_id(synced, "education"))]
    form["title"] = "گواهی اشتغال به تحصیل (ویرایش‌شده)"
    form.submit("save", status=303)
    card = synced.scalar(select(CatalogServiceRow).where(CatalogServiceRow.service_id == ENROLMENT))
    assert card.title.endswith("(ویرایش‌شده)") and card.edited_by.username == "edu.manager"
    edit = synced.scalar(select(CatalogServiceEdit).where(CatalogServiceEdit.service_row_id == card.id))
    assert edit.changes["title"][1] == card.title
    page = testapp.get(f"/desk/catalog/{ENROLMENT}/edit")
    assert page.html.select_one("[data-testid=edited-by]") is not None
    assert page.html.select_one("[data-testid=history]") is not None


@pytest.mark.parametrize("username", ["agent", "student", "it.lead"])
def test_others_may_not_edit(testapp, synced, username):
    log_in(testapp, username)
    testapp.get("/desk/catalog", status=403)
    testapp.get(f"/desk/catalog/{ENROLMENT}/edit", status=403)
    testapp.get("/desk/catalog/new", status=403)


def test_a_visitor_is_sent_to_sign_in(testapp, synced):
    assert "/login" in testapp.get("/desk/catalog", status=303).location


def test_a_stale_version_is_a_conflict_that_keeps_what_was_typed(testapp, synced):
    log_in(testapp, "admin")
    form = testapp.get(f"/desk/catalog/{ENROLMENT}/edit").forms["deform"]
    card = synced.scalar(select(CatalogServiceRow).where(CatalogServiceRow.service_id == ENROLMENT))
    card.owner = "کسی دیگر"
    synced.flush()
    form["title"] = "عنوان من"
    page = form.submit("save", status=409)
    assert page.html.select_one("[data-testid=conflict]") is not None
    again = page.forms["deform"]
    assert again["title"].value == "عنوان من"
    again.submit("save", status=303)
    synced.refresh(card)
    assert card.title == "عنوان من"


def test_deactivating_hides_the_service_and_the_upgrade_keeps_the_edit(testapp, synced, pluginmanager):
    log_in(testapp, "admin")
    form = testapp.get(f"/desk/catalog/{ENROLMENT}/edit").forms["deform"]
    form["is_active"] = False
    form.submit("save", status=303)
    testapp.get(f"/catalog/{ENROLMENT}", status=404)
    sync_services(synced, ask(pluginmanager))
    card = synced.scalar(select(CatalogServiceRow).where(CatalogServiceRow.service_id == ENROLMENT))
    assert card.is_active is False


def test_the_owner_is_a_known_user_typed_in_any_case(testapp, synced):
    log_in(testapp, "admin")
    form = testapp.get(f"/desk/catalog/{VPN}/edit").forms["deform"]
    form["owner_username"] = "nobody.here"
    page = form.submit("save", status=400)
    assert persian("There is no user with this username.") in page.text
    again = page.forms["deform"]
    again["owner_username"] = "IT.Manager"
    again.submit("save", status=303)
    assert synced.scalar(select(CatalogServiceRow.owner_username).where(CatalogServiceRow.service_id == VPN)) == (
        "it.manager")


def test_a_task_goes_to_a_team_of_the_services_department(testapp, synced):
    log_in(testapp, "admin")
    form = testapp.get(f"/desk/catalog/{ENROLMENT}/edit").forms["deform"]
    form.set("task", "بررسی پرونده", index=1)
    page = form.submit("save", status=400)
    assert persian("Choose the team that does this task.") in page.text
    again = page.forms["deform"]
    again.set("team", "میز خدمت فناوری اطلاعات", index=1)
    page = again.submit("save", status=400)
    assert persian("The service's department has no team with this name.") in page.text
    again = page.forms["deform"]
    again.set("team", "میز خدمت آموزش", index=1)
    again.submit("save", status=303)
    tasks = synced.scalar(select(CatalogServiceRow.tasks).where(CatalogServiceRow.service_id == ENROLMENT))
    assert tasks == [{"title": "صدور گواهی", "team": "کارشناسان امور آموزشی"},
                     {"title": "بررسی پرونده", "team": "میز خدمت آموزش"}]
