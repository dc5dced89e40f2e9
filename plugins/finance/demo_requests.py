"""What the demo's requesters ask the finance department for (``pishkhan_demo_requests``): the
kinds of request of each catalog service, as a Persian university's people would type them.
"""
from functools import partial

from core.contracts import DemoRequest

by_staff = partial(DemoRequest, "finance", asked_by="staff")
by_students = partial(DemoRequest, "finance", asked_by="students")

REQUESTS = [
    by_staff("10842130100", "دسترسی نداشتن به فیش حقوقی {month}",
             "فیش حقوقی {month} در سامانه برای من نمایش داده نمی‌شود."),
    by_staff("10842130100", "مغایرت مبلغ فیش حقوقی {month}",
             "مبلغ اضافه‌کار در فیش حقوقی {month} کمتر از ساعات ثبت‌شده است.", "complaint", "medium"),
    by_staff("10842130600", "گواهی کسر از حقوق برای وام {bank}",
             "برای دریافت وام از {bank} به گواهی کسر از حقوق نیاز دارم.", "service_request"),
    by_staff("10842130200", "بازپرداخت هزینه مأموریت {city}",
             "اسناد هزینه مأموریت {city} را تحویل داده‌ام؛ وضعیت پرداخت را اعلام کنید.", "service_request"),
    by_staff("10842130200", "پرداخت هزینه شرکت در همایش",
             "هزینه ثبت‌نام همایش را خودم پرداخت کرده‌ام و فاکتور پیوست است.", "service_request", "low", "low"),
    by_students("10842130300", "پرداخت نشدن شهریه در درگاه بانکی",
                "مبلغ شهریه از حسابم کسر شد ولی در سامانه پرداخت‌نشده نشان می‌دهد.",
                "incident", "medium", "high", (1, 2, 8, 9)),
    by_students("10842130400", "درخواست تقسیط شهریه",
                "امکان پرداخت یکجای شهریه این ترم را ندارم؛ آیا تقسیط ممکن است؟", "service_request"),
    by_students("10842130500", "ثبت درخواست {loan}",
                "می‌خواهم برای {loan} ثبت‌نام کنم؛ مدارک لازم چیست؟", "information", "low", "low", (9, 10, 2)),
    by_students("10842130500", "پیگیری واریز {loan}",
                "{loan} من تأیید شده ولی هنوز واریز نشده است.", "service_request"),
]
