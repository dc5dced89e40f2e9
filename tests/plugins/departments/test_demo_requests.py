"""The departments' demo requests (``pishkhan_demo_requests``) are data the demo can play: each asks
its own department for one of that department's catalog services, with the desk's vocabulary and
only the slots the demo fills."""
from __future__ import annotations

from string import Formatter

import pytest

from plugins.tickets import demo_texts
from plugins.tickets.models import Level, TicketType
from tests.plugins.departments.specs import DEPARTMENT_PLUGINS, answer, services

SLOTS = set(demo_texts.SLOTS) | {"student_id"}


def slots(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conversion in Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("code", DEPARTMENT_PLUGINS)
def test_each_demo_request_asks_for_a_service_of_its_department(code):
    requests = answer(DEPARTMENT_PLUGINS[code], "pishkhan_demo_requests")
    offered = {service.service_id for service in services(code)}
    assert len(requests) >= 5
    for request in requests:
        assert request.department == code
        assert request.service in offered, request.subject
        assert request.type in set(TicketType) and {request.impact, request.urgency} <= set(Level)
        assert set(request.months) <= set(range(1, 13))
        assert slots(request.subject) | slots(request.description) <= SLOTS, request.subject
    assert len({request.service for request in requests}) >= len(offered) // 2  # most services are asked for
