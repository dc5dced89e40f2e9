"""The queue's filter lists come from a directory remembered per process: a change made through
the ORM shows on the next page, a rolled-back one disappears, and the lists stay limited to the
viewer's departments."""
from __future__ import annotations

from sqlalchemy import update

from core.models import Team, User
from core.testing import log_in
from plugins.tickets import directory
from tests.plugins.tickets.queue_helpers import department, user


def options(page_, name: str) -> list[str]:
    return [option.get_text(strip=True) for option in page_.html.select(f'select[name="{name}"] option')
            if option.get("value")]


def test_a_new_team_is_listed_on_the_next_page(testapp, org, dbsession):
    log_in(testapp, "agent")
    assert not any("شبکه بی‌سیم" in title for title in options(testapp.get("/desk/tickets"), "team"))
    dbsession.add(Team(department_id=department(dbsession, "it").id, name="شبکه بی‌سیم", tier=2))
    dbsession.flush()
    assert any("شبکه بی‌سیم" in title for title in options(testapp.get("/desk/tickets"), "team"))


def test_a_rolled_back_change_is_not_remembered(testapp, org, dbsession):
    log_in(testapp, "agent")
    savepoint = dbsession.begin_nested()
    dbsession.add(Team(department_id=department(dbsession, "it").id, name="تیم موقت", tier=3))
    dbsession.flush()
    assert any("تیم موقت" in title for title in options(testapp.get("/desk/tickets"), "team"))
    savepoint.rollback()
    assert not any("تیم موقت" in title for title in options(testapp.get("/desk/tickets"), "team"))


def test_changes_made_elsewhere_show_after_the_remembered_time(testapp, org, dbsession, monkeypatch):
    """Another process's change (here an UPDATE that no flush of this process saw)."""
    log_in(testapp, "agent")
    colleague = user(dbsession, "it.agent2")
    assert colleague.full_name in options(testapp.get("/desk/tickets"), "assignee")
    dbsession.execute(update(User).where(User.id == colleague.id).values(full_name="نام تازه"))
    assert "نام تازه" not in options(testapp.get("/desk/tickets"), "assignee")  # remembered
    monkeypatch.setattr(directory, "REMEMBER_SECONDS", 0)
    assert "نام تازه" in options(testapp.get("/desk/tickets"), "assignee")


def test_an_hr_agent_is_offered_only_hr_departments_teams_and_agents(testapp, org, dbsession):
    log_in(testapp, "agent")
    it_page = testapp.get("/desk/tickets")  # remembered with every department's lists
    log_in(testapp, "hr.desk")
    hr_page = testapp.get("/desk/tickets")
    hr, it = department(dbsession, "hr"), department(dbsession, "it")
    assert options(hr_page, "department") == [hr.name]
    assert all(title.startswith(hr.name) for title in options(hr_page, "team"))
    assert user(dbsession, "agent").full_name in options(it_page, "assignee")
    assert user(dbsession, "agent").full_name not in options(hr_page, "assignee")
    assert it.name not in options(hr_page, "department")
