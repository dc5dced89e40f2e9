"""The department, its teams, its SLA policies and its working week: plain data."""
from core.contracts import BusinessCalendarSpec, DepartmentSpec, KnowledgeCategorySpec, SlaPolicySpec, TeamSpec

CODE = "legal"

FRONT_DESK = TeamSpec("میز خدمت حقوقی", tier=1)
LAWYERS = TeamSpec("کارشناسان حقوقی", tier=3)

DEPARTMENTS = [
    DepartmentSpec(CODE, "امور حقوقی", parent="university", teams=(FRONT_DESK, LAWYERS)),
]

WORKING_DAY = 7 * 60  # business minutes in a day of OFFICE_HOURS

# priority (1 critical … 4 low): response and resolution targets in business minutes
SLA_POLICIES = [
    SlaPolicySpec(CODE, 1, response_minutes=60, resolution_minutes=2 * WORKING_DAY),
    SlaPolicySpec(CODE, 2, response_minutes=4 * 60, resolution_minutes=5 * WORKING_DAY),
    SlaPolicySpec(CODE, 3, response_minutes=WORKING_DAY, resolution_minutes=10 * WORKING_DAY),
    SlaPolicySpec(CODE, 4, response_minutes=2 * WORKING_DAY, resolution_minutes=20 * WORKING_DAY),
]

# Saturday to Wednesday, government office hours (weekdays are numbered Monday 0 … Sunday 6).
OFFICE_HOURS = (("07:30", "14:30"),)
CALENDARS = [
    BusinessCalendarSpec(CODE, "تقویم کاری امور حقوقی",
                         hours={day: OFFICE_HOURS for day in (5, 6, 0, 1, 2)}),
]

KNOWLEDGE_CATEGORIES = [
    KnowledgeCategorySpec(CODE, ("قراردادها",)),
    KnowledgeCategorySpec(CODE, ("قراردادها", "تنظیم و بررسی")),
    KnowledgeCategorySpec(CODE, ("دعاوی و شکایات",)),
]
