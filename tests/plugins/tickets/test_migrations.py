"""The tickets branch of Alembic and the tickets models agree, on SQLite and PostgreSQL."""
from core import migrate
from tests.core.test_migrations import differences_for


def test_tickets_migrations_match_models(engine):
    assert differences_for(engine, "tickets_") == []


def test_database_is_at_every_head(engine, tickets_pluginmanager):
    assert migrate.is_current(engine, tickets_pluginmanager)
