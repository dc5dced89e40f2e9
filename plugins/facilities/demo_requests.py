"""What the demo's requesters ask the facilities department for (``pishkhan_demo_requests``): the
kinds of request of each catalog service, as a Persian university's people would type them.
"""
from functools import partial

from core.contracts import DemoRequest

request = partial(DemoRequest, "facilities")

REQUESTS = [
    request("10842150100", "چکه کردن سقف {building}",
            "از سقف راهروی {building} آب چکه می‌کند.", "incident", "medium", "high", (1, 2, 3, 12)),
    request("10842150100", "خرابی قفل در اتاق {room}",
            "قفل در اتاق {room} در {building} خراب شده و در بسته نمی‌شود."),
    request("10842150200", "کار نکردن کولر {building}",
            "کولرهای {building} کار نمی‌کند و دمای کلاس‌ها بسیار بالاست.", "incident", "medium", "high", (5, 6, 7, 8)),
    request("10842150200", "سرد بودن کلاس‌های {building}",
            "شوفاژهای {building} گرم نمی‌شود و کلاس‌ها سرد است.", "incident", "medium", "high", (11, 12, 1, 2)),
    request("10842150300", "رزرو {hall} برای {event}",
            "برای {event} در هفته آینده به {hall} نیاز داریم.", "service_request"),
    request("10842150400", "نیاز به نظافت {place}",
            "{place} در {building} از دیروز نظافت نشده است.", "service_request"),
]
