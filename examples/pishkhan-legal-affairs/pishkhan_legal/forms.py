"""The request form of the contract review: what the lawyers need before they read a draft.

Titles and options are Persian data, shown as they are; the messages for a missing or bad value
come from ``core.forms`` in the reader's language.
"""
import colander

from core.forms import NormalizedString, choice, document, jalali_date
from core.i18n import _

CONTRACT_KINDS = ("خرید کالا", "خدمات و مشاوره", "پیمانکاری", "پژوهشی", "اجاره", "تفاهم‌نامه همکاری")


class ContractReviewForm(colander.Schema):
    contract_kind = choice("نوع قرارداد", CONTRACT_KINDS)
    counterparty = colander.SchemaNode(
        NormalizedString(), title="طرف قرارداد", description="نام شخص حقیقی یا حقوقی طرف قرارداد",
        validator=colander.Length(max=200), missing_msg=_("This field is required."),
    )
    signing_date = jalali_date("تاریخ پیش‌بینی‌شده برای امضا", "بررسی دست‌کم پنج روز کاری زمان می‌برد")
    draft = document("پیش‌نویس قرارداد", "فایل Word یا PDF، همراه با پیوست‌ها")
    approval_letter = document("نامه موافقت بالاترین مقام واحد", missing=None)
