"""The department and its teams, one per tier: front desk (L1), general support (L2), specialists (L3)."""
from core.contracts import DepartmentSpec, TeamSpec

FRONT_DESK = TeamSpec("میز خدمت پشتیبانی", tier=1)
GENERAL_SUPPORT = TeamSpec("تأسیسات و نگهداری", tier=2)
SPECIALISTS = TeamSpec("کارشناسان فنی ساختمان", tier=3)

DEPARTMENTS = [
    DepartmentSpec("facilities", "پشتیبانی و تأسیسات", parent="university",
                   teams=(FRONT_DESK, GENERAL_SUPPORT, SPECIALISTS)),
]
