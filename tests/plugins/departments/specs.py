"""The department plugins under test and what their hooks declare, read without a database."""
from __future__ import annotations

import plugins.education
import plugins.facilities
import plugins.finance
import plugins.hr
import plugins.it
from core.demo import PEOPLE

DEPARTMENT_PLUGINS = {"it": plugins.it.plugin, "education": plugins.education.plugin,
                      "finance": plugins.finance.plugin, "hr": plugins.hr.plugin,
                      "facilities": plugins.facilities.plugin}
# The department segment of each department's service IDs (10842 + segment + service + 00).
SEGMENTS = {"it": "11", "education": "12", "finance": "13", "hr": "14", "facilities": "15"}
USERS = {username: (role.value, department) for username, _name, role, department, _team in PEOPLE}


def answer(plugin, hook: str) -> list:
    """What ``plugin`` answers to ``hook`` (an empty list when it does not implement it)."""
    implementation = getattr(plugin, hook, None)
    return list(implementation()) if implementation is not None else []


def teams(code: str) -> set[str]:
    """The team names the department's plugin declares."""
    [department] = [spec for spec in answer(DEPARTMENT_PLUGINS[code], "pishkhan_departments") if spec.code == code]
    return {team.name for team in department.teams}


def services(code: str) -> list:
    return answer(DEPARTMENT_PLUGINS[code], "pishkhan_catalog_services")
