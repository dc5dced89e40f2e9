"""Finance (مالی): the department's support service, registered through hooks only."""
from pathlib import Path

from core.department_plugin import DepartmentPlugin
from plugins.finance.demo_requests import REQUESTS
from plugins.finance.department import DEPARTMENTS
from plugins.finance.knowledge import CATEGORIES
from plugins.finance.rules import CALENDARS, ROUTING_RULES, SLA_POLICIES
from plugins.finance.services import SERVICES

plugin = DepartmentPlugin(
    __name__,
    departments=tuple(DEPARTMENTS),
    services=tuple(SERVICES),
    routing_rules=tuple(ROUTING_RULES),
    sla_policies=tuple(SLA_POLICIES),
    calendars=tuple(CALENDARS),
    knowledge_categories=tuple(CATEGORIES),
    demo_articles=(Path(__file__).parent / "demo" / "articles.jsonl",),
    demo_requests=tuple(REQUESTS),
)
