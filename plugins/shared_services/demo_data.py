"""The center's demo data: its front-desk agent in its own team, agreements with the customer
units the demo's requesters belong to and with every specialist team, and unit costs (a year
ago, and raised at the start of this Jalali year, as budgets are).

The demo's tickets reach ``ssc_ticket_facts`` through ``pishkhan_ticket_event`` as the tickets
plugin's demo plays them, so nothing here reads tickets. Idempotent: nothing is added once the
center has an agreement.
"""
from __future__ import annotations

from datetime import date, timedelta

import jdatetime
from sqlalchemy import select

from core.db import utcnow
from core.i18n import to_tehran
from core.models import Department, Team, User
from core.plugins import flatten
from plugins.shared_services.department import CODE, FRONT_DESK
from plugins.shared_services.models import OlaAgreement, SlaAgreement, UnitCost

# customer unit → (share resolved within target, average resolution hours or None)
SLAS = {"education": (90, 72), "finance": (85, None), "hr": (90, 60)}
# customer unit, service title → share within target (a service agreement inside the unit's)
SERVICE_SLAS = {("education", "حساب کاربری و گذرواژه"): 95, ("finance", "فیش حقوقی"): 90}
# tier → (hours, share)
OLAS = {2: (48, 85), 3: (96, 80)}
# department → default unit cost (rials) a year ago; this year's is 25% more
DEFAULT_COSTS = {"it": 1_200_000, "education": 950_000, "finance": 1_500_000, "hr": 1_100_000,
                 "facilities": 1_800_000, CODE: 600_000}
SERVICE_COSTS = {("it", "سخت‌افزار و چاپگر"): 2_400_000, ("it", "حساب کاربری و گذرواژه"): 450_000,
                 ("education", "فارغ‌التحصیلی"): 3_200_000, ("finance", "وام دانشجویی"): 2_700_000,
                 ("facilities", "تعمیرات ساختمان"): 4_500_000}
RAISE = 1.25
DESK_AGENT = "ssc.desk"


def jalali_year_start(day: date, years_back: int = 0) -> date:
    return jdatetime.date(jdatetime.date.fromgregorian(date=day).year - years_back, 1, 1).togregorian()


def populate(dbsession, hook) -> None:
    if dbsession.scalar(select(SlaAgreement.id).limit(1)) is not None:
        return
    now = utcnow()
    today = to_tehran(now).date()
    year_ago = today - timedelta(days=366)
    this_year = jalali_year_start(today)
    departments = {department.code: department for department in dbsession.scalars(select(Department))}
    services = {(service.department_id, service.title): service for service in
                flatten(hook.pishkhan_ticket_services(dbsession=dbsession, department_id=None))}
    join_front_desk(dbsession, departments.get(CODE))
    for code, (share, hours) in SLAS.items():
        if code in departments:
            dbsession.add(SlaAgreement(customer_department_id=departments[code].id, target_percent=share,
                                       resolution_hours=hours, valid_from=year_ago, updated_at=now))
    for (code, title), share in SERVICE_SLAS.items():
        service = next((s for (_id, name), s in services.items() if name == title), None)
        if code in departments and service is not None:
            dbsession.add(SlaAgreement(customer_department_id=departments[code].id, service_key=service.key,
                                       service_title=service.title, target_percent=share, valid_from=this_year,
                                       updated_at=now))
    for team in dbsession.scalars(select(Team).where(Team.tier.in_(list(OLAS)))):
        if team.department_id != departments.get(CODE, Department()).id:
            hours, share = OLAS[team.tier]
            dbsession.add(OlaAgreement(team_id=team.id, target_hours=hours, target_percent=share,
                                       valid_from=year_ago, updated_at=now))
    for code, rials in DEFAULT_COSTS.items():
        if code in departments:
            add_prices(dbsession, departments[code].id, None, "", rials, year_ago, this_year, now)
    for (code, title), rials in SERVICE_COSTS.items():
        service = services.get((departments[code].id, title)) if code in departments else None
        if service is not None:
            add_prices(dbsession, service.department_id, service.key, service.title, rials, year_ago, this_year, now)
    dbsession.flush()


def add_prices(dbsession, department_id: int, service_key: str | None, title: str, rials: int, year_ago: date,
               this_year: date, now) -> None:
    dbsession.add(UnitCost(department_id=department_id, service_key=service_key, service_title=title,
                           cost_rials=rials, valid_from=year_ago, updated_at=now))
    if this_year > year_ago:
        dbsession.add(UnitCost(department_id=department_id, service_key=service_key, service_title=title,
                               cost_rials=round(rials * RAISE / 10_000) * 10_000, valid_from=this_year,
                               updated_at=now))


def join_front_desk(dbsession, center: Department | None) -> None:
    """The demo's service-center agent works at the center's integrated front desk."""
    agent = dbsession.scalar(select(User).where(User.username == DESK_AGENT))
    team = next((team for team in center.teams if team.name == FRONT_DESK.name), None) if center else None
    if agent is not None and team is not None and team not in agent.teams:
        agent.teams.append(team)
