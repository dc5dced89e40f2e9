"""The facilities services of the catalog, each with its identity card (شناسنامه خدمت).

Service IDs (11 digits): 10842 (the university's agency code in the demo) + 15 (facilities; IT is
11, education 12, finance 13, HR 14) + two digits for the service + 00 (no sub-service).
"""
from core.contracts import ApprovalStep, CatalogService, FulfilmentTask, ServiceStage
from plugins.facilities import forms
from plugins.facilities.department import FRONT_DESK, GENERAL_SUPPORT

OWNER = "مدیریت امور پشتیبانی و تأسیسات"
CONTACT = "میز خدمت پشتیبانی، ساختمان مرکزی، طبقه همکف — تلفن ۳۲۲۱۰۰۰۰ داخلی ۲۶۱۰ (شبانه: داخلی ۲۶۹۹)"
UNITS = "همه واحدهای دانشگاه، کارکنان و دانشجویان ساکن خوابگاه"
MAINTENANCE = "سامانه نگهداری و تعمیرات (نت) دانشگاه"

ONLINE = (
    ServiceStage("information", ("website",), electronic=True),
    ServiceStage("request", ("website", "ivr", "counter"), electronic=True),
    ServiceStage("processing", ("intranet",), electronic=True),
)
ON_SITE = ServiceStage("delivery", ("in_person",), electronic=False)

HEATING_COOLING = CatalogService(
    service_id="10842150200",
    department="facilities",
    title="سرمایش و گرمایش",
    description="رفع خرابی شوفاژ، موتورخانه، کولر و چیلر ساختمان‌های آموزشی، اداری و خوابگاه‌ها.",
    type="internal",
    audience=UNITS,
    levels=("provincial",),
    life_event="urban_facilities",
    process="نگهداری تأسیسات",
    duration_days=2,
    yearly_volume=1500,
    frequency="فصلی، در صورت بروز خرابی",
    stages=(*ONLINE, ON_SITE),
    integrations=(MAINTENANCE, "سامانه مدیریت هوشمند موتورخانه‌ها"),
    procedure="تأسیسات و نگهداری ظرف یک روز کاری بازدید می‌کند؛ خرابی موتورخانه یا چیلر به کارشناسان فنی ساختمان "
              "ارجاع می‌شود.",
    owner=OWNER,
    owner_username="fac.lead",
    contact=CONTACT,
    sla="بازدید در همان روز کاری؛ رفع خرابی حداکثر ۲ روز کاری.",
    keywords=("شوفاژ", "کولر", "موتورخانه", "چیلر", "گرمایش", "سرمایش"),
    form=forms.heating_cooling,
)

SERVICES = [
    CatalogService(
        service_id="10842150100",
        department="facilities",
        title="تعمیرات ساختمان و تأسیسات",
        description="تعمیر خرابی‌های آب و فاضلاب، برق و روشنایی، در و پنجره، قفل، سقف و آسانسور در ساختمان‌ها و "
                    "خوابگاه‌ها.",
        type="internal",
        audience=UNITS,
        levels=("provincial",),
        life_event="urban_facilities",
        process="نگهداری تأسیسات",
        duration_days=5,
        yearly_volume=3400,
        frequency="در صورت بروز خرابی",
        stages=(*ONLINE, ON_SITE),
        integrations=(MAINTENANCE, "انبار مرکزی (قطعات و مصالح)"),
        procedure="میز خدمت درخواست را ثبت می‌کند، تأسیسات و نگهداری بازدید و تعمیر می‌کند و تعمیرات بزرگ با برآورد "
                  "کارشناسان فنی ساختمان انجام می‌شود.",
        owner=OWNER,
        owner_username="fac.lead",
        contact=CONTACT,
        sla="حوادث (نشت آب، قطع برق، گیر کردن آسانسور) فوری؛ بقیه حداکثر ۵ روز کاری.",
        keywords=("تعمیر", "چکه", "نشت آب", "قفل", "برق", "آسانسور", "روشنایی"),
        form=forms.repair,
        tasks=(FulfilmentTask("بازدید و تعمیر", GENERAL_SUPPORT.name),),
    ),
    HEATING_COOLING,
    CatalogService(
        service_id="10842150300",
        department="facilities",
        title="رزرو سالن و فضای برگزاری برنامه",
        description="رزرو تالارها و سالن‌های همایش و جلسات برای دفاع، همایش، کارگاه و جلسه، با آماده‌سازی تجهیزات صوتی "
                    "و تصویری.",
        type="internal",
        audience="دانشکده‌ها، واحدها، انجمن‌ها و تشکل‌های دانشجویی",
        levels=("provincial",),
        life_event="other",
        process="مدیریت فضاها",
        required_documents=("نامه درخواست واحد یا تشکل",),
        duration_days=3,
        yearly_volume=820,
        frequency="در صورت نیاز",
        stages=(*ONLINE, ON_SITE),
        integrations=("سامانه رزرو فضاهای دانشگاه",),
        procedure="مسئول سالن‌ها رزرو را تأیید می‌کند؛ میز خدمت رزرو را ثبت و تأسیسات سالن و تجهیزات را آماده می‌کند.",
        owner=OWNER,
        owner_username="fac.lead",
        contact=CONTACT,
        sla="اعلام نتیجه رزرو حداکثر ۳ روز کاری؛ درخواست دست‌کم یک هفته پیش از برنامه.",
        keywords=("رزرو سالن", "تالار", "آمفی‌تئاتر", "سالن همایش", "سالن جلسات"),
        form=forms.hall_booking,
        approvals=(ApprovalStep("service_owner", "تأیید مسئول سالن‌ها", "fac.lead"),),
        tasks=(FulfilmentTask("ثبت رزرو و هماهنگی با درخواست‌کننده", FRONT_DESK.name),
               FulfilmentTask("آماده‌سازی سالن و تجهیزات صوتی و تصویری", GENERAL_SUPPORT.name)),
    ),
    CatalogService(
        service_id="10842150400",
        department="facilities",
        title="نظافت و خدمات عمومی",
        description="نظافت فوری فضاها، نظافت پس از برنامه‌ها و جابه‌جایی اثاث، و جمع‌آوری پسماند.",
        type="internal",
        audience=UNITS,
        levels=("provincial",),
        life_event="urban_facilities",
        process="خدمات عمومی",
        duration_days=1,
        yearly_volume=2200,
        frequency="در صورت نیاز",
        stages=(*ONLINE, ON_SITE),
        integrations=("سامانه پیمانکار خدمات نظافتی",),
        procedure="میز خدمت درخواست را به سرپرست نیروهای خدماتی پیمانکار می‌سپارد و پس از انجام، محل را بازبینی "
                  "می‌کند.",
        owner=OWNER,
        owner_username="fac.lead",
        contact=CONTACT,
        sla="نظافت فوری حداکثر ۲ ساعت کاری؛ بقیه در همان روز کاری.",
        keywords=("نظافت", "پسماند", "جابه‌جایی", "خدمات عمومی"),
        form=forms.cleaning,
        tasks=(FulfilmentTask("اعزام نیروی خدماتی و بازبینی", FRONT_DESK.name),),
    ),
    CatalogService(
        service_id="10842150500",
        department="facilities",
        title="صدور مجوز تردد خودرو (پارکینگ)",
        description="صدور و تمدید برچسب تردد و پارکینگ خودرو برای اعضای هیئت علمی، کارکنان و دانشجویان تحصیلات تکمیلی.",
        type="G2C",
        audience="اعضای هیئت علمی، کارکنان و دانشجویان تحصیلات تکمیلی",
        levels=("city",),
        life_event="other",
        process="خدمات عمومی",
        required_documents=("کارت خودرو", "کارت دانشجویی یا پرسنلی"),
        duration_days=5,
        yearly_volume=950,
        frequency="سالانه (تمدید در مهر)",
        visits=1,
        cost_rials=2_000_000,
        payment_account="حساب درآمد اختصاصی دانشگاه نزد بانک ملی ایران",
        stages=(*ONLINE, ServiceStage("delivery", ("in_person",), electronic=False)),
        integrations=("سامانه کنترل تردد پلاک‌خوان", "درگاه پرداخت الکترونیک بانک ملی ایران"),
        procedure="پس از پرداخت هزینه، پلاک در سامانه تردد ثبت و برچسب در میز خدمت پشتیبانی تحویل می‌شود.",
        owner=OWNER,
        owner_username="fac.lead",
        contact=CONTACT,
        sla="صدور حداکثر ۵ روز کاری.",
        keywords=("پارکینگ", "مجوز تردد", "برچسب خودرو", "پلاک"),
        form=forms.parking_permit,
        tasks=(FulfilmentTask("ثبت پلاک و صدور برچسب", FRONT_DESK.name),),
    ),
]
