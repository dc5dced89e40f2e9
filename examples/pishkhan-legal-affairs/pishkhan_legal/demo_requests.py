"""What the demo's requesters ask legal affairs for (``pishkhan_demo_requests``), as a Persian
university's people would type them; ``{university}`` and ``{building}`` are filled by the demo."""
from functools import partial

from core.contracts import DemoRequest
from pishkhan_legal.services import CONTRACT_REVIEW, LEGAL_ADVICE

request = partial(DemoRequest, "legal")

REQUESTS = [
    request(CONTRACT_REVIEW.service_id, "بررسی قرارداد همکاری پژوهشی با {university}",
            "پیش‌نویس قرارداد همکاری پژوهشی با {university} پیوست است؛ لطفاً بندهای مالکیت فکری آن را بررسی کنید.",
            "service_request"),
    request(CONTRACT_REVIEW.service_id, "بررسی قرارداد پیمانکاری تعمیرات {building}",
            "قرارداد پیمانکاری تعمیرات {building} باید این هفته امضا شود؛ لطفاً پیش از امضا بررسی کنید.",
            "service_request", "medium", "high"),
    request(CONTRACT_REVIEW.service_id, "بررسی قرارداد خرید تجهیزات آزمایشگاه",
            "پیش‌نویس قرارداد خرید تجهیزات آزمایشگاه را برای پایان سال مالی آماده کرده‌ایم؛ نظر حقوقی لازم است.",
            "service_request", "low", "high", (1, 2, 3)),
    request(LEGAL_ADVICE.service_id, "مشاوره درباره قرارداد اجاره منزل",
            "پیش از امضای قرارداد اجاره منزل می‌خواهم درباره بندهای ودیعه و فسخ آن مشاوره بگیرم.", "information"),
    request(LEGAL_ADVICE.service_id, "پاسخ به ابلاغیه دادگاه",
            "ابلاغیه‌ای درباره یک پرونده اداری به دستم رسیده؛ برای تنظیم لایحه پاسخ راهنمایی لازم دارم.",
            "service_request", "medium", "high"),
]
