"""What the demo's requesters ask the HR department for (``pishkhan_demo_requests``): the
kinds of request of each catalog service, as a Persian university's people would type them.
"""
from functools import partial

from core.contracts import DemoRequest

request = partial(DemoRequest, "hr", asked_by="staff")

REQUESTS = [
    request("10842140100", "گواهی اشتغال به کار برای {for_whom}",
            "برای ارائه به {for_whom} به گواهی اشتغال به کار نیاز دارم.", "service_request"),
    request("10842140200", "ثبت نشدن مرخصی ساعتی",
            "مرخصی ساعتی روز گذشته در سامانه حضور و غیاب ثبت نشده است."),
    request("10842140200", "مانده مرخصی استحقاقی",
            "مانده مرخصی استحقاقی من در سامانه کمتر از حساب من است.", "information", "low", "low"),
    request("10842140300", "پیگیری خسارت بیمه تکمیلی",
            "مدارک هزینه بستری را دو ماه پیش تحویل داده‌ام و خسارت پرداخت نشده.", "complaint", "medium"),
    request("10842140300", "افزودن فرزند به بیمه تکمیلی",
            "می‌خواهم فرزندم را به بیمه تکمیلی اضافه کنم.", "service_request"),
    request("10842140500", "انتقال سوابق بیمه تأمین اجتماعی",
            "سوابق بیمه‌ای شغل قبلی‌ام هنوز به پرونده من منتقل نشده است.", "service_request", "low", "low"),
    request("10842140400", "درخواست نسخه حکم کارگزینی",
            "یک نسخه از حکم کارگزینی سال جاری برای ارائه به بانک لازم دارم.", "service_request", "low", "low"),
    request("10842140400", "اشتباه در پایه حقوقی حکم",
            "پایه سنواتی من در حکم جدید اعمال نشده است.", "complaint", "medium", "medium", (3, 4, 5)),
]
