"""What the demo's requesters ask the education department for (``pishkhan_demo_requests``): the
kinds of request of each catalog service, as a Persian university's people would type them.
"""
from functools import partial

from core.contracts import DemoRequest

request = partial(DemoRequest, "education", asked_by="students")

REQUESTS = [
    request("10842120100", "مشکل در انتخاب واحد درس {course}",
            "در انتخاب واحد، درس {course} با پیام «پیش‌نیاز رعایت نشده» ثبت نمی‌شود در حالی که پیش‌نیاز را گذرانده‌ام.",
            "incident", "medium", "high", (1, 2, 8, 9)),
    request("10842120100", "درخواست افزایش ظرفیت درس {course}",
            "ظرفیت درس {course} پر شده و این درس برای فارغ‌التحصیلی من ضروری است.",
            "service_request", "low", "high", (1, 2, 8, 9)),
    request("10842120100", "تداخل ساعت کلاس {course}",
            "ساعت کلاس {course} با یک درس دیگرم تداخل دارد؛ راهنمایی کنید.",
            "information", "low", "medium", (1, 2, 9, 10)),
    request("10842120200", "درخواست گواهی اشتغال به تحصیل برای {for_whom}",
            "برای ارائه به {for_whom} به گواهی اشتغال به تحصیل نیاز دارم. شماره دانشجویی: {student_id}",
            "service_request"),
    request("10842120300", "درخواست ریزنمرات به زبان انگلیسی",
            "برای اپلای به ریزنمرات انگلیسی مهرشده نیاز دارم. شماره دانشجویی: {student_id}",
            "service_request", "low", "low"),
    request("10842120400", "اشتباه در ثبت نمره درس {course}",
            "نمره درس {course} در کارنامه من اشتباه ثبت شده است؛ استاد درس تأیید کرده‌اند.",
            "complaint", "medium", "medium", (2, 3, 7, 8)),
    request("10842120500", "درخواست مهمانی {semester} در {university}",
            "می‌خواهم {semester} را به‌صورت مهمان در {university} بگذرانم؛ مراحل و مدارک لازم چیست؟",
            "service_request", "low", "low"),
    request("10842120500", "پیگیری درخواست انتقال",
            "درخواست انتقال من به {university} از ماه گذشته بی‌پاسخ مانده است.", "complaint"),
    request("10842120700", "تعیین زمان جلسه دفاع پایان‌نامه",
            "پایان‌نامه‌ام آماده دفاع است و استاد راهنما تأیید کرده‌اند؛ لطفاً زمان جلسه دفاع را تعیین کنید.",
            "service_request", "low", "medium", (4, 5, 6, 7, 8)),
    request("10842120600", "پیگیری صدور دانشنامه",
            "مراحل فارغ‌التحصیلی من تمام شده؛ دانشنامه کی صادر می‌شود؟", "information", "low", "low"),
    request("10842120600", "تسویه حساب فارغ‌التحصیلی",
            "برای تسویه حساب، تأیید کتابخانه و خوابگاه ثبت نشده است.", "service_request", "low", "medium", (6, 7, 8)),
]
