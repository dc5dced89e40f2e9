"""Request forms of the human-resources services (colander schemas rendered by deform).

Titles and options are Persian data, stored with the ticket as the requester chose them.
"""
from __future__ import annotations

import colander

from core.forms import Digits, NormalizedString, choice, document, jalali_date
from core.i18n import _

REQUIRED = _("This field is required.")


def text(name: str, title: str, description: str = "", missing=colander.required,
         multiline: bool = False) -> colander.SchemaNode:
    return colander.SchemaNode(NormalizedString(multiline=multiline), name=name, title=title,
                               description=description, missing=missing, missing_msg=REQUIRED,
                               validator=colander.Length(max=500, max_err=_("At most ${max} characters.")))


def personnel_code() -> colander.SchemaNode:
    return colander.SchemaNode(Digits(), name="personnel_code", title="کد پرسنلی", missing_msg=REQUIRED,
                               validator=colander.Regex(r"^\d{5,8}$",
                                                        msg=_("Enter the personnel code: 5 to 8 digits.")))


def employment_certificate() -> colander.Schema:
    schema = colander.Schema()
    schema.add(personnel_code())
    schema.add(choice("گواهی خطاب به", ("بانک", "سفارت", "دادگستری", "مدرسه یا دانشگاه فرزند", "سایر"),
                      name="addressed_to"))
    schema.add(choice("زبان گواهی", ("فارسی", "انگلیسی"), name="language"))
    schema.add(choice("درج حقوق و مزایا", ("بله", "خیر"), name="with_salary"))
    schema.add(jalali_date("تاریخ مورد نیاز", name="needed_by"))
    return schema


def leave() -> colander.Schema:
    schema = colander.Schema()
    schema.add(personnel_code())
    schema.add(choice("نوع مرخصی", ("استحقاقی روزانه", "استحقاقی ساعتی", "استعلاجی", "بدون حقوق"), name="kind"))
    schema.add(choice("درخواست", ("ثبت یا اصلاح مرخصی", "بررسی مانده مرخصی"), name="topic"))
    schema.add(jalali_date("از تاریخ", name="starts_on"))
    schema.add(jalali_date("تا تاریخ", name="ends_on", missing=None))
    schema.add(document("گواهی پزشک", "برای مرخصی استعلاجی", missing=None, name="medical_certificate"))
    return schema


def supplementary_insurance() -> colander.Schema:
    schema = colander.Schema()
    schema.add(personnel_code())
    schema.add(choice("درخواست", ("پرداخت خسارت", "افزودن یا حذف افراد تحت تکفل", "صدور کارت بیمه"), name="topic"))
    schema.add(text("insured_person", "نام بیمه‌شده", "خودتان یا یکی از افراد تحت تکفل"))
    schema.add(document("صورت‌حساب و مدارک پزشکی", "برای پرداخت خسارت؛ برای افزودن فرد، شناسنامه او",
                        name="documents"))
    return schema


def employment_order() -> colander.Schema:
    schema = colander.Schema()
    schema.add(personnel_code())
    schema.add(choice("درخواست", ("رونوشت حکم سال جاری", "اصلاح پایه یا گروه", "اعمال مدرک تحصیلی جدید"),
                      name="topic"))
    schema.add(text("details", "توضیح", missing="", multiline=True))
    schema.add(document("مدرک پشتیبان", "مثلاً مدرک تحصیلی جدید یا حکم قبلی", missing=None, name="evidence"))
    return schema


def insurance_record() -> colander.Schema:
    schema = colander.Schema()
    schema.add(personnel_code())
    schema.add(choice("صندوق", ("سازمان تأمین اجتماعی", "صندوق بازنشستگی کشوری"), name="fund"))
    schema.add(choice("درخواست", ("انتقال سوابق بیمه", "اصلاح سوابق", "محاسبه سنوات برای بازنشستگی"), name="topic"))
    schema.add(document("سوابق بیمه از سامانه تأمین اجتماعی", missing=None, name="record"))
    return schema
