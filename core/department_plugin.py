"""A department's support service given as plain data (``DepartmentPlugin``): one object answers
every department hook, so a department's package holds its data and names this object in its
entry point (``it = plugins.it:plugin``). A department that needs code (a ``pishkhan_ticket_route``
of its own, pages) writes hook functions in a module instead, as any plugin does."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core import hookimpl
from core.contracts import (
    BusinessCalendarSpec,
    CatalogService,
    DemoRequest,
    DepartmentSpec,
    KnowledgeCategorySpec,
    RoutingRule,
    SlaPolicySpec,
)


@dataclass(frozen=True)
class DepartmentPlugin:
    """``module`` is the package's ``__name__`` (the plugins page shows it); every other field is
    what the hook of the same name returns."""

    module: str
    departments: tuple[DepartmentSpec, ...]
    services: tuple[CatalogService, ...] = ()
    routing_rules: tuple[RoutingRule, ...] = ()
    sla_policies: tuple[SlaPolicySpec, ...] = ()
    calendars: tuple[BusinessCalendarSpec, ...] = ()
    knowledge_categories: tuple[KnowledgeCategorySpec, ...] = ()
    demo_articles: tuple[Path, ...] = ()
    demo_requests: tuple[DemoRequest, ...] = ()

    @property
    def __name__(self) -> str:  # the plugin manager reads it as it reads a module's name
        return self.module

    @hookimpl
    def pishkhan_departments(self):
        return list(self.departments)

    @hookimpl
    def pishkhan_catalog_services(self):
        return list(self.services)

    @hookimpl
    def pishkhan_routing_rules(self):
        return list(self.routing_rules)

    @hookimpl
    def pishkhan_sla_policies(self):
        return list(self.sla_policies)

    @hookimpl
    def pishkhan_business_calendars(self):
        return list(self.calendars)

    @hookimpl
    def pishkhan_knowledge_categories(self):
        return list(self.knowledge_categories)

    @hookimpl
    def pishkhan_demo_articles(self):
        return list(self.demo_articles)

    @hookimpl
    def pishkhan_demo_requests(self):
        return list(self.demo_requests)
