"""Routing rules and the business calendar of education (its SLA targets are the defaults)."""
from core.contracts import BusinessCalendarSpec, RoutingRule
from plugins.education.department import FRONT_DESK, SPECIALISTS
from plugins.education.services import ENROLMENT_CERTIFICATE

SATURDAY, SUNDAY, MONDAY, TUESDAY, WEDNESDAY = 5, 6, 0, 1, 2
# The front desk closes for lunch and prayer between the two shifts.
OFFICE_DAY = (("08:00", "12:30"), ("13:30", "16:00"))

ROUTING_RULES = [
    RoutingRule("education", FRONT_DESK.name, services=(ENROLMENT_CERTIFICATE.key,), position=10),
    RoutingRule("education", SPECIALISTS.name, keywords=("پایان‌نامه", "رساله", "دفاع",
                                                         "تحصیلات تکمیلی"), position=20),
]

CALENDARS = [
    BusinessCalendarSpec("education", "تقویم کاری معاونت آموزشی",
                         hours={day: OFFICE_DAY for day in (SATURDAY, SUNDAY, MONDAY, TUESDAY, WEDNESDAY)}),
]
