"""Request forms of the education services (colander schemas rendered by deform).

Titles and options are Persian data, stored with the ticket as the requester chose them.
"""
from __future__ import annotations

import colander

from core.forms import Digits, NormalizedString, choice, document, jalali_date
from core.i18n import _

REQUIRED = _("This field is required.")
SEMESTERS = ("نیم‌سال اول", "نیم‌سال دوم", "ترم تابستان")


def student_number() -> colander.SchemaNode:
    return colander.SchemaNode(
        Digits(), name="student_number", title="شماره دانشجویی", missing_msg=REQUIRED,
        validator=colander.Regex(r"^\d{8,10}$", msg=_("Enter the student number: 8 to 10 digits.")),
    )


def text(name: str, title: str, description: str = "", missing=colander.required,
         multiline: bool = False) -> colander.SchemaNode:
    return colander.SchemaNode(NormalizedString(multiline=multiline), name=name, title=title,
                               description=description, missing=missing, missing_msg=REQUIRED,
                               validator=colander.Length(max=500, max_err=_("At most ${max} characters.")))


def enrolment_certificate() -> colander.Schema:
    """گواهی اشتغال به تحصیل: to whom it is addressed, in which language, needed by when."""
    schema = colander.Schema()
    schema.add(student_number())
    schema.add(choice("گواهی خطاب به", ("نظام وظیفه", "بانک", "سفارت", "سازمان تأمین اجتماعی",
                                         "بنیاد ملی نخبگان", "سایر"), name="addressed_to"))
    schema.add(text("addressee", "نام سازمان (اگر «سایر» را برگزیدید)", missing=""))
    schema.add(choice("زبان گواهی", ("فارسی", "انگلیسی"), name="language"))
    schema.add(jalali_date("تاریخ مورد نیاز", "گواهی تا این تاریخ آماده تحویل باشد.", name="needed_by"))
    schema.add(document("تصویر کارت دانشجویی", "در صورت نداشتن کارت، تصویر کارت ملی", missing=None,
                        name="student_card"))
    return schema


def course_registration() -> colander.Schema:
    schema = colander.Schema()
    schema.add(student_number())
    schema.add(choice("مشکل انتخاب واحد", ("افزایش ظرفیت", "خطای پیش‌نیاز یا هم‌نیاز", "تداخل ساعت کلاس",
                                       "اخذ درس با مجوز گروه", "حذف اضطراری"), name="kind"))
    schema.add(text("course", "نام درس"))
    schema.add(colander.SchemaNode(Digits(), name="course_code", title="شماره درس (هفت رقمی)", missing="",
                                   validator=colander.Regex(r"^\d{7}$", msg=_("Enter the 7-digit course code."))))
    schema.add(choice("نیم‌سال", SEMESTERS, name="semester"))
    return schema


def transcript() -> colander.Schema:
    schema = colander.Schema()
    schema.add(student_number())
    schema.add(choice("زبان ریزنمرات", ("فارسی", "انگلیسی"), name="language"))
    schema.add(choice("تعداد نسخه", ("1", "2", "3"), name="copies"))
    schema.add(choice("نحوه تحویل", ("حضوری", "پست پیشتاز", "ارسال مستقیم به دانشگاه مقصد"), name="delivery"))
    schema.add(document("فیش پرداخت هزینه", "برای ریزنمرات انگلیسی", missing=None, name="payment_receipt"))
    return schema


def grade_appeal() -> colander.Schema:
    schema = colander.Schema()
    schema.add(student_number())
    schema.add(text("course", "نام درس"))
    schema.add(text("instructor", "نام استاد درس"))
    schema.add(text("reason", "دلیل اعتراض", multiline=True))
    schema.add(document("تأیید کتبی استاد درس", "در صورت اصلاح نمره از سوی استاد", missing=None,
                        name="instructor_letter"))
    return schema


def guest_or_transfer() -> colander.Schema:
    schema = colander.Schema()
    schema.add(student_number())
    schema.add(choice("مهمانی یا انتقال", ("مهمانی", "انتقال"), name="kind"))
    schema.add(text("university", "دانشگاه مقصد"))
    schema.add(choice("نیم‌سال", SEMESTERS, name="semester"))
    schema.add(document("کارنامه کل (ریزنمرات)", name="transcript"))
    schema.add(document("موافقت اولیه دانشگاه مقصد", missing=None, name="host_consent"))
    return schema


def graduation() -> colander.Schema:
    schema = colander.Schema()
    schema.add(student_number())
    schema.add(jalali_date("تاریخ آخرین نمره یا دفاع", name="finished_on"))
    schema.add(choice("مدرک درخواستی", ("گواهی موقت پایان تحصیلات", "دانشنامه", "هر دو"), name="document_kind"))
    schema.add(document("تصویر کارت ملی", name="national_card"))
    return schema


def thesis_defence() -> colander.Schema:
    schema = colander.Schema()
    schema.add(student_number())
    schema.add(text("thesis_title", "عنوان پایان‌نامه یا رساله"))
    schema.add(text("supervisor", "استاد راهنما"))
    schema.add(jalali_date("تاریخ پیشنهادی دفاع", name="defence_on"))
    schema.add(document("فرم تأیید استاد راهنما", name="supervisor_approval"))
    schema.add(document("گزارش همانندجویی (ایرانداک)", name="similarity_report"))
    return schema
