"""Seed and demo data: the plugins' departments, a realistic Persian university around them,
then every plugin's populate hook."""
from __future__ import annotations

from sqlalchemy import select

from core import accounts
from core.auth import hash_password
from core.contracts import DepartmentSpec
from core.departments import department_specs, sync_departments
from core.models import Department, Role, Team, User

DEMO_PASSWORD = "pishkhan123"

# The demo organization above the departments that plugins bring (``pishkhan_departments``).
ORGANIZATION = ("university", "دانشگاه علم و فرهنگ")

# username, full name, role, department code, team (department code, tier) or None; people of a
# department whose plugin is not installed belong to the organization itself, in no team
PEOPLE = [
    ("admin", "مریم احمدی", Role.admin, "it", None),
    ("director", "دکتر علیرضا موسوی", Role.director, "ssc", None),
    ("agent", "سارا کریمی", Role.agent, "it", ("it", 1)),
    ("it.lead", "حمید رضایی", Role.team_lead, "it", ("it", 2)),
    ("it.manager", "مهندس رضا حسینی", Role.department_manager, "it", None),
    ("it.agent2", "نرگس جعفری", Role.agent, "it", ("it", 1)),
    ("it.support", "امیرحسین قاسمی", Role.agent, "it", ("it", 2)),
    ("it.network", "محمدجواد صادقی", Role.agent, "it", ("it", 3)),
    ("it.eng", "فاطمه نوری", Role.agent, "it-eng", ("it", 2)),
    ("edu.desk", "زهرا محمدی", Role.agent, "education", ("education", 1)),
    ("edu.lead", "مهدی عباسی", Role.team_lead, "education", ("education", 2)),
    ("edu.manager", "دکتر پروین شریفی", Role.department_manager, "education", None),
    ("edu.grad", "سعید ملکی", Role.agent, "education", ("education", 3)),
    ("fin.desk", "لیلا حیدری", Role.agent, "finance", ("finance", 1)),
    ("fin.lead", "کامران یوسفی", Role.team_lead, "finance", ("finance", 2)),
    ("fin.manager", "منصور اکبری", Role.department_manager, "finance", None),
    ("fin.payroll", "شیرین رحیمی", Role.agent, "finance", ("finance", 3)),
    ("hr.desk", "الهام کاظمی", Role.agent, "hr", ("hr", 1)),
    ("hr.lead", "بهرام نجفی", Role.team_lead, "hr", ("hr", 2)),
    ("hr.manager", "فرشته سلطانی", Role.department_manager, "hr", None),
    ("hr.welfare", "جواد مرادی", Role.agent, "hr", ("hr", 3)),
    ("fac.desk", "حسن زارعی", Role.agent, "facilities", ("facilities", 1)),
    ("fac.lead", "ابراهیم کامرانی", Role.team_lead, "facilities", ("facilities", 2)),
    ("fac.manager", "مجید طاهری", Role.department_manager, "facilities", None),
    ("fac.tech", "یوسف باقری", Role.agent, "facilities", ("facilities", 3)),
    ("ssc.desk", "نگار فرهادی", Role.agent, "ssc", ("it", 1)),
    ("student", "علی رستمی", Role.requester, "education", None),
    ("student2", "ریحانه امیری", Role.requester, "education", None),
    ("student3", "پارسا شجاعی", Role.requester, "education", None),
    ("student4", "مائده کیانی", Role.requester, "education", None),
    ("staff", "محسن توکلی", Role.requester, "finance", None),
    ("staff2", "سمیه اسدی", Role.requester, "hr", None),
    ("professor", "دکتر کیوان فاضلی", Role.requester, "education", None),
]

# More requester accounts, so that the year of demo requests comes from a crowd, not seven people:
# students and professors of the education department, staff of the others.
MORE_REQUESTERS = [
    ("student5", "امیر نادری", "education"), ("student6", "نازنین صدری", "education"),
    ("student7", "محمدرضا اصفهانی", "education"), ("student8", "کیمیا رضوانی", "education"),
    ("student9", "عرفان بهرامی", "education"), ("student10", "فاطمه‌زهرا حسنی", "education"),
    ("student11", "سجاد نوروزی", "education"), ("student12", "یگانه میرزایی", "education"),
    ("student13", "حسین فتحی", "education"), ("student14", "مریم سادات هاشمی", "education"),
    ("professor2", "دکتر ناصر قربانی", "education"), ("professor3", "دکتر شهلا وکیلی", "education"),
    ("staff3", "رامین افشار", "finance"), ("staff4", "پریسا خسروی", "hr"),
    ("staff5", "علی‌اکبر جهانگیری", "it"), ("staff6", "مهسا طالبی", "facilities"),
    ("staff7", "داوود شکوهی", "finance"), ("staff8", "سحر منصوری", "hr"),
]
PEOPLE += [(username, full_name, Role.requester, department, None)
           for username, full_name, department in MORE_REQUESTERS]


# The staff of departments the list above does not know (a department plugin installed beside
# the built-in ones): one agent per team, so the demo has people to handle its requests.
STAFF_NAMES = ["رضا کاظمی", "مینا صالحی", "بهزاد عسگری", "ترانه یزدانی", "کوروش مختاری", "شیوا رنجبر",
               "فرهاد نیک‌نام", "هانیه ستوده"]


def national_code_for(seed: int) -> str:
    """A valid national code for demo person ``seed`` (the check digit computed, not random)."""
    body = f"{(seed * 7919 + 1234567) % 10 ** 9:09d}"
    remainder = sum(int(body[i]) * (10 - i) for i in range(9)) % 11
    return body + str(remainder if remainder < 2 else 11 - remainder)


def populate(dbsession, pluginmanager, settings, demo: bool) -> None:
    """Departments first, then (for the demo) the people, then each plugin's
    ``pishkhan_populate``. Safe to run twice."""
    specs = department_specs(pluginmanager)
    sync_departments(dbsession, specs)
    if demo:
        load_demo_organization(dbsession, specs)
    pluginmanager.hook.pishkhan_populate(dbsession=dbsession, settings=settings, demo=demo,
                                         pluginmanager=pluginmanager)


def load_demo_organization(dbsession, specs: list[DepartmentSpec]) -> None:
    """The demo university, the departments of ``specs`` under it, and its people."""
    code, name = ORGANIZATION
    if dbsession.scalar(select(Department.id).where(Department.code == code)) is not None:
        return
    dbsession.add(Department(code=code, name=name))
    dbsession.flush()
    sync_departments(dbsession, specs)
    departments = {department.code: department for department in dbsession.scalars(select(Department))}
    teams = {(team.department.code, team.tier): team
             for team in dbsession.scalars(select(Team).order_by(Team.id.desc()))}  # the first team of a tier wins
    password_hash = hash_password(DEMO_PASSWORD)  # hashed once: argon2 is slow on purpose
    for seed, (username, full_name, role, department, team) in enumerate(PEOPLE, start=1):
        user: User = accounts.create_user(
            dbsession,
            username=username,
            full_name=full_name,
            role=role.value,
            department=departments.get(department, departments[code]),
            national_code=national_code_for(seed),
            mobile=f"0912{seed * 104729 % 10 ** 7:07d}",
            email=f"{username.replace('.', '_')}@demo.pishkhan.ir",
        )
        user.password_hash = password_hash
        if team in teams:
            user.teams.append(teams[team])
    staff_other_departments(dbsession, password_hash, first_seed=len(PEOPLE) + 1)
    dbsession.flush()


def staff_other_departments(dbsession, password_hash: str, first_seed: int) -> None:
    """An agent (``<code>.t<tier>``) in each team of the departments no demo person belongs to."""
    known = {department for _username, _name, _role, department, _team in PEOPLE}
    teams = dbsession.scalars(select(Team).join(Department).where(Department.code.not_in(known))
                              .order_by(Department.code, Team.tier, Team.id)).all()
    for seed, team in enumerate(teams, start=first_seed):
        username = f"{team.department.code}.t{team.tier}"
        if dbsession.scalar(select(User.id).where(User.username == username)) is not None:
            continue
        user = accounts.create_user(
            dbsession, username=username, full_name=STAFF_NAMES[seed % len(STAFF_NAMES)], role=Role.agent.value,
            department=team.department, national_code=national_code_for(seed),
            mobile=f"0912{seed * 104729 % 10 ** 7:07d}", email=f"{username.replace('.', '_')}@demo.pishkhan.ir")
        user.password_hash = password_hash
        user.teams.append(team)
