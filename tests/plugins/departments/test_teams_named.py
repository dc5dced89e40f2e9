"""What a department's plugin routes, assigns or asks for approval names its own teams, services
and people: a misspelt team would silently send tickets to the front line."""
from __future__ import annotations

import pytest

from core.contracts import APPROVERS
from tests.plugins.departments.specs import DEPARTMENT_PLUGINS, USERS, answer, services, teams


@pytest.mark.parametrize("code", DEPARTMENT_PLUGINS)
def test_routing_rules_name_a_team_and_services_of_their_department(code):
    rules = answer(DEPARTMENT_PLUGINS[code], "pishkhan_routing_rules")
    assert rules
    keys = {service.key for service in services(code)}
    for rule in rules:
        assert rule.department == code and rule.team in teams(code), rule
        assert set(rule.services) <= keys, rule
        assert rule.services or rule.keywords, rule  # a rule for everything would hide the default
        assert all(keyword.strip() for keyword in rule.keywords), rule


@pytest.mark.parametrize("code", DEPARTMENT_PLUGINS)
def test_fulfilment_tasks_go_to_teams_of_the_department(code):
    tasks = [task for service in services(code) for task in service.tasks]
    assert tasks
    for task in tasks:
        assert task.title.strip() and task.team in teams(code), task


@pytest.mark.parametrize("code", DEPARTMENT_PLUGINS)
def test_approvals_name_a_known_kind_and_person(code):
    steps = [(service, step) for service in services(code) for step in service.approvals]
    assert steps
    for service, step in steps:
        assert step.approver in APPROVERS and step.title.strip(), (service.title, step)
        if step.approver == "requester_manager":
            assert step.username is None, service.title  # the requester's manager is found per ticket
        elif step.approver == "department_head":
            assert USERS[step.username] == ("department_manager", code), service.title
        else:
            assert step.username == service.owner_username, service.title
