"""Request forms of the IT services (colander schemas rendered by deform).

Titles and options are Persian data, stored with the ticket as the requester chose them.
"""
from __future__ import annotations

import colander

from core.forms import Digits, NormalizedString, choice, document, jalali_date
from core.i18n import _

REQUIRED = _("This field is required.")
SYSTEMS = ("سامانه جامع دانشگاهی", "سامانه آموزشی گلستان", "پست الکترونیک دانشگاه", "سامانه آموزش مجازی (LMS)",
           "اتوماسیون اداری", "سامانه حضور و غیاب", "سامانه تغذیه")
BUILDINGS = ("ساختمان مرکزی", "ساختمان معاونت آموزشی", "دانشکده فنی و مهندسی", "دانشکده علوم پایه",
             "دانشکده علوم انسانی", "دانشکده هنر و معماری", "کتابخانه مرکزی", "خوابگاه‌ها", "سایر")


def text(name: str, title: str, description: str = "", missing=colander.required,
         multiline: bool = False) -> colander.SchemaNode:
    return colander.SchemaNode(NormalizedString(multiline=multiline), name=name, title=title,
                               description=description, missing=missing, missing_msg=REQUIRED,
                               validator=colander.Length(max=500, max_err=_("At most ${max} characters.")))


def number(name: str, title: str, pattern: str, message, missing=colander.required) -> colander.SchemaNode:
    """Digits typed in any script, checked against ``pattern``."""
    return colander.SchemaNode(Digits(), name=name, title=title, missing=missing, missing_msg=REQUIRED,
                               validator=colander.Regex(pattern, msg=message))


def user_number() -> colander.SchemaNode:
    return number("user_number", "شماره دانشجویی یا کد پرسنلی", r"^\d{5,10}$",
                  _("Enter the student number or personnel code: 5 to 10 digits."))


def asset_number(title: str, missing=colander.required) -> colander.SchemaNode:
    return number("asset_number", title, r"^\d{4,8}$", _("Enter the asset number: 4 to 8 digits."), missing)


def password_reset() -> colander.Schema:
    schema = colander.Schema()
    schema.add(user_number())
    schema.add(choice("سامانه", SYSTEMS, name="system"))
    schema.add(choice("مشکل", ("فراموشی گذرواژه", "قفل شدن حساب", "نرسیدن پیامک بازیابی"), name="problem"))
    schema.add(document("تصویر کارت دانشجویی یا پرسنلی", "برای احراز هویت درخواست‌های غیرحضوری", missing=None,
                        name="identity_card"))
    return schema


def new_account() -> colander.Schema:
    schema = colander.Schema()
    schema.add(text("full_name", "نام و نام خانوادگی همکار جدید"))
    schema.add(number("personnel_code", "کد پرسنلی", r"^\d{5,8}$", _("Enter the personnel code: 5 to 8 digits.")))
    schema.add(jalali_date("تاریخ شروع به کار", name="starts_on"))
    schema.add(choice("دسترسی اصلی", SYSTEMS, name="system"))
    schema.add(text("other_systems", "دسترسی‌های دیگر", missing=""))
    schema.add(document("حکم کارگزینی یا نامه معرفی", name="appointment_letter"))
    return schema


def network_support() -> colander.Schema:
    schema = colander.Schema()
    schema.add(choice("ساختمان", BUILDINGS, name="building"))
    schema.add(text("room", "طبقه و اتاق", missing=""))
    schema.add(choice("نوع اتصال", ("شبکه بی‌سیم eduroam", "شبکه کابلی", "VPN", "اینترنت خوابگاه"), name="connection"))
    schema.add(choice("دامنه مشکل", ("فقط دستگاه من", "همه اتاق یا طبقه", "همه ساختمان"), name="scope"))
    return schema


def email() -> colander.Schema:
    schema = colander.Schema()
    schema.add(user_number())
    schema.add(choice("درخواست پست الکترونیک", ("ایجاد صندوق پست الکترونیک", "افزایش فضای صندوق",
                                                 "مشکل در ارسال یا دریافت", "تنظیم در گوشی یا Outlook"), name="kind"))
    schema.add(text("address", "نشانی پست الکترونیک فعلی", missing=""))
    return schema


def golestan_support() -> colander.Schema:
    schema = colander.Schema()
    schema.add(user_number())
    schema.add(text("page", "صفحه یا پردازش گلستان", "مثلاً «ثبت‌نام اینترنتی» یا پردازش ۸۸"))
    schema.add(text("error", "متن پیام خطا", multiline=True))
    schema.add(document("تصویر صفحه خطا", missing=None, name="screenshot"))
    return schema


def software() -> colander.Schema:
    schema = colander.Schema()
    schema.add(choice("نرم‌افزار", ("مجموعه آفیس", "متلب", "اتوکد", "SPSS", "آنتی‌ویروس", "Adobe Acrobat", "سایر"),
                      name="software"))
    schema.add(choice("نوع کار", ("نصب", "تمدید مجوز", "به‌روزرسانی"), name="kind"))
    schema.add(asset_number("شماره اموال رایانه"))
    schema.add(text("room", "ساختمان و اتاق"))
    return schema


def hardware_repair() -> colander.Schema:
    schema = colander.Schema()
    schema.add(choice("دستگاه", ("رایانه رومیزی", "لپ‌تاپ اداری", "چاپگر", "اسکنر", "ویدئوپروژکتور", "کارتریج چاپگر"),
                      name="device"))
    schema.add(asset_number("شماره اموال", missing=""))
    schema.add(choice("ساختمان", BUILDINGS, name="building"))
    schema.add(text("room", "طبقه و اتاق"))
    return schema
