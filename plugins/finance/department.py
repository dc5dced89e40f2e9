"""The department and its teams, one per tier: front desk (L1), general support (L2), specialists (L3)."""
from core.contracts import DepartmentSpec, TeamSpec

FRONT_DESK = TeamSpec("میز خدمت مالی", tier=1)
GENERAL_SUPPORT = TeamSpec("کارشناسان حسابداری", tier=2)
SPECIALISTS = TeamSpec("کارشناسان حقوق و دستمزد", tier=3)

DEPARTMENTS = [
    DepartmentSpec("finance", "امور مالی", parent="university",
                   teams=(FRONT_DESK, GENERAL_SUPPORT, SPECIALISTS)),
]
