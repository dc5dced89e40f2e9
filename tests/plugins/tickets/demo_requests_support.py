"""The built-in departments' demo requests (``pishkhan_demo_requests``), and a test plugin handing
them to the tickets' demo without the departments' other hooks (routing rules, SLA policies,
catalog services): the demo then plays them on the desk alone, with its demo categories."""
from __future__ import annotations

from core import hookimpl
from core.contracts import DemoRequest
from tests.plugins.departments.specs import DEPARTMENT_PLUGINS


def requests() -> list[DemoRequest]:
    return [request for plugin in DEPARTMENT_PLUGINS.values() for request in plugin.pishkhan_demo_requests()]


class DemoRequests:
    @hookimpl
    def pishkhan_demo_requests(self):
        return requests()
