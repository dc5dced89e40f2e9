"""IT support (فناوری اطلاعات): the department's support service, registered through hooks only."""
from pathlib import Path

from core.department_plugin import DepartmentPlugin
from plugins.it.demo_requests import REQUESTS
from plugins.it.department import DEPARTMENTS
from plugins.it.knowledge import CATEGORIES
from plugins.it.rules import CALENDARS, ROUTING_RULES, SLA_POLICIES
from plugins.it.services import SERVICES

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
