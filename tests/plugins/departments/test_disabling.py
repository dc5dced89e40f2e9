"""A built-in department disabled in the INI: the desk starts, the department's services leave
the catalog (pages and API), and its tickets, with their form values, stay readable to
administrators. (The example department outside the tree is checked the same way, installed
with pip, in examples/pishkhan-legal-affairs.)"""
from __future__ import annotations

import pytest
import webtest
from sqlalchemy import select

from core import accounts, demo, migrate
from core.app import effective_settings, make_app
from core.db import get_engine, get_session_factory, import_models, transactional_session
from core.models import Department, Role
from core.plugins import create_plugin_manager
from core.testing import base_settings, log_in
from plugins.finance.services import PAYSLIP as SERVICE
from plugins.tickets.desk import NewTicket, TicketDesk
from plugins.tickets.request_forms import SubmittedForm

PASSWORD = "a-long-admin-password"


@pytest.fixture(scope="module")
def desk_with_a_finance_ticket(tmp_path_factory):
    """Every installed plugin over a fresh SQLite database (as `make run` sets it up, without the
    demo), with an administrator and one finance ticket for a finance catalog service."""
    folder = tmp_path_factory.mktemp("disabled-department")
    settings = base_settings(f"sqlite:///{folder / 'pishkhan.sqlite'}")
    settings["tickets.attachments_dir"] = str(folder / "attachments")
    pluginmanager = create_plugin_manager(settings)
    import_models(pluginmanager)
    full_settings = effective_settings(dict(settings), pluginmanager)
    engine = get_engine(full_settings)
    migrate.upgrade(engine, pluginmanager)
    with transactional_session(get_session_factory(engine)) as dbsession:
        demo.populate(dbsession, pluginmanager, full_settings, demo=False)
        accounts.create_user(dbsession, username="boss", full_name="مدیر سامانه", role=Role.admin.value,
                             password=PASSWORD)
        finance = dbsession.scalar(select(Department).where(Department.code == "finance"))
        ticket = TicketDesk(dbsession, full_settings, pluginmanager.hook, None, "portal").open(NewTicket(
            subject="پرسش درباره فیش حقوقی آبان", department_id=finance.id, service_key=SERVICE.key,
            description="مبلغ اضافه‌کار در فیش آبان درج نشده است.", guest_name="کارمند مهمان",
            guest_mobile="09121234567",
            form=SubmittedForm(values=[{"name": "month", "title": "ماه", "value": "آبان"},
                                       {"name": "topic", "title": "موضوع فیش", "value": "اضافه‌کار یا حق‌التدریس"}])))
        ticket_id = ticket.id
    engine.dispose()
    return settings, ticket_id


def client(settings: dict, disabled: str = "") -> webtest.TestApp:
    app = make_app(dict(settings, **{"pishkhan.plugins.disabled": disabled}))
    return webtest.TestApp(app, extra_environ={"REMOTE_ADDR": "10.0.0.9", "HTTP_HOST": "localhost"})


def test_with_finance_enabled_its_services_are_in_the_catalog(desk_with_a_finance_ticket):
    settings, _ticket_id = desk_with_a_finance_ticket
    desk = client(settings)
    assert SERVICE.title in desk.get("/catalog").text
    ids = {service["service_id"] for service in desk.get("/api/v1/catalog/services").json["services"]}
    assert SERVICE.service_id in ids


def test_finance_disabled_the_desk_starts_its_services_leave_and_its_tickets_stay_readable(
        desk_with_a_finance_ticket):
    settings, ticket_id = desk_with_a_finance_ticket
    desk = client(settings, disabled="finance")
    catalog = desk.get("/catalog")
    assert SERVICE.title not in catalog.text
    assert "گواهی اشتغال به تحصیل" in catalog.text  # the other departments' services stay
    ids = {service["service_id"] for service in desk.get("/api/v1/catalog/services").json["services"]}
    assert SERVICE.service_id not in ids and not any(service_id.startswith("1084213") for service_id in ids)
    desk.get(f"/catalog/{SERVICE.service_id}", status=404)
    desk.get(f"/api/v1/catalog/services/{SERVICE.service_id}", status=404)

    log_in(desk, "boss", PASSWORD)
    page = desk.get(f"/desk/tickets/{ticket_id}")
    assert "پرسش درباره فیش حقوقی آبان" in page.text
    assert SERVICE.title in page.text  # the service's name was kept with the ticket
    values = [item.get_text(" ", strip=True) for item in page.html.select("[data-testid=form-value]")]
    assert values == ["آبان", "اضافه‌کار یا حق‌التدریس"] and "موضوع فیش" in page.text
