"""Arranging the category tree and editing the synonym list."""
from __future__ import annotations

from sqlalchemy import select

from plugins.kb import synonyms
from plugins.kb.models import Category, SynonymGroup
from tests.plugins.kb.authoring_support import department_id, persian, sign_in, write


def token(page) -> str:
    return page.html.find("input", {"name": "csrf_token"})["value"]


def post(testapp, status=303, **values):
    page = testapp.get("/desk/kb/categories")
    return testapp.post("/desk/kb/categories", {"csrf_token": token(page), **values}, status=status)


def category(dbsession, name: str) -> Category:
    return dbsession.scalar(select(Category).where(Category.name == name))


def test_a_lead_arranges_the_tree_of_their_department(testapp, kb, dbsession, org):
    it = str(department_id(dbsession, "it"))
    lead = sign_in(testapp, "it.lead")
    page = lead.get("/desk/kb/categories")
    assert [section["data-department"] for section in page.html.select("section[data-department]")] == [
        it, str(department_id(dbsession, "it-eng"))]
    post(lead, action="add", department=it, name="شبكه", parent="")
    network = category(dbsession, "شبکه")  # normalized
    post(lead, action="add", department=it, name="وای‌فای", parent=str(network.id))
    wifi = category(dbsession, "وای‌فای")
    assert (wifi.parent_id, wifi.department_id) == (network.id, int(it))

    refused = post(lead, status=400, action="change", id=str(network.id), name="شبکه", parent=str(wifi.id))
    assert persian("A category cannot be placed under itself or under one of its sub-categories.") in refused.text
    refused = post(lead, status=400, action="add", department=it, name="وای‌فای", parent=str(network.id))
    assert persian("There is already a category with this name here.") in refused.text

    post(lead, action="change", id=str(wifi.id), name="اینترنت بی‌سیم", parent="")
    dbsession.refresh(wifi)
    assert (wifi.name, wifi.parent_id) == ("اینترنت بی‌سیم", None)
    post(lead, action="change", id=str(wifi.id), name="اینترنت بی‌سیم", parent=str(network.id))

    refused = post(lead, status=400, action="delete", id=str(network.id))
    assert persian("Move or delete its sub-categories first.") in refused.text
    write(kb, "agent", category_id=wifi.id)
    refused = post(lead, status=400, action="delete", id=str(wifi.id))
    assert persian("${count} articles are in this category; move them first.", count=1) in refused.text


def test_categories_stay_in_their_department(testapp, dbsession, org):
    it, hr = str(department_id(dbsession, "it")), str(department_id(dbsession, "hr"))
    admin = sign_in(testapp, "admin")
    post(admin, action="add", department=hr, name="حقوق", parent="")
    post(admin, action="add", department="", name="عمومی", parent="")
    salaries = category(dbsession, "حقوق")
    assert category(dbsession, "عمومی").department_id is None
    refused = post(admin, status=400, action="add", department=it, name="دستمزد", parent=str(salaries.id))
    assert persian("Choose a category of the same department.") in refused.text
    refused = post(admin, status=400, action="add", department=hr, name="  ", parent="")
    assert persian("Required") in refused.html.find(attrs={"data-testid": "categories-error"}).text
    post(admin, action="delete", id=str(salaries.id))
    assert category(dbsession, "حقوق") is None
    testapp.reset()
    lead = sign_in(testapp, "it.lead")
    assert "عمومی" not in lead.get("/desk/kb/categories").text
    refused = post(lead, status=400, action="add", department=hr, name="x", parent="")
    assert persian("You may not arrange the categories of this department.") in refused.text


def test_agents_do_not_arrange_categories(testapp, org):
    sign_in(testapp, "agent").get("/desk/kb/categories", status=403)


def test_the_editor_offers_the_departments_categories(testapp, kb, dbsession, org):
    admin = sign_in(testapp, "admin")
    post(admin, action="add", department=str(department_id(dbsession, "hr")), name="حقوق", parent="")
    post(admin, action="add", department=str(department_id(dbsession, "it")), name="شبکه", parent="")
    testapp.reset()
    agent = sign_in(testapp, "agent")
    form = agent.get("/desk/kb/new").forms["article-editor"]
    offered = [text for _value, _selected, text in form["category"].options]
    assert "شبکه" in offered and "حقوق" not in offered
    form["title"] = "عنوان"
    form["department"] = str(department_id(dbsession, "it-eng"))  # under IT: IT's categories fit
    form["category"] = str(category(dbsession, "شبکه").id)
    form.submit("save", status=303)


def test_managers_edit_the_synonyms(testapp, dbsession, org):
    manager = sign_in(testapp, "it.manager")
    form = manager.get("/desk/kb/synonyms").forms["synonyms"]
    form["groups"] = "رمز، گذرواژه، پسورد، رمز\nوای‌فای, wifi , واي فاي\nتنها\n"
    page = form.submit("save", status=303).follow()
    assert persian("The synonym list was saved (${count} groups).", count=2) in page.text
    assert synonyms.groups(dbsession) == [["رمز", "گذرواژه", "پسورد"], ["وای‌فای", "wifi", "وای فای"]]
    assert page.forms["synonyms"]["groups"].value == "رمز، گذرواژه، پسورد\nوای‌فای، wifi، وای فای"
    form = page.forms["synonyms"]
    form["groups"] = "الف، ب"
    form.submit("save", status=303)
    assert [group.terms for group in dbsession.scalars(select(SynonymGroup))] == ["الف\nب"]


def test_agents_do_not_edit_the_synonyms(testapp, org):
    sign_in(testapp, "agent").get("/desk/kb/synonyms", status=403)
