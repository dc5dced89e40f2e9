"""Twelve months of demo tickets (filled in by the demo-data work)."""


def load(dbsession, settings) -> None:
    """Add the demo organization's ticket history; idempotent."""
