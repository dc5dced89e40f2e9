"""Request forms of the facilities services (colander schemas rendered by deform).

Titles and options are Persian data, stored with the ticket as the requester chose them.
"""
from __future__ import annotations

import colander

from core.forms import Digits, NormalizedString, choice, document, jalali_date
from core.i18n import _

REQUIRED = _("This field is required.")
BUILDINGS = ("ساختمان مرکزی", "ساختمان معاونت آموزشی", "دانشکده فنی و مهندسی", "دانشکده علوم پایه",
             "دانشکده علوم انسانی", "دانشکده هنر و معماری", "کتابخانه مرکزی", "سلف مرکزی",
             "خوابگاه پسران شماره ۲", "خوابگاه دختران کوثر")
HALLS = ("تالار اندیشه", "سالن همایش‌های دانشکده فنی", "آمفی‌تئاتر مرکزی", "سالن جلسات معاونت")


def text(name: str, title: str, description: str = "", missing=colander.required,
         multiline: bool = False) -> colander.SchemaNode:
    return colander.SchemaNode(NormalizedString(multiline=multiline), name=name, title=title,
                               description=description, missing=missing, missing_msg=REQUIRED,
                               validator=colander.Length(max=500, max_err=_("At most ${max} characters.")))


def place() -> list[colander.SchemaNode]:
    return [choice("ساختمان", BUILDINGS, name="building"), text("room", "طبقه، اتاق یا محل دقیق")]


def repair() -> colander.Schema:
    schema = colander.Schema()
    for node in place():
        schema.add(node)
    schema.add(choice("نوع خرابی", ("آب و فاضلاب", "برق و روشنایی", "در و پنجره و قفل", "سقف و دیوار", "آسانسور",
                                    "سایر"), name="kind"))
    schema.add(document("عکس محل خرابی", missing=None, name="photo"))
    return schema


def heating_cooling() -> colander.Schema:
    schema = colander.Schema()
    for node in place():
        schema.add(node)
    schema.add(choice("مشکل", ("سرد بودن (شوفاژ یا موتورخانه)", "گرم بودن (کولر یا چیلر)", "صدا یا نشتی دستگاه"),
                      name="problem"))
    return schema


def hall_booking() -> colander.Schema:
    schema = colander.Schema()
    schema.add(choice("سالن", HALLS, name="hall"))
    schema.add(text("event", "عنوان برنامه"))
    schema.add(jalali_date("تاریخ برگزاری", name="held_on"))
    schema.add(colander.SchemaNode(NormalizedString(), name="hours", title="ساعت شروع و پایان", missing_msg=REQUIRED,
                                   description="مثلاً ۱۰:۰۰ تا ۱۲:۳۰",
                                   validator=colander.Regex(r"^\d{1,2}:\d{2}\s*(تا|-)\s*\d{1,2}:\d{2}$",
                                                            msg=_("Write the hours as 10:00 تا 12:30."))))
    schema.add(colander.SchemaNode(Digits(), name="attendees", title="تعداد شرکت‌کنندگان", missing_msg=REQUIRED,
                                   validator=colander.Regex(r"^\d{1,4}$", msg=_("Enter a number."))))
    schema.add(choice("تجهیزات صوتی و تصویری", ("لازم است", "لازم نیست"), name="equipment"))
    schema.add(document("نامه درخواست واحد", missing=None, name="letter"))
    return schema


def cleaning() -> colander.Schema:
    schema = colander.Schema()
    for node in place():
        schema.add(node)
    schema.add(choice("نوع خدمت", ("نظافت فوری", "نظافت پس از برنامه یا جابه‌جایی", "جمع‌آوری پسماند"),
                      name="kind"))
    return schema


def parking_permit() -> colander.Schema:
    schema = colander.Schema()
    schema.add(text("plate", "شماره پلاک خودرو", "مثلاً ۱۲ ب ۳۴۵ ایران ۶۷"))
    schema.add(choice("درخواست‌کننده", ("عضو هیئت علمی", "کارمند", "دانشجوی تحصیلات تکمیلی"), name="holder"))
    schema.add(document("کارت خودرو", name="vehicle_card"))
    return schema
