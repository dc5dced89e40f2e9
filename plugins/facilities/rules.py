"""Routing rules, SLA policies and the business calendar of facilities."""
from core.contracts import BusinessCalendarSpec, RoutingRule, SlaPolicySpec
from plugins.facilities.department import GENERAL_SUPPORT, SPECIALISTS
from plugins.facilities.services import HEATING_COOLING

SATURDAY, SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY = 5, 6, 0, 1, 2, 3
WORKSHOP_DAY = (("07:00", "15:00"),)  # the maintenance crews start early

ROUTING_RULES = [
    RoutingRule("facilities", SPECIALISTS.name, keywords=("موتورخانه", "چیلر", "آسانسور", "اتصالی برق"), position=10),
    RoutingRule("facilities", GENERAL_SUPPORT.name, services=(HEATING_COOLING.key,), position=20),
    RoutingRule("facilities", GENERAL_SUPPORT.name, keywords=("چکه", "نشت آب", "ترکیدگی", "قطع برق"), position=30),
]

# A burst pipe or a stuck lift cannot wait for the organization's default P1 and P2 targets.
SLA_POLICIES = [
    SlaPolicySpec("facilities", 1, response_minutes=15, resolution_minutes=2 * 60),
    SlaPolicySpec("facilities", 2, response_minutes=30, resolution_minutes=6 * 60),
]

CALENDARS = [
    BusinessCalendarSpec("facilities", "تقویم کاری پشتیبانی و تأسیسات",
                         hours={**{day: WORKSHOP_DAY for day in (SATURDAY, SUNDAY, MONDAY, TUESDAY, WEDNESDAY)},
                                THURSDAY: (("07:00", "12:00"),)}),
]
