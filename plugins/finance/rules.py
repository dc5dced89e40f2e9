"""Routing rules, SLA policies and the business calendar of finance."""
from core.contracts import BusinessCalendarSpec, RoutingRule, SlaPolicySpec
from plugins.finance.department import SPECIALISTS
from plugins.finance.services import PAYSLIP

SATURDAY, SUNDAY, MONDAY, TUESDAY, WEDNESDAY = 5, 6, 0, 1, 2
OFFICE_DAY = (("08:00", "16:00"),)

ROUTING_RULES = [
    RoutingRule("finance", SPECIALISTS.name, services=(PAYSLIP.key,), position=10),
    RoutingRule("finance", SPECIALISTS.name, keywords=("فیش حقوقی", "اضافه‌کار", "حق‌التدریس"), position=20),
]

# Most finance requests wait on documents and the payment cycle: the routine priorities get
# twice the organization's default time (P3 4 h/24 h, P4 8 h/40 h).
SLA_POLICIES = [
    SlaPolicySpec("finance", 3, response_minutes=8 * 60, resolution_minutes=40 * 60),
    SlaPolicySpec("finance", 4, response_minutes=16 * 60, resolution_minutes=80 * 60),
]

CALENDARS = [
    BusinessCalendarSpec("finance", "تقویم کاری امور مالی",
                         hours={day: OFFICE_DAY for day in (SATURDAY, SUNDAY, MONDAY, TUESDAY, WEDNESDAY)}),
]
