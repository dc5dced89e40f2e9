"""The shared service center as a department: its integrated front desk (L1), which takes
requests for every department, and its governance and quality team, which watches the
agreements and the costs."""
from core.contracts import DepartmentSpec, TeamSpec

CODE = "ssc"
FRONT_DESK = TeamSpec("میز خدمت یکپارچه", tier=1)
GOVERNANCE = TeamSpec("حاکمیت و کیفیت خدمات", tier=2)

DEPARTMENT = DepartmentSpec(CODE, "مرکز خدمات مشترک", parent="university", teams=(FRONT_DESK, GOVERNANCE))
