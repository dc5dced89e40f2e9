"""The department and its teams, one per tier: front desk (L1), general support (L2), specialists (L3)."""
from core.contracts import DepartmentSpec, TeamSpec

FRONT_DESK = TeamSpec("میز خدمت منابع انسانی", tier=1)
GENERAL_SUPPORT = TeamSpec("کارشناسان امور کارکنان", tier=2)
SPECIALISTS = TeamSpec("کارشناسان رفاه و بیمه", tier=3)

DEPARTMENTS = [
    DepartmentSpec("hr", "مدیریت منابع انسانی", parent="university",
                   teams=(FRONT_DESK, GENERAL_SUPPORT, SPECIALISTS)),
]
