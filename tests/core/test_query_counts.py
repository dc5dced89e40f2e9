"""Hot pages run a small, fixed number of SQL statements (no N+1)."""
import contextlib

from sqlalchemy import event

from core.models import Team, User
from core.testing import log_in


@contextlib.contextmanager
def counted_statements(engine):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_anonymous_portal_home_runs_no_query(testapp, engine):
    with counted_statements(engine) as statements:
        testapp.get("/")
    assert statements == []


def test_dashboard_queries_do_not_grow_with_teams(testapp, engine, demo_org):
    log_in(testapp, "agent")
    demo_org.expire_all()  # the test shares the app's session: start each page from a cold one
    with counted_statements(engine) as before:
        testapp.get("/workspace")
    agent = demo_org.query(User).filter_by(username="agent").one()
    for team in demo_org.query(Team).all():
        if team not in agent.teams:
            agent.teams.append(team)
    demo_org.flush()
    demo_org.expire_all()
    with counted_statements(engine) as after:
        page = testapp.get("/workspace")
    assert page.html.find(attrs={"data-testid": "my-teams"}).find_all("li").__len__() == len(agent.teams)
    assert len(after) == len(before) <= 6
