"""Legal affairs (امور حقوقی): a department installed from outside Pishkhan.

The module pluggy registers under the name ``legal``. It only answers hooks, each with plain data
from ``core.contracts``: Pishkhan writes the department, its teams, calendar, SLA policies,
knowledge categories and catalog cards when the database is upgraded, reads the routing rules and
cards when it starts, and plays demo tickets from its demo requests (``pishkhan demo load``).
"""
from pathlib import Path

from core import hookimpl
from pishkhan_legal import demo_requests, department, routing, services


@hookimpl
def pishkhan_departments():
    return department.DEPARTMENTS


@hookimpl
def pishkhan_catalog_services():
    return services.SERVICES


@hookimpl
def pishkhan_routing_rules():
    return routing.ROUTING_RULES


@hookimpl
def pishkhan_sla_policies():
    return department.SLA_POLICIES


@hookimpl
def pishkhan_business_calendars():
    return department.CALENDARS


@hookimpl
def pishkhan_knowledge_categories():
    return department.KNOWLEDGE_CATEGORIES


@hookimpl
def pishkhan_demo_articles():
    return [Path(__file__).parent / "demo" / "articles.jsonl"]


@hookimpl
def pishkhan_demo_requests():
    return demo_requests.REQUESTS
