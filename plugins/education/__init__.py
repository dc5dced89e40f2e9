"""Education and student affairs (آموزش): the department's support service, registered through hooks only."""
from pathlib import Path

from core.department_plugin import DepartmentPlugin
from plugins.education.demo_requests import REQUESTS
from plugins.education.department import DEPARTMENTS
from plugins.education.knowledge import CATEGORIES
from plugins.education.rules import CALENDARS, ROUTING_RULES
from plugins.education.services import SERVICES

plugin = DepartmentPlugin(
    __name__,
    departments=tuple(DEPARTMENTS),
    services=tuple(SERVICES),
    routing_rules=tuple(ROUTING_RULES),
    calendars=tuple(CALENDARS),
    knowledge_categories=tuple(CATEGORIES),
    demo_articles=(Path(__file__).parent / "demo" / "articles.jsonl",),
    demo_requests=tuple(REQUESTS),
)
