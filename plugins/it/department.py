"""The department and its teams, one per tier: front desk (L1), general support (L2), specialists (L3)."""
from core.contracts import DepartmentSpec, TeamSpec

FRONT_DESK = TeamSpec("میز خدمت فناوری اطلاعات", tier=1)
GENERAL_SUPPORT = TeamSpec("پشتیبانی عمومی فناوری اطلاعات", tier=2)
SPECIALISTS = TeamSpec("کارشناسان شبکه و سامانه‌ها", tier=3)

DEPARTMENTS = [
    DepartmentSpec("it", "مرکز فناوری اطلاعات و ارتباطات", parent="university",
                   teams=(FRONT_DESK, GENERAL_SUPPORT, SPECIALISTS)),
    DepartmentSpec("it-eng", "واحد فناوری اطلاعات دانشکده فنی و مهندسی", parent="it"),
]
