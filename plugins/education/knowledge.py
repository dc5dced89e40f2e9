"""The knowledge-base categories of education."""
from core.contracts import KnowledgeCategorySpec

PATHS = [
    ("امور آموزشی", "انتخاب واحد"),
    ("امور آموزشی", "گواهی‌ها"),
    ("امور آموزشی", "کارنامه"),
    ("امور آموزشی", "نمره"),
    ("امور آموزشی", "وضعیت تحصیلی"),
    ("امور آموزشی", "مهمانی و انتقال"),
    ("امور آموزشی", "فارغ‌التحصیلی"),
    ("امور دانشجویی", "کارت دانشجویی"),
    ("امور دانشجویی", "نظام وظیفه"),
    ("تحصیلات تکمیلی", "پایان‌نامه"),
]

CATEGORIES = [KnowledgeCategorySpec("education", path) for path in PATHS]
