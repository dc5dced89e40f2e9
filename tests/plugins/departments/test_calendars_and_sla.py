"""The departments' working weeks and SLA targets are well formed, and say what differs from the
organization's defaults."""
from __future__ import annotations

import re

import pytest

from tests.plugins.departments.specs import DEPARTMENT_PLUGINS, answer, services

DEFAULT_TARGETS = {1: (30, 4 * 60), 2: (60, 8 * 60), 3: (4 * 60, 24 * 60), 4: (8 * 60, 40 * 60)}
SATURDAY_TO_WEDNESDAY = {5, 6, 0, 1, 2}
THURSDAY, FRIDAY = 3, 4


@pytest.mark.parametrize("code", DEPARTMENT_PLUGINS)
def test_a_calendar_of_ordered_intervals_closed_on_friday(code):
    [calendar] = answer(DEPARTMENT_PLUGINS[code], "pishkhan_business_calendars")
    assert calendar.department == code and calendar.name.strip()
    assert SATURDAY_TO_WEDNESDAY <= set(calendar.hours) <= set(range(7)) - {FRIDAY}
    for intervals in calendar.hours.values():
        times = [moment for interval in intervals for moment in interval]
        assert all(re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", moment) for moment in times), intervals
        assert times == sorted(times) and len(set(times)) == len(times), intervals


def test_facilities_work_early_and_on_thursday_morning():
    [calendar] = answer(DEPARTMENT_PLUGINS["facilities"], "pishkhan_business_calendars")
    assert {day: calendar.hours[day] for day in SATURDAY_TO_WEDNESDAY} == dict.fromkeys(
        SATURDAY_TO_WEDNESDAY, (("07:00", "15:00"),))
    assert calendar.hours[THURSDAY] == (("07:00", "12:00"),)


def test_education_closes_for_lunch():
    [calendar] = answer(DEPARTMENT_PLUGINS["education"], "pishkhan_business_calendars")
    assert set(calendar.hours) == SATURDAY_TO_WEDNESDAY
    assert set(calendar.hours.values()) == {(("08:00", "12:30"), ("13:30", "16:00"))}


@pytest.mark.parametrize("code", DEPARTMENT_PLUGINS)
def test_sla_policies_only_where_the_department_differs(code):
    policies = answer(DEPARTMENT_PLUGINS[code], "pishkhan_sla_policies")
    keys = {service.key for service in services(code)}
    seen = set()
    for policy in policies:
        assert policy.department == code and policy.priority in DEFAULT_TARGETS, policy
        assert 0 < policy.response_minutes < policy.resolution_minutes, policy
        assert policy.service is None or policy.service in keys, policy
        assert (policy.response_minutes, policy.resolution_minutes) != DEFAULT_TARGETS[policy.priority], policy
        assert (policy.service, policy.priority) not in seen, policy
        seen.add((policy.service, policy.priority))
    if code in ("it", "finance", "facilities"):
        assert policies
