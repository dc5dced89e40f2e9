"""The administration pages for users, departments and teams, as an administrator sees them.

The administrator reads English here so these checks keep holding when the Persian catalog
translates the messages.
"""

import pytest
from sqlalchemy import func, select

from core.models import Department, Team, User
from core.testing import counted_statements, log_in

VALID_NATIONAL_CODE = "0499370899"
PERSIAN_NATIONAL_CODE = "۰۴۹۹۳۷۰۸۹۹"


@pytest.fixture
def admin_app(testapp, demo_org):
    admin = demo_org.scalar(select(User).where(User.username == "admin"))
    admin.preferred_language = "en"
    demo_org.flush()
    log_in(testapp, "admin")
    return testapp


def field_error(page, name):
    """The message shown beside the field ``name`` (None when there is none)."""
    control = page.html.find(attrs={"name": name})
    item = control.find_parent("div", id=lambda value: value and value.startswith("item-"))
    message = item.find(class_="invalid-feedback")
    return message.text.strip() if message else None


def new_user_form(testapp, **values):
    form = testapp.get("/admin/users/new").forms["deform"]
    fields = {"username": "n.rahimi", "full_name": "نیلوفر رحیمی", "password": "a-long-password", **values}
    for name, value in fields.items():
        form[name] = value
    return form


def flash(page):
    return page.html.find(attrs={"data-testid": "flash"}).text.strip()


def test_admin_creates_a_user_typed_with_an_arabic_keyboard(admin_app, dbsession):
    form = new_user_form(
        admin_app,
        username="K.Yazdani",
        full_name="كيوان يزداني",
        national_code=PERSIAN_NATIONAL_CODE,
        mobile="۰۹۱۲۳۴۵۶۷۸۹",
        email="k.yazdani@example.ir",
        role="agent",
    )
    form["department"].select(text="مرکز فناوری اطلاعات و ارتباطات")
    form.get("checkbox", index=0).checked = True
    listing = form.submit("save", status=303).follow()
    assert flash(listing) == "The account k.yazdani was created."
    user = dbsession.scalar(select(User).where(User.username == "k.yazdani"))
    assert user.full_name == "کیوان یزدانی"
    assert user.national_code == VALID_NATIONAL_CODE
    assert user.mobile == "09123456789"
    assert user.role == "agent"
    assert user.department.code == "it"
    assert len(user.teams) == 1
    assert user.password_hash


def test_wrong_check_digit_is_shown_beside_the_field_and_keeps_what_was_typed(admin_app, dbsession):
    page = new_user_form(admin_app, national_code="0499370898", mobile="09123456789").submit("save", status=400)
    assert field_error(page, "national_code") == "This national code is not valid (check its 10 digits)."
    form = page.forms["deform"]
    assert form["username"].value == "n.rahimi"
    assert form["full_name"].value == "نیلوفر رحیمی"
    assert form["mobile"].value == "09123456789"
    assert dbsession.scalar(select(User).where(User.username == "n.rahimi")) is None


def test_overlong_full_name_is_refused_with_a_message(admin_app):
    page = new_user_form(admin_app, full_name="ن" * 201).submit("save", status=400)
    assert field_error(page, "full_name") == "At most 200 characters."


def test_duplicate_username_is_refused_beside_the_username(admin_app):
    page = new_user_form(admin_app, username=" AGENT").submit("save", status=400)
    assert field_error(page, "username") == "This username is already taken."
    assert page.forms["deform"]["full_name"].value == "نیلوفر رحیمی"


def test_duplicate_national_code_undoes_the_half_made_account(admin_app, dbsession):
    taken = dbsession.scalar(select(User.national_code).where(User.username == "agent"))
    page = new_user_form(admin_app, national_code=taken).submit("save", status=400)
    assert field_error(page, "national_code") == "Another account already has this national code."
    assert dbsession.scalar(select(User).where(User.username == "n.rahimi")) is None


def test_short_password_is_refused_beside_the_password(admin_app):
    page = new_user_form(admin_app, password="short").submit("save", status=400)
    assert field_error(page, "password") == "The password must have at least 8 characters."


@pytest.mark.parametrize("url", ["/admin/users", "/admin/users/new", "/admin/departments", "/admin/teams/new"])
def test_agents_may_not_administer(testapp, demo_org, url):
    log_in(testapp, "agent")
    testapp.get(url, status=403)


def test_editing_without_a_password_keeps_the_old_one(admin_app, dbsession):
    user = dbsession.scalar(select(User).where(User.username == "it.agent2"))
    old_hash = user.password_hash
    form = admin_app.get(f"/admin/users/{user.id}").forms["deform"]
    assert form["password"].value == ""
    form["full_name"] = "نرگس جعفری‌نژاد"
    form["is_active"] = False
    listing = form.submit("save", status=303).follow()
    assert flash(listing) == "The account it.agent2 was saved."
    assert user.password_hash == old_hash
    assert user.full_name == "نرگس جعفری‌نژاد"
    assert user.is_active is False
    assert [team.tier for team in user.teams] == [1]


def test_editing_with_a_password_changes_it(admin_app, dbsession):
    user = dbsession.scalar(select(User).where(User.username == "it.agent2"))
    old_hash = user.password_hash
    form = admin_app.get(f"/admin/users/{user.id}").forms["deform"]
    form["password"] = "another-password"
    form.submit("save", status=303)
    assert user.password_hash != old_hash


def test_admin_cannot_lock_themselves_out(admin_app, dbsession):
    admin = dbsession.scalar(select(User).where(User.username == "admin"))
    form = admin_app.get(f"/admin/users/{admin.id}").forms["deform"]
    form["role"] = "agent"
    page = form.submit("save", status=400)
    assert field_error(page, "role") == "You cannot take away your own administrator access."
    assert admin.role == "admin"


def test_unknown_user_is_not_found(admin_app):
    admin_app.get("/admin/users/999999", status=404)
    admin_app.get("/admin/users/99999999999999999999999", status=404)


def test_users_are_paged_by_id_with_a_next_link(admin_app, dbsession):
    dbsession.add_all(User(username=f"bulk{n:03d}", full_name=f"کاربر {n}") for n in range(60))
    dbsession.flush()
    everyone = dbsession.scalar(select(func.count()).select_from(User))
    pages, response = [], admin_app.get("/admin/users")
    while True:
        pages.append([row["data-user"] for row in response.html.select("[data-testid=users-table] tbody tr")])
        next_link = response.html.find(attrs={"data-testid": "next-page"})
        if next_link is None:
            break
        response = admin_app.get(next_link["href"])
    assert [len(page) for page in pages[:-1]] == [50] * (len(pages) - 1) and 0 < len(pages[-1]) <= 50
    listed = [username for page in pages for username in page]
    assert len(listed) == len(set(listed)) == everyone  # every user once, none twice
    assert listed[-60:] == [f"bulk{n:03d}" for n in range(60)]  # in id order: the newest last


def test_search_finds_people_however_the_digits_and_letters_were_typed(admin_app, dbsession):
    agent = dbsession.scalar(select(User).where(User.username == "agent"))
    by_code = admin_app.get(
        "/admin/users", {"q": agent.national_code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))}
    )
    assert [row["data-user"] for row in by_code.html.select("[data-testid=users-table] tbody tr")] == ["agent"]
    by_name = admin_app.get("/admin/users", {"q": "سارا كريمي"})  # Arabic kaf and yeh
    assert [row["data-user"] for row in by_name.html.select("[data-testid=users-table] tbody tr")] == ["agent"]
    by_mobile = admin_app.get("/admin/users", {"q": "+98" + agent.mobile[1:]})
    assert "agent" in [row["data-user"] for row in by_mobile.html.select("[data-testid=users-table] tbody tr")]
    nobody = admin_app.get("/admin/users", {"q": "%"})
    assert "No user matches." in nobody.text


def test_users_page_queries_do_not_grow_with_the_users(admin_app, dbsession, engine):
    def statements_for_page():
        with counted_statements(engine, dbsession) as statements:
            admin_app.get("/admin/users")
        return len(statements)

    few = statements_for_page()
    dbsession.add_all(User(username=f"many{n:03d}", full_name=f"کاربر {n}") for n in range(40))
    dbsession.flush()
    # Not one more per user (a remembered list refreshed in between may save one on either side).
    assert statements_for_page() <= few + 1


def test_departments_are_listed_as_a_tree(admin_app):
    page = admin_app.get("/admin/departments")
    depths = {row["data-department"]: int(row["data-depth"]) for row in page.html.select("[data-department]")}
    assert depths["university"] == 0
    assert depths["it"] == 1
    assert depths["it-eng"] == 2
    codes = list(depths)
    assert codes.index("it") < codes.index("it-eng")


def test_admin_adds_a_department_under_another(admin_app, dbsession):
    form = admin_app.get("/admin/departments/new").forms["deform"]
    form["code"] = "library"
    form["name"] = "كتابخانه مركزي"
    form["parent"].select(text="دانشگاه علم و فرهنگ")
    listing = form.submit("save", status=303).follow()
    assert flash(listing) == "The department کتابخانه مرکزی was created."
    library = dbsession.scalar(select(Department).where(Department.code == "library"))
    assert library.parent.code == "university"


def test_department_cannot_move_under_its_own_sub_department(admin_app, dbsession):
    it = dbsession.scalar(select(Department).where(Department.code == "it"))
    it_eng = dbsession.scalar(select(Department).where(Department.code == "it-eng"))
    form = admin_app.get(f"/admin/departments/{it.id}").forms["deform"]
    assert str(it_eng.id) not in [value for value, _selected, _text in form["parent"].options]
    form["parent"].force_value(str(it_eng.id))
    page = form.submit("save", status=400)
    assert field_error(page, "parent") == (
        "A department cannot be placed under itself or under one of its sub-departments."
    )
    assert it.parent.code == "university"


def test_department_codes_are_unique(admin_app):
    form = admin_app.get("/admin/departments/new").forms["deform"]
    form["code"] = "it"
    form["name"] = "فناوری"
    page = form.submit("save", status=400)
    assert field_error(page, "code") == "Another department already has this code."


def test_admin_creates_a_team_with_its_tier(admin_app, dbsession):
    form = admin_app.get("/admin/teams/new").forms["deform"]
    form["name"] = "پشتیبانی آزمایشگاه‌ها"
    form["department"].select(text="مرکز فناوری اطلاعات و ارتباطات")
    form["tier"] = "3"
    listing = form.submit("save", status=303).follow()
    assert flash(listing) == "The team پشتیبانی آزمایشگاه‌ها was created."
    team = dbsession.scalar(select(Team).where(Team.name == "پشتیبانی آزمایشگاه‌ها"))
    assert (team.department.code, team.tier) == ("it", 3)
    item = listing.html.find(attrs={"data-team": "پشتیبانی آزمایشگاه‌ها"})
    assert item.find(attrs={"data-tier": "3"}).text.strip() == "L3 · specialists"
    assert item.find_parent("section")["data-department"] == "it"


def test_team_names_are_unique_within_a_department(admin_app):
    form = admin_app.get("/admin/teams/new").forms["deform"]
    form["name"] = "میز خدمت مالی"
    form["department"].select(text="امور مالی")
    page = form.submit("save", status=400)
    assert field_error(page, "name") == "This department already has a team with this name."


def test_administration_home_links_every_section(admin_app):
    page = admin_app.get("/admin")
    links = {link["href"] for link in page.html.select("[data-testid=admin-sections] a")}
    assert links == {f"http://localhost/admin/{name}" for name in ("users", "departments", "teams", "plugins")}
