"""The department and its teams, one per tier: front desk (L1), general support (L2), specialists (L3)."""
from core.contracts import DepartmentSpec, TeamSpec

FRONT_DESK = TeamSpec("میز خدمت آموزش", tier=1)
GENERAL_SUPPORT = TeamSpec("کارشناسان امور آموزشی", tier=2)
SPECIALISTS = TeamSpec("کارشناسان تحصیلات تکمیلی", tier=3)

DEPARTMENTS = [
    DepartmentSpec("education", "معاونت آموزشی و امور دانشجویی", parent="university",
                   teams=(FRONT_DESK, GENERAL_SUPPORT, SPECIALISTS)),
]
