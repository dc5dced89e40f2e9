"""Routing rules, SLA policies and the business calendar of IT."""
from core.contracts import BusinessCalendarSpec, RoutingRule, SlaPolicySpec
from plugins.it.department import GENERAL_SUPPORT, SPECIALISTS
from plugins.it.services import NETWORK_SUPPORT, PASSWORD_RESET

SATURDAY, SUNDAY, MONDAY, TUESDAY, WEDNESDAY = 5, 6, 0, 1, 2
OFFICE_DAY = (("08:00", "16:00"),)

ROUTING_RULES = [
    # An outage of a building or more goes straight to the network specialists.
    RoutingRule("it", SPECIALISTS.name, keywords=("قطعی اینترنت", "قطعی شبکه", "سرور", "VPN"), position=10),
    RoutingRule("it", GENERAL_SUPPORT.name, services=(NETWORK_SUPPORT.key,), keywords=("کندی", "کند"), position=20),
    RoutingRule("it", GENERAL_SUPPORT.name, keywords=("چاپگر", "پرینتر", "کارتریج", "روشن نمی‌شود"), position=30),
]

# IT answers faster than the organization's defaults for the first two priorities (the network
# and the central systems are everyone's), and a password is reset within the same working day.
SLA_POLICIES = [
    SlaPolicySpec("it", 1, response_minutes=15, resolution_minutes=2 * 60),
    SlaPolicySpec("it", 2, response_minutes=30, resolution_minutes=4 * 60),
    *(SlaPolicySpec("it", priority, response_minutes=60, resolution_minutes=8 * 60, service=PASSWORD_RESET.key)
      for priority in (3, 4)),
]

CALENDARS = [
    BusinessCalendarSpec("it", "تقویم کاری مرکز فناوری اطلاعات",
                         hours={day: OFFICE_DAY for day in (SATURDAY, SUNDAY, MONDAY, TUESDAY, WEDNESDAY)}),
]
