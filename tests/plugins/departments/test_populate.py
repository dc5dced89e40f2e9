"""``pishkhan db upgrade`` with the department plugins: their calendars, SLA policies and
knowledge categories are written once, and what administrators change afterwards stays."""
from __future__ import annotations

from sqlalchemy import func, select

from core import demo
from core.models import Department
from plugins.kb.models import Category
from plugins.tickets.models import Calendar, SlaPolicy
from tests.plugins.departments.specs import DEPARTMENT_PLUGINS, answer


def department_ids(dbsession) -> dict[str, int]:
    return dict(dbsession.execute(select(Department.code, Department.id)).all())


def category_paths(dbsession) -> set[tuple[int | None, tuple[str, ...]]]:
    rows = {id_: (name, parent, department) for id_, name, parent, department in dbsession.execute(
        select(Category.id, Category.name, Category.parent_id, Category.department_id))}
    paths = set()
    for name, parent, department in rows.values():
        path = [name]
        while parent is not None:
            path.insert(0, rows[parent][0])
            parent = rows[parent][1]
        paths.add((department, tuple(path)))
    return paths


def test_each_department_gets_its_calendar_with_the_official_holidays(populated):
    ids = department_ids(populated)
    calendars = {calendar.department_id: calendar for calendar in populated.scalars(select(Calendar))}
    for code, plugin in DEPARTMENT_PLUGINS.items():
        [spec] = answer(plugin, "pishkhan_business_calendars")
        calendar = calendars[ids[code]]
        assert calendar.name == spec.name
        [version] = calendar.versions
        assert version.hours == {str(day): [list(interval) for interval in intervals]
                                 for day, intervals in spec.hours.items()}
        assert len(calendar.holidays) > 20  # Iran's official holidays of three years
    assert calendars[ids["facilities"]].versions[0].hours["3"] == [["07:00", "12:00"]]


def test_the_departments_sla_policies_are_written(populated):
    ids = department_ids(populated)
    rows = {(row.department_id, row.service_key, row.priority): (row.response_minutes, row.resolution_minutes)
            for row in populated.scalars(select(SlaPolicy))}
    expected = {(ids[spec.department], spec.service, spec.priority): (spec.response_minutes, spec.resolution_minutes)
                for plugin in DEPARTMENT_PLUGINS.values() for spec in answer(plugin, "pishkhan_sla_policies")}
    assert rows == expected
    assert rows[(ids["it"], "catalog:10842110100", 3)] == (60, 480)


def test_the_knowledge_categories_are_created_by_path(populated):
    ids = department_ids(populated)
    expected = {(ids[spec.department], spec.path)
                for plugin in DEPARTMENT_PLUGINS.values() for spec in answer(plugin, "pishkhan_knowledge_categories")}
    assert expected <= category_paths(populated)
    assert (ids["education"], ("امور آموزشی",)) in category_paths(populated)  # the parents too


def test_upgrading_again_keeps_administrators_changes_and_adds_nothing(populated, pluginmanager, settings):
    ids = department_ids(populated)
    policy = populated.scalar(select(SlaPolicy).where(SlaPolicy.department_id == ids["it"], SlaPolicy.priority == 1))
    policy.response_minutes = 20
    calendar = populated.scalar(select(Calendar).where(Calendar.department_id == ids["education"]))
    calendar.name = "تقویم آموزش (ویرایش مدیر)"
    category = populated.scalar(select(Category).where(Category.name == "انتخاب واحد"))
    category.name = "انتخاب واحد و حذف و اضافه"
    populated.flush()
    counts = [populated.scalar(select(func.count()).select_from(model)) for model in (Calendar, SlaPolicy)]
    demo.populate(populated, pluginmanager, settings, demo=False)
    assert [populated.scalar(select(func.count()).select_from(model)) for model in (Calendar, SlaPolicy)] == counts
    assert policy.response_minutes == 20 and calendar.name == "تقویم آموزش (ویرایش مدیر)"
    names = list(populated.scalars(select(Category.name).where(Category.parent_id == category.parent_id)))
    assert "انتخاب واحد و حذف و اضافه" in names
    assert names.count("انتخاب واحد") == 1  # the declared path is missing again, so it is back once
