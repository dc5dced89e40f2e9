"""Test department plugins for the catalog: identity cards of the demo organization's education
and IT departments, and what the catalog tests share."""
from __future__ import annotations

from pathlib import Path

import colander
from pyramid.i18n import make_localizer

import core
from core import hookimpl
from core.contracts import ApprovalStep, CatalogService, FulfilmentTask, ServiceStage
from core.forms import jalali_date
from core.i18n import _

FARSI = make_localizer("fa", [str(Path(core.__file__).parent / "locale")])

ENROLMENT = "10061073000"
TRANSCRIPT = "10061073001"
VPN = "20061073000"
INTERNAL = "20061073009"


def persian(message: str, **mapping) -> str:
    return FARSI.translate(_(message, mapping=mapping))


class EnrolmentForm(colander.Schema):
    needed_by = jalali_date("تاریخ مورد نیاز")


EDUCATION_SERVICES = (
    CatalogService(
        ENROLMENT, "education", "گواهی اشتغال به تحصیل",
        "صدور گواهی اشتغال به تحصیل برای دانشجویان شاغل به تحصیل.",
        audience="دانشجویان شاغل به تحصیل", life_event="education", levels=("national",),
        process="صدور گواهی", sub_services=("گواهی فارسی", "گواهی انگلیسی"),
        required_documents=("تصویر کارت دانشجویی",), duration_days=3, yearly_volume=4200, visits=0,
        cost_rials=120000, payment_account="IR120000000000000000000001",
        stages=(ServiceStage("information", ("website",), True), ServiceStage("request", ("website",), True),
                ServiceStage("processing", ("intranet",), True), ServiceStage("delivery", ("in_person",), False)),
        integrations=("سامانه آموزش",), procedure="۱. ثبت درخواست\n۲. تأیید کارشناس\n۳. صدور گواهی",
        owner="اداره آموزش", owner_username="edu.manager", contact="۰۲۱-۱۲۳۴۵۶۷۸", keywords=("گواهی",),
        form=EnrolmentForm, approvals=(ApprovalStep("service_owner", "تأیید اداره آموزش"),),
        tasks=(FulfilmentTask("صدور گواهی", "کارشناسان امور آموزشی"),),
    ),
    CatalogService(
        TRANSCRIPT, "education", "درخواست ریز نمرات", "صدور کارنامه کامل دانشجو.",
        audience="دانشجویان و دانش‌آموختگان", life_event="certificates", duration_days=5,
    ),
)
IT_SERVICES = (
    CatalogService(
        VPN, "it", "دسترسی به VPN دانشگاه", "ساخت حساب VPN برای کار از راه دور.",
        type="internal", life_event="employment", duration_days=2,
        stages=tuple(ServiceStage(stage, ("website",), True)
                     for stage in ("information", "request", "processing", "delivery")),
    ),
    CatalogService(INTERNAL, "it-eng", "پشتیبانی سرور دانشکده", "نگهداری سرورهای دانشکده.",
                   type="internal", public=False, life_event="other"),
)


class Provider:
    """A department plugin bringing ``services``."""

    def __init__(self, *services: CatalogService):
        self.services = list(services)

    @hookimpl
    def pishkhan_catalog_services(self):
        return self.services


def education() -> Provider:
    return Provider(*EDUCATION_SERVICES)


def it() -> Provider:
    return Provider(*IT_SERVICES)
