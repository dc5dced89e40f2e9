"""Impact × urgency → priority (P1 highest … P4), through a matrix set in the INI.

``tickets.priority_matrix`` lists the cells that are not P4, as ``impact/urgency=priority``::

    tickets.priority_matrix = high/high=1 high/medium=2 medium/high=2 high/low=3 medium/medium=3 low/high=3
"""
from __future__ import annotations

from plugins.tickets.models import Level

DEFAULT_MATRIX = "high/high=1 high/medium=2 medium/high=2 high/low=3 medium/medium=3 low/high=3"
LOWEST = 4
Matrix = dict[tuple[str, str], int]


def parse_matrix(text: str) -> Matrix:
    """Parse the setting; a malformed cell raises ``ValueError`` naming it (checked at start-up)."""
    levels = {level.value for level in Level}
    matrix: Matrix = {}
    for cell in text.split():
        try:
            pair, priority = cell.split("=")
            impact, urgency = pair.split("/")
            value = int(priority)
        except ValueError:
            raise ValueError(f"tickets.priority_matrix: cannot read {cell!r} (expected impact/urgency=1..4)") from None
        if impact not in levels or urgency not in levels or not 1 <= value <= LOWEST:
            raise ValueError(f"tickets.priority_matrix: invalid cell {cell!r}")
        matrix[(impact, urgency)] = value
    return matrix


def priority_for(impact: str, urgency: str, matrix: Matrix) -> int:
    return matrix.get((impact, urgency), LOWEST)
