"""Hot pages run a small, fixed number of SQL statements (no N+1)."""
from core.models import Team, User
from core.testing import counted_statements, log_in


def test_anonymous_portal_home_runs_no_query(testapp, engine):
    with counted_statements(engine) as statements:
        testapp.get("/")
    assert statements == []


def test_dashboard_queries_do_not_grow_with_teams(testapp, engine, demo_org):
    log_in(testapp, "agent")
    with counted_statements(engine, demo_org) as before:
        testapp.get("/workspace")
    agent = demo_org.query(User).filter_by(username="agent").one()
    for team in demo_org.query(Team).all():
        if team not in agent.teams:
            agent.teams.append(team)
    demo_org.flush()
    with counted_statements(engine, demo_org) as after:
        page = testapp.get("/workspace")
    assert page.html.find(attrs={"data-testid": "my-teams"}).find_all("li").__len__() == len(agent.teams)
    assert len(after) == len(before) <= 6
