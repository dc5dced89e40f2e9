"""Request forms of the finance services (colander schemas rendered by deform).

Titles and options are Persian data, stored with the ticket as the requester chose them.
"""
from __future__ import annotations

import colander

from core.forms import Digits, NormalizedString, choice, document, jalali_date
from core.i18n import _

REQUIRED = _("This field is required.")
MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند")
BANKS = ("بانک ملی ایران", "بانک تجارت", "بانک ملت", "بانک صادرات ایران", "بانک رفاه کارگران", "بانک سپه", "سایر")


def text(name: str, title: str, description: str = "", missing=colander.required,
         multiline: bool = False) -> colander.SchemaNode:
    return colander.SchemaNode(NormalizedString(multiline=multiline), name=name, title=title,
                               description=description, missing=missing, missing_msg=REQUIRED,
                               validator=colander.Length(max=500, max_err=_("At most ${max} characters.")))


def number(name: str, title: str, pattern: str, message, missing=colander.required) -> colander.SchemaNode:
    """Digits typed in any script, checked against ``pattern``."""
    return colander.SchemaNode(Digits(), name=name, title=title, missing=missing, missing_msg=REQUIRED,
                               validator=colander.Regex(pattern, msg=message))


def personnel_code() -> colander.SchemaNode:
    return number("personnel_code", "کد پرسنلی", r"^\d{5,8}$", _("Enter the personnel code: 5 to 8 digits."))


def student_number() -> colander.SchemaNode:
    return number("student_number", "شماره دانشجویی", r"^\d{8,10}$", _("Enter the student number: 8 to 10 digits."))


def amount(name: str, title: str) -> colander.SchemaNode:
    return number(name, title, r"^\d{4,12}$", _("Enter the amount in rials, digits only."))


def payslip() -> colander.Schema:
    schema = colander.Schema()
    schema.add(personnel_code())
    schema.add(choice("ماه", MONTHS, name="month"))
    schema.add(choice("موضوع فیش", ("نمایش نداشتن فیش در سامانه", "مغایرت مبلغ", "اضافه‌کار یا حق‌التدریس",
                                "کسورات"), name="topic"))
    schema.add(text("details", "توضیح مغایرت", missing="", multiline=True))
    return schema


def expense_claim() -> colander.Schema:
    schema = colander.Schema()
    schema.add(personnel_code())
    schema.add(choice("نوع هزینه", ("مأموریت", "شرکت در همایش", "خرید تنخواه", "سایر"), name="kind"))
    schema.add(jalali_date("تاریخ هزینه یا پایان مأموریت", name="spent_on"))
    schema.add(amount("amount", "مبلغ (ریال)"))
    schema.add(number("sheba", "شماره شبای حساب (بدون IR)", r"^\d{24}$",
                      _("Enter the 24 digits of the IBAN after IR.")))
    schema.add(document("اسناد و فاکتورهای هزینه", "همه صورت‌حساب‌ها در یک فایل PDF", name="invoices"))
    schema.add(document("حکم مأموریت", "برای هزینه مأموریت", missing=None, name="mission_order"))
    return schema


def tuition_payment() -> colander.Schema:
    schema = colander.Schema()
    schema.add(student_number())
    schema.add(jalali_date("تاریخ پرداخت", name="paid_on"))
    schema.add(amount("amount", "مبلغ کسرشده (ریال)"))
    schema.add(number("reference", "شماره پیگیری بانک", r"^\d{6,20}$",
                      _("Enter the bank's reference number in digits.")))
    schema.add(document("رسید یا پیامک بانک", missing=None, name="receipt"))
    return schema


def tuition_instalments() -> colander.Schema:
    schema = colander.Schema()
    schema.add(student_number())
    schema.add(amount("amount", "مبلغ بدهی شهریه (ریال)"))
    schema.add(choice("تعداد اقساط", ("2", "3", "4"), name="instalments"))
    schema.add(text("reason", "دلیل درخواست", multiline=True))
    return schema


def student_loan() -> colander.Schema:
    schema = colander.Schema()
    schema.add(student_number())
    schema.add(choice("نوع وام", ("وام شهریه", "وام ضروری", "وام مسکن دانشجویی", "وام ازدواج دانشجویی"), name="loan"))
    schema.add(choice("درخواست وام", ("ثبت درخواست", "پیگیری واریز", "تقسیط بازپرداخت"), name="topic"))
    schema.add(document("تعهدنامه محضری یا سفته", "برای ثبت درخواست", missing=None, name="guarantee"))
    return schema


def deduction_certificate() -> colander.Schema:
    schema = colander.Schema()
    schema.add(personnel_code())
    schema.add(choice("بانک یا مؤسسه", BANKS, name="bank"))
    schema.add(amount("amount", "مبلغ وام (ریال)"))
    schema.add(text("borrower", "نام وام‌گیرنده (اگر ضامن هستید)", missing=""))
    return schema
