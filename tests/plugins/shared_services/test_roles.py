"""Who sees what: the center's agents work on every department's tickets, other agents only on
their own; the governance pages are the center's manager's, its governance team's, the
director's and administrators'; agreements are set by the director and administrators, unit
costs by administrators."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from core.models import Role, User
from tests.plugins.shared_services.conftest import GOVERNANCE_TEAM, add_ssc_person, another_client, sign_in

GOVERNANCE_PAGES = ("/desk/ssc", "/desk/ssc/agreements", "/desk/ssc/customers", "/desk/ssc/customers/education",
                    "/desk/ssc/showback", "/desk/ssc/showback.csv", "/desk/ssc/costs")


def test_a_service_center_agent_works_on_a_finance_ticket_an_it_agent_does_not(testapp, open_ticket):
    ticket = open_ticket("staff", "finance")
    page = sign_in(testapp, "ssc.desk").get(f"/desk/tickets/{ticket.id}")
    assert ticket.subject in page.text
    assert testapp.get("/desk/tickets").html.find("a", href=f"/desk/tickets/{ticket.id}") is not None
    it_agent = sign_in(another_client(testapp), "agent")
    it_agent.get(f"/desk/tickets/{ticket.id}", status=404)
    assert it_agent.get("/desk/tickets").html.find("a", href=f"/desk/tickets/{ticket.id}") is None


def test_a_service_center_agent_may_be_assigned_any_departments_ticket_an_it_agent_may_not(
        desk, open_ticket, dbsession):
    from plugins.tickets.desk import DeskError

    ticket = open_ticket("staff", "finance")
    center_agent = dbsession.scalar(select(User.id).where(User.username == "ssc.desk"))
    desk("fin.desk").assign(ticket, assignee_id=center_agent, expected_version=ticket.version)
    assert ticket.assignee_id == center_agent
    it_agent = dbsession.scalar(select(User.id).where(User.username == "agent"))
    with pytest.raises(DeskError) as refused:
        desk("fin.desk").assign(ticket, assignee_id=it_agent, expected_version=ticket.version)
    assert refused.value.code == "invalid_assignee"


def test_membership_of_a_departments_own_team_grants_only_that_department(testapp, open_ticket):
    ticket = open_ticket("student", "education")
    sign_in(testapp, "fin.desk").get(f"/desk/tickets/{ticket.id}", status=404)


@pytest.mark.parametrize("username", ["agent", "ssc.desk", "it.manager", "fin.lead"])
def test_agents_and_other_departments_managers_get_403_on_governance_pages(testapp, org, username):
    sign_in(testapp, username)
    for path in GOVERNANCE_PAGES:
        testapp.get(path, status=403)


def test_requesters_and_visitors_stay_out(testapp, org):
    assert "/login" in testapp.get("/desk/ssc/agreements", status=303).location
    sign_in(testapp, "student").get("/desk/ssc/agreements", status=403)


@pytest.mark.parametrize("username", ["director", "admin"])
def test_the_director_and_administrators_see_every_governance_page(testapp, org, username):
    sign_in(testapp, username)
    for path in GOVERNANCE_PAGES:
        testapp.get(path, status=200)
    testapp.get("/desk/ssc/agreements/sla/new", status=200)
    testapp.get("/desk/ssc/agreements/ola/new", status=200)


def test_the_centers_manager_and_governance_team_see_but_do_not_set_agreements(testapp, org, dbsession):
    add_ssc_person(dbsession, "ssc.manager", Role.department_manager.value)
    add_ssc_person(dbsession, "ssc.quality", Role.agent.value, GOVERNANCE_TEAM)
    for username in ("ssc.manager", "ssc.quality"):
        app = sign_in(another_client(testapp), username)
        for path in GOVERNANCE_PAGES:
            app.get(path, status=200)
        app.get("/desk/ssc/agreements/sla/new", status=403)
        assert app.get("/desk/ssc/costs").html.find(attrs={"data-testid": "cost-form"}) is None


def test_unit_costs_are_set_by_administrators_only(testapp, org):
    page = sign_in(testapp, "director").get("/desk/ssc/costs")
    assert page.html.find(attrs={"data-testid": "cost-form"}) is None
    token = page.html.find("input", {"name": "csrf_token"})
    token = token["value"] if token else testapp.get("/desk/ssc/agreements/sla/new").html.find(
        "input", {"name": "csrf_token"})["value"]
    testapp.post("/desk/ssc/costs", {"csrf_token": token, "scope": "d:1", "cost_rials": "100",
                                     "valid_from": "1405/01/01"}, status=403)


def test_the_navigation_item_and_the_widget_show_only_to_those_who_govern(testapp, org):
    dashboard = sign_in(testapp, "director").get("/workspace")
    assert dashboard.html.find("a", href="/desk/ssc") is not None
    assert dashboard.html.find(attrs={"data-widget": "ssc.headline"}) is not None
    dashboard = sign_in(another_client(testapp), "ssc.desk").get("/workspace")
    assert dashboard.html.find("a", href="/desk/ssc") is None
    assert dashboard.html.find(attrs={"data-widget": "ssc.headline"}) is None
