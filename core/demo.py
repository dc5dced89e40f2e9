"""Seed and demo data: a realistic Persian university, then every plugin's populate hook."""
from __future__ import annotations

from sqlalchemy import select

from core import accounts
from core.auth import hash_password
from core.models import Department, Role, Team, Tier, User

DEMO_PASSWORD = "pishkhan123"

# code, name, parent code
DEPARTMENTS = [
    ("university", "دانشگاه علم و فرهنگ", None),
    ("ssc", "مرکز خدمات مشترک", "university"),
    ("it", "مرکز فناوری اطلاعات و ارتباطات", "university"),
    ("it-eng", "واحد فناوری اطلاعات دانشکده فنی و مهندسی", "it"),
    ("education", "معاونت آموزشی و امور دانشجویی", "university"),
    ("finance", "امور مالی", "university"),
    ("hr", "مدیریت منابع انسانی", "university"),
    ("facilities", "پشتیبانی و تأسیسات", "university"),
]

# department code → (L1, L2, L3) team names
TEAMS = {
    "it": ("میز خدمت فناوری اطلاعات", "پشتیبانی عمومی فناوری اطلاعات", "کارشناسان شبکه و سامانه‌ها"),
    "education": ("میز خدمت آموزش", "کارشناسان امور آموزشی", "کارشناسان تحصیلات تکمیلی"),
    "finance": ("میز خدمت مالی", "کارشناسان حسابداری", "کارشناسان حقوق و دستمزد"),
    "hr": ("میز خدمت منابع انسانی", "کارشناسان امور کارکنان", "کارشناسان رفاه و بیمه"),
    "facilities": ("میز خدمت پشتیبانی", "تأسیسات و نگهداری", "کارشناسان فنی ساختمان"),
}

# username, full name, role, department code, team (department code, tier) or None
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


def national_code_for(seed: int) -> str:
    """A valid national code for demo person ``seed`` (the check digit computed, not random)."""
    body = f"{(seed * 7919 + 1234567) % 10 ** 9:09d}"
    remainder = sum(int(body[i]) * (10 - i) for i in range(9)) % 11
    return body + str(remainder if remainder < 2 else 11 - remainder)


def populate(dbsession, pluginmanager, settings, demo: bool) -> None:
    """Core data first, then each plugin's ``pishkhan_populate``. Safe to run twice."""
    if demo:
        load_demo_organization(dbsession)
    pluginmanager.hook.pishkhan_populate(dbsession=dbsession, settings=settings, demo=demo,
                                         pluginmanager=pluginmanager)


def load_demo_organization(dbsession) -> None:
    if dbsession.scalar(select(Department.id).where(Department.code == "university")) is not None:
        return
    departments: dict[str, Department] = {}
    for code, name, parent in DEPARTMENTS:
        departments[code] = Department(code=code, name=name, parent=departments.get(parent))
        dbsession.add(departments[code])
    teams: dict[tuple[str, int], Team] = {}
    for code, names in TEAMS.items():
        for tier, name in zip(Tier, names, strict=True):
            teams[(code, tier.value)] = Team(department=departments[code], name=name, tier=tier.value)
            dbsession.add(teams[(code, tier.value)])
    dbsession.flush()
    password_hash = hash_password(DEMO_PASSWORD)  # hashed once: argon2 is slow on purpose
    for seed, (username, full_name, role, department, team) in enumerate(PEOPLE, start=1):
        user: User = accounts.create_user(
            dbsession,
            username=username,
            full_name=full_name,
            role=role.value,
            department=departments[department],
            national_code=national_code_for(seed),
            mobile=f"0912{seed * 104729 % 10 ** 7:07d}",
            email=f"{username.replace('.', '_')}@demo.pishkhan.ir",
        )
        user.password_hash = password_hash
        if team is not None:
            user.teams.append(teams[team])
    dbsession.flush()
