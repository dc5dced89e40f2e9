"""The knowledge-base categories of finance."""
from core.contracts import KnowledgeCategorySpec

PATHS = [
    ("امور مالی دانشجویی", "شهریه"),
    ("امور مالی دانشجویی", "وام"),
    ("امور مالی دانشجویی", "پرداخت"),
    ("حقوق و دستمزد", "فیش حقوقی"),
    ("حقوق و دستمزد", "حق‌التدریس"),
    ("حقوق و دستمزد", "گواهی‌ها"),
    ("هزینه‌ها", "مأموریت"),
    ("هزینه‌ها", "تنخواه"),
    ("پرداخت به تأمین‌کنندگان", "فاکتور"),
]

CATEGORIES = [KnowledgeCategorySpec("finance", path) for path in PATHS]
