"""Routing rules and the business calendar of human resources (its SLA targets are the defaults)."""
from core.contracts import BusinessCalendarSpec, RoutingRule
from plugins.hr.department import SPECIALISTS

SATURDAY, SUNDAY, MONDAY, TUESDAY, WEDNESDAY = 5, 6, 0, 1, 2
OFFICE_DAY = (("08:00", "16:00"),)

ROUTING_RULES = [
    RoutingRule("hr", SPECIALISTS.name, keywords=("بیمه", "بازنشستگی", "خسارت درمان", "وام رفاهی"), position=10),
]

CALENDARS = [
    BusinessCalendarSpec("hr", "تقویم کاری منابع انسانی",
                         hours={day: OFFICE_DAY for day in (SATURDAY, SUNDAY, MONDAY, TUESDAY, WEDNESDAY)}),
]
