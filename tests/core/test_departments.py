"""Departments and teams come from plugins (``pishkhan_departments``) and never overwrite edits."""
from __future__ import annotations

from sqlalchemy import func, select

from core.contracts import DepartmentSpec, TeamSpec
from core.departments import sync_departments
from core.models import Department, Team

LEGAL = DepartmentSpec("legal", "امور حقوقی", parent="university",
                       teams=(TeamSpec("میز خدمت حقوقی", tier=1), TeamSpec("کارشناسان حقوقی", tier=3)))
CONTRACTS = DepartmentSpec("legal-contracts", "دفتر قراردادها", parent="legal")


def department(dbsession, code):
    return dbsession.scalar(select(Department).where(Department.code == code))


def test_a_plugin_department_is_created_with_its_teams_children_after_parents(dbsession):
    sync_departments(dbsession, [CONTRACTS, LEGAL])
    legal = department(dbsession, "legal")
    assert legal.name == "امور حقوقی" and legal.parent is None  # no organization above it yet
    assert {(team.name, team.tier) for team in legal.teams} == {("میز خدمت حقوقی", 1), ("کارشناسان حقوقی", 3)}
    assert department(dbsession, "legal-contracts").parent is legal


def test_syncing_again_keeps_administrators_edits_and_adds_only_what_is_missing(dbsession):
    sync_departments(dbsession, [LEGAL])
    legal = department(dbsession, "legal")
    legal.name = "اداره کل امور حقوقی"
    legal.teams[0].name = "پیشخوان حقوقی"
    dbsession.flush()
    sync_departments(dbsession, [LEGAL])
    assert department(dbsession, "legal").name == "اداره کل امور حقوقی"
    names = set(dbsession.scalars(select(Team.name).where(Team.department_id == legal.id)))
    assert names == {"پیشخوان حقوقی", "میز خدمت حقوقی", "کارشناسان حقوقی"}  # the spec's team came back


def test_a_department_is_attached_to_its_parent_once_the_parent_exists(dbsession):
    sync_departments(dbsession, [LEGAL])
    university = Department(code="university", name="دانشگاه علم و فرهنگ")
    dbsession.add(university)
    dbsession.flush()
    sync_departments(dbsession, [LEGAL])
    assert department(dbsession, "legal").parent is university


def test_the_demo_organization_holds_the_installed_plugins_departments(demo_org):
    codes = set(demo_org.scalars(select(Department.code)))
    assert {"university", "ssc", "it", "it-eng", "education", "finance", "hr", "facilities"} <= codes
    education = department(demo_org, "education")
    assert education.parent.code == "university"
    assert sorted(team.tier for team in education.teams) == [1, 2, 3]


def test_the_demo_staffs_the_teams_of_a_department_its_people_do_not_know(dbsession):
    from core.demo import PEOPLE, load_demo_organization
    from core.models import User
    from core.testing import installed_department_specs

    load_demo_organization(dbsession, [*installed_department_specs(), LEGAL])
    legal = department(dbsession, "legal")
    staff = {user.username: [team.name for team in user.teams]
             for user in dbsession.scalars(select(User).where(User.department_id == legal.id))}
    assert staff == {"legal.t1": ["میز خدمت حقوقی"], "legal.t3": ["کارشناسان حقوقی"]}
    assert dbsession.scalar(select(func.count()).select_from(User)) == len(PEOPLE) + 2


def test_a_department_given_as_data_answers_the_department_hooks_and_is_listed_by_its_module(app_settings):
    from core.department_plugin import DepartmentPlugin
    from core.testing import new_plugin_manager

    pluginmanager = new_plugin_manager(app_settings)
    pluginmanager.register_plugin(DepartmentPlugin("pishkhan_legal", departments=(LEGAL,)), name="legal")
    assert pluginmanager.hook.pishkhan_departments() == [[LEGAL]]
    assert pluginmanager.hook.pishkhan_catalog_services() == [[]]
    [info] = [info for info in pluginmanager.plugin_infos() if info.name == "legal"]
    assert info.module == "pishkhan_legal" and "pishkhan_routing_rules" in info.hooks
