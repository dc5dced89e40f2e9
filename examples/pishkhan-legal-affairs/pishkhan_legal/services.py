"""The department's catalog services, each with its identity card (شناسنامه خدمت).

Service IDs are 11 digits, unique across every installed department: 10842 (the university's
agency code in the demo) + 19 (legal affairs; the built-in departments use 11 to 15) + two digits
for the service + 00 (no sub-service).
"""
from core.contracts import ApprovalStep, CatalogService, FulfilmentTask, ServiceStage
from pishkhan_legal.department import CODE, FRONT_DESK, LAWYERS
from pishkhan_legal.forms import ContractReviewForm

CONTRACT_REVIEW = CatalogService(
    service_id="10842190100",
    department=CODE,
    title="بررسی حقوقی پیش‌نویس قرارداد",
    description="کارشناسان حقوقی پیش‌نویس قراردادهای واحدهای دانشگاه را پیش از امضا از نظر قوانین و "
                "مقررات و حفظ منافع دانشگاه بررسی می‌کنند و نظر حقوقی و اصلاحات پیشنهادی را اعلام می‌کنند.",
    type="internal",
    audience="معاونت‌ها، دانشکده‌ها و واحدهای ستادی دانشگاه",
    nature="operational",
    levels=("provincial",),
    life_event="business",
    process="تنظیم و انعقاد قراردادها",
    sub_services=("بررسی الحاقیه قرارداد", "تمدید قرارداد"),
    trigger="request",
    required_documents=("پیش‌نویس قرارداد و پیوست‌های آن", "نامه موافقت بالاترین مقام واحد"),
    duration_days=5,
    yearly_volume=420,
    frequency="به ازای هر قرارداد",
    visits=0,
    cost_rials=0,
    stages=(
        ServiceStage("information", channels=("website", "intranet"), electronic=True),
        ServiceStage("request", channels=("intranet",), electronic=True),
        ServiceStage("processing", channels=("intranet",), electronic=True),
        ServiceStage("delivery", channels=("intranet", "email"), electronic=True),
    ),
    integrations=("سامانه مکاتبات اداری", "سامانه تدارکات الکترونیکی دولت (ستاد)"),
    procedure="ثبت درخواست و بارگذاری پیش‌نویس، موافقت مدیر واحد، بررسی کارشناس حقوقی، "
              "ابلاغ نظر حقوقی به واحد درخواست‌کننده",
    owner="مدیر امور حقوقی",
    contact="داخلی ۲۲۱۰ — legal@uni.example",
    sla="اعلام نظر حقوقی حداکثر پنج روز کاری پس از موافقت مدیر واحد",
    keywords=("قرارداد", "پیش‌نویس", "الحاقیه", "نظر حقوقی"),
    form=ContractReviewForm,
    approvals=(ApprovalStep("requester_manager", "موافقت مدیر واحد درخواست‌کننده"),),
    tasks=(
        FulfilmentTask("بررسی پیش‌نویس و تهیه نظر حقوقی", LAWYERS.name),
        FulfilmentTask("ابلاغ نظر حقوقی به واحد درخواست‌کننده", FRONT_DESK.name),
    ),
)

LEGAL_ADVICE = CatalogService(
    service_id="10842190200",
    department=CODE,
    title="مشاوره حقوقی کارکنان و دانشجویان",
    description="پاسخ به پرسش‌های حقوقی کارکنان و دانشجویان در امور مربوط به دانشگاه، مانند تعهدات "
                "آموزشی، قراردادهای کار و اجاره خوابگاه، به صورت مکتوب یا در جلسه حضوری.",
    type="G2C",
    audience="کارکنان، اعضای هیئت علمی و دانشجویان",
    nature="operational",
    levels=("provincial",),
    life_event="other",
    trigger="request",
    duration_days=3,
    yearly_volume=900,
    frequency="بدون محدودیت",
    visits=0,
    stages=(
        ServiceStage("information", channels=("website",), electronic=True),
        ServiceStage("request", channels=("website", "counter"), electronic=True),
        ServiceStage("processing", channels=("in_person",), electronic=False),
        ServiceStage("delivery", channels=("website", "in_person"), electronic=True),
    ),
    owner="مدیر امور حقوقی",
    contact="داخلی ۲۲۱۰ — legal@uni.example",
    sla="پاسخ اولیه حداکثر سه روز کاری",
    keywords=("مشاوره حقوقی", "تعهد", "اجاره"),
    tasks=(FulfilmentTask("پاسخ به پرسش حقوقی", FRONT_DESK.name),),
)

SERVICES = [CONTRACT_REVIEW, LEGAL_ADVICE]
