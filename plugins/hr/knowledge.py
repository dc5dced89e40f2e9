"""The knowledge-base categories of human resources."""
from core.contracts import KnowledgeCategorySpec

PATHS = [
    ("امور کارکنان", "مرخصی"),
    ("امور کارکنان", "حضور و غیاب"),
    ("امور کارکنان", "اضافه‌کار"),
    ("امور کارکنان", "مأموریت"),
    ("امور کارکنان", "حکم کارگزینی"),
    ("امور کارکنان", "گواهی‌ها"),
    ("امور کارکنان", "ورود و خروج کارکنان"),
    ("رفاه و بیمه", "بیمه تکمیلی"),
    ("رفاه و بیمه", "وام"),
    ("رفاه و بیمه", "بازنشستگی"),
    ("آموزش کارکنان", "دوره‌ها"),
]

CATEGORIES = [KnowledgeCategorySpec("hr", path) for path in PATHS]
