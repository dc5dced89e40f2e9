"""The knowledge-base categories of facilities."""
from core.contracts import KnowledgeCategorySpec

PATHS = [
    ("تأسیسات", "تعمیرات"),
    ("تأسیسات", "سرمایش و گرمایش"),
    ("تأسیسات", "آسانسور"),
    ("تأسیسات", "حوادث"),
    ("خدمات عمومی", "نظافت"),
    ("خدمات عمومی", "جابه‌جایی"),
    ("خدمات عمومی", "پارکینگ"),
    ("خدمات عمومی", "کلید و کارت ورود"),
    ("خوابگاه", "تعمیرات"),
    ("فضا و سالن", "رزرو"),
]

CATEGORIES = [KnowledgeCategorySpec("facilities", path) for path in PATHS]
